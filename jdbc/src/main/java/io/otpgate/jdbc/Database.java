package io.otpgate.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.otpgate.core.apikey.ApiKeyStore;
import io.otpgate.core.delivery.Outbox;
import io.otpgate.core.limit.RateLimiter;
import io.otpgate.core.retention.Purge;
import io.otpgate.core.stats.StatsReader;
import io.otpgate.core.verification.VerificationStore;
import java.nio.file.Path;
import java.util.Objects;
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
     *       file through the first one instead of failing on the file lock.
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

    private final HikariDataSource dataSource;
    private final JdbcOutbox outbox;
    private final JdbcVerificationStore verifications;
    private final JdbcApiKeyStore apiKeys;
    private final JdbcStats stats;
    private final JdbcPurge purge;
    private final JdbcRateLimiter rateLimiter;
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
        this.description = description;
    }

    /** The embedded H2 database file in {@code dataDir}, with commit-durable settings. */
    public static String embeddedUrl(Path dataDir) {
        return H2_FILE + dataDir.toAbsolutePath().normalize().resolve("otpgate") + H2_SETTINGS;
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
