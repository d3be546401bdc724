package io.otpgate.jdbc;

import io.otpgate.core.limit.Limited;
import io.otpgate.core.limit.RateLimit;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
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

  private static final String ENSURE = """
      INSERT INTO rate_buckets (bucket, window_start, hits) VALUES (?, ?, 0)
      ON CONFLICT DO NOTHING
      """;

  private static final String TAKE = """
      UPDATE rate_buckets
         SET hits = CASE WHEN window_start <= ? THEN 1 ELSE hits + 1 END,
             window_start = CASE WHEN window_start <= ? THEN ? ELSE window_start END
       WHERE bucket = ? AND (window_start <= ? OR hits < ?)
      """;

  private RateBuckets() {}

  /** Takes one event from each limit, or reports the first that is full (the caller rolls back). */
  static Optional<Limited> take(Connection c, List<RateLimit> limits, Instant now) throws SQLException {
    for (RateLimit limit : limits) {
      int taken = take(c, limit, now);
      if (taken == 0 && windowStart(c, limit.bucket()).isEmpty()) {
        // The purge deleted this long-idle counter between ENSURE and TAKE: count on a new one,
        // which the purge leaves alone (its window starts now).
        taken = take(c, limit, now);
      }
      if (taken == 0) {
        return Optional.of(new Limited(limit, windowStart(c, limit.bucket()).orElseThrow().plus(limit.window())));
      }
    }
    return Optional.empty();
  }

  private static int take(Connection c, RateLimit limit, Instant now) throws SQLException {
    Instant windowEndsBefore = now.minus(limit.window());
    Sql.update(c, ENSURE, limit.bucket(), now);
    return Sql.update(c, TAKE, windowEndsBefore, windowEndsBefore, now, limit.bucket(), windowEndsBefore,
        limit.max());
  }

  private static Optional<Instant> windowStart(Connection c, String bucket) throws SQLException {
    try (PreparedStatement ps = Sql.prepare(c, "SELECT window_start FROM rate_buckets WHERE bucket = ?", bucket);
        ResultSet rs = ps.executeQuery()) {
      return rs.next() ? Sql.optionalInstant(rs, "window_start") : Optional.empty();
    }
  }
}
