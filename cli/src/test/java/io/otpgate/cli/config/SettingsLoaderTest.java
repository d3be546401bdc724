package io.otpgate.cli.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.otpgate.core.code.Alphabet;
import io.otpgate.core.policy.Policy;
import io.otpgate.jdbc.Sync;
import io.otpgate.mail.MailFrom;
import io.otpgate.mail.SmtpSettings;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsLoaderTest {

    @TempDir
    Path dir;

    @Test
    void nothingConfiguredMeansTheDocumentedDefaults() {
        Settings s = SettingsLoader.load(Map.of(), Optional.empty(), dir);

        assertThat(s.policy()).isEqualTo(Policy.defaults());
        assertThat(s.dataDir()).isEqualTo(dir.resolve("otpgate-data"));
        assertThat(s.devMailbox()).isTrue();
        assertThat(s.database())
                .isEqualTo(new DatabaseSettings(Optional.empty(), Optional.empty(), Optional.empty(), 10, Sync.FULL));
        assertThat(s.mailFrom()).isEqualTo(MailFrom.DEFAULT);
        assertThat(s.brand()).isEqualTo("OTPGate");
        assertThat(s.defaultLocale()).isEqualTo(Locale.ENGLISH);
        assertThat(s.codeInSubject()).isTrue();
        assertThat(s.retention()).isEqualTo(Duration.ofDays(7));
    }

    @Test
    void thePublicUrlIsUnsetByDefaultAndKeptAsGiven() {
        assertThat(SettingsLoader.load(Map.of(), Optional.empty(), dir).publicUrl())
                .isEmpty();

        Settings s = SettingsLoader.load(
                Map.of("OTPGATE_PUBLIC_URL", "https://verify.example.com/otp/"), Optional.empty(), dir);

        assertThat(s.publicUrl()).contains(URI.create("https://verify.example.com/otp/"));
    }

    @Test
    void thePagesCookiesAreSecureExactlyWhenThePublicUrlIsHttps() {
        assertThat(SettingsLoader.load(Map.of(), Optional.empty(), dir).server().secureCookies())
                .isFalse();
        assertThat(SettingsLoader.load(Map.of("OTPGATE_PUBLIC_URL", "http://localhost:8080"), Optional.empty(), dir)
                        .server()
                        .secureCookies())
                .isFalse();
        assertThat(SettingsLoader.load(
                                Map.of("OTPGATE_PUBLIC_URL", "https://verify.example.com"), Optional.empty(), dir)
                        .server()
                        .secureCookies())
                .isTrue();
    }

    @Test
    void aPublicUrlThatIsNotAPlainWebAddressIsRefused() {
        for (String url : new String[] {
            "verify.example.com",
            "ftp://example.com",
            "https://example.com/?a=b",
            "https://example.com/#x",
            "https://user:pw@example.com",
            "javascript:alert(1)",
            "https://exa mple.com"
        }) {
            assertThatThrownBy(() -> SettingsLoader.load(Map.of("OTPGATE_PUBLIC_URL", url), Optional.empty(), dir))
                    .as(url)
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("OTPGATE_PUBLIC_URL");
        }
    }

    @Test
    void theDefaultLocaleMustBeALanguageTagButNeedNotBeShipped() {
        assertThat(SettingsLoader.load(Map.of("OTPGATE_DEFAULT_LOCALE", "pt_BR"), Optional.empty(), dir)
                        .defaultLocale())
                .isEqualTo(Locale.forLanguageTag("pt-BR"));
        // Strings for it may come from OTPGATE_TEMPLATES_DIR: a WARN at start, not a refusal.
        assertThat(SettingsLoader.load(Map.of("OTPGATE_DEFAULT_LOCALE", "it"), Optional.empty(), dir)
                        .defaultLocale())
                .isEqualTo(Locale.ITALIAN);
        assertThatThrownBy(() ->
                        SettingsLoader.load(Map.of("OTPGATE_DEFAULT_LOCALE", "not a tag!"), Optional.empty(), dir))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("OTPGATE_DEFAULT_LOCALE");
    }

    @Test
    void environmentOverridesTheFileWhichOverridesDefaults() throws IOException {
        Files.writeString(dir.resolve("otpgate.yml"), """
        code_length: 8
        code_alphabet: alphanumeric
        smtp_host: smtp.example.com
        code_ttl: 5m
        """);

        Settings s = SettingsLoader.load(Map.of("OTPGATE_CODE_LENGTH", "7", "PATH", "/bin"), Optional.empty(), dir);

        assertThat(s.policy().codeLength()).isEqualTo(7);
        assertThat(s.policy().alphabet()).isEqualTo(Alphabet.ALPHANUMERIC);
        assertThat(s.policy().codeTtl()).isEqualTo(Duration.ofMinutes(5));
        assertThat(s.smtp().map(SmtpSettings::host)).contains("smtp.example.com");
        assertThat(s.devMailbox()).isFalse();
    }

    @Test
    void everyProblemIsReportedAtOnceWithTheVariableName() throws IOException {
        Path file = dir.resolve("custom.yml");
        Files.writeString(file, "smtp_hots: typo.example.com\n");

        assertThatThrownBy(() -> SettingsLoader.load(
                        Map.of(
                                "OTPGATE_CODE_LENGTH", "twelve",
                                "OTPGATE_CODE_TTL", "48h",
                                "OTPGATE_SMTP_TLS", "maybe"),
                        Optional.of(file),
                        dir))
                .isInstanceOfSatisfying(
                        ConfigurationException.class,
                        e -> assertThat(e.problems())
                                .anySatisfy(p -> assertThat(p)
                                        .contains("OTPGATE_CODE_LENGTH")
                                        .contains("twelve"))
                                .anySatisfy(p -> assertThat(p).contains("smtp_hots"))
                                .anySatisfy(p -> assertThat(p).contains("OTPGATE_SMTP_TLS")));
    }

    @Test
    void theEmbeddedStoreSyncsEveryCommitUnlessToldNormal() {
        assertThat(SettingsLoader.load(Map.of(), Optional.empty(), dir)
                        .database()
                        .sync())
                .isEqualTo(Sync.FULL);
        assertThat(SettingsLoader.load(Map.of("OTPGATE_DB_SYNC", "Normal"), Optional.empty(), dir)
                        .database()
                        .sync())
                .isEqualTo(Sync.NORMAL);
        assertThatThrownBy(() -> SettingsLoader.load(Map.of("OTPGATE_DB_SYNC", "off"), Optional.empty(), dir))
                .isInstanceOfSatisfying(
                        ConfigurationException.class,
                        e -> assertThat(e.problems())
                                .containsExactly("OTPGATE_DB_SYNC: must be full or normal (got 'off')"));
    }

    @Test
    void tenantSettingsHaveTheirDocumentedDefaultsAndCanBeChanged() {
        Settings defaults = SettingsLoader.load(Map.of(), Optional.empty(), dir);
        Settings changed = SettingsLoader.load(
                Map.of(
                        "OTPGATE_PAGES", "off",
                        "OTPGATE_PAGES_RECIPIENT_HOURLY_LIMIT", "5",
                        "OTPGATE_RECIPIENT_HOURLY_CEILING", "40",
                        "OTPGATE_API_KEYS", "acme:" + "k".repeat(32) + "," + "d".repeat(32),
                        "OTPGATE_REDIRECT_URIS", "acme=https://app.example/cb"),
                Optional.empty(),
                dir);

        assertThat(defaults.server().pages()).isTrue();
        assertThat(defaults.policy().pagesRecipientHourlyLimit()).isEqualTo(3);
        assertThat(defaults.policy().recipientHourlyCeiling()).isEqualTo(20);
        assertThat(changed.server().pages()).isFalse();
        assertThat(changed.policy().pagesRecipientHourlyLimit()).isEqualTo(5);
        assertThat(changed.policy().recipientHourlyCeiling()).isEqualTo(40);
        assertThat(changed.apiKeys()).hasSize(2);
        assertThat(changed.server().redirectUris()).containsExactly("acme=https://app.example/cb");
    }

    @Test
    void aTenantPrefixDoesNotCountTowardsAKeysLengthNorAcceptsABadPagesValue() {
        assertThatThrownBy(() -> SettingsLoader.load(
                        Map.of("OTPGATE_API_KEYS", "acme:" + "k".repeat(30), "OTPGATE_PAGES", "perhaps"),
                        Optional.empty(),
                        dir))
                .isInstanceOfSatisfying(
                        ConfigurationException.class,
                        e -> assertThat(e.problems())
                                .anySatisfy(p -> assertThat(p).contains("OTPGATE_API_KEYS"))
                                .anySatisfy(p -> assertThat(p).contains("OTPGATE_PAGES")));
    }

    @Test
    void aTtlAboveTwentyFourHoursIsRefused() {
        assertThatThrownBy(() -> SettingsLoader.load(Map.of("OTPGATE_CODE_TTL", "25h"), Optional.empty(), dir))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("24h");
    }

    @Test
    void aRetentionShorterThanADayIsRefused() {
        assertThat(SettingsLoader.load(Map.of("OTPGATE_RETENTION", "30d"), Optional.empty(), dir)
                        .retention())
                .isEqualTo(Duration.ofDays(30));
        assertThatThrownBy(() -> SettingsLoader.load(Map.of("OTPGATE_RETENTION", "12h"), Optional.empty(), dir))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("OTPGATE_RETENTION")
                .hasMessageContaining("1d");
    }

    @Test
    void theAnalyticsRollupIsKeptFourHundredDaysUnlessSetToADayOrMore() {
        assertThat(SettingsLoader.load(Map.of(), Optional.empty(), dir).statsRetention())
                .isEqualTo(Duration.ofDays(400));
        assertThat(SettingsLoader.load(Map.of("OTPGATE_STATS_RETENTION", "90d"), Optional.empty(), dir)
                        .statsRetention())
                .isEqualTo(Duration.ofDays(90));
        assertThatThrownBy(() -> SettingsLoader.load(Map.of("OTPGATE_STATS_RETENTION", "1h"), Optional.empty(), dir))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("OTPGATE_STATS_RETENTION")
                .hasMessageContaining("1d");
    }

    @Test
    void privateWebhookTargetsAreRefusedUnlessExplicitlyAllowed() {
        assertThat(SettingsLoader.load(Map.of(), Optional.empty(), dir).webhookAllowPrivate())
                .isFalse();
        assertThat(SettingsLoader.load(Map.of("OTPGATE_WEBHOOK_ALLOW_PRIVATE", "true"), Optional.empty(), dir)
                        .webhookAllowPrivate())
                .isTrue();
        assertThatThrownBy(() -> SettingsLoader.load(
                        Map.of("OTPGATE_WEBHOOK_ALLOW_PRIVATE", "sometimes"), Optional.empty(), dir))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("OTPGATE_WEBHOOK_ALLOW_PRIVATE");
    }

    @Test
    void theLeaseIsFifteenSecondsUnlessSetBetweenThreeSecondsAndTenMinutes() {
        assertThat(SettingsLoader.load(Map.of(), Optional.empty(), dir).lease()).isEqualTo(Duration.ofSeconds(15));
        assertThat(SettingsLoader.load(Map.of("OTPGATE_LEASE", "3s"), Optional.empty(), dir)
                        .lease())
                .isEqualTo(Duration.ofSeconds(3));
        assertThat(SettingsLoader.load(Map.of("OTPGATE_LEASE", "10m"), Optional.empty(), dir)
                        .lease())
                .isEqualTo(Duration.ofMinutes(10));
        for (String refused : new String[] {"2999ms", "601s", "0s"}) {
            assertThatThrownBy(() -> SettingsLoader.load(Map.of("OTPGATE_LEASE", refused), Optional.empty(), dir))
                    .isInstanceOfSatisfying(
                            ConfigurationException.class,
                            e -> assertThat(e.problems())
                                    .containsExactly(
                                            "OTPGATE_LEASE: must be between 3s and 10m (got '" + refused + "')"));
        }
        assertThatThrownBy(() -> SettingsLoader.load(Map.of("OTPGATE_LEASE", "soon"), Optional.empty(), dir))
                .isInstanceOfSatisfying(
                        ConfigurationException.class,
                        e -> assertThat(e.problems()).singleElement().asString().startsWith("OTPGATE_LEASE: "));
    }

    @Test
    void durationsAcceptIsoAndShortForms() {
        Settings s = SettingsLoader.load(
                Map.of("OTPGATE_CODE_TTL", "PT90S", "OTPGATE_RESEND_COOLDOWN", "45s"), Optional.empty(), dir);

        assertThat(s.policy().codeTtl()).isEqualTo(Duration.ofSeconds(90));
        assertThat(s.policy().resendCooldown()).isEqualTo(Duration.ofSeconds(45));
    }

    @Test
    void toStringNeverShowsSecretsOrPasswords() {
        Settings s = SettingsLoader.load(
                Map.of(
                        "OTPGATE_SECRET", "a-very-secret-value-that-is-long-enough",
                        "OTPGATE_SMTP_PASSWORD", "hunter2-password",
                        "OTPGATE_SMTP_HOST", "smtp.example.com",
                        "OTPGATE_API_KEYS", "an-api-key-that-is-long-enough-0123456789"),
                Optional.empty(),
                dir);

        assertThat(s.toString())
                .doesNotContain("a-very-secret")
                .doesNotContain("hunter2")
                .doesNotContain("an-api-key");
    }

    @Test
    void apiKeysAreCommaSeparatedAndUnsetMeansNone() {
        String first = "first-api-key-0123456789-0123456789";
        String second = "second-api-key-0123456789-0123456789";

        Settings s = SettingsLoader.load(
                Map.of("OTPGATE_API_KEYS", " " + first + " ,, " + second + ","), Optional.empty(), dir);

        assertThat(s.apiKeys()).containsExactly(first, second);
        assertThat(SettingsLoader.load(Map.of(), Optional.empty(), dir).apiKeys())
                .isEmpty();
    }

    @Test
    void aShortApiKeyIsRefusedByPositionWithoutShowingIt() {
        assertThatThrownBy(() -> SettingsLoader.load(
                        Map.of("OTPGATE_API_KEYS", "long-enough-api-key-0123456789-0123456789,short-key"),
                        Optional.empty(),
                        dir))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("OTPGATE_API_KEYS: key 2 is shorter than 32 characters")
                .message()
                .doesNotContain("short-key")
                .doesNotContain("long-enough");
    }

    @Test
    void redirectUrisComeFromTheEnvironmentOrTheFileAndDefaultToNone() throws IOException {
        assertThat(SettingsLoader.load(Map.of(), Optional.empty(), dir).server().redirectUris())
                .isEmpty();
        Settings s = SettingsLoader.load(
                Map.of("OTPGATE_REDIRECT_URIS", "https://app.example/verified, http://localhost:3000/cb"),
                Optional.empty(),
                dir);
        assertThat(s.server().redirectUris())
                .containsExactly("https://app.example/verified", "http://localhost:3000/cb");
        java.nio.file.Files.writeString(
                dir.resolve("otpgate.yml"), "redirect_uris: https://app.example/return/\nip_check_limit: 5\n");
        Settings fromFile = SettingsLoader.load(Map.of(), Optional.empty(), dir);
        assertThat(fromFile.server().redirectUris()).containsExactly("https://app.example/return/");
        assertThat(fromFile.server().ipCheckLimit()).isEqualTo(5);
    }

    @Test
    void anUnsafeRedirectUriIsRefusedAtStartWithItsVariable() {
        assertThatThrownBy(() -> SettingsLoader.load(
                        Map.of(
                                "OTPGATE_REDIRECT_URIS",
                                "https://app.example/ok,http://app.example/plain,https://app.example/q?x=1"),
                        Optional.empty(),
                        dir))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("OTPGATE_REDIRECT_URIS: 'http://app.example/plain'")
                .hasMessageContaining("'https://app.example/q?x=1' must not have a query");
    }

    @Test
    void aMisspeltVariableIsRefusedWithTheClosestKnownName() {
        assertThatThrownBy(() -> SettingsLoader.load(
                        Map.of("OTPGATE_SMTP_HOTS", "smtp.example.com", "OTPGATE_JAVA_OPTS", "-Xmx64m"),
                        Optional.empty(),
                        dir))
                .isInstanceOfSatisfying(
                        ConfigurationException.class,
                        e -> assertThat(e.problems())
                                .containsExactly("unknown setting OTPGATE_SMTP_HOTS; did you mean OTPGATE_SMTP_HOST?"));
    }

    @Test
    void anUnknownVariableFarFromAnyNamePointsToTheList() {
        assertThatThrownBy(() -> SettingsLoader.load(Map.of("OTPGATE_FLUX_CAPACITOR", "on"), Optional.empty(), dir))
                .isInstanceOfSatisfying(
                        ConfigurationException.class,
                        e -> assertThat(e.problems())
                                .containsExactly(
                                        "unknown setting OTPGATE_FLUX_CAPACITOR (otpgate serve --help lists the settings)"));
    }

    @Test
    void theLaunchersAndLoggingsOwnVariablesAreKnown() {
        Settings s = SettingsLoader.load(
                Map.of("OTPGATE_JAVA_OPTS", "-Xmx64m", "OTPGATE_LOG_LEVEL", "INFO", "OTPGATEWAY", "x"),
                Optional.empty(),
                dir);

        assertThat(s.devMailbox()).isTrue();
    }

    @Test
    void aMisspeltYamlKeyIsRefusedWithTheClosestKnownKey() throws IOException {
        Path file = dir.resolve("otpgate.yml");
        Files.writeString(file, "smtp_hots: smtp.example.com\ncode_lenght: 8\n");

        assertThatThrownBy(() -> SettingsLoader.load(Map.of(), Optional.empty(), dir))
                .isInstanceOfSatisfying(
                        ConfigurationException.class,
                        e -> assertThat(e.problems())
                                .containsExactly(
                                        file + ": unknown setting 'smtp_hots'; did you mean smtp_host?",
                                        file + ": unknown setting 'code_lenght'; did you mean code_length?"));
    }

    @Test
    void devModeRefusesToListenBeyondLoopback() {
        for (String host : new String[] {"0.0.0.0", "::", "192.168.1.10", "example.com"}) {
            assertThatThrownBy(() -> SettingsLoader.load(Map.of("OTPGATE_HOST", host), Optional.empty(), dir))
                    .as(host)
                    .isInstanceOfSatisfying(
                            ConfigurationException.class,
                            e -> assertThat(e.problems())
                                    .singleElement()
                                    .asString()
                                    .startsWith("OTPGATE_HOST=" + host + ": without OTPGATE_SMTP_HOST the dev mailbox")
                                    .contains("OTPGATE_DEV_MAILBOX_PUBLIC=true"));
        }
    }

    @Test
    void devModeListensOnLoopbackByDefaultAndOnAnyLoopbackAddressAsked() {
        assertThat(SettingsLoader.load(Map.of(), Optional.empty(), dir).server().host())
                .isEqualTo("127.0.0.1");
        for (String host : new String[] {"localhost", "127.0.0.2", "::1", "[::1]"}) {
            assertThat(SettingsLoader.load(Map.of("OTPGATE_HOST", host), Optional.empty(), dir)
                            .server()
                            .host())
                    .isEqualTo(host);
        }
    }

    @Test
    void aPublicDevMailboxIsAnExplicitChoice() {
        Settings exposed = SettingsLoader.load(
                Map.of("OTPGATE_HOST", "0.0.0.0", "OTPGATE_DEV_MAILBOX_PUBLIC", "true"), Optional.empty(), dir);
        Settings smtp = SettingsLoader.load(Map.of("OTPGATE_SMTP_HOST", "smtp.example.com"), Optional.empty(), dir);

        assertThat(exposed.server().host()).isEqualTo("0.0.0.0");
        assertThat(smtp.server().host()).isEqualTo("0.0.0.0");
    }

    @Test
    void theMetricsTokenIsReadButNeverShown() {
        String token = "metrics-token-0123456789abcdef";

        Settings s = SettingsLoader.load(Map.of("OTPGATE_METRICS_TOKEN", token), Optional.empty(), dir);

        assertThat(s.server().metricsToken()).isPresent();
        assertThat(s.toString()).doesNotContain(token);
        assertThat(SettingsLoader.load(Map.of(), Optional.empty(), dir).server().metricsToken())
                .isEmpty();
    }

    @Test
    void aGuessableMetricsTokenIsRefusedAtStartWithItsVariable() {
        assertThatThrownBy(() -> SettingsLoader.load(Map.of("OTPGATE_METRICS_TOKEN", "short"), Optional.empty(), dir))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("OTPGATE_METRICS_TOKEN: must be at least 16 characters")
                .message()
                .doesNotContain("short");
    }
}
