package io.otpgate.jdbc;

import io.otpgate.core.apikey.ApiKey;
import io.otpgate.core.apikey.ApiKeyStore;
import io.otpgate.core.tenant.Tenant;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** {@link ApiKeyStore} on JDBC. The table holds hashes only; {@code list} never selects them. */
final class JdbcApiKeyStore implements ApiKeyStore {

    private static final String INSERT = """
      INSERT INTO api_keys (id, name, key_hash, created_at, revoked_at, tenant, scope) VALUES (?, ?, ?, ?, NULL, ?, ?)
      """;

    private static final String FIND = """
      SELECT id, name, created_at, revoked_at, tenant, scope, key_hash FROM api_keys WHERE id = ?
      """;

    private static final String LIST = """
      SELECT id, name, created_at, revoked_at, tenant, scope FROM api_keys ORDER BY created_at, id
      """;

    /** Revokes once: of two concurrent revocations, exactly one sees a row changed. */
    private static final String REVOKE = """
      UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL
      """;

    private static final String COUNT_ACTIVE = """
      SELECT COUNT(*) FROM api_keys WHERE revoked_at IS NULL
      """;

    private final Transactions tx;

    JdbcApiKeyStore(Transactions tx) {
        this.tx = tx;
    }

    @Override
    public void insert(ApiKey key, byte[] keyHash) {
        Objects.requireNonNull(keyHash, "keyHash");
        if (key.source() != ApiKey.Source.STORED || !key.active()) {
            throw new IllegalArgumentException("only a new, active stored key can be inserted");
        }
        tx.write(c -> Sql.update(
                c,
                INSERT,
                key.id(),
                key.name(),
                keyHash,
                key.createdAt(),
                key.tenant().name(),
                key.scope().wireName()));
    }

    @Override
    public Optional<StoredKey> findById(String id) {
        return tx.read(c -> {
            try (PreparedStatement ps = Sql.prepare(c, FIND, id);
                    ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new StoredKey(key(rs), rs.getBytes("key_hash"))) : Optional.empty();
            }
        });
    }

    @Override
    public List<ApiKey> list() {
        return tx.read(c -> {
            List<ApiKey> keys = new ArrayList<>();
            try (PreparedStatement ps = Sql.prepare(c, LIST);
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    keys.add(key(rs));
                }
            }
            return keys;
        });
    }

    @Override
    public boolean revoke(String id, Instant now) {
        return tx.write(c -> Sql.update(c, REVOKE, now, id) == 1);
    }

    @Override
    public int countActive() {
        return tx.read(c -> {
            try (PreparedStatement ps = Sql.prepare(c, COUNT_ACTIVE);
                    ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        });
    }

    private static ApiKey key(ResultSet rs) throws SQLException {
        return new ApiKey(
                rs.getString("id"),
                rs.getString("name"),
                Sql.instant(rs, "created_at"),
                Sql.optionalInstant(rs, "revoked_at"),
                ApiKey.Source.STORED,
                new Tenant(rs.getString("tenant")),
                ApiKey.Scope.parse(rs.getString("scope")).orElseThrow());
    }
}
