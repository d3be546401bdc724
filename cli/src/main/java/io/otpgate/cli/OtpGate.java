package io.otpgate.cli;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.otpgate.cli.config.ConfigurationException;
import io.otpgate.cli.config.DataDir;
import io.otpgate.cli.config.DatabaseSettings;
import io.otpgate.cli.config.SecretFile;
import io.otpgate.cli.config.Settings;
import io.otpgate.core.apikey.ApiKeys;
import io.otpgate.core.code.CodeSealer;
import io.otpgate.core.code.LinkTokens;
import io.otpgate.core.code.ServerSecret;
import io.otpgate.core.delivery.MailTransport;
import io.otpgate.core.delivery.OutboxDispatcher;
import io.otpgate.core.retention.ExpirySweeper;
import io.otpgate.core.retention.Purger;
import io.otpgate.core.verification.Verifier;
import io.otpgate.core.webhook.WebhookDispatcher;
import io.otpgate.core.webhook.WebhookTargets;
import io.otpgate.core.webhook.Webhooks;
import io.otpgate.jdbc.Database;
import io.otpgate.mail.DevMailbox;
import io.otpgate.mail.Languages;
import io.otpgate.mail.SmtpSettings;
import io.otpgate.mail.SmtpTransport;
import io.otpgate.mail.TemplateComposer;
import io.otpgate.server.ApiCaller;
import io.otpgate.server.ApiKeyCheck;
import io.otpgate.server.ApiMetrics;
import io.otpgate.server.HttpServer;
import io.otpgate.server.HttpWebhookTransport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The application wired from {@link Settings}: database, engine, mail transport, templates and the
 * outbox dispatcher. The one place where adapters meet the core.
 */
final class OtpGate implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(OtpGate.class);

    private final Settings settings;
    private final Clock clock;
    private final Database database;
    private final Verifier verifier;
    private final ApiKeys apiKeys;
    private final MailTransport transport;
    private final LinkTokens linkTokens;
    // Replaced once by serve when it knows its port (OTPGATE_PORT=0 picks one while binding), so
    // that its emails link to it; read by every delivery worker.
    private volatile TemplateComposer composer;
    private final Optional<DevMailbox> devMailbox;
    private final OutboxDispatcher dispatcher;
    private final ApiMetrics metrics;
    private final ServerSecret secret;
    private final Webhooks webhooks;
    private final WebhookDispatcher webhookDispatcher;

    private OtpGate(Settings settings, boolean init) {
        this.settings = settings;
        SecureRandom random = new SecureRandom();
        boolean embedded = settings.database().embedded();
        if (embedded || settings.secret().isEmpty()) {
            DataDir.prepare(settings.dataDir());
        }
        // The lost-database check, the secret and the database are one step under the data dir's
        // lock: the embedded database's password comes from the secret, and a second process
        // starting on an empty dir must not see a fresh secret without its database.
        Storage storage = embedded
                ? DataDir.whileSettingUp(settings.dataDir(), () -> {
                    DataDir.checkDatabaseNotLost(
                            settings.dataDir(), Database.EMBEDDED_FILES, init, ApiKeyBootstrap.FILE_NAME);
                    DataDir.checkSecretNotLost(
                            settings.dataDir(),
                            Database.EMBEDDED_FILES,
                            settings.secret().isPresent());
                    return Storage.open(settings, random);
                })
                : Storage.open(settings, random);
        this.secret = storage.secret();
        this.database = storage.database();
        // Every time is judged by the database's clock, as leases are: instances whose own clocks
        // disagree still agree on when a code expires and when an email is due.
        this.clock = database.clock();
        if (embedded) {
            for (String suffix : new String[] {"", "-wal", "-shm"}) {
                DataDir.restrict(settings.dataDir().resolve(Database.EMBEDDED_FILE + suffix));
            }
        }
        try {
            Optional<MailTransport> smtp = settings.smtp().map(s -> smtp(s, clock));
            this.linkTokens = new LinkTokens(secret, random);
            // Without a public URL, a command's emails carry no link: nothing may be serving it.
            this.composer = composer(settings, settings.publicUrl(), linkTokens);
            // In the database, so every process on it sees the emails any of them captured.
            this.devMailbox =
                    smtp.isPresent() ? Optional.empty() : Optional.of(new DevMailbox(clock, database.capturedEmails()));
            this.transport = smtp.orElseGet(devMailbox::orElseThrow);
            PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            this.metrics = new ApiMetrics(registry, database.stats(), database.analytics(), database.outbox(), clock);
            groupCommitMetrics(registry, database);
            this.dispatcher = OutboxDispatcher.builder()
                    .outbox(database.outbox())
                    .transport(transport)
                    .composer(email -> composer.compose(email))
                    .secret(secret)
                    .clock(clock)
                    .workers(settings.deliveryWorkers())
                    .lease(settings.lease())
                    .pollInterval(Duration.ofMillis(500))
                    .listener(metrics.deliveryListener())
                    .build();
            leaseMetrics(registry, dispatcher);
            this.verifier = Verifier.builder()
                    .policy(settings.policy())
                    .store(database.verifications())
                    .secret(secret)
                    .clock(clock)
                    .random(random)
                    .defaultLocale(settings.defaultLocale())
                    .onEmailQueued(dispatcher::wake)
                    .build();
            CodeSealer webhookSealer = CodeSealer.forWebhookSecrets(secret, random);
            WebhookTargets targets = new WebhookTargets(settings.webhookAllowPrivate());
            this.webhooks = new Webhooks(database.webhooks(), webhookSealer, targets, clock, random);
            this.webhookDispatcher = WebhookDispatcher.builder()
                    .queue(database.webhookQueue())
                    .transport(new HttpWebhookTransport(targets))
                    .sealer(webhookSealer)
                    .clock(clock)
                    .listener(metrics.webhookListener())
                    .build();
            this.apiKeys = ApiKeys.builder()
                    .store(database.apiKeys())
                    .environmentKeys(settings.apiKeys())
                    .clock(clock)
                    .random(random)
                    .build();
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
        warnAboutWeakSettings(settings);
        warnAboutDefaultLocale(settings);
    }

    /**
     * Wires everything; with {@code deliver}, also starts the dispatcher, so this process sends what
     * it (or any other process on the same database) queues.
     */
    static OtpGate open(Settings settings, boolean deliver) {
        return open(settings, deliver, false);
    }

    /**
     * As {@link #open(Settings, boolean)}; with {@code init}, an embedded database that is missing
     * next to an old secret or API key is created afresh instead of refused.
     */
    static OtpGate open(Settings settings, boolean deliver, boolean init) {
        OtpGate app;
        try {
            app = new OtpGate(settings, init);
        } catch (UncheckedIOException e) {
            // The secret or key file could not be written: the data dir is the setting to look at.
            throw new ConfigurationException(List.of(
                    "OTPGATE_DATA_DIR: " + e.getMessage() + " (" + e.getCause().getMessage() + ")"));
        }
        if (deliver) {
            app.dispatcher.start();
        }
        return app;
    }

    /**
     * Starts delivery for {@code serve}, whose emails carry a confirm link while the hosted pages are on:
     * to {@code OTPGATE_PUBLIC_URL}, else to this process on {@code http://localhost:<port>}.
     */
    void deliverWithConfirmLinks(int port) {
        URI base = settings.publicUrl().orElseGet(() -> URI.create("http://localhost:" + port));
        composer = composer(settings, Optional.of(base), linkTokens);
        dispatcher.start();
        webhookDispatcher.start();
    }

    /**
     * The sweeper that marks expired verifications (and so sends their webhooks), not yet started:
     * only {@code serve} runs it, instances taking turns through a lease.
     */
    ExpirySweeper expirySweeper() {
        return new ExpirySweeper(database.verifications(), database.rollup(), database.expiryLease(), clock);
    }

    Webhooks webhooks() {
        return webhooks;
    }

    /**
     * The email templates alone, for previews that need no database. With a public URL the emails
     * show a confirm link, whose token is sealed under a throwaway key: it opens nothing.
     */
    static TemplateComposer previewComposer(Settings settings) {
        byte[] key = new byte[32];
        SecureRandom random = new SecureRandom();
        random.nextBytes(key);
        return composer(settings, settings.publicUrl(), new LinkTokens(ServerSecret.of(List.of(key)), random));
    }

    /**
     * On the embedded store, how writes combine: commits (one fsync each) and the writes they
     * carried, so writes/commits over an interval is the mean group size under that load.
     */
    private static void groupCommitMetrics(MeterRegistry registry, Database database) {
        if (database.groupCommits().isEmpty()) {
            return;
        }
        FunctionCounter.builder(
                        "otpgate.db.commits",
                        database,
                        d -> d.groupCommits().orElseThrow().commits())
                .description("Transactions the embedded store's writer committed (one fsync each)")
                .register(registry);
        FunctionCounter.builder(
                        "otpgate.db.writes",
                        database,
                        d -> d.groupCommits().orElseThrow().writes())
                .description("Writes those commits carried: writes/commits is the mean group size")
                .register(registry);
    }

    /** What keeping the outbox leases costs: heartbeats (one UPDATE each) and the rows they renewed. */
    private static void leaseMetrics(MeterRegistry registry, OutboxDispatcher dispatcher) {
        FunctionCounter.builder(
                        "otpgate.outbox.lease.heartbeats",
                        dispatcher,
                        d -> d.heartbeats().sent())
                .description("Lease heartbeats this process sent, one UPDATE each, every third of OTPGATE_LEASE")
                .register(registry);
        FunctionCounter.builder(
                        "otpgate.outbox.lease.renewals",
                        dispatcher,
                        d -> d.heartbeats().rowsRenewed())
                .description("Outbox rows whose lease those heartbeats renewed")
                .register(registry);
        FunctionCounter.builder("otpgate.outbox.lease.lost", dispatcher, OutboxDispatcher::lostLeases)
                .description("Emails sent after another process took them over (a stall past the lease):"
                        + " each one sent twice; 0 while instances are healthy")
                .register(registry);
    }

    /** The secret and the database opened with it (an older data dir's H2 password derives from it). */
    private record Storage(ServerSecret secret, Database database) {
        static Storage open(Settings settings, SecureRandom random) {
            ServerSecret secret = SecretFile.resolve(settings.secret(), settings.dataDir(), random);
            return new Storage(secret, openDatabase(settings, secret));
        }
    }

    private static Database openDatabase(Settings settings, ServerSecret secret) {
        try {
            DatabaseSettings db = settings.database();
            Database database = db.url()
                    .map(url -> Database.open(
                            url, db.user().orElse(null), db.password().orElse(null), db.poolSize(), db.sync()))
                    .orElseGet(() -> Database.openEmbedded(settings.dataDir(), secret, db.poolSize(), db.sync()));
            try {
                database.requireSecret(secret);
            } catch (RuntimeException e) {
                database.close();
                throw e;
            }
            return database;
        } catch (RuntimeException e) {
            String where = !settings.database().embedded()
                    ? "OTPGATE_DB_URL: cannot open the database"
                    : "OTPGATE_DATA_DIR: cannot open the database "
                            + settings.dataDir().resolve(Database.EMBEDDED_FILE);
            // A wrong secret, or an H2 file another process holds, is said in words; a driver's cause is not.
            String why = e instanceof IllegalStateException ? e.getMessage() : rootCause(e);
            throw new ConfigurationException(List.of(where + " (" + why + ")"));
        }
    }

    /** The innermost cause's first line: what went wrong, without the layers that passed it on. */
    private static String rootCause(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return message.lines().findFirst().orElse("").strip();
    }

    private static TemplateComposer composer(Settings settings, Optional<URI> linkBase, LinkTokens tokens) {
        TemplateComposer.Builder builder = TemplateComposer.builder()
                .brand(settings.brand())
                .codeInSubject(settings.codeInSubject())
                .from(settings.mailFrom())
                .defaultLocale(settings.defaultLocale())
                .templatesDir(settings.templatesDir().orElse(null));
        // The link opens a hosted page: with the pages off (OTPGATE_PAGES=off) it would be a dead end.
        linkBase.filter(base -> settings.server().pages()).ifPresent(base -> builder.confirmLinks(base, tokens));
        try {
            return builder.build();
        } catch (IllegalArgumentException | IllegalStateException e) {
            // A template or string that does not compile or render, named by the message.
            throw new ConfigurationException(
                    List.of((settings.templatesDir().isPresent() ? "OTPGATE_TEMPLATES_DIR: " : "email templates: ")
                            + e.getMessage()));
        }
    }

    private static SmtpTransport smtp(SmtpSettings smtp, Clock clock) {
        if (smtp.plaintextToRemoteHost()) {
            log.warn("OTPGATE_SMTP_TLS=none sends codes in clear text to {}; use starttls or ssl", smtp.host());
        }
        return new SmtpTransport(smtp, clock);
    }

    private static void warnAboutWeakSettings(Settings settings) {
        for (String weakness : settings.policy().weaknesses()) {
            log.warn("weak policy: {}", weakness);
        }
    }

    /**
     * A default locale without strings is allowed, since an operator may add them in the templates
     * directory; without them, its readers get English, which deserves a word at start-up.
     */
    private static void warnAboutDefaultLocale(Settings settings) {
        Locale locale = settings.defaultLocale();
        if (Languages.shipped(locale.toLanguageTag()).isPresent()) {
            return;
        }
        String prefix = "messages_" + locale.getLanguage();
        boolean added = settings.templatesDir()
                .map(dir -> {
                    try (Stream<Path> files = Files.list(dir)) {
                        return files.map(f -> f.getFileName().toString()).anyMatch(n -> n.startsWith(prefix));
                    } catch (IOException e) {
                        return false;
                    }
                })
                .orElse(false);
        if (!added) {
            log.warn(
                    "OTPGATE_DEFAULT_LOCALE={} has no strings: emails to readers of other languages will be in"
                            + " English (shipped: {}; add {}.properties to OTPGATE_TEMPLATES_DIR)",
                    locale.toLanguageTag(),
                    Languages.SHIPPED.stream().map(Locale::toLanguageTag).collect(Collectors.joining(", ")),
                    prefix);
        }
    }

    /**
     * The one source of confirm-link tokens, under the server secret: the hosted confirm page opens
     * with it the tokens this application's emails carry.
     */
    LinkTokens linkTokens() {
        return linkTokens;
    }

    Verifier verifier() {
        return verifier;
    }

    /**
     * The scheduled purge of old data, not yet started: only {@code serve} runs it, since the
     * instances that share a database take turns through a lease and short-lived commands need none.
     */
    Purger purger() {
        return Purger.builder()
                .purge(database.purge())
                .clock(clock)
                .retention(settings.retention())
                .statsRetention(settings.statsRetention())
                .build();
    }

    /** The HTTP service on this application, not yet started. */
    HttpServer httpServer() {
        return HttpServer.builder()
                .verifier(verifier)
                .clock(clock)
                .settings(settings.server())
                .apiKeys(new ApiKeyCheck() {
                    @Override
                    public Optional<ApiCaller> caller(String presented) {
                        return apiKeys.authenticate(presented)
                                .map(key -> new ApiCaller(key.id(), key.tenant(), key.scope()));
                    }

                    @Override
                    public boolean active(String keyId) {
                        return apiKeys.active(keyId);
                    }
                })
                .stats(database.stats())
                .analytics(database.analytics())
                .metrics(metrics)
                .devMailbox(devMailbox)
                .secret(secret)
                .linkTokens(linkTokens)
                .rateLimiter(database.rateLimiter())
                .delivery(database.outbox(), settings.deliveryAlertAge())
                .defaultLocale(settings.defaultLocale())
                .templatesDir(settings.templatesDir())
                .webhooks(webhooks)
                .build();
    }

    ApiKeys apiKeys() {
        return apiKeys;
    }

    Database database() {
        return database;
    }

    Clock clock() {
        return clock;
    }

    Settings settings() {
        return settings;
    }

    MailTransport transport() {
        return transport;
    }

    Optional<DevMailbox> devMailbox() {
        return devMailbox;
    }

    String describeMail() {
        return devMailbox.isPresent()
                ? "dev mailbox: emails are captured, not sent (set OTPGATE_SMTP_HOST to send)"
                : "SMTP " + transport.describe();
    }

    /** Waits a little between polls; an interrupt ends the wait early. */
    void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Stops delivery for good: the emails the SMTP server already accepted are recorded as sent and
     * every other claim is given back at once, so that a rerun (or another instance) sends none of
     * them twice and waits for no lease. For a shutdown hook (SIGTERM); the database stays open.
     */
    void stopDelivery() {
        dispatcher.close();
        webhookDispatcher.close();
    }

    @Override
    public void close() {
        stopDelivery();
        database.close();
    }
}
