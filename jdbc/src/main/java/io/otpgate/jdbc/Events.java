package io.otpgate.jdbc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.otpgate.core.event.EventType;
import io.otpgate.core.event.VerificationEvent;
import io.otpgate.core.id.RandomIds;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Writes verification events, in the caller's transaction, and queues one webhook delivery per
 * enabled endpoint of the verification's tenant that subscribes to the event's type: the history
 * and the deliveries commit with the change that caused them, or not at all.
 *
 * <p>A webhook payload is {@code {type, timestamp, data}}, its data the verification's id,
 * tenant, purpose, status after the event and recipient's domain, with the event's own facts. The
 * recipient's address is left out: the payload leaves OTPGate for a URL, the integrator who
 * started the verification knows the address by its id, and the domain is what a failing delivery
 * is usually about.
 */
final class Events {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final RandomIds IDS = new RandomIds(new SecureRandom());

    private static final String INSERT = """
      INSERT INTO verification_events (verification_id, type, occurred_at, data) VALUES (?, ?, ?, ?)
      """;

    private static final String QUEUE = """
      INSERT INTO webhook_deliveries (id, webhook_id, event_type, payload, status, attempts, created_at, next_attempt_at)
      VALUES (?, ?, ?, ?, 'queued', 0, ?, ?)
      """;

    private Events() {}

    /** An event about to be written: its verification, type, time and data. */
    record Event(String verificationId, EventType type, Instant at, Map<String, Object> data) {
        Event {
            Objects.requireNonNull(verificationId, "verificationId");
            data = Map.copyOf(data);
        }

        Event(String verificationId, EventType type, Instant at) {
            this(verificationId, type, at, Map.of());
        }
    }

    /**
     * For a transaction that changes outbox rows before it writes their events: takes, first, the
     * share lock on the verifications that each event's foreign key check would take later. Taken
     * after the outbox rows, it would deadlock with a resend or cancel, which locks the verification
     * and then its outbox rows (PostgreSQL; SQLite's single writer needs no row locks).
     */
    static void lockFirst(Connection c, Collection<String> verificationIds) throws SQLException {
        Dialect dialect = Dialect.of(c);
        if (dialect.keyShare().isEmpty() || verificationIds.isEmpty()) {
            return;
        }
        for (List<String> chunk : Sql.chunks(new LinkedHashSet<>(verificationIds))) {
            try (PreparedStatement ps = Sql.prepare(
                            c,
                            "SELECT id FROM verifications WHERE id IN (%s) ORDER BY id%s"
                                    .formatted(Sql.marks(chunk.size()), dialect.keyShare()),
                            chunk.toArray());
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    // locked as read
                }
            }
        }
    }

    static void record(Connection c, Event... events) throws SQLException {
        record(c, List.of(events));
    }

    static void record(Connection c, List<Event> events) throws SQLException {
        if (events.isEmpty()) {
            return;
        }
        Sql.batch(
                c,
                INSERT,
                events.stream()
                        .map(e -> new Object[] {e.verificationId(), e.type().wireName(), e.at(), json(e.data())})
                        .toList());
        queueWebhooks(c, events);
    }

    /**
     * A verification's history, oldest first: by time, then by the order written. A sent email is
     * recorded a little after the server accepted it (in a batch), so a check can be written before
     * the email.sent that happened earlier.
     */
    static List<VerificationEvent> of(Connection c, String verificationId) throws SQLException {
        List<VerificationEvent> events = new ArrayList<>();
        try (PreparedStatement ps = Sql.prepare(c, """
          SELECT type, occurred_at, data FROM verification_events WHERE verification_id = ? ORDER BY occurred_at, id
          """, verificationId);
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                EventType type = EventType.fromWire(rs.getString("type")).orElseThrow();
                events.add(new VerificationEvent(type, Sql.instant(rs, "occurred_at"), data(rs.getString("data"))));
            }
        }
        return events;
    }

    /** The verification and endpoint facts a payload needs, read after the event's change. */
    private record Target(String webhookId, Set<String> subscribed, Map<String, Object> verification) {}

    private static void queueWebhooks(Connection c, List<Event> events) throws SQLException {
        Set<String> ids = new LinkedHashSet<>();
        events.forEach(e -> ids.add(e.verificationId()));
        Map<String, List<Target>> targets = new HashMap<>();
        for (List<String> chunk : Sql.chunks(ids)) {
            try (PreparedStatement ps = Sql.prepare(c, """
              SELECT v.id, v.tenant, v.email, v.purpose, v.status, w.id AS webhook_id, w.events
                FROM verifications v JOIN webhooks w ON w.tenant = v.tenant AND w.disabled_at IS NULL
               WHERE v.id IN (%s)
              """.formatted(Sql.marks(chunk.size())), chunk.toArray());
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Map<String, Object> verification = new LinkedHashMap<>();
                    verification.put("id", rs.getString("id"));
                    verification.put("tenant", rs.getString("tenant"));
                    verification.put("purpose", rs.getString("purpose"));
                    verification.put("status", rs.getString("status"));
                    String email = rs.getString("email");
                    verification.put("recipient_domain", email.substring(email.lastIndexOf('@') + 1));
                    targets.computeIfAbsent(rs.getString("id"), id -> new ArrayList<>())
                            .add(new Target(
                                    rs.getString("webhook_id"), subscriptions(rs.getString("events")), verification));
                }
            }
        }
        if (targets.isEmpty()) {
            return;
        }
        List<Object[]> rows = new ArrayList<>();
        for (Event e : events) {
            for (Target target : targets.getOrDefault(e.verificationId(), List.of())) {
                if (target.subscribed().isEmpty()
                        || target.subscribed().contains(e.type().wireName())) {
                    Map<String, Object> data = new LinkedHashMap<>(target.verification());
                    data.putAll(e.data());
                    rows.add(delivery(target.webhookId(), e.type().wireName(), e.at(), data));
                }
            }
        }
        Sql.batch(c, QUEUE, rows);
    }

    /** A queued delivery of {@code {type, timestamp, data}} to one endpoint, due at once. */
    static Object[] delivery(String webhookId, String type, Instant at, Map<String, Object> data) {
        ObjectNode payload = JSON.createObjectNode();
        payload.put("type", type);
        // Milliseconds, as every time the API answers: a receiver matching a payload with the
        // history would otherwise see two spellings of one instant.
        payload.put("timestamp", at.truncatedTo(ChronoUnit.MILLIS).toString());
        payload.set("data", JSON.valueToTree(data));
        return new Object[] {IDS.next("msg_"), webhookId, type, payload.toString(), at, at};
    }

    static void queue(Connection c, Object[] delivery) throws SQLException {
        Sql.update(c, QUEUE, delivery);
    }

    /** The event types an endpoint stored as a comma-separated list; empty for all. */
    static Set<String> subscriptions(String events) {
        Set<String> types = new LinkedHashSet<>();
        for (String type : events.split(",")) {
            if (!type.isBlank()) {
                types.add(type.strip());
            }
        }
        return types;
    }

    private static String json(Map<String, Object> data) {
        try {
            return JSON.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("event data is not JSON: " + data.keySet(), e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> data(String json) {
        try {
            return JSON.readValue(json, LinkedHashMap.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored event data is not JSON", e);
        }
    }
}
