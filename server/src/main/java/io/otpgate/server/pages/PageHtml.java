package io.otpgate.server.pages;

import io.otpgate.core.code.Alphabet;
import io.otpgate.mail.Languages;
import io.otpgate.mail.Translations;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The hosted pages' HTML, rendered from the templates in {@code io/otpgate/server/pages/}: one
 * layout (language switcher, dev-mode notice, footer) around a small body per page. Each page
 * builds a view (a record whose {@code layout} is {@link #layout}) of plain text, which the
 * templates escape; there is no inline script or style, so the content security policy can forbid
 * both.
 */
public final class PageHtml {

    private static final List<String> TEMPLATES =
            List.of("layout", "head", "languages", "message", "hidden", "start", "code", "done", "confirm", "notice");

    /** Separators the code parser ({@link io.otpgate.core.code.CodeFormat}) ignores, as a pattern attribute (a JavaScript regex) spells it. */
    private static final String SEPARATORS = "[\\s\\p{Pd}\\u2212\\u200e\\u200f\\u061c]*";

    private final Translations strings;
    private final String brand;
    private final boolean devMailbox;
    private final String assetVersion;
    private final PageTemplates templates;

    public PageHtml(Translations strings, String brand, boolean devMailbox, String assetVersion) {
        this.strings = strings;
        this.brand = brand;
        this.devMailbox = devMailbox;
        this.assetVersion = assetVersion;
        this.templates = PageTemplates.load("io/otpgate/server/pages/", TEMPLATES);
    }

    /** One page being written: its language, and its own address for the language links. */
    record Page(Locale locale, String path, String query) {
        String href(String tag) {
            return path + "?" + (query.isEmpty() ? "" : query + "&") + "lang=" + tag;
        }
    }

    /** A message box; {@code alert} for problems (announced at once), else a polite status. */
    record Message(String text, boolean alert, String kind) {
        static Message error(String text) {
            return new Message(text, true, "error");
        }

        static Message info(String text) {
            return new Message(text, false, "info");
        }

        String role() {
            return alert ? "alert" : "status";
        }
    }

    /** A hidden form field. */
    record Hidden(String name, String value) {}

    /** A link; an empty {@code id} leaves the attribute out. */
    record Link(String id, String href, String text) {}

    /** What the layout shows around every page's body; {@code title} is the page's heading too. */
    record Layout(
            String lang,
            String dir,
            String title,
            String brand,
            String assetVersion,
            List<DevNote> dev,
            String languagesLabel,
            List<LanguageLink> languages,
            String about) {}

    /** The dev-mode notice and its link to the dev mailbox. */
    record DevNote(String note, String link) {}

    /** One entry of the language switcher, in its own language and direction. */
    record LanguageLink(String href, String tag, String dir, boolean current, String name) {}

    String t(Page page, String key, Object... namesAndValues) {
        Map<String, Object> args = new HashMap<>();
        args.put("brand", brand);
        for (int i = 0; i + 1 < namesAndValues.length; i += 2) {
            args.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return strings.forLocale(page.locale()).format(key, args);
    }

    /** The layout of {@code page}, whose title (and heading) is the string {@code titleKey}. */
    Layout layout(Page page, String titleKey, boolean showDev) {
        List<DevNote> dev =
                showDev && devMailbox ? List.of(new DevNote(t(page, "dev.note"), t(page, "dev.link"))) : List.of();
        List<LanguageLink> languages = Languages.SHIPPED.stream()
                .map(language -> {
                    String tag = language.toLanguageTag();
                    return new LanguageLink(
                            page.href(tag),
                            tag,
                            Languages.direction(language),
                            language.equals(page.locale()),
                            PageLocale.NAMES.get(tag));
                })
                .toList();
        return new Layout(
                page.locale().toLanguageTag(),
                Languages.direction(page.locale()),
                t(page, titleKey),
                brand,
                assetVersion,
                dev,
                t(page, "languages.label"),
                languages,
                t(page, "footer.about"));
    }

    /** The page template {@code name} filled in from {@code view}. */
    String render(String name, Object view) {
        return templates.render(name, view);
    }

    /** {@code text} in Unicode isolates, so a right-to-left sentence does not reorder an address. */
    static String isolated(String text) {
        return "\u2068" + text + "\u2069";
    }

    /**
     * The {@code pattern} attribute that makes the code field keyboard-friendly for a code of {@code
     * length} digits; empty for other alphabets, which get a text keyboard and no pattern.
     *
     * <p>People paste codes as they read them, "123 456" or "123-456". Without JavaScript nothing
     * strips the separators before the browser applies {@code maxlength}, so the page leaves room
     * for one after every character, and the pattern admits spaces and dashes anywhere: the server
     * strips the same characters ({@link io.otpgate.core.code.CodeFormat}) before it checks.
     *
     * <p>The pattern admits what the server reads as a digit, any Unicode decimal digit ({@code
     * \p{Nd}}: Arabic-Indic ٠١٢, full-width ０１２, Devanagari ०१२), because phones type the digits of
     * their language: with {@code [0-9]} the Arabic page's browser refused to submit a correct code
     * and said why only in its own words. It stays, rather than leaving everything to the server, for
     * what it does well: telling a person at once that a digit is missing. The browser compiles it
     * with the {@code v} (or {@code u}) flag, where {@code \p{…}} and a {@code \s} covering every
     * Unicode space are JavaScript's.
     */
    static String codePattern(Alphabet alphabet, int length) {
        return alphabet == Alphabet.DIGITS ? SEPARATORS + "(?:\\p{Nd}" + SEPARATORS + "){" + length + "}" : "";
    }

    /** An optional value as the zero- or one-element list a template section iterates. */
    static <T> List<T> section(Optional<T> value) {
        return value.stream().toList();
    }
}
