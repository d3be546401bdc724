package io.otpgate.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.otpgate.core.apikey.ApiKeyStore;
import io.otpgate.core.code.ServerSecret;
import io.otpgate.core.delivery.CapturedEmails;
import io.otpgate.core.delivery.Outbox;
import io.otpgate.core.limit.RateLimiter;
import io.otpgate.core.retention.Purge;
import io.otpgate.core.stats.StatsReader;
import io.otpgate.core.verification.VerificationStore;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The database behind OTPGate: a connection pool, the schema brought up to date by Flyway at
 * open, and the stores that use it.
 *
 * <p>Open it once per process with {@link #open}; close it at shutdown.
 */
public final class Database implements AutoCloseable {

    /**
     * Settings appended to the embedded H2 URL, each for a reason:
     *
     * <ul>
     *   <li>{@code MODE=PostgreSQL}, {@code DATABASE_TO_LOWER}: the same SQL runs on both databases
     *       (notably {@code INSERT … ON CONFLICT DO NOTHING}).
     *   <li>{@code WRITE_DELAY=0}: H2 otherwise writes committed transactions to the file up to
     *       500 ms later, so a {@code kill -9} right after an API reply could lose the verification
     *       it acknowledged. With 0 each commit reaches the file before {@code commit()} returns.
     *   <li>{@code LOCK_TIMEOUT=10000}: hundreds of concurrent checks of one verification queue on
     *       its row lock; the default 1 s would fail some of them under load.
     *   <li>{@code AUTO_SERVER=TRUE}: a second process (the CLI next to a running server) shares the
     *       file through the first one instead of failing on the file lock. The first one serves it
     *       over TCP, on loopback only and to user {@code sa} with a password derived from the server
     *       secret ({@link #openEmbedded}), so no other host, and no local user who cannot read the
     *       secret, can connect.
     *   <li>{@code CACHE_SIZE=65536} (KB): H2's page cache is otherwise 64 MB per GB of maximum heap,
     *       so the launcher's {@code -Xmx256m} gave it 16 MB, and delivering 20,000 emails spent its
     *       time re-reading pages from the file (BENCHMARKS.md). A fixed size also keeps a large heap
     *       from turning into a large cache.
     *   <li>{@code QUERY_CACHE_SIZE=64}: H2 keeps the 8 statements a session used last, parsed, and
     *       an HTTP check runs more different ones than that on a pooled connection, so each was
     *       parsed again (7.5% of the check's CPU). Counted checks 1,441 and 1,749 req/s without,
     *       1,848 and 1,820 with, in alternating runs.
     * </ul>
     */
    static final String H2_SETTINGS = ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH"
            + ";WRITE_DELAY=0;LOCK_TIMEOUT=10000;AUTO_SERVER=TRUE;CACHE_SIZE=65536;QUERY_CACHE_SIZE=64";

    private static final String H2_FILE = "jdbc:h2:file:";
    private static final String POSTGRESQL = "jdbc:postgresql:";
    private static final String H2_USER = "sa";
    /** H2's {@code ErrorCode.WRONG_USER_OR_PASSWORD}. */
    private static final int WRONG_USER_OR_PASSWORD = 28000;

    static {
        // H2 reads its bind address once, when its SysProperties class loads, so this runs before any
        // H2 class does; openEmbedded refuses to start should H2 have been loaded earlier without it.
        if (System.getProperty("h2.bindAddress") == null) {
            System.setProperty("h2.bindAddress", "127.0.0.1");
        }
    }

    private final HikariDataSource dataSource;
    private final JdbcOutbox outbox;
    private final JdbcVerificationStore verifications;
    private final JdbcApiKeyStore apiKeys;
    private final JdbcStats stats;
    private final JdbcPurge purge;
    private final JdbcRateLimiter rateLimiter;
    private final JdbcCapturedEmails capturedEmails;
    private final String description;

    private Database(HikariDataSource dataSource, String description) {
        this.dataSource = dataSource;
        Transactions tx = new Transactions(dataSource);
        this.outbox = new JdbcOutbox(tx);
        this.verifications = new JdbcVerificationStore(tx, outbox);
        this.apiKeys = new JdbcApiKeyStore(tx);
        this.stats = new JdbcStats(dataSource, tx);
        this.purge = new JdbcPurge(tx);
        this.rateLimiter = new JdbcRateLimiter(tx);
        this.capturedEmails = new JdbcCapturedEmails(tx);
        this.description = description;
    }

    /** The embedded H2 database file in {@code dataDir}, with commit-durable settings. */
    public static String embeddedUrl(Path dataDir) {
        return H2_FILE + dataDir.toAbsolutePath().normalize().resolve("otpgate") + H2_SETTINGS;
    }

    /**
     * Opens the embedded H2 database in {@code dataDir} ({@link #embeddedUrl}). Its auto-server, which
     * lets a second process on the same data dir share the file, listens on loopback only, and user
     * {@code sa} needs a password derived from the server secret: a process that cannot read the
     * secret cannot connect. A database from before the password (or under an older secret of a
     * rotation) is opened with that and then moved to the current password.
     */
    public static Database openEmbedded(Path dataDir, ServerSecret secret, int poolSize) {
        requireLoopbackAutoServer();
        String url = embeddedUrl(dataDir);
        List<String> passwords = secret.derive("otpgate h2 password").stream()
                .map(HexFormat.of()::formatHex)
                .collect(Collectors.toCollection(ArrayList::new));
        passwords.add(""); // data dirs from before the password
        adoptPassword(url, passwords);
        return open(url, H2_USER, passwords.get(0), poolSize);
    }

    private static void requireLoopbackAutoServer() {
        String bindAddress = org.h2.engine.SysProperties.BIND_ADDRESS;
        boolean loopback;
        try {
            loopback = bindAddress != null && InetAddress.getByName(bindAddress).isLoopbackAddress();
        } catch (UnknownHostException e) {
            loopback = false;
        }
        if (!loopback) {
            throw new IllegalStateException("the embedded database would accept connections on " + bindAddress
                    + " (system property h2.bindAddress); only a loopback address is allowed");
        }
    }

    /**
     * Connects with the first password that works, current first, and makes the current one the
     * password from then on. A new database is created with the current one.
     */
    private static void adoptPassword(String url, List<String> passwords) {
        SQLException refused = null;
        for (String password : passwords) {
            try (Connection c = DriverManager.getConnection(url, H2_USER, password);
                    Statement statement = c.createStatement()) {
                if (!password.equals(passwords.get(0))) {
                    // Hex digits only: nothing to escape in the literal.
                    statement.execute("ALTER USER " + H2_USER + " SET PASSWORD '" + passwords.get(0) + "'");
                }
                return;
            } catch (SQLException e) {
                if (e.getErrorCode() != WRONG_USER_OR_PASSWORD) {
                    throw new StoreException(e);
                }
                refused = e;
            }
        }
        throw new IllegalStateException(
                "the embedded database refuses the password derived from the server secret: it was created"
                        + " under another secret (OTPGATE_SECRET or the data dir's secret file)",
                refused);
    }

    /**
     * Opens a pool on {@code url} and migrates the schema: {@link #embeddedUrl} for H2, or a
     * {@code jdbc:postgresql://host:5432/db} URL (PostgreSQL 14 or later). The same SQL runs on both.
     */
    public static Database open(String url, String user, String password, int poolSize) {
        Objects.requireNonNull(url, "url");
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
            Flyway.configure()
                    .dataSource(dataSource)
                    .locations("classpath:db/migration")
                    // Java migrations live with the stores whose helpers they use.
                    .javaMigrations(new V5__Tenants())
                    .load()
                    .migrate();
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
        return new Database(dataSource, describe(url));
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

    /**
     * Deletes data past its retention, one instance at a time; {@link io.otpgate.core.retention.Purger}
     * runs it on a schedule.
     */
    public Purge purge() {
        return purge;
    }

    /** Rate limits counted on their own, in the same table as the engine's. */
    public RateLimiter rateLimiter() {
        return rateLimiter;
    }

    /** The dev mailbox's emails, shared by every process on this database. */
    public CapturedEmails capturedEmails() {
        return capturedEmails;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /**
     * Where the data lives, without credentials: {@code H2 file /srv/otpgate-data/otpgate} or
     * {@code PostgreSQL db.internal:5432/otpgate}. Safe to log and to show in a banner.
     */
    public String describe() {
        return description;
    }

    static String describe(String url) {
        if (url.startsWith(H2_FILE)) {
            return "H2 file " + withoutSettings(url.substring(H2_FILE.length()));
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

    @Override
    public void close() {
        dataSource.close();
    }
}
