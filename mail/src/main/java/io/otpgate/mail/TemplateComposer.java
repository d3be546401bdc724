package io.otpgate.mail;

import com.samskivert.mustache.MustacheException;
import io.otpgate.core.code.LinkTokens;
import io.otpgate.core.code.OneTimeCode;
import io.otpgate.core.delivery.CodeEmail;
import io.otpgate.core.delivery.MailComposer;
import io.otpgate.core.delivery.OutgoingEmail;
import io.otpgate.core.email.DisplayName;
import io.otpgate.core.email.EmailAddress;
import io.otpgate.core.id.Purpose;
import io.otpgate.core.id.VerificationId;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.MissingResourceException;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Renders the code email: subject, plain text and HTML, from Mustache templates and the {@link
 * Translations} of {@code io/otpgate/mail/messages*.properties}, in the recipient's locale.
 *
 * <p>The subject puts the code first ("123456 is your OTPGate verification code") unless {@code
 * codeInSubject} is off: mail clients then offer it for autofill and show it in the notification.
 * The body greets the person by name when there is one, says what the code is for and when it
 * expires, and tells someone who did not ask to ignore the email. Every value is HTML-escaped in
 * the HTML part and shown as typed in the text part. The HTML has inline styles, no remote content,
 * a {@code lang} and {@code dir} from the locale, and a dark palette. With {@link
 * Builder#confirmLinks}, each email also carries a link to a confirm page (see {@link
 * io.otpgate.core.code.LinkTokens}).
 *
 * <p>Templates (see {@code io/otpgate/mail/templates/}) and strings can be overridden from a
 * directory ({@code OTPGATE_TEMPLATES_DIR}); they are compiled and checked when the composer is
 * built, so a broken override stops start-up rather than an email. Thread-safe.
 */
public final class TemplateComposer implements MailComposer {

    private static final Pattern LINE_BREAKS = Pattern.compile("[\\s\\p{Cc}\\u2028\\u2029]+");

    /** RFC 5322 dot-atom-text, the left half of a Message-ID. */
    private static final Pattern ID_LEFT =
            Pattern.compile("[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*");

    private static final String MESSAGES = "io.otpgate.mail.messages";

    private static final VerificationId SAMPLE_VERIFICATION = new VerificationId("ver_0000000000000000000000000a");
    private static final EmailAddress SAMPLE_TO = new EmailAddress("ada@example.com");
    private static final DisplayName SAMPLE_NAME = new DisplayName("Ada Lovelace");

    private final String brand;
    private final boolean codeInSubject;
    private final MailFrom from;
    private final Translations translations;
    private final Templates templates;
    private final Optional<ConfirmLinks> confirmLinks;

    private TemplateComposer(Builder b, Optional<Path> overrides) {
        this.brand = b.brand.strip();
        this.codeInSubject = b.codeInSubject;
        this.from = b.from;
        this.translations =
                Translations.load(MESSAGES, TemplateComposer.class.getClassLoader(), b.defaultLocale, overrides);
        this.templates = Templates.load(overrides);
        this.confirmLinks = Optional.ofNullable(b.confirmLinks);
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public OutgoingEmail compose(CodeEmail email) {
        return render(email);
    }

    /**
     * The email {@code purpose} would send in {@code locale}, to Ada Lovelace with the sample code
     * {@code 123456}, for {@code otpgate template preview}. Nothing is sent.
     */
    public OutgoingEmail preview(Locale locale, Purpose purpose, Duration validFor) {
        return render(new CodeEmail(
                "preview",
                SAMPLE_VERIFICATION,
                SAMPLE_TO,
                Optional.of(SAMPLE_NAME),
                locale,
                purpose,
                OneTimeCode.of("123456".toCharArray()),
                validFor));
    }

    /**
     * The language of the strings a reader of {@code requested} gets: {@code pt-BR} for {@code
     * pt-PT}, the default locale for a language without strings.
     */
    public Locale language(Locale requested) {
        return translations.forLocale(requested).locale();
    }

    private OutgoingEmail render(CodeEmail email) {
        Translations.Strings strings = translations.forLocale(email.locale());
        Purpose purpose = email.purpose();
        String code = email.code().reveal();
        String name = email.name().map(DisplayName::value).orElse("");
        String subject = oneLine(forPurpose(
                strings,
                codeInSubject ? "subject.with_code" : "subject.without_code",
                purpose,
                Map.of("brand", brand, "code", code, "email", email.to().value(), "name", name)));
        // In right-to-left text, an address or a Latin brand next to punctuation is reordered unless it
        // is isolated (Unicode FSI … PDI, which takes the direction of its own first letter).
        Map<String, Object> values = Map.of(
                "brand", isolated(strings, brand),
                "code", code,
                "email", isolated(strings, email.to().value()),
                "name", isolated(strings, name));
        String intro = forPurpose(strings, "intro", purpose, values);
        String expiry = expiry(strings, email.validFor());
        Map<String, Object> context = new HashMap<>();
        context.put("lang", strings.lang());
        context.put("dir", strings.dir());
        context.put("subject", subject);
        context.put("preheader", intro + " " + expiry);
        context.put("brand", brand);
        context.put("greeting", strings.format(email.name().isPresent() ? "greeting.named" : "greeting", values));
        context.put("intro", intro);
        context.put("code", code);
        context.put("expiry", expiry);
        context.put("link", link(strings, email, values));
        context.put("ignore", strings.format("ignore", values));
        context.put("noShare", strings.format("no_share", values));
        context.put("footer", strings.format("footer", values));
        Templates.Pair pair = templates.forPurpose(purpose);
        return new OutgoingEmail(
                messageId(email.rowId()),
                email.to(),
                email.name(),
                subject,
                pair.text().execute(context),
                pair.html().execute(context));
    }

    /** The confirm link's words and URL, or {@code false} (Mustache skips the section) without one. */
    private Object link(Translations.Strings strings, CodeEmail email, Map<String, Object> values) {
        if (confirmLinks.isEmpty()) {
            return false;
        }
        return Map.of(
                "url", confirmLinks.get().linkFor(email.verificationId(), email.code()),
                "lead", strings.format("link.intro", values),
                "button", forPurpose(strings, "link.button", email.purpose(), values),
                "note", strings.format("link.note", values));
    }

    private static String isolated(Translations.Strings strings, String value) {
        return strings.rightToLeft() && !value.isEmpty() ? "\u2068" + value + "\u2069" : value;
    }

    /** {@code key.purpose} when there is a sentence for that purpose, else {@code key}. */
    private static String forPurpose(
            Translations.Strings strings, String key, Purpose purpose, Map<String, Object> values) {
        String specific = key + "." + purpose.value();
        return strings.format(strings.has(specific) ? specific : key, values);
    }

    /** "This code expires in 10 minutes.", rounded to the nearest minute from a minute up. */
    private static String expiry(Translations.Strings strings, Duration validFor) {
        long seconds = Math.max(1, validFor.toSeconds());
        if (seconds < 60) {
            return strings.format("expiry.seconds", Map.of("count", seconds));
        }
        long minutes = (seconds + 30) / 60;
        return minutes % 60 == 0
                ? strings.format("expiry.hours", Map.of("count", minutes / 60))
                : strings.format("expiry.minutes", Map.of("count", minutes));
    }

    /** A subject is one header line: strings from an override file must not be able to break it. */
    private static String oneLine(String text) {
        return LINE_BREAKS.matcher(text).replaceAll(" ").strip();
    }

    /**
     * {@code <rowId@from-domain>}: stable per outbox row, so a re-send is a recognisable duplicate.
     */
    private String messageId(String rowId) {
        if (!ID_LEFT.matcher(rowId).matches()) {
            throw new IllegalArgumentException("the row id cannot be the left half of a Message-ID");
        }
        return "<" + rowId + "@" + from.domain() + ">";
    }

    /** Renders every template once, so that a broken override fails at start-up. */
    private TemplateComposer checked(Locale defaultLocale) {
        for (String name : templates.names()) {
            try {
                preview(defaultLocale, new Purpose(name), Duration.ofMinutes(10));
            } catch (MustacheException | MissingResourceException e) {
                throw new IllegalStateException(
                        "the " + name + " email template does not render: " + e.getMessage(), e);
            }
        }
        return this;
    }

    /** Options for {@link TemplateComposer}; every one has a default. */
    public static final class Builder {
        private String brand = "OTPGate";
        private boolean codeInSubject = true;
        private MailFrom from = MailFrom.DEFAULT;
        private Locale defaultLocale = Locale.ENGLISH;
        private Path templatesDir;
        private ConfirmLinks confirmLinks;

        private Builder() {}

        /**
         * Adds to every email a button and a plain-text URL, {@code <publicUrl>/confirm/<verification
         * id>/<token>}, where {@code token} is the code sealed by {@code tokens} for that verification.
         * The URL opens a confirm page; only the button on that page approves, so a mail scanner that
         * follows links approves nothing. Without this option (the default) emails carry no link.
         *
         * @param publicUrl where readers reach the service ({@code OTPGATE_PUBLIC_URL}): absolute
         *     {@code http} or {@code https}, without user info, query or fragment; a path prefix is kept
         * @throws IllegalArgumentException for a URL that is not such
         */
        public Builder confirmLinks(URI publicUrl, LinkTokens tokens) {
            this.confirmLinks = ConfirmLinks.of(publicUrl, tokens);
            return this;
        }

        /** The product name shown in emails ({@code OTPGATE_BRAND}); default {@code OTPGate}. */
        public Builder brand(String brand) {
            this.brand = brand;
            return this;
        }

        /** Whether the subject starts with the code ({@code OTPGATE_CODE_IN_SUBJECT}); default true. */
        public Builder codeInSubject(boolean codeInSubject) {
            this.codeInSubject = codeInSubject;
            return this;
        }

        /** The From address; its domain completes each Message-ID. Pass the one SMTP uses. */
        public Builder from(MailFrom from) {
            this.from = from;
            return this;
        }

        /** The locale used when the requested one has no strings ({@code OTPGATE_DEFAULT_LOCALE}). */
        public Builder defaultLocale(Locale defaultLocale) {
            this.defaultLocale = defaultLocale;
            return this;
        }

        /**
         * A directory whose templates and messages files replace the built-in ones of the same name.
         */
        public Builder templatesDir(Path templatesDir) {
            this.templatesDir = templatesDir;
            return this;
        }

        /**
         * Loads, compiles and test-renders the templates. Throws {@link IllegalArgumentException} for a
         * bad option and {@link IllegalStateException} naming the template or string that is broken.
         */
        public TemplateComposer build() {
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(defaultLocale, "defaultLocale");
            if (brand == null
                    || brand.isBlank()
                    || brand.chars().anyMatch(c -> Character.isISOControl(c) || c == '\u2028' || c == '\u2029')) {
                throw new IllegalArgumentException("the brand must be non-blank text on one line");
            }
            if (templatesDir != null && !Files.isDirectory(templatesDir)) {
                throw new IllegalArgumentException(
                        "the templates directory " + templatesDir + " does not exist or is not a directory");
            }
            return new TemplateComposer(this, Optional.ofNullable(templatesDir)).checked(defaultLocale);
        }
    }
}
