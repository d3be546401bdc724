package io.otpgate.jdbc;

import io.otpgate.core.event.EventType;
import io.otpgate.core.tenant.Tenant;
import io.otpgate.core.webhook.QueuedWebhook;
import io.otpgate.core.webhook.Webhook;
import io.otpgate.core.webhook.WebhookDelivery;
import io.otpgate.core.webhook.WebhookQueue;
import io.otpgate.core.webhook.WebhookStore;
import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * {@link WebhookStore} and {@link WebhookQueue} on JDBC. The queue claims as the email outbox does
 * ({@link JdbcOutbox}): due rows locked with {@code FOR UPDATE SKIP LOCKED} on PostgreSQL (the
 * single writer excludes the rest on SQLite), leased by the database's clock, each claim a new claim
 * number, every outcome guarded by it ({@link #GUARD}).
 */
final class JdbcWebhooks implements WebhookStore, WebhookQueue {

    private static final int MAX_ERROR = 1000;

    private static final String COLUMNS = """
      SELECT id, tenant, url, events, created_at, disabled_at, disabled_reason FROM webhooks
      """;

    /** Deliveries of disabled endpoints wait (a replay after re-adding is not possible: they go with it). */
    private static final String DUE = """
      SELECT id FROM webhook_deliveries
       WHERE status = ? AND next_attempt_at <= ?
         AND webhook_id IN (SELECT id FROM webhooks WHERE disabled_at IS NULL)
       ORDER BY next_attempt_at
       LIMIT ?
      """;

    private static final String ABANDONED = """
      SELECT id FROM webhook_deliveries WHERE status = 'sending' AND lease_until <= %s ORDER BY lease_until LIMIT ?
      """;

    private static final String CANDIDATES = """
      SELECT d.id, d.webhook_id, d.payload, d.attempts, d.claim, w.url, w.sealed_secret
        FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
       WHERE d.id IN (%s)
       ORDER BY d.next_attempt_at
      """;

    private static final String LEASE = """
      UPDATE webhook_deliveries SET status = 'sending', lease_owner = ?, lease_until = %s, claim = ? WHERE id = ?
      """;

    /** Outcomes are recorded only by the claim that holds the row. */
    private static final String GUARD = " WHERE id = ? AND claim = ? AND status = 'sending'";

    private static final String FINISH = """
      UPDATE webhook_deliveries SET status = ?, attempted_at = ?, response_status = ?, last_error = ?,
             attempts = attempts + 1, lease_owner = NULL, lease_until = NULL
      """ + GUARD;

    private static final String RETRY = """
      UPDATE webhook_deliveries SET status = 'retrying', next_attempt_at = ?, attempted_at = ?, response_status = ?,
             last_error = ?, attempts = attempts + 1, lease_owner = NULL, lease_until = NULL
      """ + GUARD;

    private final Transactions tx;

    JdbcWebhooks(Transactions tx) {
        this.tx = tx;
    }

    @Override
    public void add(Webhook webhook, byte[] sealedSecret) {
        tx.write(c -> Sql.update(
                c,
                """
                INSERT INTO webhooks (id, tenant, url, events, sealed_secret, created_at) VALUES (?, ?, ?, ?, ?, ?)
                """,
                webhook.id(),
                webhook.tenant().name(),
                webhook.url().toString(),
                webhook.events().stream().map(EventType::wireName).sorted().collect(Collectors.joining(",")),
                sealedSecret,
                webhook.createdAt()));
    }

    @Override
    public List<Webhook> list(Tenant tenant) {
        return tx.read(c -> {
            List<Webhook> webhooks = new ArrayList<>();
            try (PreparedStatement ps =
                            Sql.prepare(c, COLUMNS + " WHERE tenant = ? ORDER BY created_at, id", tenant.name());
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    webhooks.add(webhook(rs));
                }
            }
            return webhooks;
        });
    }

    @Override
    public Optional<Webhook> find(Tenant tenant, String id) {
        return tx.read(c -> find(c, tenant, id));
    }

    private static Optional<Webhook> find(Connection c, Tenant tenant, String id) throws SQLException {
        try (PreparedStatement ps = Sql.prepare(c, COLUMNS + " WHERE tenant = ? AND id = ?", tenant.name(), id);
                ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(webhook(rs)) : Optional.empty();
        }
    }

    @Override
    public boolean remove(Tenant tenant, String id) {
        // Its deliveries go with it: ON DELETE CASCADE.
        return tx.write(c -> Sql.update(c, "DELETE FROM webhooks WHERE tenant = ? AND id = ?", tenant.name(), id) == 1);
    }

    @Override
    public boolean test(Tenant tenant, String id, Instant now) {
        return tx.write(c -> {
            if (find(c, tenant, id).isEmpty()) {
                return false;
            }
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("webhook_id", id);
            data.put("tenant", tenant.name());
            Events.queue(c, Events.delivery(id, "webhook.test", now, data));
            return true;
        });
    }

    @Override
    public List<WebhookDelivery> deliveries(Tenant tenant, String webhookId, int limit) {
        return tx.read(c -> {
            List<WebhookDelivery> log = new ArrayList<>();
            try (PreparedStatement ps = Sql.prepare(c, """
              SELECT d.id, d.webhook_id, d.event_type, d.status, d.attempts, d.created_at, d.attempted_at,
                     d.next_attempt_at, d.response_status, d.last_error
                FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
               WHERE w.tenant = ? AND d.webhook_id = ?
               ORDER BY d.created_at DESC, d.id
               LIMIT ?
              """, tenant.name(), webhookId, limit);
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String status = rs.getString("status");
                    boolean waiting = status.equals("queued") || status.equals("retrying");
                    int response = rs.getInt("response_status");
                    Optional<Integer> responseStatus = rs.wasNull() ? Optional.empty() : Optional.of(response);
                    log.add(new WebhookDelivery(
                            rs.getString("id"),
                            rs.getString("webhook_id"),
                            rs.getString("event_type"),
                            status,
                            rs.getInt("attempts"),
                            Sql.instant(rs, "created_at"),
                            Sql.optionalInstant(rs, "attempted_at"),
                            waiting ? Sql.optionalInstant(rs, "next_attempt_at") : Optional.empty(),
                            responseStatus,
                            Optional.ofNullable(rs.getString("last_error"))));
                }
            }
            return log;
        });
    }

    @Override
    public boolean replay(Tenant tenant, Optional<String> webhookId, String deliveryId, Instant now) {
        String sql = """
          UPDATE webhook_deliveries SET status = 'queued', next_attempt_at = ?, attempts = 0
           WHERE id = ? AND status IN ('delivered', 'failed')
             AND webhook_id IN (SELECT id FROM webhooks WHERE tenant = ?%s)
          """.formatted(webhookId.isPresent() ? " AND id = ?" : "");
        Object[] params = webhookId.isPresent()
                ? new Object[] {now, deliveryId, tenant.name(), webhookId.get()}
                : new Object[] {now, deliveryId, tenant.name()};
        return tx.write(c -> Sql.update(c, sql, params) == 1);
    }

    @Override
    public List<QueuedWebhook> claim(String owner, int limit, Instant now, Duration lease) {
        return tx.write(c -> {
            Dialect dialect = Dialect.of(c);
            List<String> locked = new ArrayList<>();
            for (String status : new String[] {"queued", "retrying"}) {
                if (locked.size() < limit) {
                    locked.addAll(ids(c, DUE + dialect.skipLocked(), status, now, limit - locked.size()));
                }
            }
            if (locked.size() < limit) {
                locked.addAll(ids(c, ABANDONED.formatted(dialect.now()) + dialect.skipLocked(), limit - locked.size()));
            }
            if (locked.isEmpty()) {
                return List.of();
            }
            List<QueuedWebhook> claimed = new ArrayList<>();
            List<Object[]> leases = new ArrayList<>();
            try (PreparedStatement ps =
                            Sql.prepare(c, CANDIDATES.formatted(Sql.marks(locked.size())), locked.toArray());
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    // The row is locked by this transaction, so the next claim number is exactly this one.
                    long claim = rs.getLong("claim") + 1;
                    leases.add(new Object[] {owner, lease.toMillis(), claim, rs.getString("id")});
                    claimed.add(new QueuedWebhook(
                            rs.getString("id"),
                            rs.getString("webhook_id"),
                            URI.create(rs.getString("url")),
                            rs.getBytes("sealed_secret"),
                            rs.getString("payload"),
                            rs.getInt("attempts"),
                            claim));
                }
            }
            Sql.batch(c, LEASE.formatted(dialect.nowPlusMillis()), leases);
            return claimed;
        });
    }

    private static List<String> ids(Connection c, String sql, Object... params) throws SQLException {
        List<String> ids = new ArrayList<>();
        try (PreparedStatement ps = Sql.prepare(c, sql, params);
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
        }
        return ids;
    }

    @Override
    public int renew(Collection<String> owners, Duration lease) {
        return owners.isEmpty() ? 0 : tx.write(c -> Leases.renew(c, Leases.WEBHOOK_DELIVERIES, owners, lease));
    }

    @Override
    public boolean delivered(QueuedWebhook d, Instant now, int status) {
        return tx.write(c -> Sql.update(c, FINISH, "delivered", now, status, null, d.id(), d.claim()) == 1);
    }

    @Override
    public boolean retryLater(QueuedWebhook d, Instant now, Instant next, Integer status, String error) {
        return tx.write(c -> Sql.update(c, RETRY, next, now, status, storable(error), d.id(), d.claim()) == 1);
    }

    @Override
    public boolean failed(QueuedWebhook d, Instant now, Integer status, String error) {
        return tx.write(c -> Sql.update(c, FINISH, "failed", now, status, storable(error), d.id(), d.claim()) == 1);
    }

    @Override
    public boolean gone(QueuedWebhook d, Instant now) {
        return tx.write(c -> {
            if (Sql.update(c, FINISH, "failed", now, 410, "410 Gone: the endpoint was disabled", d.id(), d.claim())
                    != 1) {
                return false;
            }
            Sql.update(
                    c,
                    "UPDATE webhooks SET disabled_at = ?, disabled_reason = ? WHERE id = ? AND disabled_at IS NULL",
                    now,
                    "the endpoint answered 410 Gone",
                    d.webhookId());
            return true;
        });
    }

    @Override
    public int release(String owner) {
        return tx.write(c -> Sql.update(c, """
          UPDATE webhook_deliveries SET status = CASE WHEN attempts = 0 THEN 'queued' ELSE 'retrying' END,
                 lease_owner = NULL, lease_until = NULL
           WHERE lease_owner = ? AND status = 'sending'
          """, owner));
    }

    /** What an endpoint or the network said, as the column can hold it (see {@code JdbcOutbox}). */
    private static String storable(String error) {
        String text = error.replace('\u0000', '\uFFFD');
        return text.length() <= MAX_ERROR ? text : text.substring(0, MAX_ERROR);
    }

    private static Webhook webhook(ResultSet rs) throws SQLException {
        Optional<Instant> disabledAt = Sql.optionalInstant(rs, "disabled_at");
        String reason = rs.getString("disabled_reason");
        return new Webhook(
                rs.getString("id"),
                new Tenant(rs.getString("tenant")),
                URI.create(rs.getString("url")),
                Events.subscriptions(rs.getString("events")).stream()
                        .map(name -> EventType.fromWire(name).orElseThrow())
                        .collect(Collectors.toSet()),
                Sql.instant(rs, "created_at"),
                disabledAt.map(at -> new Webhook.Disabled(at, reason == null ? "" : reason)));
    }
}
