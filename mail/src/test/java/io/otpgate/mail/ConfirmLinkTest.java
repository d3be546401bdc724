package io.otpgate.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.otpgate.core.code.LinkTokens;
import io.otpgate.core.code.OneTimeCode;
import io.otpgate.core.code.ServerSecret;
import io.otpgate.core.delivery.CodeEmail;
import io.otpgate.core.delivery.OutgoingEmail;
import io.otpgate.core.email.EmailAddress;
import io.otpgate.core.id.Purpose;
import io.otpgate.core.id.VerificationId;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The link in the email that opens a confirm page; only configured emails carry it. */
class ConfirmLinkTest {

    private static final VerificationId VERIFICATION = new VerificationId("ver_0123456789abcdefghjkmnpqrs");
    private static final VerificationId OTHER = new VerificationId("ver_zzzzzzzzzzzzzzzzzzzzzzzzzz");
    private static final Pattern LINK =
            Pattern.compile("https://verify\\.acme\\.test/otp/confirm/(ver_[0-9a-z]{26})/([A-Za-z0-9_-]+)");

    private final LinkTokens tokens = new LinkTokens(secret(), new SecureRandom());

    @Test
    void withoutAPublicUrlThereIsNoLink() {
        OutgoingEmail email = TemplateComposer.builder().build().compose(email(Locale.ENGLISH));

        assertThat(email.text()).doesNotContain("/confirm/", "one click");
        assertThat(email.html()).doesNotContain("href", "/confirm/", "one click");
    }

    @Test
    void theLinkOpensToTheCodeOfItsEmailAndNoOther() {
        TemplateComposer composer = TemplateComposer.builder()
                .confirmLinks(URI.create("https://verify.acme.test/otp/"), tokens)
                .build();

        OutgoingEmail email = composer.compose(email(Locale.ENGLISH));

        Matcher link = LINK.matcher(email.text());
        assertThat(link.find()).as(email.text()).isTrue();
        assertThat(link.group(1)).isEqualTo(VERIFICATION.value());
        assertThat(tokens.open(VERIFICATION, link.group(2)).map(OneTimeCode::reveal))
                .contains("042917");
        assertThat(tokens.open(OTHER, link.group(2))).isEmpty();
        assertThat(email.text())
                .contains("Or confirm with one click:\n" + link.group())
                .contains("The code also works on any device.");
        assertThat(email.html()).contains("<a href=\"" + link.group() + "\"").contains(">Confirm my email address</a>");
        assertThat(email.text()).doesNotContain("042917/").doesNotContain("confirm/042917");
    }

    @Test
    void theLinkWordsAreLocalised() {
        TemplateComposer composer = TemplateComposer.builder()
                .confirmLinks(URI.create("https://verify.acme.test"), tokens)
                .build();

        OutgoingEmail french = composer.compose(email(Locale.FRENCH));

        assertThat(french.text())
                .contains("Ou confirmez en un clic\u00a0:\nhttps://verify.acme.test/confirm/ver_")
                .contains("Le code fonctionne aussi sur n’importe quel appareil.");
        assertThat(french.html()).contains(">Confirmer mon adresse e-mail</a>");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "https://verify.acme.test, https://verify.acme.test/confirm/",
        "https://verify.acme.test/, https://verify.acme.test/confirm/",
        "https://verify.acme.test//, https://verify.acme.test/confirm/",
        "http://localhost:8080, http://localhost:8080/confirm/",
        "HTTPS://verify.acme.test:8443/a/b/, https://verify.acme.test:8443/a/b/confirm/"
    })
    void linksJoinThePublicUrlWithOneSlash(String publicUrl, String expectedStart) {
        TemplateComposer composer = TemplateComposer.builder()
                .confirmLinks(URI.create(publicUrl), tokens)
                .build();

        String text = composer.compose(email(Locale.ENGLISH)).text();

        assertThat(text).contains(expectedStart + VERIFICATION.value() + "/");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "verify.acme.test",
                "/otp",
                "ftp://verify.acme.test",
                "javascript:alert(1)",
                "mailto:ops@acme.test",
                "https://verify.acme.test/?next=x",
                "https://verify.acme.test/#top",
                "https://user:pass@verify.acme.test",
                "file:///etc/passwd"
            })
    void aPublicUrlThatIsNotAPlainWebAddressIsRefused(String publicUrl) {
        assertThatThrownBy(() -> TemplateComposer.builder().confirmLinks(URI.create(publicUrl), tokens))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("public URL");
    }

    @Test
    void aResendGetsALinkForItsNewCode() {
        TemplateComposer composer = TemplateComposer.builder()
                .confirmLinks(URI.create("https://verify.acme.test/otp"), tokens)
                .build();
        CodeEmail resent = new CodeEmail(
                "msg_2",
                VERIFICATION,
                new EmailAddress("ada@example.com"),
                Optional.empty(),
                Locale.ENGLISH,
                Purpose.VERIFY_EMAIL,
                OneTimeCode.of("771204".toCharArray()),
                Duration.ofMinutes(10));

        Matcher link = LINK.matcher(composer.compose(resent).text());

        assertThat(link.find()).isTrue();
        assertThat(tokens.open(VERIFICATION, link.group(2)).map(OneTimeCode::reveal))
                .contains("771204");
    }

    private static CodeEmail email(Locale locale) {
        return new CodeEmail(
                "msg_1",
                VERIFICATION,
                new EmailAddress("ada@example.com"),
                Optional.empty(),
                locale,
                Purpose.VERIFY_EMAIL,
                code(),
                Duration.ofMinutes(10));
    }

    private static OneTimeCode code() {
        return OneTimeCode.of("042917".toCharArray());
    }

    private static ServerSecret secret() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return ServerSecret.of(List.of(key));
    }
}
