package io.otpgate.jdbc;

import io.otpgate.core.email.MailboxKey;
import io.otpgate.core.tenant.Tenant;
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
 * Consecutive wrong checks per tenant and mailbox, across verifications, and the lock they trigger.
 *
 * <p>Without it an attacker restarts verifications to get fresh attempts; with it the mailbox is
 * locked after {@code limit} consecutive misses whatever the number of verifications (NIST SP
 * 800-63B rev 4 §3.2.2). A success resets the count. Rows are keyed by {@link #key}: the mailbox key,
 * so that no letter case or Unicode form of the address starts a fresh count, under its tenant, so
 * that one tenant's guesser cannot lock another tenant's users out.
 */
final class RecipientFailures {

    /** An address's first miss since its last success (or since the purge took its quiet count). */
    private static final String FIRST_MISS = """
      INSERT INTO mailbox_failures (mailbox, consecutive, locked_until, last_failed_at) VALUES (?, 1, ?, ?)
      ON CONFLICT DO NOTHING
      """;

    private static final String RECORD_MISS = """
      UPDATE mailbox_failures
         SET consecutive = consecutive + 1,
             locked_until = CASE WHEN consecutive + 1 >= ? THEN ? ELSE locked_until END,
             last_failed_at = ?
       WHERE mailbox = ?
      """;

    private RecipientFailures() {}

    /** The row's key: tenant names have no colon, so {@code tenant:mailbox key} is never ambiguous. */
    static String key(Tenant tenant, MailboxKey mailbox) {
        return tenant.name() + ":" + mailbox.value();
    }

    static String key(String tenant, String mailboxKey) {
        return key(new Tenant(tenant), new MailboxKey(mailboxKey));
    }

    /**
     * The UPDATE comes first: after one miss the row exists, and a run of misses (an attacker's
     * guesses) then costs one statement each.
     */
    static void recordMiss(Connection c, String mailbox, FailureLock lock, Instant now) throws SQLException {
        Instant until = now.plus(lock.duration());
        if (Sql.update(c, RECORD_MISS, lock.limit(), until, now, mailbox) == 1
                || Sql.update(c, FIRST_MISS, mailbox, lock.limit() <= 1 ? until : null, now) == 1) {
            return;
        }
        // Another transaction recorded the first miss between the two statements: count on its row.
        Sql.update(c, RECORD_MISS, lock.limit(), until, now, mailbox);
    }

    static boolean reset(Connection c, String mailbox) throws SQLException {
        return Sql.update(c, "DELETE FROM mailbox_failures WHERE mailbox = ?", mailbox) > 0;
    }

    static Optional<Instant> lockedUntil(Connection c, String mailbox, Instant now) throws SQLException {
        return Optional.ofNullable(lockedUntil(c, List.of(mailbox), now).get(mailbox));
    }

    /** The keys among {@code mailboxes} that are locked at {@code now}, with the end of their lock. */
    static Map<String, Instant> lockedUntil(Connection c, Collection<String> mailboxes, Instant now)
            throws SQLException {
        Map<String, Instant> locked = new HashMap<>();
        for (List<String> chunk : Sql.chunks(mailboxes)) {
            List<Object> params = new ArrayList<>(chunk);
            params.add(now);
            try (PreparedStatement ps = Sql.prepare(c, """
              SELECT mailbox, locked_until FROM mailbox_failures WHERE mailbox IN (%s) AND locked_until > ?
              """.formatted(Sql.marks(chunk.size())), params.toArray());
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    locked.put(rs.getString("mailbox"), Sql.instant(rs, "locked_until"));
                }
            }
        }
        return locked;
    }
}
