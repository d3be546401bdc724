package io.otpgate.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import org.sqlite.SQLiteConnection;

/**
 * What differs between the two databases OTPGate runs on, and nothing else: how a time is stored,
 * how the database's own clock is read, how a claim locks its rows, and where each one's migrations
 * live. Every statement is otherwise the same text on both.
 */
enum Dialect {

    /**
     * The embedded file. Times are INTEGER epoch milliseconds: SQLite has no time type, and integers
     * compare and index as fast as anything it has. A single writer serialises every change
     * ({@link GroupCommit}), so a claim needs no row locks.
     */
    SQLITE("classpath:db/sqlite", "", "CAST(unixepoch('subsec') * 1000 AS INTEGER)", "%s + ?") {
        @Override
        void bind(PreparedStatement ps, int index, Instant instant) throws SQLException {
            ps.setLong(index, instant.toEpochMilli());
        }

        @Override
        Instant instant(ResultSet rs, String column) throws SQLException {
            long millis = rs.getLong(column);
            return rs.wasNull() ? null : Instant.ofEpochMilli(millis);
        }
    },

    /**
     * PostgreSQL, and H2 in its PostgreSQL mode (read once, to import an older data dir). Times are
     * {@code TIMESTAMP WITH TIME ZONE}, kept to the microsecond; claims lock rows with
     * {@code FOR UPDATE SKIP LOCKED} so any number of instances claim disjoint rows.
     */
    POSTGRESQL(
            "classpath:db/migration",
            " FOR UPDATE SKIP LOCKED",
            "CURRENT_TIMESTAMP",
            "%s + CAST(? AS BIGINT) * INTERVAL '1 millisecond'") {
        @Override
        void bind(PreparedStatement ps, int index, Instant instant) throws SQLException {
            ps.setObject(index, instant.truncatedTo(ChronoUnit.MICROS).atOffset(ZoneOffset.UTC));
        }

        @Override
        Instant instant(ResultSet rs, String column) throws SQLException {
            OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
            return value == null ? null : value.toInstant();
        }
    };

    private final String migrations;
    private final String skipLocked;
    private final String now;
    private final String nowPlusMillis;

    Dialect(String migrations, String skipLocked, String now, String plusMillis) {
        this.migrations = migrations;
        this.skipLocked = skipLocked;
        this.now = now;
        this.nowPlusMillis = plusMillis.formatted(now);
    }

    /** The dialect of the database behind {@code c}: a wrapper check, no round trip. */
    static Dialect of(Connection c) throws SQLException {
        return c.isWrapperFor(SQLiteConnection.class) ? SQLITE : POSTGRESQL;
    }

    /** Flyway's location of this database's migrations. */
    String migrations() {
        return migrations;
    }

    /**
     * What a claim's SELECT ends with to lock its rows: nothing where one writer already excludes
     * every other one, {@code FOR UPDATE SKIP LOCKED} where claimers run side by side.
     */
    String skipLocked() {
        return skipLocked;
    }

    /**
     * The database's clock, as an SQL expression of the type its time columns hold. Leases are judged
     * by it alone, so an instance whose clock is wrong can neither take a live lease early nor keep a
     * dead one's rows waiting. On PostgreSQL it is the transaction's start: a claim's transaction is
     * short, and an earlier "now" only takes over a little later.
     */
    String now() {
        return now;
    }

    /**
     * A query for the database's clock as it is now, not as of the transaction's start, in one
     * column named {@code now} ({@link DatabaseClock}).
     */
    String clockQuery() {
        return "SELECT " + (this == POSTGRESQL ? "clock_timestamp()" : now) + " AS now";
    }

    /** {@link #now()} plus a bound parameter, a whole number of milliseconds: when a lease taken now ends. */
    String nowPlusMillis() {
        return nowPlusMillis;
    }

    /**
     * {@code … FOR KEY SHARE}: the lock a foreign key check takes on the row it points at, taken
     * ahead of time to keep a transaction's lock order ({@link Events#lockFirst}); nothing on SQLite.
     */
    String keyShare() {
        return skipLocked.isEmpty() ? "" : " FOR KEY SHARE";
    }

    /** {@code … FOR UPDATE} for a row a transaction reads and then changes. */
    String forUpdate() {
        return skipLocked.isEmpty() ? "" : " FOR UPDATE";
    }

    abstract void bind(PreparedStatement ps, int index, Instant instant) throws SQLException;

    abstract Instant instant(ResultSet rs, String column) throws SQLException;
}
