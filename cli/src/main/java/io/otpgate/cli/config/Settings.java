package io.otpgate.cli.config;

import io.otpgate.core.policy.Policy;
import io.otpgate.jdbc.Sync;
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
 * YAML file, validated, and never read again. See {@link SettingsLoader} for the names.
 */
public record Settings(
        Policy policy,
        Path dataDir,
        Optional<String> dbUrl,
        Optional<String> dbUser,
        Optional<String> dbPassword,
        int dbPoolSize,
        Sync dbSync,
        Optional<String> secret,
        List<String> apiKeys,
        Optional<String> smtpHost,
        Optional<Integer> smtpPort,
        String smtpTls,
        Optional<String> smtpUsername,
        Optional<String> smtpPassword,
        Optional<Path> smtpCaFile,
        String mailFrom,
        String brand,
        Locale defaultLocale,
        boolean codeInSubject,
        Optional<Path> templatesDir,
        Optional<URI> publicUrl,
        int deliveryWorkers,
        Duration deliveryAlertAge,
        Duration lease,
        Duration retention,
        boolean webhookAllowPrivate,
        ServerSettings server) {

    public Settings {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(dbSync, "dbSync");
        Objects.requireNonNull(mailFrom, "mailFrom");
        Objects.requireNonNull(brand, "brand");
        Objects.requireNonNull(defaultLocale, "defaultLocale");
        Objects.requireNonNull(lease, "lease");
        Objects.requireNonNull(retention, "retention");
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(publicUrl, "publicUrl");
        apiKeys = List.copyOf(apiKeys);
    }

    /** True when no SMTP host is set: emails are captured by the dev mailbox instead of sent. */
    public boolean devMailbox() {
        return smtpHost.isEmpty();
    }

    @Override
    public String toString() {
        // Never print the secret, API keys or passwords, even in a debug dump.
        return "Settings[dataDir=" + dataDir + ", db=" + dbUrl.orElse("embedded SQLite") + ", smtp="
                + smtpHost.map(h -> h + smtpPort.map(p -> ":" + p).orElse("") + " (" + smtpTls + ")")
                        .orElse("dev mailbox")
                + "]";
    }
}
