package io.otpgate.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Rows as the schema before tenants (migration V4) held them, written with plain JDBC: what the
 * upgrade tests start from, on PostgreSQL and on an older data dir's H2 file.
 */
final class OldSchemaRows {

    private OldSchemaRows() {}

    /** A pending verification of {@code email} as typed, and its queued email. */
    static void verification(Connection c, String id, String email, Instant created) throws SQLException {
        String outboxId = "msg_" + id.substring(4);
        insert(c, """
            INSERT INTO verifications (id, email, name, purpose, locale, status, code_hash, created_at,
                expires_at, attempts_used, max_attempts, sends, max_sends, resend_available_at, outbox_id)
            VALUES (?, ?, NULL, 'verify_email', 'en', 'pending', ?, ?, ?, 0, 3, 1, 5, ?, ?)
            """, id, email, new byte[32], at(created), at(created.plusSeconds(600)), at(created), outboxId);
        insert(c, """
            INSERT INTO outbox (id, verification_id, recipient, locale, purpose, sealed_code, status, attempts,
                created_at, expires_at, next_attempt_at)
            VALUES (?, ?, ?, 'en', 'verify_email', ?, 'queued', 0, ?, ?, ?)
            """, outboxId, id, email, new byte[40], at(created), at(created.plusSeconds(600)), at(created));
    }

    /** A time as those schemas' TIMESTAMP WITH TIME ZONE columns take it. */
    static OffsetDateTime at(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    static void insert(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            ps.executeUpdate();
        }
    }
}
