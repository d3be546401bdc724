package io.otpgate.cli.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The defaults an operator relies on: a change here is a change of behaviour, made on purpose. */
class SettingsDefaultsTest {

    @Test
    void everySettingKeepsItsDocumentedDefault() {
        assertThat(SettingsLoader.describe())
                .containsExactly(
                        "OTPGATE_CODE_LENGTH (default 6)",
                        "OTPGATE_CODE_ALPHABET (default digits)",
                        "OTPGATE_CODE_TTL (default 10m)",
                        "OTPGATE_MAX_ATTEMPTS (default 3)",
                        "OTPGATE_MAX_SENDS (default 5)",
                        "OTPGATE_RESEND_COOLDOWN (default 30s)",
                        "OTPGATE_RECIPIENT_HOURLY_LIMIT (default 10)",
                        "OTPGATE_PAGES_RECIPIENT_HOURLY_LIMIT (default 3)",
                        "OTPGATE_RECIPIENT_HOURLY_CEILING (default 20)",
                        "OTPGATE_RECIPIENT_FAILURE_LIMIT (default 20)",
                        "OTPGATE_RECIPIENT_LOCK (default 1h)",
                        "OTPGATE_DATA_DIR (default ./otpgate-data)",
                        "OTPGATE_DB_URL",
                        "OTPGATE_DB_USER",
                        "OTPGATE_DB_PASSWORD",
                        "OTPGATE_DB_POOL_SIZE (default 10)",
                        "OTPGATE_DB_SYNC (default full)",
                        "OTPGATE_SECRET",
                        "OTPGATE_API_KEYS",
                        "OTPGATE_SMTP_HOST",
                        "OTPGATE_SMTP_PORT",
                        "OTPGATE_SMTP_TLS (default starttls)",
                        "OTPGATE_SMTP_USERNAME",
                        "OTPGATE_SMTP_PASSWORD",
                        "OTPGATE_SMTP_CA_FILE",
                        "OTPGATE_MAIL_FROM (default OTPGate <no-reply@localhost>)",
                        "OTPGATE_BRAND (default OTPGate)",
                        "OTPGATE_DEFAULT_LOCALE (default en)",
                        "OTPGATE_CODE_IN_SUBJECT (default true)",
                        "OTPGATE_TEMPLATES_DIR",
                        "OTPGATE_PUBLIC_URL",
                        "OTPGATE_DELIVERY_WORKERS (default 4)",
                        "OTPGATE_DELIVERY_ALERT_AGE (default 2m)",
                        "OTPGATE_LEASE (default 15s)",
                        "OTPGATE_RETENTION (default 7d)",
                        "OTPGATE_STATS_RETENTION (default 400d)",
                        "OTPGATE_WEBHOOK_ALLOW_PRIVATE (default false)",
                        "OTPGATE_HOST",
                        "OTPGATE_PORT (default 8080)",
                        "OTPGATE_CORS_ORIGINS",
                        "OTPGATE_METRICS_TOKEN",
                        "OTPGATE_TRUSTED_PROXIES",
                        "OTPGATE_IP_START_LIMIT (default 30)",
                        "OTPGATE_KEY_START_LIMIT",
                        "OTPGATE_IP_CHECK_LIMIT (default 60)",
                        "OTPGATE_REDIRECT_URIS",
                        "OTPGATE_DEV_MAILBOX_PUBLIC (default false)",
                        "OTPGATE_PAGES (default on)",
                        "OTPGATE_JAVA_OPTS (read by the launcher or logging)",
                        "OTPGATE_LOG_LEVEL (read by the launcher or logging)");
    }
}
