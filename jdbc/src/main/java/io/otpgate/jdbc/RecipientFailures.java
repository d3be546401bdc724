package io.otpgate.jdbc;

import io.otpgate.core.verification.FailureLock;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Consecutive wrong checks per address, across verifications, and the lock they trigger.
 *
 * <p>Without it an attacker restarts verifications to get fresh attempts; with it the address is
 * locked after {@code limit} consecutive misses whatever the number of verifications (NIST SP
 * 800-63B rev 4 §3.2.2). A success resets the count.
 */
final class RecipientFailures {

    /** An address's first miss since its last success (or since the purge took its quiet count). */
    private static final String FIRST_MISS = """
      INSERT INTO recipient_failures (email, consecutive, locked_until, last_failed_at) VALUES (?, 1, ?, ?)
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

    /**
     * The UPDATE comes first: after one miss the row exists, and a run of misses (an attacker's
     * guesses) then costs one statement each.
     */
    static void recordMiss(Connection c, String email, FailureLock lock, Instant now) throws SQLException {
        Instant until = now.plus(lock.duration());
        if (Sql.update(c, RECORD_MISS, lock.limit(), until, now, email) == 1
                || Sql.update(c, FIRST_MISS, email, lock.limit() <= 1 ? until : null, now) == 1) {
            return;
        }
        // Another transaction recorded the first miss between the two statements: count on its row.
        Sql.update(c, RECORD_MISS, lock.limit(), until, now, email);
    }

    static void reset(Connection c, String email) throws SQLException {
        Sql.update(c, "DELETE FROM recipient_failures WHERE email = ?", email);
    }

    static Optional<Instant> lockedUntil(Connection c, String email, Instant now) throws SQLException {
        return Optional.ofNullable(lockedUntil(c, List.of(email), now).get(email));
    }

    /** The addresses among {@code emails} that are locked at {@code now}, with the end of their lock. */
    static Map<String, Instant> lockedUntil(Connection c, Collection<String> emails, Instant now) throws SQLException {
        Map<String, Instant> locked = new HashMap<>();
        for (List<String> chunk : Sql.chunks(emails)) {
            List<Object> params = new ArrayList<>(chunk);
            params.add(now);
            try (PreparedStatement ps = Sql.prepare(c, """
              SELECT email, locked_until FROM recipient_failures WHERE email IN (%s) AND locked_until > ?
              """.formatted(Sql.marks(chunk.size())), params.toArray());
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    locked.put(rs.getString("email"), Sql.instant(rs, "locked_until"));
                }
            }
        }
        return locked;
    }
}
