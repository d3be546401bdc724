package io.otpgate.jdbc;

import io.otpgate.core.retention.MaintenanceLease;
import io.otpgate.core.retention.Purge;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link Purge} on JDBC.
 *
 * <p>PostgreSQL has no {@code DELETE … LIMIT}, so each chunk deletes the rows a limited subquery
 * picks, and repeats the condition outside it: should a row change between the two (a rate-limit
 * window restarted by a request), the outer condition, checked on the row as locked, keeps it.
 * Each chunk commits on its own, so no statement holds more than {@code limit} row locks.
 */
final class JdbcPurge implements Purge {

    static final String LEASE_NAME = "purge";

    /** Ended: expired, or decided (approved, failed, canceled, expired), before the cutoff. */
    private static final String VERIFICATIONS = """
      DELETE FROM verifications
       WHERE id IN (SELECT id FROM verifications WHERE expires_at < ? OR decided_at < ? LIMIT ?)
         AND (expires_at < ? OR decided_at < ?)
      """;

    /**
     * Every window OTPGate counts is far shorter than the retention (see {@code Purger.MIN_RETENTION}),
     * so a window that started before the cutoff has ended. No index on window_start: it would slow
     * down every counted request to speed up an hourly scan.
     */
    private static final String RATE_BUCKETS = """
      DELETE FROM rate_buckets
       WHERE bucket IN (SELECT bucket FROM rate_buckets WHERE window_start < ? LIMIT ?)
         AND window_start < ?
      """;

    /**
     * Forgetting a count re-grants at most the failure limit in guesses, once per retention: far fewer
     * than an attacker who waits out each lock already gets, one guess per lock period.
     */
    private static final String RECIPIENT_FAILURES = """
      DELETE FROM mailbox_failures
       WHERE mailbox IN (SELECT mailbox FROM mailbox_failures
                        WHERE last_failed_at < ? AND (locked_until IS NULL OR locked_until <= ?) LIMIT ?)
         AND last_failed_at < ? AND (locked_until IS NULL OR locked_until <= ?)
      """;

    /** A key chosen may also be old in another tenant: that row is past its day too, and goes with it. */
    private static final String IDEMPOTENCY_KEYS = """
      DELETE FROM idempotency_keys
       WHERE idem_key IN (SELECT idem_key FROM idempotency_keys WHERE created_at < ? LIMIT ?)
         AND created_at < ?
      """;

    /** Any delivery but one being sent: those of a disabled endpoint wait in the queue until then. */
    private static final String WEBHOOK_DELIVERIES = """
      DELETE FROM webhook_deliveries
       WHERE id IN (SELECT id FROM webhook_deliveries WHERE created_at < ? AND status <> 'sending' LIMIT ?)
         AND created_at < ? AND status <> 'sending'
      """;

    /** The rollup's oldest hours: each hour's rows, in both tables, go together (a chunk is of hours). */
    private static final String STATS_HOURS = """
      SELECT DISTINCT hour FROM stats_hourly WHERE hour < ? ORDER BY hour LIMIT ?
      """;

    private final Transactions tx;
    private final MaintenanceLease lease;

    JdbcPurge(Transactions tx) {
        this.tx = tx;
        this.lease = MaintenanceLeases.named(tx, LEASE_NAME);
    }

    @Override
    public boolean lease(String owner, Instant now, Instant until) {
        return lease.take(owner, now, until);
    }

    @Override
    public int verifications(Instant endedBefore, int limit) {
        // The outbox rows go with them: ON DELETE CASCADE.
        return tx.write(c -> Sql.update(c, VERIFICATIONS, endedBefore, endedBefore, limit, endedBefore, endedBefore));
    }

    @Override
    public int rateBuckets(Instant windowStartedBefore, int limit) {
        return tx.write(c -> Sql.update(c, RATE_BUCKETS, windowStartedBefore, limit, windowStartedBefore));
    }

    @Override
    public int idempotencyKeys(Instant createdBefore, int limit) {
        return tx.write(c -> Sql.update(c, IDEMPOTENCY_KEYS, createdBefore, limit, createdBefore));
    }

    @Override
    public int webhookDeliveries(Instant createdBefore, int limit) {
        return tx.write(c -> Sql.update(c, WEBHOOK_DELIVERIES, createdBefore, limit, createdBefore));
    }

    @Override
    public int statsHours(Instant hourBefore, int limit) {
        return tx.write(c -> {
            List<Instant> hours = new ArrayList<>();
            try (PreparedStatement ps = Sql.prepare(c, STATS_HOURS, hourBefore, limit);
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    hours.add(Sql.instant(rs, "hour"));
                }
            }
            for (Instant hour : hours) {
                Sql.update(c, "DELETE FROM stats_hourly WHERE hour = ?", hour);
                Sql.update(c, "DELETE FROM stats_latency WHERE hour = ?", hour);
            }
            return hours.size();
        });
    }

    @Override
    public int recipientFailures(Instant lastFailedBefore, Instant now, int limit) {
        return tx.write(c -> Sql.update(c, RECIPIENT_FAILURES, lastFailedBefore, now, limit, lastFailedBefore, now));
    }

    /**
     * {@code PRAGMA incremental_vacuum(N)} moves up to N free pages to the end of the SQLite file
     * and truncates it (the file was created with incremental auto-vacuum). It reports nothing, so
     * the free-page count before and after says how many went.
     */
    @Override
    public int reclaimSpace(int pages) {
        return tx.write(c -> {
            if (Dialect.of(c) != Dialect.SQLITE) {
                return 0;
            }
            long before = freePages(c);
            // A positive integer, formatted here: nothing of a caller's reaches the statement. SQLite
            // frees one page per step of the statement: executeUpdate runs every step, execute only one.
            try (Statement statement = c.createStatement()) {
                statement.executeUpdate("PRAGMA incremental_vacuum(" + Math.max(1, pages) + ")");
            }
            return (int) (before - freePages(c));
        });
    }

    private static long freePages(Connection c) throws SQLException {
        try (Statement statement = c.createStatement();
                ResultSet rs = statement.executeQuery("PRAGMA freelist_count")) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }
}
