package io.otpgate.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.otpgate.core.code.OneTimeCode;
import io.otpgate.core.delivery.CodeEmail;
import io.otpgate.core.delivery.OutgoingEmail;
import io.otpgate.core.email.DisplayName;
import io.otpgate.core.email.EmailAddress;
import io.otpgate.core.id.Purpose;
import io.otpgate.core.id.VerificationId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TemplateComposerTest {

    private static final VerificationId VERIFICATION = new VerificationId("ver_0123456789abcdefghjkmnpqrs");

    private static final MailFrom FROM = new MailFrom(Optional.of("Acme"), "no-reply@mail.acme.test");
    private final TemplateComposer composer =
            TemplateComposer.builder().brand("Acme").from(FROM).build();

    @Test
    void subjectStartsWithTheCode() {
        OutgoingEmail email = composer.compose(codeEmail("Ada", Purpose.VERIFY_EMAIL, Duration.ofMinutes(10)));

        assertThat(email.subject()).isEqualTo("042917 is your Acme verification code");
    }

    @Test
    void subjectLeavesTheCodeOutWhenAskedTo() {
        TemplateComposer quiet =
                TemplateComposer.builder().brand("Acme").codeInSubject(false).build();

        OutgoingEmail email = quiet.compose(codeEmail("Ada", Purpose.VERIFY_EMAIL, Duration.ofMinutes(10)));

        assertThat(email.subject()).isEqualTo("Your Acme verification code").doesNotContain("042917");
    }

    @Test
    void textPartIsCompleteAndSaysWhatTheCodeIsFor() {
        OutgoingEmail email = composer.compose(codeEmail("Ada", Purpose.VERIFY_EMAIL, Duration.ofMinutes(10)));

        assertThat(email.text())
                .contains("Hello Ada,")
                .contains("confirm your email address")
                .contains("042917")
                .contains("This code expires in 10 minutes.")
                .contains("If you did not ask for this, you can ignore this email.")
                .contains("Do not share this code with anyone.")
                .contains("This email was sent to ada@example.com by Acme.");
    }

    @Test
    void greetsWithoutANameWhenThereIsNone() {
        OutgoingEmail email = composer.compose(codeEmail(null, Purpose.VERIFY_EMAIL, Duration.ofMinutes(10)));

        assertThat(email.text()).startsWith("Hello,\n");
        assertThat(email.html()).contains(">Hello,</p>");
    }

    @Test
    void eachPurposeSaysWhatTheCodeIsFor() {
        assertThat(textFor("password_reset")).contains("Enter this code to reset your Acme password.");
        assertThat(textFor("login")).contains("Enter this code to sign in to Acme.");
        assertThat(textFor("newsletter_opt_in")).contains("Enter this code to continue with Acme.");
    }

    @Test
    void htmlEscapesTheNameAndTheTextKeepsItAsTyped() {
        String name = "<script>alert(\"x\")</script> & {code}";

        OutgoingEmail email = composer.compose(codeEmail(name, Purpose.VERIFY_EMAIL, Duration.ofMinutes(10)));

        assertThat(email.html())
                .doesNotContain("<script>")
                .contains("Hello &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; {code},");
        String plain = composer.compose(codeEmail("Ada", Purpose.VERIFY_EMAIL, Duration.ofMinutes(10)))
                .text();
        assertThat(email.text()).isEqualTo(plain.replace("Hello Ada,", "Hello " + name + ","));
    }

    @Test
    void expiryIsInWords() {
        assertThat(expiryFor(Duration.ofMinutes(10))).isEqualTo("This code expires in 10 minutes.");
        assertThat(expiryFor(Duration.ofSeconds(9 * 60 + 58))).isEqualTo("This code expires in 10 minutes.");
        assertThat(expiryFor(Duration.ofSeconds(61))).isEqualTo("This code expires in 1 minute.");
        assertThat(expiryFor(Duration.ofSeconds(45))).isEqualTo("This code expires in 45 seconds.");
        assertThat(expiryFor(Duration.ofHours(1))).isEqualTo("This code expires in 1 hour.");
        assertThat(expiryFor(Duration.ofHours(24))).isEqualTo("This code expires in 24 hours.");
        assertThat(expiryFor(Duration.ofMinutes(90))).isEqualTo("This code expires in 90 minutes.");
    }

    @Test
    void htmlIsSelfContainedAccessibleAndReadableInDarkMode() {
        OutgoingEmail email = composer.compose(codeEmail("Ada", Purpose.VERIFY_EMAIL, Duration.ofMinutes(10)));

        assertThat(email.html())
                .doesNotContainIgnoringCase("http")
                .doesNotContainIgnoringCase("<img")
                .doesNotContainIgnoringCase("<link")
                .contains("<html lang=\"en\" dir=\"ltr\">")
                .contains("<meta name=\"color-scheme\" content=\"light dark\">")
                .contains("<meta name=\"viewport\"")
                .contains("monospace")
                .contains(">042917</p>")
                .contains("This code expires in 10 minutes.");
    }

    @Test
    void messageIdIsTheRowIdAtTheFromDomain() {
        OutgoingEmail email = composer.compose(codeEmail("Ada", Purpose.VERIFY_EMAIL, Duration.ofMinutes(10)));

        assertThat(email.messageId()).isEqualTo("<msg_7KQ2@mail.acme.test>");
    }

    @Test
    void aRowIdThatCannotBeAMessageIdIsABug() {
        CodeEmail email = new CodeEmail(
                "msg 1>",
                VERIFICATION,
                new EmailAddress("ada@example.com"),
                Optional.empty(),
                Locale.ENGLISH,
                Purpose.VERIFY_EMAIL,
                code(),
                Duration.ofMinutes(10));

        assertThatThrownBy(() -> composer.compose(email)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anUnknownLocaleFallsBackToTheDefault() {
        OutgoingEmail email = composer.compose(new CodeEmail(
                "msg_1",
                VERIFICATION,
                new EmailAddress("ada@example.com"),
                Optional.empty(),
                Locale.forLanguageTag("ja"),
                Purpose.VERIFY_EMAIL,
                code(),
                Duration.ofMinutes(10)));

        assertThat(email.subject()).isEqualTo("042917 is your Acme verification code");
        assertThat(email.html()).contains("lang=\"en\"");
    }

    @Test
    void stringsInTheTemplatesDirectoryOverrideKeyByKeyAndAddLanguages(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("messages.properties"), "ignore=Not you? Then ignore this.\n");
        Files.writeString(dir.resolve("messages_it.properties"), """
        subject.with_code={code} è il tuo codice {brand}
        greeting.named=Ciao {name},
        """);
        TemplateComposer custom =
                TemplateComposer.builder().brand("Acme").templatesDir(dir).build();

        OutgoingEmail english = custom.compose(codeEmail("Ada", Purpose.VERIFY_EMAIL, Duration.ofMinutes(10)));
        OutgoingEmail italian = custom.compose(new CodeEmail(
                "msg_1",
                VERIFICATION,
                new EmailAddress("zoe@example.com"),
                Optional.of(new DisplayName("Zoë")),
                Locale.forLanguageTag("it-CH"),
                Purpose.VERIFY_EMAIL,
                code(),
                Duration.ofMinutes(10)));

        assertThat(english.text()).contains("Not you? Then ignore this.").contains("Hello Ada,");
        assertThat(italian.subject()).isEqualTo("042917 è il tuo codice Acme");
        assertThat(italian.text()).contains("Ciao Zoë,").contains("Not you? Then ignore this.");
        assertThat(italian.html()).contains("lang=\"it\"");
    }

    @Test
    void theDefaultLocaleIsUsedBeforeEnglish() {
        TemplateComposer german =
                TemplateComposer.builder().defaultLocale(Locale.GERMAN).build();

        OutgoingEmail email = german.compose(new CodeEmail(
                "msg_1",
                VERIFICATION,
                new EmailAddress("ada@example.com"),
                Optional.of(new DisplayName("Ada")),
                Locale.forLanguageTag("ja"),
                Purpose.VERIFY_EMAIL,
                code(),
                Duration.ofMinutes(10)));

        assertThat(email.text()).startsWith("Hallo Ada,");
        assertThat(email.html()).contains("<html lang=\"de\" dir=\"ltr\">");
    }

    @Test
    void templatesInTheTemplatesDirectoryReplaceTheBuiltInOnes(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("code.txt.mustache"), "{{greeting}} {{code}}\n");
        Files.writeString(dir.resolve("login.html.mustache"), "<p>{{intro}} {{code}}</p>\n");
        TemplateComposer custom =
                TemplateComposer.builder().brand("Acme").templatesDir(dir).build();

        OutgoingEmail verify = custom.compose(codeEmail("Ada", Purpose.VERIFY_EMAIL, Duration.ofMinutes(10)));
        OutgoingEmail login = custom.compose(codeEmail("Ada", new Purpose("login"), Duration.ofMinutes(10)));

        assertThat(verify.text()).isEqualTo("Hello Ada, 042917\n");
        assertThat(verify.html()).contains("<!DOCTYPE html>");
        assertThat(login.html()).isEqualTo("<p>Enter this code to sign in to Acme. 042917</p>\n");
        assertThat(login.text()).isEqualTo("Hello Ada, 042917\n");
    }

    @Test
    void aBrokenTemplateStopsStartUp(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("login.html.mustache"), "<p>{{codee}}</p>\n");

        assertThatThrownBy(() -> TemplateComposer.builder().templatesDir(dir).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("login");
    }

    @Test
    void previewRendersASampleWithoutARealCode() {
        OutgoingEmail preview = composer.preview(Locale.ENGLISH, new Purpose("password_reset"), Duration.ofMinutes(15));

        assertThat(preview.subject()).isEqualTo("123456 is your Acme password reset code");
        assertThat(preview.text()).contains("Hello Ada Lovelace,").contains("15 minutes");
    }

    @Test
    void anOverrideChangesOneSentenceOfAShippedLanguageAndNothingElse(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("messages_fr.properties"), "no_share=Gardez ce code pour vous.\n");
        TemplateComposer custom =
                TemplateComposer.builder().brand("Acme").templatesDir(dir).build();

        OutgoingEmail overridden = custom.compose(frenchEmail());
        OutgoingEmail builtIn = composer.compose(frenchEmail());

        assertThat(overridden.text()).contains("Gardez ce code pour vous.");
        assertThat(overridden.text().replace("Gardez ce code pour vous.", "Ne communiquez ce code à personne."))
                .isEqualTo(builtIn.text());
        assertThat(overridden.subject()).isEqualTo(builtIn.subject());
    }

    @Test
    void aBrokenStringOverrideStopsStartUpNamingTheFileAndTheKey(@TempDir Path dir) throws IOException {
        Files.writeString(
                dir.resolve("messages_de.properties"),
                "expiry.minutes={count, plural, one {# Minute} other {# Minuten}\n");

        assertThatThrownBy(() -> TemplateComposer.builder().templatesDir(dir).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(dir.resolve("messages_de.properties").toString())
                .hasMessageContaining("'expiry.minutes'");
    }

    @Test
    void anOverriddenSubjectCannotBreakTheHeaderLine(@TempDir Path dir) throws IOException {
        Files.writeString(
                dir.resolve("messages.properties"),
                "subject.with_code={code}\\r\\nBcc: everyone@example.com\\u2028is your code\n");
        TemplateComposer custom = TemplateComposer.builder().templatesDir(dir).build();

        String subject = custom.compose(codeEmail("Ada", Purpose.VERIFY_EMAIL, Duration.ofMinutes(10)))
                .subject();

        assertThat(subject)
                .isEqualTo("042917 Bcc: everyone@example.com is your code")
                .doesNotContain("\r", "\n", "\u2028");
    }

    @Test
    void htmlIsBuiltForEmailClients() {
        OutgoingEmail email = composer.compose(codeEmail("Ada", Purpose.VERIFY_EMAIL, Duration.ofMinutes(10)));

        assertThat(email.html())
                .contains("role=\"presentation\"")
                .doesNotContainPattern("<table(?![^>]*role=\"presentation\")")
                .contains("@media (prefers-color-scheme: dark)")
                .containsPattern("<body [^>]*lang=\"en\" dir=\"ltr\"")
                .containsPattern("<div aria-hidden=\"true\" style=\"display:none;[^\"]*\">"
                        + "Enter this code to confirm your email address with Acme\\. "
                        + "This code expires in 10 minutes\\.")
                .contains("<title>042917 is your Acme verification code</title>")
                .doesNotContainIgnoringCase("<script")
                .doesNotContainIgnoringCase("src=");
    }

    private static CodeEmail frenchEmail() {
        return new CodeEmail(
                "msg_1",
                VERIFICATION,
                new EmailAddress("zoe@example.com"),
                Optional.of(new DisplayName("Zoë")),
                Locale.FRENCH,
                Purpose.VERIFY_EMAIL,
                code(),
                Duration.ofMinutes(10));
    }

    private String textFor(String purpose) {
        return composer.compose(codeEmail("Ada", new Purpose(purpose), Duration.ofMinutes(10)))
                .text();
    }

    private String expiryFor(Duration validFor) {
        return composer.compose(codeEmail(null, Purpose.VERIFY_EMAIL, validFor))
                .text()
                .lines()
                .filter(line -> line.startsWith("This code expires"))
                .findFirst()
                .orElseThrow();
    }

    private static CodeEmail codeEmail(String name, Purpose purpose, Duration validFor) {
        return new CodeEmail(
                "msg_7KQ2",
                VERIFICATION,
                new EmailAddress("ada@example.com"),
                Optional.ofNullable(name).map(DisplayName::new),
                Locale.ENGLISH,
                purpose,
                code(),
                validFor);
    }

    private static OneTimeCode code() {
        return OneTimeCode.of("042917".toCharArray());
    }
}
