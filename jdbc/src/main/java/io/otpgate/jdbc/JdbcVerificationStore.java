package io.otpgate.jdbc;

import io.otpgate.core.delivery.Delivery;
import io.otpgate.core.delivery.DeliveryStatus;
import io.otpgate.core.email.DisplayName;
import io.otpgate.core.email.EmailAddress;
import io.otpgate.core.email.MailboxKey;
import io.otpgate.core.event.EventType;
import io.otpgate.core.event.VerificationEvent;
import io.otpgate.core.id.Purpose;
import io.otpgate.core.id.VerificationId;
import io.otpgate.core.limit.Limited;
import io.otpgate.core.limit.RateLimit;
import io.otpgate.core.tenant.Tenant;
import io.otpgate.core.verification.AttemptOutcome;
import io.otpgate.core.verification.CodeMatcher;
import io.otpgate.core.verification.FailureLock;
import io.otpgate.core.verification.NewVerification;
import io.otpgate.core.verification.Reissue;
import io.otpgate.core.verification.Status;
import io.otpgate.core.verification.Verification;
import io.otpgate.core.verification.VerificationStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@link VerificationStore} on JDBC. Each method is one transaction; each counter changes in one
 * conditional UPDATE whose row count decides the outcome.
 */
final class JdbcVerificationStore implements VerificationStore {

    private static final String SELECT = """
      SELECT v.id, v.email, v.name, v.purpose, v.locale, v.status, v.created_at, v.expires_at,
             v.attempts_used, v.max_attempts, v.sends, v.max_sends, v.resend_available_at,
             v.tenant, v.reader_tenant, o.status AS delivery_status, o.attempts AS delivery_attempts, o.last_reply, o.sent_at
        FROM verifications v
        LEFT JOIN outbox o ON o.id = v.outbox_id
      """;

    private static final String INSERT_VERIFICATION = """
      INSERT INTO verifications (id, email, name, purpose, locale, status, code_hash, created_at,
          expires_at, attempts_used, max_attempts, sends, max_sends, resend_available_at, outbox_id,
          tenant, mailbox_key, key_id, reader_tenant, decided_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      """;

    /** Takes one attempt, atomically, only while one is left and the code is alive. */
    private static final String USE_ATTEMPT = """
      UPDATE verifications SET attempts_used = attempts_used + 1
       WHERE id = ? AND status = 'pending' AND expires_at > ? AND attempts_used < max_attempts
      """;

    /** The attempt taken for the check is given back: only wrong checks count against the budget. */
    private static final String APPROVE = """
      UPDATE verifications SET status = 'approved', decided_at = ?, attempts_used = attempts_used - 1
       WHERE id = ? AND status = 'pending'
      """;

    private static final String FAIL_IF_EXHAUSTED = """
      UPDATE verifications SET status = 'failed', decided_at = ?
       WHERE id = ? AND status = 'pending' AND attempts_used >= max_attempts
      """;

    private static final String EXPIRE = """
      UPDATE verifications SET status = 'expired', decided_at = ?
       WHERE id = ? AND status = 'pending' AND expires_at <= ?
      """;

    private static final String REISSUE = """
      UPDATE verifications
         SET code_hash = ?, sends = sends + 1, expires_at = ?, resend_available_at = ?, outbox_id = ?
       WHERE id = ? AND status = 'pending' AND sends = ? AND sends < max_sends
         AND resend_available_at <= ? AND expires_at > ?
      """;

    private static final String CANCEL = """
      UPDATE verifications SET status = 'canceled', decided_at = ?
       WHERE id = ? AND status = 'pending'
      """;

    private final Transactions tx;
    private final JdbcOutbox outbox;

    JdbcVerificationStore(Transactions tx, JdbcOutbox outbox) {
        this.tx = tx;
        this.outbox = outbox;
    }

    /**
     * Reads the failure locks of all the rows' mailboxes in one query, counts each row's limits in
     * order, reads the pending verifications of the accepted rows' mailboxes in one query, then writes
     * in JDBC batches: a row costs its rate-limit statements and its share of two reads and four
     * batches, not five round trips of its own.
     */
    @Override
    public List<StartOutcome> startAll(List<LimitedStart> starts, Instant now) {
        return tx.write(c -> {
            Map<String, Instant> locks = RecipientFailures.lockedUntil(c, lockKeys(starts), now);
            List<StartOutcome> results = new ArrayList<>(starts.size());
            List<LimitedStart> accepted = new ArrayList<>();
            Map<Tenant, List<String>> keysToForget = new HashMap<>();
            // The keys first: a replay counts nothing and needs no limit to allow it.
            Iterator<Optional<StartOutcome>> keyOutcomes =
                    IdempotencyKeys.claimAll(c, claims(starts), now).iterator();
            for (LimitedStart start : starts) {
                Verification v = start.verification().verification();
                Optional<StartOutcome> replay = start.idempotency().isPresent() ? keyOutcomes.next() : Optional.empty();
                if (replay.isPresent()) {
                    results.add(replay.get());
                    continue;
                }
                StartOutcome refused = refusal(c, start, locks, now);
                if (refused != null) {
                    // A refused start leaves its key unclaimed, so the client's retry may succeed.
                    start.idempotency()
                            .ifPresent(key -> keysToForget
                                    .computeIfAbsent(v.tenant(), t -> new ArrayList<>())
                                    .add(key.key()));
                    results.add(refused);
                    continue;
                }
                accepted.add(start);
                results.add(new StartOutcome.Stored());
            }
            for (Map.Entry<Tenant, List<String>> forget : keysToForget.entrySet()) {
                IdempotencyKeys.forget(c, forget.getKey(), forget.getValue());
            }
            // Read only now: every accepted row holds its tenant's rate-limit row for the mailbox (the
            // engine always counts one), and that lock is what makes two concurrent starts of one
            // mailbox in one tenant take turns, so this read sees the other's committed row.
            Map<Slot, String> pending = pendingIds(c, mailboxes(accepted));
            List<String> replacedStored = new ArrayList<>();
            Set<String> replacedHere = new HashSet<>();
            Map<Slot, String> newest = new HashMap<>();
            for (LimitedStart start : accepted) {
                Verification v = start.verification().verification();
                // A restart replaces the pending verification of the same tenant, mailbox and purpose,
                // including one accepted earlier in this batch.
                Slot slot = Slot.of(v);
                String earlier = newest.put(slot, v.id().value());
                if (earlier != null) {
                    replacedHere.add(earlier);
                } else if (pending.containsKey(slot)) {
                    replacedStored.add(pending.get(slot));
                }
            }
            // Before the inserts: the unique index allows one pending verification per slot, so the
            // replaced ones end first and those replaced within this batch are written canceled.
            Sql.batch(
                    c,
                    CANCEL,
                    replacedStored.stream().map(id -> new Object[] {now, id}).toList());
            List<NewVerification> rows =
                    accepted.stream().map(LimitedStart::verification).toList();
            Sql.batch(
                    c,
                    INSERT_VERIFICATION,
                    rows.stream()
                            .map(row -> row(
                                    row,
                                    replacedHere.contains(
                                            row.verification().id().value()),
                                    now))
                            .toList());
            outbox.insertAll(c, rows.stream().map(NewVerification::email).toList());
            List<String> replaced = new ArrayList<>(replacedStored);
            replaced.addAll(replacedHere);
            outbox.cancelUnsentAll(c, replaced);
            List<Events.Event> events = new ArrayList<>();
            for (NewVerification row : rows) {
                String id = row.verification().id().value();
                events.add(new Events.Event(id, EventType.VERIFICATION_STARTED, now));
                events.add(new Events.Event(id, EventType.EMAIL_QUEUED, now));
            }
            replaced.forEach(id -> events.add(new Events.Event(id, EventType.VERIFICATION_CANCELED, now)));
            Events.record(c, events);
            return results;
        });
    }

    /** Why the store refuses a start (its mailbox locked, or one of its limits full), or null. */
    private static List<IdempotencyKeys.Claim> claims(List<LimitedStart> starts) {
        List<IdempotencyKeys.Claim> claims = new ArrayList<>();
        for (LimitedStart start : starts) {
            Verification v = start.verification().verification();
            start.idempotency().ifPresent(key -> claims.add(new IdempotencyKeys.Claim(v.tenant(), key, v.id())));
        }
        return claims;
    }

    private static StartOutcome refusal(Connection c, LimitedStart start, Map<String, Instant> locks, Instant now)
            throws SQLException {
        Instant locked = locks.get(lockKey(start.verification().verification()));
        if (locked != null) {
            return new StartOutcome.RecipientLocked(locked);
        }
        // All of the row's limits or none: a refusal by one leaves the others uncharged.
        Optional<Limited> limited = RateBuckets.take(c, start.limits(), now);
        return limited.<StartOutcome>map(StartOutcome.RateLimited::new).orElse(null);
    }

    private static String lockKey(Verification v) {
        return RecipientFailures.key(v.tenant(), v.mailbox());
    }

    private static Set<String> lockKeys(List<LimitedStart> starts) {
        Set<String> keys = new LinkedHashSet<>();
        starts.forEach(start -> keys.add(lockKey(start.verification().verification())));
        return keys;
    }

    private static Set<String> mailboxes(List<LimitedStart> starts) {
        Set<String> keys = new LinkedHashSet<>();
        starts.forEach(
                start -> keys.add(start.verification().verification().mailbox().value()));
        return keys;
    }

    private static Object[] row(NewVerification row, boolean replaced, Instant now) {
        Verification v = row.verification();
        return new Object[] {
            v.id().value(),
            v.email().value(),
            v.name().map(DisplayName::value).orElse(null),
            v.purpose().value(),
            v.locale().toLanguageTag(),
            replaced ? Status.CANCELED.wireName() : Status.PENDING.wireName(),
            row.codeHash(),
            v.createdAt(),
            v.expiresAt(),
            v.maxAttempts(),
            v.sends(),
            v.maxSends(),
            v.resendAvailableAt(),
            row.email().id(),
            v.tenant().name(),
            v.mailbox().value(),
            row.keyId().orElse(null),
            v.reader().map(Tenant::name).orElse(null),
            replaced ? now : null
        };
    }

    /** What at most one pending verification may have: tenant, mailbox key and purpose. */
    private record Slot(String tenant, String mailbox, String purpose) {
        static Slot of(Verification v) {
            return new Slot(v.tenant().name(), v.mailbox().value(), v.purpose().value());
        }
    }

    /** The pending verifications of these mailboxes, in any tenant, by slot. */
    private static Map<Slot, String> pendingIds(Connection c, Collection<String> mailboxes) throws SQLException {
        Map<Slot, String> pending = new HashMap<>();
        for (List<String> chunk : Sql.chunks(mailboxes)) {
            try (PreparedStatement ps = Sql.prepare(c, """
              SELECT id, tenant, mailbox_key, purpose FROM verifications WHERE pending_mailbox IN (%s)
              """.formatted(Sql.marks(chunk.size())), chunk.toArray());
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    pending.put(
                            new Slot(rs.getString("tenant"), rs.getString("mailbox_key"), rs.getString("purpose")),
                            rs.getString("id"));
                }
            }
        }
        return pending;
    }

    @Override
    public Optional<Verification> find(VerificationId id) {
        return tx.read(c -> find(c, id.value()));
    }

    @Override
    public Optional<VerificationId> pending(Tenant tenant, MailboxKey mailbox, Purpose purpose, Instant now) {
        return tx.read(c -> {
            // At most one row: the unique index on (pending_mailbox, tenant, purpose).
            try (PreparedStatement ps = Sql.prepare(c, """
              SELECT id FROM verifications
               WHERE pending_mailbox = ? AND tenant = ? AND purpose = ? AND expires_at > ?
              """, mailbox.value(), tenant.name(), purpose.value(), now);
                    ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new VerificationId(rs.getString(1))) : Optional.empty();
            }
        });
    }

    /**
     * One write transaction: the row read, the counter changed by one conditional UPDATE and the
     * outcome decided on what that UPDATE saw. (H2 needed a retry loop here: under contention it
     * reported 0 rows for the UPDATE and then read the row as it was before. Neither SQLite's single
     * writer nor PostgreSQL's row lock does that.)
     */
    @Override
    public AttemptOutcome attempt(VerificationId id, Tenant owner, Instant now, CodeMatcher matcher, FailureLock lock) {
        return tx.write(c -> {
            // Wait for any transaction that holds the row, so the counter below is decided on its
            // committed outcome.
            Optional<LockedRow> row = lockForCheck(c, id.value());
            // Another tenant's verification is answered exactly like a missing one.
            if (row.isEmpty() || !row.get().tenant().equals(owner.name())) {
                return new AttemptOutcome.Missing();
            }
            String failures =
                    RecipientFailures.key(row.get().tenant(), row.get().mailbox());
            // The address's failure lock is read here, in the check's own transaction, rather than in
            // one of its own before it: a check is one round trip to the database, not three.
            if (row.get().status() == Status.PENDING) {
                Optional<Instant> locked = RecipientFailures.lockedUntil(c, failures, now);
                if (locked.isPresent()) {
                    return new AttemptOutcome.RecipientLocked(locked.get());
                }
            }
            if (Sql.update(c, USE_ATTEMPT, id.value(), now) == 0) {
                if (Sql.update(c, EXPIRE, now, id.value(), now) == 1) {
                    Events.record(c, new Events.Event(id.value(), EventType.VERIFICATION_EXPIRED, now));
                }
                return find(c, id.value())
                        .<AttemptOutcome>map(AttemptOutcome.NotCounted::new)
                        .orElseGet(AttemptOutcome.Missing::new);
            }
            // This transaction holds the row lock: nobody can approve, resend or count in between. The
            // hash is read after the attempt is counted, so it is the one the counted row holds.
            byte[] stored;
            try (PreparedStatement ps = Sql.prepare(c, "SELECT code_hash FROM verifications WHERE id = ?", id.value());
                    ResultSet rs = ps.executeQuery()) {
                rs.next();
                stored = rs.getBytes("code_hash");
            }
            boolean matched = matcher.matches(row.get().purpose(), stored);
            if (matched) {
                Sql.update(c, APPROVE, now, id.value());
                outbox.cancelUnsent(c, id.value());
                RecipientFailures.reset(c, failures);
                Events.record(c, new Events.Event(id.value(), EventType.VERIFICATION_APPROVED, now));
            } else {
                boolean failed = Sql.update(c, FAIL_IF_EXHAUSTED, now, id.value()) == 1;
                RecipientFailures.recordMiss(c, failures, lock, now);
                recordMiss(c, id.value(), failed, RecipientFailures.lockedUntil(c, failures, now), now);
            }
            return new AttemptOutcome.Counted(find(c, id.value()).orElseThrow(), matched);
        });
    }

    /**
     * A wrong code's events. The address was not locked before this check (it would not have been
     * counted), so a lock now is one this miss set.
     */
    private static void recordMiss(Connection c, String id, boolean failed, Optional<Instant> locked, Instant now)
            throws SQLException {
        int remaining;
        try (PreparedStatement ps =
                        Sql.prepare(c, "SELECT max_attempts - attempts_used FROM verifications WHERE id = ?", id);
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            remaining = Math.max(0, rs.getInt(1));
        }
        List<Events.Event> events = new ArrayList<>();
        events.add(new Events.Event(id, EventType.CODE_INCORRECT, now, Map.of("attempts_remaining", remaining)));
        if (failed) {
            events.add(new Events.Event(id, EventType.VERIFICATION_FAILED, now));
        }
        locked.ifPresent(until ->
                events.add(new Events.Event(id, EventType.ADDRESS_LOCKED, now, Map.of("until", until.toString()))));
        Events.record(c, events);
    }

    /** What a check needs to know of a verification before it counts: read under the row lock. */
    private record LockedRow(Status status, String tenant, String mailbox, Purpose purpose) {}

    private static Optional<LockedRow> lockForCheck(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = Sql.prepare(
                        c,
                        "SELECT status, tenant, mailbox_key, purpose FROM verifications WHERE id = ?"
                                + Dialect.of(c).forUpdate(),
                        id);
                ResultSet rs = ps.executeQuery()) {
            return rs.next()
                    ? Optional.of(new LockedRow(
                            Status.fromWire(rs.getString("status")),
                            rs.getString("tenant"),
                            rs.getString("mailbox_key"),
                            new Purpose(rs.getString("purpose"))))
                    : Optional.empty();
        }
    }

    @Override
    public ReissueOutcome reissue(Reissue r, List<RateLimit> limits, Instant now) {
        return tx.write(c -> {
            Optional<Limited> limited = RateBuckets.take(c, limits, now);
            if (limited.isPresent()) {
                return new ReissueOutcome.RateLimited(limited.get());
            }
            lock(c, r.id().value());
            int changed = Sql.update(
                    c,
                    REISSUE,
                    r.codeHash(),
                    r.expiresAt(),
                    r.resendAvailableAt(),
                    r.email().id(),
                    r.id().value(),
                    r.expectedSends(),
                    now,
                    now);
            if (changed == 0) {
                return Transactions.rollBack(new ReissueOutcome.Stale());
            }
            outbox.cancelUnsent(c, r.id().value());
            outbox.insert(c, r.email());
            Events.record(c, new Events.Event(r.id().value(), EventType.EMAIL_QUEUED, now));
            return new ReissueOutcome.Reissued(find(c, r.id().value()).orElseThrow());
        });
    }

    @Override
    public boolean cancel(VerificationId id, Instant now) {
        return tx.write(c -> {
            lock(c, id.value());
            boolean canceled = Sql.update(c, CANCEL, now, id.value()) == 1;
            if (canceled) {
                outbox.cancelUnsent(c, id.value());
                Events.record(c, new Events.Event(id.value(), EventType.VERIFICATION_CANCELED, now));
            }
            return canceled;
        });
    }

    @Override
    public List<VerificationEvent> events(VerificationId id) {
        return tx.read(c -> Events.of(c, id.value()));
    }

    /**
     * Pending verifications past their expiry, oldest first: each marked expired by the same
     * conditional UPDATE a check uses (so a check and the sweep cannot both decide it), with its
     * event. On PostgreSQL rows another sweeper or a check holds are skipped, not waited for.
     */
    @Override
    public int expireDue(Instant now, int limit) {
        return tx.write(c -> {
            List<String> due = new ArrayList<>();
            try (PreparedStatement ps = Sql.prepare(c, """
              SELECT id FROM verifications WHERE status = 'pending' AND expires_at <= ?
               ORDER BY expires_at LIMIT ?""" + Dialect.of(c).skipLocked(), now, limit);
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    due.add(rs.getString(1));
                }
            }
            List<Events.Event> events = new ArrayList<>();
            for (String id : due) {
                if (Sql.update(c, EXPIRE, now, id, now) == 1) {
                    events.add(new Events.Event(id, EventType.VERIFICATION_EXPIRED, now));
                }
            }
            Events.record(c, events);
            return due.size();
        });
    }

    @Override
    public Optional<Instant> lockedUntil(Tenant tenant, MailboxKey mailbox, Instant now) {
        return tx.read(c -> RecipientFailures.lockedUntil(c, RecipientFailures.key(tenant, mailbox), now));
    }

    @Override
    public boolean unlock(Tenant tenant, MailboxKey mailbox) {
        return tx.write(c -> RecipientFailures.reset(c, RecipientFailures.key(tenant, mailbox)));
    }

    private static boolean lock(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = Sql.prepare(
                        c,
                        "SELECT id FROM verifications WHERE id = ?"
                                + Dialect.of(c).forUpdate(),
                        id);
                ResultSet rs = ps.executeQuery()) {
            return rs.next();
        }
    }

    private static Optional<Verification> find(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = Sql.prepare(c, SELECT + " WHERE v.id = ?", id);
                ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(read(rs)) : Optional.empty();
        }
    }

    private static Verification read(ResultSet rs) throws SQLException {
        DeliveryStatus deliveryStatus = DeliveryStatus.fromWire(rs.getString("delivery_status"));
        Optional<String> reply = Optional.ofNullable(rs.getString("last_reply"));
        Delivery delivery = new Delivery(
                deliveryStatus,
                rs.getInt("delivery_attempts"),
                deliveryStatus == DeliveryStatus.SENT ? Optional.empty() : reply,
                Sql.optionalInstant(rs, "sent_at"));
        return new Verification(
                new VerificationId(rs.getString("id")),
                new EmailAddress(rs.getString("email")),
                Optional.ofNullable(rs.getString("name")).map(DisplayName::new),
                new Purpose(rs.getString("purpose")),
                Locale.forLanguageTag(rs.getString("locale")),
                Status.fromWire(rs.getString("status")),
                Sql.instant(rs, "created_at"),
                Sql.instant(rs, "expires_at"),
                rs.getInt("attempts_used"),
                rs.getInt("max_attempts"),
                rs.getInt("sends"),
                rs.getInt("max_sends"),
                Sql.instant(rs, "resend_available_at"),
                delivery,
                new Tenant(rs.getString("tenant")),
                Optional.ofNullable(rs.getString("reader_tenant")).map(Tenant::new));
    }
}
