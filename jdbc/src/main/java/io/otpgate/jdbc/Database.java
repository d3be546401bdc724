package io.otpgate.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.otpgate.core.analytics.AnalyticsReader;
import io.otpgate.core.analytics.Rollup;
import io.otpgate.core.apikey.ApiKeyStore;
import io.otpgate.core.code.ServerSecret;
import io.otpgate.core.delivery.CapturedEmails;
import io.otpgate.core.delivery.Outbox;
import io.otpgate.core.limit.RateLimiter;
import io.otpgate.core.retention.MaintenanceLease;
import io.otpgate.core.retention.Purge;
import io.otpgate.core.stats.StatsReader;
import io.otpgate.core.verification.VerificationStore;
import io.otpgate.core.webhook.WebhookQueue;
import io.otpgate.core.webhook.WebhookStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.migration.JavaMigration;

/**
 * The database behind OTPGate: the embedded SQLite file or PostgreSQL, the schema brought up to
 * date by Flyway at open, and the stores that use it.
 *
 * <p>Open it once per process with {@link #openEmbedded} or {@link #open}; close it at shutdown.
 */
public final class Database implements AutoCloseable {

    /** The embedded database's file in the data dir. */
    public static final String EMBEDDED_FILE = "otpgate.db";

    /**
     * The files that hold an embedded database: the SQLite file, and the H2 file of a data dir from
     * before it, which {@link #openEmbedded} imports.
     */
    public static final List<String> EMBEDDED_FILES = List.of(EMBEDDED_FILE, H2Import.H2_FILE);

    private static final String SQLITE = "jdbc:sqlite:";
    private static final String POSTGRESQL = "jdbc:postgresql:";

    private final Transactions tx;
    private final DataSource dataSource;
    private final List<AutoCloseable> resources;
    private final JdbcOutbox outbox;
    private final JdbcVerificationStore verifications;
    private final JdbcApiKeyStore apiKeys;
    private final JdbcStats stats;
    private final JdbcAnalytics analytics;
    private final JdbcPurge purge;
    private final JdbcRateLimiter rateLimiter;
    private final JdbcCapturedEmails capturedEmails;
    private final JdbcWebhooks webhooks;
    private final String description;
    private final DatabaseClock clock;

    private Database(Transactions tx, DataSource dataSource, List<AutoCloseable> resources, String description) {
        this.tx = tx;
        this.dataSource = dataSource;
        this.resources = resources;
        this.outbox = new JdbcOutbox(tx);
        this.verifications = new JdbcVerificationStore(tx, outbox);
        this.apiKeys = new JdbcApiKeyStore(tx);
        this.stats = new JdbcStats(tx);
        this.analytics = new JdbcAnalytics(tx);
        this.purge = new JdbcPurge(tx);
        this.rateLimiter = new JdbcRateLimiter(tx);
        this.capturedEmails = new JdbcCapturedEmails(tx);
        this.webhooks = new JdbcWebhooks(tx);
        this.description = description;
        this.clock = firstReading();
    }

    /** The clock, read once now; a database that cannot answer that is closed, not leaked. */
    private DatabaseClock firstReading() {
        try {
            return new DatabaseClock(this::readClock, System::nanoTime).start(DatabaseClock.RESYNC);
        } catch (RuntimeException e) {
            closeResources();
            throw e;
        }
    }

    /**
     * Opens the embedded SQLite file in {@code dataDir} ({@link #EMBEDDED_FILE}), creating it if
     * needed. A data dir from before SQLite (an H2 {@code otpgate.mv.db}) is imported first, under
     * {@code secret}, from which its password derives ({@link H2Import}).
     */
    public static Database openEmbedded(Path dataDir, ServerSecret secret, int poolSize, Sync sync) {
        Path file = dataDir.resolve(EMBEDDED_FILE);
        H2Import.ifPresent(dataDir, secret, file, sync);
        return openSqlite(file, sync, poolSize);
    }

    /** {@link #open(String, String, String, int, Sync)} with {@link Sync#FULL}. */
    public static Database open(String url, String user, String password, int poolSize) {
        return open(url, user, password, poolSize, Sync.FULL);
    }

    /**
     * Opens a database by JDBC URL and migrates its schema: {@code jdbc:sqlite:/path/file.db} (its
     * commits durable as {@code sync} says), or {@code jdbc:postgresql://host:5432/db} (PostgreSQL
     * 14 or later), where {@code poolSize} connections are pooled.
     */
    public static Database open(String url, String user, String password, int poolSize, Sync sync) {
        Objects.requireNonNull(url, "url");
        if (url.startsWith(SQLITE)) {
            return openSqlite(Path.of(url.substring(SQLITE.length())), sync, poolSize);
        }
        if (url.startsWith("jdbc:h2:")) {
            throw new IllegalArgumentException("H2 is no longer supported as a database; leave OTPGATE_DB_URL"
                    + " unset and OTPGate starts on SQLite, importing the data dir's H2 file on first start");
        }
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setPassword(password);
        // Flyway holds one connection for its lock while it migrates on another: fewer than two deadlocks.
        config.setMaximumPoolSize(Math.max(2, poolSize));
        config.setPoolName("otpgate");
        config.setAutoCommit(true);
        HikariDataSource dataSource = new HikariDataSource(config);
        try {
            migrate(dataSource, Dialect.POSTGRESQL);
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
        return new Database(new PooledTransactions(dataSource), dataSource, List.of(dataSource), describe(url));
    }

    /**
     * Opens an SQLite file: WAL, {@code sync} for commits, foreign keys on, a busy timeout for
     * other processes on the same file, incremental auto-vacuum. One writer connection commits for
     * the whole process ({@link GroupCommit}); {@code readers} read-only connections serve reads.
     */
    public static Database openSqlite(Path file, Sync sync, int readers) {
        SqliteFile sqlite = new SqliteFile(file.toAbsolutePath().normalize(), sync);
        try {
            Files.createDirectories(sqlite.file().getParent());
        } catch (IOException e) {
            throw new IllegalStateException("cannot create the directory of " + sqlite.file() + ": " + e, e);
        }
        sqlite.prepare();
        migrate(sqlite.dataSource(false), Dialect.SQLITE);
        HikariConfig config = new HikariConfig();
        config.setDataSource(sqlite.dataSource(true));
        config.setMaximumPoolSize(Math.max(1, readers));
        config.setPoolName("otpgate-readers");
        // Read transactions are begun and ended by PooledTransactions; a deferred BEGIN holds nothing.
        config.setAutoCommit(false);
        // Opened read-only by SqliteFile; the pool must agree, as SQLite's driver cannot switch.
        config.setReadOnly(true);
        HikariDataSource readerPool = new HikariDataSource(config);
        GroupCommit writer;
        try {
            writer = new GroupCommit(
                    sqlite.connect(false), readerPool, file.getFileName().toString());
        } catch (SQLException | RuntimeException e) {
            readerPool.close();
            throw e instanceof SQLException sql ? StoreException.of(sql) : (RuntimeException) e;
        }
        // Readers close first, so that the writer is the file's last connection in this process and its
        // close can fold the WAL back into the file (SQLite checkpoints on the last close).
        return new Database(
                writer, sqlite.dataSource(false), List.of(readerPool, writer), describe(SQLITE + sqlite.file()));
    }

    private static void migrate(DataSource dataSource, Dialect dialect) {
        Flyway.configure()
                .dataSource(dataSource)
                .locations(dialect.migrations())
                // Java migrations live with the stores whose helpers they use (PostgreSQL and H2 only).
                .javaMigrations(
                        dialect == Dialect.POSTGRESQL ? new JavaMigration[] {new V5__Tenants()} : new JavaMigration[0])
                .load()
                .migrate();
    }

    /**
     * Makes sure this database's data was made under {@code secret} (recording it on first use, and
     * following a rotation); call once at start-up, before serving.
     *
     * @throws IllegalStateException when the database was made under another secret
     */
    public void requireSecret(ServerSecret secret) {
        SecretFingerprint.require(tx, secret);
    }

    /**
     * How the embedded store's writes combined into commits (empty on PostgreSQL, where each writer
     * commits on its own): for the benchmarks and {@code /metrics}.
     */
    public Optional<GroupCommitStats> groupCommits() {
        return tx instanceof GroupCommit writer ? Optional.of(writer.stats()) : Optional.empty();
    }

    /**
     * Copies the embedded database, consistent as of one moment, to {@code target} while it stays
     * in use ({@code VACUUM INTO}); the copy is compact. {@code target} must be missing or empty; an
     * empty file keeps its permissions.
     *
     * @throws UnsupportedOperationException on PostgreSQL, whose own tools back it up
     */
    public void backup(Path target) {
        if (!(tx instanceof GroupCommit)) {
            throw new UnsupportedOperationException(
                    "backup copies the embedded SQLite file; back up PostgreSQL" + " with pg_dump or pg_basebackup");
        }
        // A connection of its own in auto-commit: SQLite refuses VACUUM inside a transaction, and
        // the statement's own read transaction is the snapshot it copies; it never takes the write lock.
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("VACUUM INTO ?")) {
            ps.setString(1, target.toAbsolutePath().toString());
            ps.execute();
        } catch (SQLException e) {
            throw StoreException.of(e);
        }
    }

    public VerificationStore verifications() {
        return verifications;
    }

    public Outbox outbox() {
        return outbox;
    }

    /** Stored API keys (hashes only); wrap it in {@link io.otpgate.core.apikey.ApiKeys}. */
    public ApiKeyStore apiKeys() {
        return apiKeys;
    }

    public StatsReader stats() {
        return stats;
    }

    /** The analytics figures, read from the hourly rollup. */
    public AnalyticsReader analytics() {
        return analytics;
    }

    /** Keeps the hourly rollup up to date; the expiry sweeper runs it under its lease. */
    public Rollup rollup() {
        return analytics;
    }

    /**
     * Deletes data past its retention, one instance at a time; {@link io.otpgate.core.retention.Purger}
     * runs it on a schedule.
     */
    public Purge purge() {
        return purge;
    }

    /** Webhook endpoints and their delivery logs. */
    public WebhookStore webhooks() {
        return webhooks;
    }

    /** The webhook delivery queue, leased like the outbox. */
    public WebhookQueue webhookQueue() {
        return webhooks;
    }

    /** The lease that lets one instance at a time sweep expired verifications. */
    public MaintenanceLease expiryLease() {
        return MaintenanceLeases.named(tx, "expiry");
    }

    /** Rate limits counted on their own, in the same table as the engine's. */
    public RateLimiter rateLimiter() {
        return rateLimiter;
    }

    /** The dev mailbox's emails, shared by every process on this database. */
    public CapturedEmails capturedEmails() {
        return capturedEmails;
    }

    /**
     * Plain connections to the database, for tools and tests: on SQLite a new writable connection
     * each time, which takes the file's write lock like another process would.
     */
    public DataSource dataSource() {
        return dataSource;
    }

    /**
     * Where the data lives, without credentials: {@code SQLite file /srv/otpgate-data/otpgate.db} or
     * {@code PostgreSQL db.internal:5432/otpgate}. Safe to log and to show in a banner.
     */
    public String describe() {
        return description;
    }

    static String describe(String url) {
        if (url.startsWith(SQLITE)) {
            return "SQLite file " + withoutSettings(url.substring(SQLITE.length()));
        }
        String located = withoutUserInfo(withoutSettings(url));
        if (located.startsWith(POSTGRESQL)) {
            // jdbc:postgresql://host1:5432,host2/otpgate, or the short form jdbc:postgresql:otpgate
            String target = located.substring(POSTGRESQL.length());
            return "PostgreSQL "
                    + (target.startsWith("//") ? target.substring(2) : "localhost/" + target.replaceFirst("^/", ""));
        }
        return located;
    }

    /** Drops {@code ?…} and {@code ;…}: where drivers take user names, passwords and tokens. */
    private static String withoutSettings(String url) {
        int end = url.length();
        for (char c : new char[] {'?', ';'}) {
            int at = url.indexOf(c);
            if (at >= 0) {
                end = Math.min(end, at);
            }
        }
        return url.substring(0, end);
    }

    /** Drops a {@code user:password@} in front of the host, should a URL carry one. */
    private static String withoutUserInfo(String url) {
        return url.replaceFirst("//[^/]*@", "//");
    }

    /**
     * The database's clock, read at open and every minute, and carried forward in between by this
     * process's monotonic clock ({@link DatabaseClock}). Judge every time by it: leases are judged by
     * it in SQL, so processes whose own clocks disagree still agree on when a code expires.
     */
    public Clock clock() {
        return clock;
    }

    private DatabaseClock.Reading readClock() {
        return tx.read(c -> {
            Dialect dialect = Dialect.of(c);
            try (PreparedStatement ps = c.prepareStatement(dialect.clockQuery())) {
                long before = System.nanoTime();
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    Instant now = dialect.instant(rs, "now");
                    return new DatabaseClock.Reading(now, before, System.nanoTime());
                }
            }
        });
    }

    @Override
    public void close() {
        clock.close();
        closeResources();
    }

    private void closeResources() {
        for (AutoCloseable resource : resources) {
            try {
                resource.close();
            } catch (Exception e) {
                throw new IllegalStateException("closing the database", e);
            }
        }
    }
}
