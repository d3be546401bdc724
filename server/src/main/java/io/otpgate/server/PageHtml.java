package io.otpgate.server;

import static io.otpgate.server.Pages.escape;

import io.otpgate.core.code.Alphabet;
import io.otpgate.mail.Languages;
import io.otpgate.mail.Translations;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The hosted pages' HTML: one layout (language switcher, dev-mode notice, footer) around small
 * bodies. Every value that came from outside goes through {@link Pages#escape}; there is no
 * inline script or style, so the content security policy can forbid both.
 */
final class PageHtml {

    /** Separators the code parser ({@link io.otpgate.core.code.CodeFormat}) ignores, as a pattern attribute (a JavaScript regex) spells it. */
    private static final String SEPARATORS = "[\\s\\p{Pd}\\u2212\\u200e\\u200f\\u061c]*";

    private final Translations strings;
    private final String brand;
    private final boolean devMailbox;
    private final String assetVersion;

    PageHtml(Translations strings, String brand, boolean devMailbox, String assetVersion) {
        this.strings = strings;
        this.brand = brand;
        this.devMailbox = devMailbox;
        this.assetVersion = assetVersion;
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
    }

    String t(Page page, String key, Object... namesAndValues) {
        Map<String, Object> args = new java.util.HashMap<>();
        args.put("brand", brand);
        for (int i = 0; i + 1 < namesAndValues.length; i += 2) {
            args.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return strings.forLocale(page.locale()).format(key, args);
    }

    /** {@link #t} escaped for HTML. */
    String e(Page page, String key, Object... namesAndValues) {
        return escape(t(page, key, namesAndValues));
    }

    /**
     * The whole page. Its referrer policy is "same-origin", as {@link PageHeaders} sends it, never
     * "no-referrer": with that Chromium posts the forms with {@code Origin: null}, which {@link
     * PageCsrf} refuses; "same-origin" still sends nothing (no confirm-link token) to other sites.
     */
    String document(Page page, String title, String main, boolean showDev) {
        String tag = page.locale().toLanguageTag();
        String dir = Languages.direction(page.locale());
        return """
        <!doctype html>
        <html lang="%s" dir="%s">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="color-scheme" content="light dark">
        <meta name="referrer" content="same-origin">
        <title>%s · %s</title>
        <link rel="stylesheet" href="/assets/pages.css?v=%s">
        <script src="/assets/pages.js?v=%s" defer></script>
        </head>
        <body>
        <div class="page">
        <header><p class="brand">%s</p></header>
        <main id="main">
        %s%s</main>
        %s
        </div>
        </body>
        </html>
        """.formatted(
                        escape(tag),
                        dir,
                        escape(title),
                        escape(brand),
                        assetVersion,
                        assetVersion,
                        escape(brand),
                        showDev ? dev(page) : "",
                        main,
                        footer(page));
    }

    private String dev(Page page) {
        if (!devMailbox) {
            return "";
        }
        return "<p class=\"dev\">" + e(page, "dev.note")
                + " <a id=\"dev-mailbox\" href=\"/dev/mailbox\" target=\"_blank\"" + " rel=\"noopener\">"
                + e(page, "dev.link") + "</a></p>\n";
    }

    private String footer(Page page) {
        StringBuilder html = new StringBuilder("<footer>\n<nav id=\"languages\" aria-label=\"")
                .append(e(page, "languages.label"))
                .append("\">\n<ul>\n");
        for (Locale language : Languages.SHIPPED) {
            String tag = language.toLanguageTag();
            html.append("<li><a href=\"")
                    .append(escape(page.href(tag)))
                    .append("\" hreflang=\"")
                    .append(tag)
                    .append("\" lang=\"")
                    .append(tag)
                    .append("\" dir=\"")
                    .append(Languages.direction(language))
                    .append('"')
                    .append(language.equals(page.locale()) ? " aria-current=\"true\"" : "")
                    .append('>')
                    .append(escape(PageLocale.NAMES.get(tag)))
                    .append("</a></li>\n");
        }
        // Nothing for operators (health, metrics, the API description): the person verifying an
        // address has no use for them, and a link invites them to be probed.
        return html.append("</ul>\n</nav>\n<p>")
                .append(e(page, "footer.about"))
                .append("</p>\n</footer>")
                .toString();
    }

    static String message(Optional<Message> message) {
        return message.map(m -> "<div id=\"message\" class=\"message " + m.kind() + "\" role=\""
                        + (m.alert() ? "alert" : "status") + "\" tabindex=\"-1\">" + escape(m.text()) + "</div>\n")
                .orElse("");
    }

    /** {@code text} in Unicode isolates, so a right-to-left sentence does not reorder an address. */
    static String isolated(String text) {
        return "\u2068" + text + "\u2069";
    }

    static String hidden(String name, String value) {
        return "<input type=\"hidden\" name=\"" + name + "\" value=\"" + escape(value) + "\">\n";
    }

    /**
     * The attributes that make the code field autofill- and keyboard-friendly for the alphabet.
     *
     * <p>People paste codes as they read them, "123 456" or "123-456". Without JavaScript nothing
     * strips the separators before the browser applies {@code maxlength}, so it leaves room for one
     * after every character, and the pattern admits spaces and dashes anywhere: the server strips the
     * same characters ({@link io.otpgate.core.code.CodeFormat}) before it checks.
     *
     * <p>The pattern admits what the server reads as a digit, any Unicode decimal digit ({@code
     * \p{Nd}}: Arabic-Indic ٠١٢, full-width ０１２, Devanagari ०१२), because phones type the digits of
     * their language: with {@code [0-9]} the Arabic page's browser refused to submit a correct code
     * and said why only in its own words. It stays, rather than leaving everything to the server, for
     * what it does well: telling a person at once that a digit is missing. The browser compiles it
     * with the {@code v} (or {@code u}) flag, where {@code \p{…}} and a {@code \s} covering every
     * Unicode space are JavaScript's.
     */
    static String codeInputAttributes(Alphabet alphabet, int length) {
        String common = "id=\"code\" name=\"code\" type=\"text\" autocomplete=\"one-time-code\" maxlength=\""
                + 2 * length + "\" spellcheck=\"false\" autocorrect=\"off\" required";
        if (alphabet == Alphabet.DIGITS) {
            return common + " inputmode=\"numeric\" pattern=\"" + SEPARATORS + "(?:\\p{Nd}" + SEPARATORS + "){" + length
                    + "}\"";
        }
        return common + " inputmode=\"text\" autocapitalize=\"off\"";
    }
}
