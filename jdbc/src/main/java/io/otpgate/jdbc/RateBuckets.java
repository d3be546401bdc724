package io.otpgate.jdbc;

import io.otpgate.core.limit.Limited;
import io.otpgate.core.limit.RateLimit;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Fixed-window counters in the shared database.
 *
 * <p>Taking one event is a single conditional UPDATE: it either starts a new window or adds to the
 * current one while it is under the limit, and its row count says which. Two processes racing for
 * the last slot cannot both get it, because the row lock serialises them and the second one's
 * WHERE clause no longer matches.
 */
final class RateBuckets {

    private static final String TAKE = """
      UPDATE rate_buckets
         SET hits = CASE WHEN window_start <= ? THEN 1 ELSE hits + 1 END,
             window_start = CASE WHEN window_start <= ? THEN ? ELSE window_start END
       WHERE bucket = ? AND (window_start <= ? OR hits < ?)
      """;

    /** A bucket's first event: its row, with this event counted (every limit allows at least one). */
    private static final String FIRST = """
      INSERT INTO rate_buckets (bucket, window_start, hits) VALUES (?, ?, 1)
      ON CONFLICT DO NOTHING
      """;

    private RateBuckets() {}

    /**
     * Takes one event from each limit, or takes none and reports the first that is full. The caller
     * need not roll back: what was taken before a full limit is undone here.
     */
    static Optional<Limited> take(Connection c, List<RateLimit> limits, Instant now) throws SQLException {
        // A savepoint only when there is something to undo: a refused first limit changed nothing.
        // In SQL rather than JDBC's setSavepoint, which SQLite's driver ties to its own transactions.
        boolean savepoint = limits.size() > 1;
        if (savepoint) {
            execute(c, "SAVEPOINT rate_limits");
        }
        for (RateLimit limit : limits) {
            if (!takeOne(c, limit, now)) {
                if (savepoint) {
                    execute(c, "ROLLBACK TO SAVEPOINT rate_limits");
                    execute(c, "RELEASE SAVEPOINT rate_limits");
                }
                return Optional.of(new Limited(
                        limit, windowStart(c, limit.bucket()).orElseThrow().plus(limit.window())));
            }
        }
        if (savepoint) {
            execute(c, "RELEASE SAVEPOINT rate_limits");
        }
        return Optional.empty();
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (Statement statement = c.createStatement()) {
            statement.execute(sql);
        }
    }

    /**
     * The UPDATE comes first because the row usually exists (a client IP, an API key, an address
     * that starts again): one statement then. A missing row (a bucket's first event, or a long-idle
     * one the purge deleted) is created holding this event.
     */
    private static boolean takeOne(Connection c, RateLimit limit, Instant now) throws SQLException {
        if (update(c, limit, now) == 1 || Sql.update(c, FIRST, limit.bucket(), now) == 1) {
            return true;
        }
        // Another transaction created the row between the two statements: count on it.
        return update(c, limit, now) == 1;
    }

    private static int update(Connection c, RateLimit limit, Instant now) throws SQLException {
        Instant windowEndsBefore = now.minus(limit.window());
        return Sql.update(
                c, TAKE, windowEndsBefore, windowEndsBefore, now, limit.bucket(), windowEndsBefore, limit.max());
    }

    private static Optional<Instant> windowStart(Connection c, String bucket) throws SQLException {
        try (PreparedStatement ps = Sql.prepare(c, "SELECT window_start FROM rate_buckets WHERE bucket = ?", bucket);
                ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Sql.optionalInstant(rs, "window_start") : Optional.empty();
        }
    }
}
