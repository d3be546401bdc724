package io.otpgate.jdbc;

import io.otpgate.core.verification.FailureLock;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/**
 * Consecutive wrong checks per address, across verifications, and the lock they trigger.
 *
 * <p>Without it an attacker restarts verifications to get fresh attempts; with it the address is
 * locked after {@code limit} consecutive misses whatever the number of verifications (NIST SP
 * 800-63B rev 4 §3.2.2). A success resets the count.
 */
final class RecipientFailures {

  private static final String ENSURE = """
      INSERT INTO recipient_failures (email, consecutive, locked_until, last_failed_at) VALUES (?, 0, NULL, ?)
      ON CONFLICT DO NOTHING
      """;

  private static final String RECORD_MISS = """
      UPDATE recipient_failures
         SET consecutive = consecutive + 1,
             locked_until = CASE WHEN consecutive + 1 >= ? THEN ? ELSE locked_until END,
             last_failed_at = ?
       WHERE email = ?
      """;

  private RecipientFailures() {}

  static void recordMiss(Connection c, String email, FailureLock lock, Instant now) throws SQLException {
    for (int tries = 0; tries < 2; tries++) {
      Sql.update(c, ENSURE, email, now);
      if (Sql.update(c, RECORD_MISS, lock.limit(), now.plus(lock.duration()), now, email) == 1) {
        return;
      }
      // The purge deleted this long-quiet count between ENSURE and RECORD_MISS: start a new one.
    }
  }

  static void reset(Connection c, String email) throws SQLException {
    Sql.update(c, "DELETE FROM recipient_failures WHERE email = ?", email);
  }

  static Optional<Instant> lockedUntil(Connection c, String email, Instant now) throws SQLException {
    try (PreparedStatement ps =
            Sql.prepare(c, "SELECT locked_until FROM recipient_failures WHERE email = ? AND locked_until > ?",
                email, now);
        ResultSet rs = ps.executeQuery()) {
      return rs.next() ? Sql.optionalInstant(rs, "locked_until") : Optional.empty();
    }
  }
}
