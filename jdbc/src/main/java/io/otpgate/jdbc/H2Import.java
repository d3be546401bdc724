package io.otpgate.jdbc;

import io.otpgate.core.code.ServerSecret;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a data dir from before SQLite forward: its H2 file ({@code otpgate.mv.db}) is migrated to
 * the last H2 schema, copied row by row into a new SQLite file, and kept beside it renamed
 * ({@code otpgate.mv.db.imported}). Verifications, their emails, API keys (so old keys keep
 * working), rate-limit counters and failure locks all come along.
 *
 * <p>The copy is written to {@code otpgate.db.importing} and renamed to {@code otpgate.db} only
 * when complete, so a start killed half way imports again from the start next time; and the H2
 * file is renamed last, so nothing is lost whatever step a crash interrupts.
 */
final class H2Import {

    private static final Logger log = LoggerFactory.getLogger(H2Import.class);

    static final String H2_FILE = "otpgate.mv.db";
    static final String IMPORTED_SUFFIX = ".imported";

    /** Parents before children, for the foreign keys. */
    /** The schema version of the last release that stored data in H2. */
    private static final String LAST_H2_VERSION = "9";

    private static final List<String> TABLES = List.of(
            "api_keys",
            "verifications",
            "outbox",
            "rate_buckets",
            "mailbox_failures",
            "maintenance_leases",
            "dev_mailbox",
            "idempotency_keys");

    private static final Set<Integer> TIME_TYPES = Set.of(Types.TIMESTAMP, Types.TIMESTAMP_WITH_TIMEZONE);

    /** H2's {@code ErrorCode.WRONG_USER_OR_PASSWORD}. */
    private static final int WRONG_USER_OR_PASSWORD = 28000;

    /** H2's {@code ErrorCode.DATABASE_ALREADY_OPEN_1}: another process has the file. */
    private static final int DATABASE_ALREADY_OPEN = 90020;

    private H2Import() {}

    /** Imports {@code dataDir}'s H2 file into {@code target} when there is one and no target yet. */
    static void ifPresent(Path dataDir, ServerSecret secret, Path target, Sync sync) {
        Path h2 = dataDir.resolve(H2_FILE);
        if (!Files.exists(h2) || Files.exists(target)) {
            return;
        }
        Path partial = target.resolveSibling(target.getFileName() + ".importing");
        try {
            deleteSqlite(partial);
            Map<String, Integer> counts;
            JdbcDataSource h2Source = h2Source(dataDir, secret);
            migrate(h2Source);
            try (Connection from = h2Source.getConnection()) {
                counts = copy(from, partial, sync);
            }
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
            Path kept = h2.resolveSibling(H2_FILE + IMPORTED_SUFFIX);
            Files.move(h2, kept, StandardCopyOption.REPLACE_EXISTING);
            log.info(
                    "imported the H2 database into {}: {} verifications, {} emails, {} API keys; the old file is"
                            + " kept as {} and may be deleted once you are satisfied",
                    target,
                    counts.get("verifications"),
                    counts.get("outbox"),
                    counts.get("api_keys"),
                    kept);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot import the H2 database " + h2 + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new IllegalStateException("cannot import the H2 database " + h2 + ": " + e, e);
        }
    }

    /**
     * Opens the H2 file as the version that wrote it did, minus its auto-server: with the password
     * derived from the secret, or none for data dirs from before the password.
     */
    private static JdbcDataSource h2Source(Path dataDir, ServerSecret secret) throws SQLException {
        String url = "jdbc:h2:file:" + dataDir.toAbsolutePath().normalize().resolve("otpgate")
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;IFEXISTS=TRUE";
        List<String> passwords = new ArrayList<>();
        secret.derive("otpgate h2 password")
                .forEach(key -> passwords.add(HexFormat.of().formatHex(key)));
        passwords.add("");
        SQLException refused = null;
        for (String password : passwords) {
            JdbcDataSource source = new JdbcDataSource();
            source.setURL(url);
            source.setUser("sa");
            source.setPassword(password);
            try (Connection c = source.getConnection()) {
                return source;
            } catch (SQLException e) {
                if (e.getErrorCode() == DATABASE_ALREADY_OPEN) {
                    throw new IllegalStateException("the H2 database in " + dataDir + " is open in another process"
                            + " (an OTPGate from before SQLite?): stop it, then start this one to import it");
                }
                if (e.getErrorCode() != WRONG_USER_OR_PASSWORD) {
                    throw e;
                }
                refused = e;
            }
        }
        throw new IllegalStateException(
                "the H2 database in " + dataDir + " refuses the password derived from the server secret: it was"
                        + " created under another secret (OTPGATE_SECRET or the data dir's secret file)",
                refused);
    }

    /**
     * Brings an older H2 file to the last H2 schema, V9, so one copy fits every version. Later
     * migrations are PostgreSQL's alone (V10's partial index is not H2's SQL), and their tables
     * start empty on SQLite.
     */
    private static void migrate(DataSource h2) {
        Flyway.configure()
                .dataSource(h2)
                .locations(Dialect.POSTGRESQL.migrations())
                .target(LAST_H2_VERSION)
                .javaMigrations(new V5__Tenants())
                .load()
                .migrate();
    }

    private static Map<String, Integer> copy(Connection from, Path partial, Sync sync) throws SQLException {
        SqliteFile sqlite = new SqliteFile(partial, sync);
        sqlite.prepare();
        Flyway.configure()
                .dataSource(sqlite.dataSource(false))
                .locations(Dialect.SQLITE.migrations())
                .load()
                .migrate();
        Map<String, Integer> counts = new LinkedHashMap<>();
        try (Connection to = sqlite.connect(false)) {
            to.setAutoCommit(false);
            for (String table : TABLES) {
                counts.put(table, copy(from, to, table));
            }
            to.commit();
        }
        return counts;
    }

    /**
     * The table's rows, with the columns both sides have (not SQLite's generated ones). A column
     * added after the last H2 schema (such as {@code api_keys.scope}) takes its SQLite default.
     */
    private static int copy(Connection from, Connection to, String table) throws SQLException {
        Set<String> old = new HashSet<>();
        try (Statement statement = from.createStatement();
                ResultSet rs = statement.executeQuery("SELECT * FROM " + table + " WHERE 1 = 0")) {
            ResultSetMetaData meta = rs.getMetaData();
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                old.add(meta.getColumnName(i).toLowerCase(Locale.ROOT));
            }
        }
        List<String> columns = new ArrayList<>();
        try (Statement statement = to.createStatement();
                ResultSet rs = statement.executeQuery("PRAGMA table_info(" + table + ")")) {
            while (rs.next()) {
                String name = rs.getString("name");
                if (old.contains(name.toLowerCase(Locale.ROOT))) {
                    columns.add(name);
                }
            }
        }
        String list = String.join(", ", columns);
        int rows = 0;
        try (Statement statement = from.createStatement();
                ResultSet rs = statement.executeQuery("SELECT " + list + " FROM " + table);
                PreparedStatement insert = to.prepareStatement(
                        "INSERT INTO " + table + " (" + list + ") VALUES (" + Sql.marks(columns.size()) + ")")) {
            ResultSetMetaData meta = rs.getMetaData();
            while (rs.next()) {
                for (int i = 1; i <= columns.size(); i++) {
                    if (TIME_TYPES.contains(meta.getColumnType(i))) {
                        Instant at = Dialect.POSTGRESQL.instant(rs, columns.get(i - 1));
                        if (at == null) {
                            insert.setNull(i, Types.INTEGER);
                        } else {
                            Dialect.SQLITE.bind(insert, i, at);
                        }
                    } else {
                        insert.setObject(i, rs.getObject(i));
                    }
                }
                insert.addBatch();
                if (++rows % 1000 == 0) {
                    insert.executeBatch();
                }
            }
            insert.executeBatch();
        }
        return rows;
    }

    private static void deleteSqlite(Path file) throws IOException {
        for (String suffix : new String[] {"", "-wal", "-shm", "-journal"}) {
            Files.deleteIfExists(file.resolveSibling(file.getFileName() + suffix));
        }
    }
}
