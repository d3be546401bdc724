package io.otpgate.jdbc;

import io.otpgate.core.email.MailboxKey;
import io.otpgate.core.limit.RateLimit;
import io.otpgate.core.tenant.Tenant;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Tenants and mailbox keys (issue 11): additive, on H2 and PostgreSQL alike.
 *
 * <p>In Java because the mailbox key needs Unicode NFC, which neither database's SQL offers. Every
 * row from before belongs to tenant {@code default}. Rate counters and failure counts that differed
 * only by the letter case of the address are merged, taking the larger window and the sum of the
 * counts: an attacker who spread guesses or starts over case variants gets no fresh budget from the
 * upgrade. Of several pending verifications of one mailbox and purpose (case variants again) the
 * newest stays pending and the others are canceled, so that the unique index below can exist.
 */
final class V5__Tenants extends BaseJavaMigration {

    private static final String RECIPIENT_PREFIX = RateLimit.RECIPIENT + ":";

    @Override
    public void migrate(Context context) throws SQLException {
        Connection c = context.getConnection();
        Instant now = Instant.now();
        boolean postgres = c.getMetaData().getDatabaseProductName().startsWith("PostgreSQL");
        verifications(c, postgres, now);
        apiKeys(c);
        rateBuckets(c);
        failures(c);
    }

    private static void verifications(Connection c, boolean postgres, Instant now) throws SQLException {
        run(c, "ALTER TABLE verifications ADD COLUMN tenant VARCHAR(32) DEFAULT 'default' NOT NULL");
        run(c, "ALTER TABLE verifications ALTER COLUMN tenant DROP DEFAULT");
        run(c, "ALTER TABLE verifications ADD COLUMN mailbox_key VARCHAR(254)");
        // The API key that started it (its public id); empty for the pages, the CLI and older rows.
        run(c, "ALTER TABLE verifications ADD COLUMN key_id VARCHAR(32)");
        // A tenant that may read a pages verification: the one its redirect URI names.
        run(c, "ALTER TABLE verifications ADD COLUMN reader_tenant VARCHAR(32)");

        Map<String, List<String>> byMailbox = new LinkedHashMap<>();
        List<Object[]> keys = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id, email FROM verifications");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                keys.add(new Object[] {MailboxKey.ofCanonical(rs.getString(2)).value(), rs.getString(1)});
            }
        }
        Sql.batch(c, "UPDATE verifications SET mailbox_key = ? WHERE id = ?", keys);
        run(c, "ALTER TABLE verifications ALTER COLUMN mailbox_key SET NOT NULL");

        try (PreparedStatement ps = c.prepareStatement("""
              SELECT id, mailbox_key, purpose FROM verifications WHERE status = 'pending'
               ORDER BY created_at DESC, id DESC
              """);
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                byMailbox
                        .computeIfAbsent(rs.getString(2) + " " + rs.getString(3), k -> new ArrayList<>())
                        .add(rs.getString(1));
            }
        }
        List<Object[]> older = new ArrayList<>();
        for (List<String> ids : byMailbox.values()) {
            ids.subList(1, ids.size()).forEach(id -> older.add(new Object[] {id}));
        }
        Sql.batch(
                c,
                "UPDATE verifications SET status = 'canceled', decided_at = ? WHERE id = ?",
                older.stream().map(row -> new Object[] {now, row[0]}).toList());
        Sql.batch(
                c,
                "UPDATE outbox SET status = 'canceled', sealed_code = NULL"
                        + " WHERE verification_id = ? AND status IN ('queued', 'retrying')",
                older);

        // The mailbox key while pending, else NULL: a unique index over it allows one pending
        // verification per tenant, mailbox and purpose (NULLs never collide), which is what neither
        // database's portable SQL can say with a partial index (H2 has none).
        String pendingMailbox = "CASE WHEN status = 'pending' THEN mailbox_key END";
        run(
                c,
                "ALTER TABLE verifications ADD COLUMN pending_mailbox VARCHAR(254) GENERATED ALWAYS AS ("
                        + pendingMailbox + ")" + (postgres ? " STORED" : ""));
        run(c, "CREATE UNIQUE INDEX verifications_one_pending ON verifications (pending_mailbox, tenant, purpose)");
        // Lookups go by mailbox key and pending state now; the address as typed serves only delivery.
        run(c, "DROP INDEX verifications_by_address");
        run(c, "CREATE INDEX verifications_by_tenant ON verifications (tenant, created_at)");
    }

    private static void apiKeys(Connection c) throws SQLException {
        run(c, "ALTER TABLE api_keys ADD COLUMN tenant VARCHAR(32) DEFAULT 'default' NOT NULL");
        run(c, "ALTER TABLE api_keys ALTER COLUMN tenant DROP DEFAULT");
    }

    /** {@code recipient:<address>} becomes {@code recipient:default:<key>} and the ceiling's bucket. */
    private static void rateBuckets(Connection c) throws SQLException {
        Map<String, Bucket> merged = new LinkedHashMap<>();
        List<Object[]> old = new ArrayList<>();
        try (PreparedStatement ps =
                c.prepareStatement("SELECT bucket, window_start, hits FROM rate_buckets WHERE bucket LIKE ?")) {
            ps.setString(1, RECIPIENT_PREFIX + "%");
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String bucket = rs.getString(1);
                    old.add(new Object[] {bucket});
                    MailboxKey key = MailboxKey.ofCanonical(bucket.substring(RECIPIENT_PREFIX.length()));
                    Bucket counted = new Bucket(Sql.instant(rs, "window_start"), rs.getInt(3));
                    merged.merge(RECIPIENT_PREFIX + Tenant.DEFAULT + ":" + key, counted, Bucket::plus);
                    merged.merge(RateLimit.RECIPIENT_CEILING + ":" + key.withoutTag(), counted, Bucket::plus);
                }
            }
        }
        Sql.batch(c, "DELETE FROM rate_buckets WHERE bucket = ?", old);
        Sql.batch(
                c,
                "INSERT INTO rate_buckets (bucket, window_start, hits) VALUES (?, ?, ?)",
                merged.entrySet().stream()
                        .map(e -> new Object[] {
                            e.getKey(), e.getValue().windowStart(), e.getValue().hits()
                        })
                        .toList());
    }

    private record Bucket(Instant windowStart, int hits) {
        Bucket plus(Bucket other) {
            Instant later = windowStart.isAfter(other.windowStart) ? windowStart : other.windowStart;
            return new Bucket(later, hits + other.hits);
        }
    }

    /**
     * The failure counts move to a table keyed by {@code tenant:mailbox key} (tenant names have no
     * colon), replacing the one keyed by the address as typed.
     */
    private static void failures(Connection c) throws SQLException {
        run(c, """
            CREATE TABLE mailbox_failures (
                mailbox        VARCHAR(300) PRIMARY KEY,
                consecutive    INTEGER      NOT NULL,
                locked_until   TIMESTAMP WITH TIME ZONE,
                last_failed_at TIMESTAMP WITH TIME ZONE NOT NULL
            )
            """);
        Map<String, Failures> merged = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement(
                        "SELECT email, consecutive, locked_until, last_failed_at FROM recipient_failures");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                merged.merge(
                        Tenant.DEFAULT + ":" + MailboxKey.ofCanonical(rs.getString(1)),
                        new Failures(rs.getInt(2), Sql.instant(rs, "locked_until"), Sql.instant(rs, "last_failed_at")),
                        Failures::plus);
            }
        }
        Sql.batch(
                c,
                "INSERT INTO mailbox_failures (mailbox, consecutive, locked_until, last_failed_at) VALUES (?, ?, ?, ?)",
                merged.entrySet().stream()
                        .map(e -> new Object[] {
                            e.getKey(),
                            e.getValue().consecutive(),
                            e.getValue().lockedUntil(),
                            e.getValue().lastFailedAt()
                        })
                        .toList());
        run(c, "DROP TABLE recipient_failures");
    }

    private record Failures(int consecutive, Instant lockedUntil, Instant lastFailedAt) {
        Failures plus(Failures other) {
            return new Failures(
                    consecutive + other.consecutive,
                    later(lockedUntil, other.lockedUntil),
                    later(lastFailedAt, other.lastFailedAt));
        }

        private static Instant later(Instant a, Instant b) {
            return a == null ? b : b == null || a.isAfter(b) ? a : b;
        }
    }

    private static void run(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
