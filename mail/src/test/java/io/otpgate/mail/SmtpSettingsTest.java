package io.otpgate.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.otpgate.core.Validated;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SmtpSettingsTest {

    @Test
    void defaultsFollowTheDesign() {
        SmtpSettings settings = SmtpSettings.builder("smtp.example.com").build();

        assertThat(settings.port()).isEqualTo(587);
        assertThat(settings.tls()).isEqualTo(TlsMode.STARTTLS);
        assertThat(settings.credentials()).isEmpty();
        assertThat(settings.from()).isEqualTo(new MailFrom(Optional.of("OTPGate"), "no-reply@localhost"));
        assertThat(settings.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(settings.readTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(settings.writeTimeout()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void implicitTlsDefaultsToPort465() {
        assertThat(SmtpSettings.builder("smtp.example.com")
                        .tls(TlsMode.SSL)
                        .build()
                        .port())
                .isEqualTo(465);
    }

    @Test
    void tlsModesAreStrictAndFailClosed() {
        SmtpSettings starttls = SmtpSettings.builder("smtp.example.com").build();
        SmtpSettings ssl =
                SmtpSettings.builder("smtp.example.com").tls(TlsMode.SSL).build();

        assertThat(SmtpTransport.properties(starttls))
                .containsEntry("mail.smtp.starttls.enable", "true")
                .containsEntry("mail.smtp.starttls.required", "true")
                .containsEntry("mail.smtp.ssl.checkserveridentity", "true")
                .containsEntry("mail.smtp.connectiontimeout", "10000")
                .containsEntry("mail.smtp.timeout", "30000")
                .containsEntry("mail.smtp.writetimeout", "30000")
                .doesNotContainKey("mail.smtp.auth");
        assertThat(SmtpTransport.properties(ssl))
                .containsEntry("mail.smtp.ssl.enable", "true")
                .doesNotContainKey("mail.smtp.starttls.enable");
    }

    @Test
    void plaintextIsFlaggedOnlyBeyondLoopback() {
        assertThat(none("localhost").plaintextToRemoteHost()).isFalse();
        assertThat(none("mail.localhost").plaintextToRemoteHost()).isFalse();
        assertThat(none("127.0.0.1").plaintextToRemoteHost()).isFalse();
        assertThat(none("::1").plaintextToRemoteHost()).isFalse();
        assertThat(none("smtp.example.com").plaintextToRemoteHost()).isTrue();
        assertThat(none("10.0.0.5").plaintextToRemoteHost()).isTrue();
        assertThat(none("localhost.example.com").plaintextToRemoteHost()).isTrue();
        assertThat(SmtpSettings.builder("smtp.example.com").build().plaintextToRemoteHost())
                .isFalse();
    }

    @Test
    void thePasswordNeverShows() {
        char[] password = "hunter2".toCharArray();
        SmtpSettings settings = SmtpSettings.builder("smtp.example.com")
                .credentials("mailer", password)
                .build();
        password[0] = 'X';

        assertThat(settings.toString()).contains("mailer").doesNotContain("hunter2");
        assertThat(settings.credentials().orElseThrow().password()).containsExactly("hunter2".toCharArray());
    }

    @Test
    void badValuesAreRefused() {
        assertThatThrownBy(() -> SmtpSettings.builder("").build()).hasMessageContaining("host");
        assertThatThrownBy(
                        () -> SmtpSettings.builder("smtp.example.com\r\nRCPT").build())
                .hasMessageContaining("host");
        assertThatThrownBy(() ->
                        SmtpSettings.builder("smtp.example.com").port(70000).build())
                .hasMessageContaining("port");
        assertThatThrownBy(() -> SmtpSettings.builder("smtp.example.com")
                        .readTimeout(Duration.ZERO)
                        .build())
                .hasMessageContaining("read timeout");
        assertThatThrownBy(() -> SmtpSettings.builder("smtp.example.com")
                        .credentials("mailer", new char[0])
                        .build())
                .hasMessageContaining("password");
    }

    @Test
    void tlsModeParsesTheConfigurationWords() {
        assertThat(TlsMode.parse("STARTTLS").orElseThrow()).isEqualTo(TlsMode.STARTTLS);
        assertThat(TlsMode.parse(" ssl ").orElseThrow()).isEqualTo(TlsMode.SSL);
        assertThat(TlsMode.parse("none").orElseThrow()).isEqualTo(TlsMode.NONE);
        assertThat(TlsMode.parse("tls")).isInstanceOf(Validated.Invalid.class);
    }

    private static SmtpSettings none(String host) {
        return SmtpSettings.builder(host).tls(TlsMode.NONE).build();
    }
}
