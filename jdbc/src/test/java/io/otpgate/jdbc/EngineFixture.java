package io.otpgate.jdbc;

import io.otpgate.core.code.CodeSealer;
import io.otpgate.core.code.ServerSecret;
import io.otpgate.core.id.VerificationId;
import io.otpgate.core.policy.Policy;
import io.otpgate.core.testing.MutableClock;
import io.otpgate.core.verification.StartRequest;
import io.otpgate.core.verification.StartResult;
import io.otpgate.core.verification.Verification;
import io.otpgate.core.verification.Verifier;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * A verifier on a real database (an SQLite file or embedded PostgreSQL) with a clock the test moves.
 * The code of a verification is read the way the email would carry it: from its outbox row, opened
 * with the server secret.
 */
final class EngineFixture implements AutoCloseable {

    static final ServerSecret SECRET =
            ServerSecret.of(List.of("test-secret-0123456789abcdef".getBytes(StandardCharsets.UTF_8)));

    final Database database;
    final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T10:00:00Z"));
    final Verifier verifier;
    private final CodeSealer sealer = new CodeSealer(SECRET, new SecureRandom());

    EngineFixture(TestDatabase db) {
        this(db, Policy.defaults());
    }

    EngineFixture(TestDatabase db, Policy policy) {
        this.database = db.open(16);
        this.verifier = Verifier.builder()
                .policy(policy)
                .store(database.verifications())
                .secret(SECRET)
                .clock(clock)
                .build();
    }

    /** Starts a verification on {@code database} as a second process would: its own verifier. */
    static StartResult startOn(Database database, String email) {
        return Verifier.builder()
                .policy(Policy.defaults())
                .store(database.verifications())
                .secret(SECRET)
                .clock(Clock.systemUTC())
                .build()
                .start(StartRequest.of(email));
    }

    Verification start(String email) {
        StartResult result = verifier.start(StartRequest.of(email));
        if (!(result instanceof StartResult.Started started)) {
            throw new AssertionError("expected Started, got " + result);
        }
        return started.verification();
    }

    /** The code in the verification's newest email, as the recipient would read it. */
    String codeOf(VerificationId id) {
        return query(
                """
        SELECT o.id, o.sealed_code FROM outbox o JOIN verifications v ON o.id = v.outbox_id
         WHERE v.id = ?
        """,
                id.value(),
                rs -> sealer.open(rs.getString(1), rs.getBytes(2)).reveal());
    }

    /** A code of the right shape that is not the verification's code. */
    String wrongCodeFor(VerificationId id) {
        String right = codeOf(id);
        return right.equals("000000") ? "111111" : "000000";
    }

    /** The first column of the only row {@code sql} gives, with every parameter bound as the store binds it. */
    int count(String sql, Object... params) {
        try (Connection c = database.dataSource().getConnection();
                PreparedStatement ps = Sql.prepare(c, sql, params);
                ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                throw new AssertionError("no row for " + sql);
            }
            return rs.getInt(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs {@code reader} on every row. */
    void each(String sql, Object param, Reader<?> reader) {
        try (Connection c = database.dataSource().getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, param);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    reader.read(rs);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A write behind the store's back, as another program (or an older version) could make it. */
    void update(String sql, Object param) {
        try (Connection c = database.dataSource().getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, param);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    interface Reader<T> {
        T read(ResultSet rs) throws SQLException;
    }

    <T> T query(String sql, Object param, Reader<T> reader) {
        try (Connection c = database.dataSource().getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            if (param != null) {
                ps.setObject(1, param);
            }
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new AssertionError("no row for " + sql);
                }
                return reader.read(rs);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        database.close();
    }
}
