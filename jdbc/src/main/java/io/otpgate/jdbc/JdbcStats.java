package io.otpgate.jdbc;

import io.otpgate.core.delivery.DeliveryStatus;
import io.otpgate.core.stats.OutboxBacklog;
import io.otpgate.core.stats.Stats;
import io.otpgate.core.stats.StatsReader;
import io.otpgate.core.tenant.Tenant;
import io.otpgate.core.verification.Status;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@link StatsReader} on JDBC: a few GROUP BY queries, no per-row work in Java. */
final class JdbcStats implements StatsReader {

    /** Approvals sampled for the median: the newest ones, enough for a stable figure. */
    private static final int MEDIAN_SAMPLE = 10_000;

    private final Transactions tx;

    JdbcStats(Transactions tx) {
        this.tx = tx;
    }

    @Override
    public Stats stats(Tenant tenant, Instant now) {
        return tx.read(c -> {
            Map<Status, Long> byStatus = new EnumMap<>(Status.class);
            for (Status s : Status.values()) {
                byStatus.put(s, 0L);
            }
            try (PreparedStatement ps = Sql.prepare(c, """
              SELECT s, COUNT(*) FROM (
                SELECT CASE WHEN status = 'pending' AND expires_at <= ? THEN 'expired' ELSE status END AS s
                  FROM verifications WHERE tenant = ?) effective
               GROUP BY s
              """, now, tenant.name());
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    byStatus.put(Status.fromWire(rs.getString(1)), rs.getLong(2));
                }
            }
            Map<DeliveryStatus, Long> byDelivery = new EnumMap<>(DeliveryStatus.class);
            for (DeliveryStatus s : DeliveryStatus.values()) {
                byDelivery.put(s, 0L);
            }
            try (PreparedStatement ps = Sql.prepare(c, """
              SELECT o.status, COUNT(*) FROM verifications v JOIN outbox o ON o.id = v.outbox_id
               WHERE v.tenant = ? GROUP BY o.status
              """, tenant.name());
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    byDelivery.put(DeliveryStatus.fromWire(rs.getString(1)), rs.getLong(2));
                }
            }
            long approved = byStatus.get(Status.APPROVED);
            long decided = approved + byStatus.get(Status.EXPIRED) + byStatus.get(Status.FAILED);
            Optional<Double> rate = decided == 0 ? Optional.empty() : Optional.of((double) approved / decided);
            return new Stats(byStatus, byDelivery, rate, median(c, tenant));
        });
    }

    private static Optional<Duration> median(Connection c, Tenant tenant) throws SQLException {
        List<Long> millis = new ArrayList<>();
        try (PreparedStatement ps = Sql.prepare(c, """
            SELECT created_at, decided_at FROM verifications
             WHERE tenant = ? AND status = 'approved' AND decided_at IS NOT NULL
             ORDER BY decided_at DESC LIMIT ?
            """, tenant.name(), MEDIAN_SAMPLE);
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                millis.add(Duration.between(Sql.instant(rs, "created_at"), Sql.instant(rs, "decided_at"))
                        .toMillis());
            }
        }
        if (millis.isEmpty()) {
            return Optional.empty();
        }
        Collections.sort(millis);
        return Optional.of(Duration.ofMillis(millis.get(millis.size() / 2)));
    }

    @Override
    public OutboxBacklog backlog(Instant now) {
        return tx.read(c -> {
            try (PreparedStatement ps = Sql.prepare(c, """
              SELECT COUNT(*) AS depth, MIN(created_at) AS oldest
                FROM outbox WHERE status IN ('queued', 'retrying', 'sending')
              """);
                    ResultSet rs = ps.executeQuery()) {
                rs.next();
                Optional<Instant> oldest = Sql.optionalInstant(rs, "oldest");
                return new OutboxBacklog(rs.getLong("depth"), oldest.map(t -> Duration.between(t, now)));
            }
        });
    }

    @Override
    public boolean reachable() {
        try {
            return tx.read(c -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT 1");
                        ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            });
        } catch (RuntimeException e) {
            return false;
        }
    }
}
