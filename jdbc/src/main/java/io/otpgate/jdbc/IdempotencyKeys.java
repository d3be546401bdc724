package io.otpgate.jdbc;

import io.otpgate.core.id.VerificationId;
import io.otpgate.core.tenant.Tenant;
import io.otpgate.core.verification.Idempotency;
import io.otpgate.core.verification.VerificationStore.StartOutcome;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The first start made under each idempotency key of a tenant, for {@link Idempotency#LIFETIME}.
 *
 * <p>A key is claimed by inserting its row in the transaction that stores the verification, before
 * anything is counted. Two requests racing with one key meet at the primary key: on PostgreSQL the
 * second insert waits for the first transaction and then finds its committed row, so exactly one of
 * them starts a verification (on SQLite the single writer runs the two one after the other).
 */
final class IdempotencyKeys {

    private static final String CLAIM = """
      INSERT INTO idempotency_keys (tenant, idem_key, fingerprint, verification_id, created_at)
      VALUES (?, ?, ?, ?, ?)
      ON CONFLICT DO NOTHING
      """;

    private static final String FIND = """
      SELECT fingerprint, verification_id, created_at FROM idempotency_keys WHERE tenant = ? AND idem_key = ?
      """;

    /** Takes over a key older than its lifetime, unless another transaction just did. */
    private static final String RENEW = """
      UPDATE idempotency_keys SET fingerprint = ?, verification_id = ?, created_at = ?
       WHERE tenant = ? AND idem_key = ? AND created_at = ?
      """;

    private static final String FORGET = "DELETE FROM idempotency_keys WHERE tenant = ? AND idem_key = ?";

    private IdempotencyKeys() {}

    /** One start's key, to claim for the verification it would create. */
    record Claim(Tenant tenant, Idempotency key, VerificationId id) {}

    /**
     * {@link #claim} for many starts, in their order: one JDBC batch of inserts, and the reads only
     * for keys that were already taken (a retry, or the same key twice in one batch).
     */
    static List<Optional<StartOutcome>> claimAll(Connection c, List<Claim> claims, Instant now) throws SQLException {
        List<Object[]> rows = new ArrayList<>(claims.size());
        for (Claim claim : claims) {
            rows.add(new Object[] {
                claim.tenant().name(),
                claim.key().key(),
                claim.key().fingerprint(),
                claim.id().value(),
                now
            });
        }
        int[] inserted = Sql.batch(c, CLAIM, rows);
        List<Optional<StartOutcome>> outcomes = new ArrayList<>(claims.size());
        for (int i = 0; i < claims.size(); i++) {
            Claim claim = claims.get(i);
            // 1: this row is the key's. Anything else (taken, or a driver that does not say) is
            // settled by the one-key path, whose insert then finds the row and reads it.
            outcomes.add(inserted[i] == 1 ? Optional.empty() : claim(c, claim.tenant(), claim.key(), claim.id(), now));
        }
        return outcomes;
    }

    /**
     * Claims {@code key} for the verification {@code id}; empty when this start may go ahead,
     * otherwise what the earlier start under the key means for this one.
     */
    static Optional<StartOutcome> claim(Connection c, Tenant tenant, Idempotency key, VerificationId id, Instant now)
            throws SQLException {
        if (Sql.update(c, CLAIM, tenant.name(), key.key(), key.fingerprint(), id.value(), now) == 1) {
            return Optional.empty();
        }
        try (PreparedStatement ps = Sql.prepare(c, FIND, tenant.name(), key.key());
                ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                // Deleted between the two statements (the purge, or a refused start forgetting it).
                return claim(c, tenant, key, id, now);
            }
            if (id.value().equals(rs.getString("verification_id"))) {
                return Optional.empty(); // this start's own row, inserted by a batch that did not say so
            }
            Instant created = Sql.instant(rs, "created_at");
            if (!created.isAfter(now.minus(Idempotency.LIFETIME))) {
                boolean renewed =
                        Sql.update(c, RENEW, key.fingerprint(), id.value(), now, tenant.name(), key.key(), created)
                                == 1;
                return renewed ? Optional.empty() : claim(c, tenant, key, id, now);
            }
            return Optional.of(
                    key.fingerprint().equals(rs.getString("fingerprint"))
                            ? new StartOutcome.Replayed(new VerificationId(rs.getString("verification_id")))
                            : new StartOutcome.KeyReused());
        }
    }

    /** Gives back the keys of starts that were refused after claiming them, so a retry may succeed. */
    static void forget(Connection c, Tenant tenant, List<String> keys) throws SQLException {
        List<Object[]> rows = new ArrayList<>(keys.size());
        keys.forEach(key -> rows.add(new Object[] {tenant.name(), key}));
        Sql.batch(c, FORGET, rows);
    }
}
