package io.otpgate.server;

import io.javalin.http.Context;
import io.otpgate.core.delivery.CapturedEmail;
import io.otpgate.mail.DevMailbox;
import io.otpgate.mail.Languages;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The dev mailbox, as a page and as JSON (the hosted verification pages are {@link HostedPages}). */
final class Pages {

    private static final String STYLE = """
      <style>
        :root { color-scheme: light dark; font-family: system-ui, sans-serif; }
        body { max-width: 48rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5; }
        code, pre { font-family: ui-monospace, monospace; }
        pre { white-space: pre-wrap; padding: .75rem; border: 1px solid #8884; border-radius: .5rem; }
        /* A confirm link is one 150-character word: without this it runs off a phone's screen. */
        h2, p, pre, a, code { overflow-wrap: anywhere; }
        article { border-top: 1px solid #8884; padding: 1rem 0; }
        .note { padding: .5rem .75rem; border-left: .25rem solid #d97706; }
      </style>
      """;

    /** An http(s) URL up to white space or a quote; a sentence's closing punctuation stays outside. */
    private static final Pattern URL = Pattern.compile("\\bhttps?://[^\\s<>\"'`]*[^\\s<>\"'`.,;:!?)\\]]");

    /** The language tag on an email's {@code <html>} element; a tag's characters only, so it needs no escaping. */
    private static final Pattern HTML_LANG = Pattern.compile(
            "<html\\b[^>]*?\\blang=[\"']?([A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*)[\"'\\s>]", Pattern.CASE_INSENSITIVE);

    private final Optional<DevMailbox> mailbox;

    Pages(Optional<DevMailbox> mailbox) {
        this.mailbox = mailbox;
    }

    void mailbox(Context ctx) {
        List<CapturedEmail> emails = mailbox.orElseThrow().messages();
        StringBuilder body =
                new StringBuilder("<h1>Dev mailbox</h1><p class=\"note\">Captured, not sent. Newest first. "
                        + "JSON: <a href=\"/dev/mailbox/messages\">/dev/mailbox/messages</a></p>");
        if (emails.isEmpty()) {
            body.append("<p>No emails yet.</p>");
        }
        for (CapturedEmail email : emails) {
            String language = language(email);
            body.append("<article><h2")
                    .append(language)
                    .append('>')
                    .append(escape(email.subject()))
                    .append("</h2><p>To: <code>")
                    .append(escape(email.to().value()))
                    .append("</code> · ")
                    .append(Responses.time(email.receivedAt()))
                    .append("</p><pre")
                    .append(language)
                    .append('>')
                    .append(linked(email.text()))
                    .append("</pre></article>");
        }
        html(ctx, "Dev mailbox", body.toString());
    }

    void mailboxJson(Context ctx) {
        List<Map<String, Object>> json = mailbox.orElseThrow().messages().stream()
                .map(email -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("to", email.to().value());
                    m.put("subject", email.subject());
                    m.put("text", email.text());
                    m.put("html", email.html());
                    m.put("received_at", Responses.time(email.receivedAt()));
                    return m;
                })
                .toList();
        Http.json(ctx, json);
    }

    private static void html(Context ctx, String title, String body) {
        ctx.contentType("text/html; charset=utf-8").result("""
        <!doctype html><html lang="en"><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>%s</title>%s</head><body><main>%s</main></body></html>
        """.formatted(escape(title), STYLE, body));
    }

    /**
     * The {@code lang} and {@code dir} attributes for an email's subject and text, from the language
     * its HTML body declares, so an Arabic email reads right to left as in a mail client. An
     * operator's template without one gets {@code dir="auto"}: the text's first letter decides.
     */
    static String language(CapturedEmail email) {
        Matcher lang = HTML_LANG.matcher(email.html());
        if (!lang.find()) {
            return " dir=\"auto\"";
        }
        String tag = lang.group(1);
        return " lang=\"" + tag + "\" dir=\"" + Languages.direction(Locale.forLanguageTag(tag)) + "\"";
    }

    /**
     * {@code text} escaped, with each plain http(s) URL made a link, so a newcomer can follow an
     * email's confirm link from here. Nothing else becomes markup: the URL is escaped too, and it
     * cannot hold a quote or an angle bracket, so it cannot leave its attribute.
     */
    static String linked(String text) {
        StringBuilder html = new StringBuilder();
        Matcher url = URL.matcher(text);
        int from = 0;
        while (url.find()) {
            String href = escape(url.group());
            html.append(escape(text.substring(from, url.start())))
                    .append("<a href=\"")
                    .append(href)
                    .append("\">")
                    .append(href)
                    .append("</a>");
            from = url.end();
        }
        return html.append(escape(text.substring(from))).toString();
    }

    static String escape(String text) {
        return text.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\"", "&quot;")
                .replace("'", "&#39;");
    }
}
