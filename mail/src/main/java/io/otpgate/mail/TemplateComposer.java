package io.otpgate.mail;

import com.samskivert.mustache.MustacheException;
import io.otpgate.core.delivery.CodeEmail;
import io.otpgate.core.delivery.MailComposer;
import io.otpgate.core.delivery.OutgoingEmail;
import io.otpgate.core.email.DisplayName;
import io.otpgate.core.email.EmailAddress;
import io.otpgate.core.verification.Purpose;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
 * a {@code lang} and {@code dir} from the locale, and a dark palette.
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

  private static final EmailAddress SAMPLE_TO = new EmailAddress("ada@example.com");
  private static final DisplayName SAMPLE_NAME = new DisplayName("Ada Lovelace");

  private final String brand;
  private final boolean codeInSubject;
  private final MailFrom from;
  private final Translations translations;
  private final Templates templates;

  private TemplateComposer(Builder b, Optional<Path> overrides) {
    this.brand = b.brand.strip();
    this.codeInSubject = b.codeInSubject;
    this.from = b.from;
    this.translations =
        Translations.load(MESSAGES, TemplateComposer.class.getClassLoader(), b.defaultLocale, overrides);
    this.templates = Templates.load(overrides);
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public OutgoingEmail compose(CodeEmail email) {
    return render(
        email.rowId(),
        email.to(),
        email.name(),
        email.locale(),
        email.purpose(),
        email.code().reveal(),
        email.validFor());
  }

  /**
   * The email {@code purpose} would send in {@code locale}, to Ada Lovelace with the sample code
   * {@code 123456}, for {@code otpgate template preview}. Nothing is sent.
   */
  public OutgoingEmail preview(Locale locale, Purpose purpose, Duration validFor) {
    return render(
        "preview", SAMPLE_TO, Optional.of(SAMPLE_NAME), locale, purpose, "123456", validFor);
  }

  private OutgoingEmail render(
      String rowId,
      EmailAddress to,
      Optional<DisplayName> name,
      Locale locale,
      Purpose purpose,
      String code,
      Duration validFor) {
    Translations.Strings strings = translations.forLocale(locale);
    Map<String, Object> values =
        Map.of(
            "brand", brand,
            "code", code,
            "email", to.value(),
            "name", name.map(DisplayName::value).orElse(""));
    String subject =
        oneLine(
            forPurpose(
                strings,
                codeInSubject ? "subject.with_code" : "subject.without_code",
                purpose,
                values));
    Map<String, Object> context =
        Map.ofEntries(
            Map.entry("lang", strings.lang()),
            Map.entry("dir", strings.dir()),
            Map.entry("subject", subject),
            Map.entry("brand", brand),
            Map.entry(
                "greeting",
                strings.format(name.isPresent() ? "greeting.named" : "greeting", values)),
            Map.entry("intro", forPurpose(strings, "intro", purpose, values)),
            Map.entry("code", code),
            Map.entry("expiry", expiry(strings, validFor)),
            Map.entry("ignore", strings.format("ignore", values)),
            Map.entry("noShare", strings.format("no_share", values)),
            Map.entry("footer", strings.format("footer", values)));
    Templates.Pair pair = templates.forPurpose(purpose);
    return new OutgoingEmail(
        messageId(rowId),
        to,
        name,
        subject,
        pair.text().execute(context),
        pair.html().execute(context));
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

    private Builder() {}

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
          || brand
              .chars()
              .anyMatch(c -> Character.isISOControl(c) || c == '\u2028' || c == '\u2029')) {
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
