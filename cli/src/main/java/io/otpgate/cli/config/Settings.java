package io.otpgate.cli.config;

import io.otpgate.core.policy.Policy;
import io.otpgate.mail.MailFrom;
import io.otpgate.mail.SmtpSettings;
import io.otpgate.server.ServerSettings;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything configurable, read once at start-up from {@code OTPGATE_*} variables and an optional
 * YAML file, validated into typed values, and never read again. See {@link SettingsLoader} for
 * the names and the defaults.
 *
 * @param smtp the SMTP server, with the sender and the TLS mode; empty without {@code
 *     OTPGATE_SMTP_HOST}, when emails are captured by the dev mailbox instead of sent
 * @param mailFrom the sender of every email, also when the dev mailbox captures them
 */
public record Settings(
        Policy policy,
        Path dataDir,
        DatabaseSettings database,
        Optional<String> secret,
        List<String> apiKeys,
        Optional<SmtpSettings> smtp,
        MailFrom mailFrom,
        String brand,
        Locale defaultLocale,
        boolean codeInSubject,
        Optional<Path> templatesDir,
        Optional<URI> publicUrl,
        int deliveryWorkers,
        Duration deliveryAlertAge,
        Duration lease,
        Duration retention,
        Duration statsRetention,
        boolean webhookAllowPrivate,
        ServerSettings server) {

    public Settings {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(smtp, "smtp");
        Objects.requireNonNull(mailFrom, "mailFrom");
        Objects.requireNonNull(brand, "brand");
        Objects.requireNonNull(defaultLocale, "defaultLocale");
        Objects.requireNonNull(templatesDir, "templatesDir");
        Objects.requireNonNull(publicUrl, "publicUrl");
        Objects.requireNonNull(deliveryAlertAge, "deliveryAlertAge");
        Objects.requireNonNull(lease, "lease");
        Objects.requireNonNull(retention, "retention");
        Objects.requireNonNull(statsRetention, "statsRetention");
        Objects.requireNonNull(server, "server");
        apiKeys = List.copyOf(apiKeys);
    }

    /** True when no SMTP host is set: emails are captured by the dev mailbox instead of sent. */
    public boolean devMailbox() {
        return smtp.isEmpty();
    }

    @Override
    public String toString() {
        // Never print the secret, API keys or passwords, even in a debug dump.
        return "Settings[dataDir=" + dataDir + ", db=" + database + ", smtp="
                + smtp.map(s -> s.host() + ":" + s.port() + " (" + s.tls() + ")")
                        .orElse("dev mailbox")
                + "]";
    }
}
