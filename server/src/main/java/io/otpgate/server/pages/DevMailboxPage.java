package io.otpgate.server.pages;

import io.javalin.http.Context;
import io.otpgate.core.delivery.CapturedEmail;
import io.otpgate.mail.DevMailbox;
import io.otpgate.mail.Languages;
import io.otpgate.server.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The dev mailbox, as a page and as JSON (the hosted verification pages are {@link HostedPages}). */
public final class DevMailboxPage {

    private static final String TEMPLATE = "dev-mailbox";

    /** An http(s) URL up to white space or a quote; a sentence's closing punctuation stays outside. */
    private static final Pattern URL = Pattern.compile("\\bhttps?://[^\\s<>\"'`]*[^\\s<>\"'`.,;:!?)\\]]");

    /** The language tag on an email's {@code <html>} element; a tag's characters only. */
    private static final Pattern HTML_LANG = Pattern.compile(
            "<html\\b[^>]*?\\blang=[\"']?([A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*)[\"'\\s>]", Pattern.CASE_INSENSITIVE);

    private final Optional<DevMailbox> mailbox;
    private final PageTemplates templates = PageTemplates.load("io/otpgate/server/pages/", List.of(TEMPLATE));

    public DevMailboxPage(Optional<DevMailbox> mailbox) {
        this.mailbox = mailbox;
    }

    private record View(List<Email> emails) {}

    private record Email(Direction direction, String subject, String to, String receivedAt, List<Segment> text) {}

    /** The {@code lang} (empty when unknown) and {@code dir} attributes of an email's subject and text. */
    record Direction(String lang, String dir) {}

    /** A piece of an email's text: a URL to make a link of, or plain text. */
    record Segment(boolean link, String value) {}

    public void mailbox(Context ctx) {
        ctx.contentType("text/html; charset=utf-8")
                .result(render(mailbox.orElseThrow().messages()));
    }

    public String render(List<CapturedEmail> emails) {
        List<Email> shown = emails.stream()
                .map(email -> new Email(
                        direction(email),
                        email.subject(),
                        email.to().value(),
                        Json.time(email.receivedAt()),
                        linked(email.text())))
                .toList();
        return templates.render(TEMPLATE, new View(shown));
    }

    /** A captured email as {@code /dev/mailbox/messages} lists it. */
    record MessageJson(String to, String subject, String text, String html, String receivedAt) {}

    public void mailboxJson(Context ctx) {
        ctx.json(mailbox.orElseThrow().messages().stream()
                .map(email -> new MessageJson(
                        email.to().value(), email.subject(), email.text(), email.html(), Json.time(email.receivedAt())))
                .toList());
    }

    /**
     * The direction of an email's subject and text, from the language its HTML body declares, so an
     * Arabic email reads right to left as in a mail client. An operator's template without one gets
     * {@code dir="auto"}: the text's first letter decides.
     */
    static Direction direction(CapturedEmail email) {
        Matcher lang = HTML_LANG.matcher(email.html());
        if (!lang.find()) {
            return new Direction("", "auto");
        }
        String tag = lang.group(1);
        return new Direction(tag, Languages.direction(Locale.forLanguageTag(tag)));
    }

    /**
     * {@code text} cut into plain text and plain http(s) URLs, so a newcomer can follow an email's
     * confirm link from here. Nothing else becomes markup: the template escapes the URL too, and it
     * cannot hold a quote or an angle bracket, so it cannot leave its attribute.
     */
    static List<Segment> linked(String text) {
        List<Segment> segments = new ArrayList<>();
        Matcher url = URL.matcher(text);
        int from = 0;
        while (url.find()) {
            segments.add(new Segment(false, text.substring(from, url.start())));
            segments.add(new Segment(true, url.group()));
            from = url.end();
        }
        segments.add(new Segment(false, text.substring(from)));
        return segments;
    }
}
