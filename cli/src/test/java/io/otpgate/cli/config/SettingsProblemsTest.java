package io.otpgate.cli.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.otpgate.mail.MailFrom;
import io.otpgate.mail.SmtpSettings;
import io.otpgate.mail.TlsMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Settings are parsed into typed values once, and every bad one is reported in the same round. */
class SettingsProblemsTest {

    @TempDir
    Path dir;

    private List<String> problems(Map<String, String> env) {
        ConfigurationException e =
                assertThrows(ConfigurationException.class, () -> SettingsLoader.load(env, Optional.empty(), dir));
        return e.problems();
    }

    @Test
    void severalBadSettingsAreAllReportedOneLineEachNamingItsSetting() {
        List<String> problems = problems(Map.of(
                "OTPGATE_CODE_LENGTH", "twelve",
                "OTPGATE_PORT", "70000",
                "OTPGATE_SMTP_HOST", "smtp.example.com",
                "OTPGATE_SMTP_PORT", "0",
                "OTPGATE_SMTP_TLS", "maybe",
                "OTPGATE_SMTP_CA_FILE", "missing-ca.pem",
                "OTPGATE_MAIL_FROM", "not an address",
                "OTPGATE_DB_POOL_SIZE", "0",
                "OTPGATE_RETENTION", "1h",
                "OTPGATE_DEFAULT_LOCALE", "not a language!"));

        assertThat(problems)
                .hasSize(9)
                .allSatisfy(line -> assertThat(line).doesNotContain("\n"))
                .anySatisfy(line -> assertThat(line).startsWith("OTPGATE_CODE_LENGTH: must be a whole number"))
                .anySatisfy(line -> assertThat(line).startsWith("OTPGATE_PORT: must be between 0 (any free port)"))
                .anySatisfy(line -> assertThat(line).startsWith("OTPGATE_SMTP_PORT: must be between 1 and 65535"))
                .anySatisfy(line ->
                        assertThat(line).startsWith("OTPGATE_SMTP_TLS: ").contains("'maybe'"))
                .anySatisfy(line ->
                        assertThat(line).startsWith("OTPGATE_SMTP_CA_FILE: ").contains("missing-ca.pem"))
                .anySatisfy(line -> assertThat(line).startsWith("OTPGATE_MAIL_FROM: "))
                .anySatisfy(line -> assertThat(line).startsWith("OTPGATE_DB_POOL_SIZE: must be at least 1"))
                .anySatisfy(line -> assertThat(line).startsWith("OTPGATE_RETENTION: must be at least 1d"))
                .anySatisfy(line -> assertThat(line).startsWith("OTPGATE_DEFAULT_LOCALE: "));
    }

    @Test
    void aBadSettingDoesNotHideAProblemThatCombinesItWithAnother() {
        // The length is bad and the TTL breaks a policy rule: the default length stands in for the
        // bad one, so the TTL is still checked against the policy in the same round.
        assertThat(problems(Map.of("OTPGATE_CODE_LENGTH", "twelve", "OTPGATE_CODE_TTL", "48h")))
                .hasSize(2)
                .anySatisfy(line -> assertThat(line).startsWith("OTPGATE_CODE_LENGTH: "))
                .anySatisfy(line -> assertThat(line).startsWith("OTPGATE_CODE_TTL: "));
    }

    @Test
    void aBadValueFromTheFileNamesItsKeyAndTheFileAndOneFromTheEnvironmentItsVariable() throws IOException {
        Path file = dir.resolve("otpgate.yml");
        Files.writeString(file, "port: 70000\nsmtp_tls: maybe\n");

        List<String> problems = problems(Map.of("OTPGATE_SMTP_TLS", "sometimes"));

        assertThat(problems)
                .containsExactlyInAnyOrder(
                        "OTPGATE_PORT (port in " + file + "): must be between 0 (any free port) and 65535 (got"
                                + " '70000')",
                        "OTPGATE_SMTP_TLS: SMTP TLS mode must be starttls, ssl or none (got 'sometimes')");
    }

    @Test
    void anEnvironmentVariableOverridingABadFileValueLeavesNoProblem() throws IOException {
        Files.writeString(dir.resolve("otpgate.yml"), "port: seventy\n");

        Settings settings = SettingsLoader.load(Map.of("OTPGATE_PORT", "9090"), Optional.empty(), dir);

        assertThat(settings.server().port()).isEqualTo(9090);
    }

    @Test
    void theSmtpSettingsArrivePassedAndTyped() {
        Settings settings = SettingsLoader.load(
                Map.of(
                        "OTPGATE_SMTP_HOST", "smtp.example.com",
                        "OTPGATE_SMTP_TLS", "SSL",
                        "OTPGATE_SMTP_USERNAME", "mailer",
                        "OTPGATE_SMTP_PASSWORD", "app-password",
                        "OTPGATE_MAIL_FROM", "Example <no-reply@example.com>"),
                Optional.empty(),
                dir);

        SmtpSettings smtp = settings.smtp().orElseThrow();
        assertThat(smtp.tls()).isEqualTo(TlsMode.SSL);
        assertThat(smtp.port()).as("implicit TLS's port when none is set").isEqualTo(465);
        assertThat(smtp.credentials())
                .hasValueSatisfying(c -> assertThat(c.username()).isEqualTo("mailer"));
        assertThat(settings.mailFrom()).isEqualTo(new MailFrom(Optional.of("Example"), "no-reply@example.com"));
        assertThat(smtp.from()).isEqualTo(settings.mailFrom());
    }

    @Test
    void aUserNameWithoutAPasswordIsAProblemOfThePassword() {
        assertThat(problems(Map.of("OTPGATE_SMTP_HOST", "smtp.example.com", "OTPGATE_SMTP_USERNAME", "mailer")))
                .singleElement()
                .asString()
                .startsWith("OTPGATE_SMTP_PASSWORD: ");
    }

    @Test
    void smtpSettingsAreCheckedEvenBeforeAHostIsSet() {
        assertThat(problems(Map.of("OTPGATE_SMTP_TLS", "maybe", "OTPGATE_SMTP_PORT", "smtp")))
                .hasSize(2)
                .anySatisfy(line -> assertThat(line).startsWith("OTPGATE_SMTP_TLS: "))
                .anySatisfy(line -> assertThat(line).startsWith("OTPGATE_SMTP_PORT: must be a whole number"));
    }

    @Test
    void everyDefaultParses() {
        Settings settings = SettingsLoader.load(Map.of(), Optional.empty(), dir);

        assertThat(settings.devMailbox()).isTrue();
        assertThat(settings.server().port()).isEqualTo(8080);
        assertThat(settings.server().pages()).isTrue();
        assertThat(settings.deliveryWorkers()).isEqualTo(4);
    }
}
