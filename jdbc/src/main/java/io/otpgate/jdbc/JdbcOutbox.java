package io.otpgate.jdbc;

import io.otpgate.core.delivery.DeliveryHealth;
import io.otpgate.core.delivery.DeliveryStatus;
import io.otpgate.core.delivery.Outbox;
import io.otpgate.core.delivery.QueuedEmail;
import io.otpgate.core.email.DisplayName;
import io.otpgate.core.email.EmailAddress;
import io.otpgate.core.event.EventType;
import io.otpgate.core.id.Purpose;
import io.otpgate.core.id.VerificationId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * {@link Outbox} on JDBC.
 *
 * <p>Claiming is a SELECT of due rows followed by an UPDATE that sets the lease, in one transaction.
 * On PostgreSQL the SELECT ends {@code FOR UPDATE SKIP LOCKED}: dispatchers in any number of
 * processes claim disjoint rows without waiting for each other (the db-scheduler and River
 * pattern). On SQLite every write transaction of every process is serialised by the file's write
 * lock, so a claim sees no other claim in progress and needs no row locks ({@link Dialect}). The same transaction decides whether each
 * row may be sent at all (its verification pending and its code current) and settles those that
 * may not. Each claim takes the row's next claim number, and every later state change is guarded by
 * {@code claim = ?}, so a dispatcher that lost its lease cannot overwrite the outcome recorded by
 * the one that took over, even when both run under the same owner name.
 */
final class JdbcOutbox implements Outbox {

    private static final int MAX_REPLY = 1000;

    private static final String INSERT = """
      INSERT INTO outbox (id, verification_id, recipient, name, locale, purpose, sealed_code, status,
          attempts, created_at, expires_at, next_attempt_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, 'queued', 0, ?, ?, ?)
      """;

    /**
     * Due rows of one status, oldest first. Three shapes were measured on H2 (BENCHMARKS.md):
     *
     * <ul>
     *   <li>one statement with {@code (queued or retrying and due) OR (sending and lease over)}:
     *       H2 leaves the {@code (status, next_attempt_at)} index and reads every row the outbox
     *       has ever held;
     *   <li>{@code status IN (…) … ORDER BY next_attempt_at LIMIT ? FOR UPDATE}: H2 reads, sorts and
     *       locks every due row before it applies the limit, so with a backlog of 20,000 each claim
     *       read 20,000 rows and locked them from the other workers;
     *   <li>this one: the candidates come from the index in order ({@code status = ?} and
     *       {@code ORDER BY status, next_attempt_at}, so H2 stops after {@code ?} rows), and only
     *       they are locked. The window is a few batches wide so that workers skip each other's
     *       locked rows and still find work.
     * </ul>
     *
     * <p>The outer query repeats the conditions: a candidate may have been claimed and committed by
     * another worker between the two reads, and they are checked again on the row once it is locked.
     */
    private static final String DUE = """
      SELECT id FROM outbox
       WHERE id IN (SELECT id FROM outbox
                     WHERE status = ? AND next_attempt_at <= ?
                     ORDER BY status, next_attempt_at
                     LIMIT ?)
         AND status = ? AND next_attempt_at <= ?
       ORDER BY next_attempt_at
       LIMIT ?
      """;

    /**
     * Candidate rows per claim, in batches. Each candidate cost a row read before V4 put the id in the index,
     * so the window is a trade: 16 batches wide delivered 444 emails/s in bench/run, 4 batches wide
     * 626 and 541 in the same minutes. Rows locked by other workers are skipped, and a worker that
     * finds the whole window taken waits for the next wake-up or poll.
     */
    private static final int WINDOW = 4;

    /**
     * Rows whose owner's lease ran out by the database's clock ({@code %s}, {@link Dialect#now}): the
     * owner stopped renewing it and is presumed dead.
     */
    private static final String DUE_ABANDONED = """
      SELECT id FROM outbox
       WHERE status = 'sending' AND lease_until <= %s
       ORDER BY lease_until
       LIMIT ?
      """;

    /**
     * The locked candidates with what the send decision needs: {@code live} is set only when the
     * row's verification is pending, unexpired and still points at this row (its code is current).
     * The verification is reached by its primary key, and the decision is made here, in the claim's
     * transaction, so no row is ever claimed for a code that has stopped being current, whoever held
     * it before and however late.
     */
    private static final String CANDIDATES = """
      SELECT o.id, o.verification_id, o.recipient, o.name, o.locale, o.purpose, o.sealed_code,
             o.attempts, o.created_at, o.expires_at, o.claim, v.id AS live
        FROM outbox o
        LEFT JOIN verifications v
          ON v.id = o.verification_id AND v.outbox_id = o.id AND v.status = 'pending' AND v.expires_at > ?
       WHERE o.id IN (%s)
       ORDER BY o.next_attempt_at
      """;

    /**
     * Only the primary key in the WHERE: the row is locked by {@link #DUE} or
     * {@link #DUE_ABANDONED}, whose conditions both databases evaluate again on the locked row
     * version. With the state repeated here, H2 planned this UPDATE on a secondary index and
     * compared the id of every queued row: 70% of the CPU in delivering a 20,000-row backlog.
     */
    private static final String LEASE = """
      UPDATE outbox SET status = 'sending', lease_owner = ?, lease_until = %s, claim = ?
       WHERE id = ?
      """;

    /** A locked candidate whose code is no longer current: final, and its code erased. */
    private static final String SETTLE = """
      UPDATE outbox SET status = ?, last_reply = ?, sealed_code = NULL, lease_owner = NULL, lease_until = NULL
       WHERE id = ?
      """;

    private static final String NOT_CURRENT =
            "not sent: the code was replaced or the verification is no longer pending";
    private static final String EXPIRED = "the code expired before it could be delivered";

    /** Outcomes are recorded only by the claim that holds the row. */
    private static final String GUARD = " WHERE id = ? AND claim = ? AND status = 'sending'";

    private final Transactions tx;

    JdbcOutbox(Transactions tx) {
        this.tx = tx;
    }

    void insert(Connection c, QueuedEmail e) throws SQLException {
        Sql.update(c, INSERT, row(e));
    }

    /** {@link #insert} for many emails, as one JDBC batch. */
    void insertAll(Connection c, List<QueuedEmail> emails) throws SQLException {
        Sql.batch(c, INSERT, emails.stream().map(JdbcOutbox::row).toList());
    }

    private static Object[] row(QueuedEmail e) {
        return new Object[] {
            e.id(),
            e.verificationId().value(),
            e.to().value(),
            e.name().map(DisplayName::value).orElse(null),
            e.locale().toLanguageTag(),
            e.purpose().value(),
            e.sealedCode(),
            e.createdAt(),
            e.expiresAt(),
            e.createdAt()
        };
    }

    /**
     * Rows being sent are settled too: a dead worker's row would otherwise keep its sealed code until
     * a claim finds it. The claim and owner stay, so a live worker that did hand the email over
     * still records it as sent ({@link #MARK_SENT}).
     */
    private static final String CANCEL_UNSENT = """
      UPDATE outbox SET status = 'canceled', last_reply = ?, sealed_code = NULL, lease_until = NULL
       WHERE verification_id = ? AND status IN ('queued', 'retrying', 'sending')
      """;

    /** A replaced or finished verification's unsent emails would carry a dead code: drop them. */
    void cancelUnsent(Connection c, String verificationId) throws SQLException {
        Sql.update(c, CANCEL_UNSENT, NOT_CURRENT, verificationId);
    }

    /** {@link #cancelUnsent} for many verifications, as one JDBC batch. */
    void cancelUnsentAll(Connection c, List<String> verificationIds) throws SQLException {
        Sql.batch(
                c,
                CANCEL_UNSENT,
                verificationIds.stream()
                        .map(id -> new Object[] {NOT_CURRENT, id})
                        .toList());
    }

    @Override
    public List<QueuedEmail> claim(String owner, int limit, Instant now, Duration lease) {
        return tx.write(c -> claim(c, owner, limit, now, lease));
    }

    /** One transaction, one commit: the sent rows are recorded before the next rows are leased. */
    @Override
    public Claim recordAndClaim(List<Sent> sent, String owner, int limit, Instant now, Duration lease) {
        return tx.write(c -> {
            List<Boolean> recorded = markSent(c, sent);
            return new Claim(recorded, claim(c, owner, limit, now, lease));
        });
    }

    @Override
    public int renew(Collection<String> owners, Duration lease) {
        return owners.isEmpty() ? 0 : tx.write(c -> Leases.renew(c, Leases.OUTBOX, owners, lease));
    }

    private static List<QueuedEmail> claim(Connection c, String owner, int limit, Instant now, Duration lease)
            throws SQLException {
        List<String> locked = new ArrayList<>();
        for (String status : new String[] {"queued", "retrying"}) {
            if (locked.size() < limit) {
                locked.addAll(selectDue(c, status, now, limit - locked.size()));
            }
        }
        if (locked.size() < limit) {
            selectAbandoned(c, locked, limit - locked.size());
        }
        if (locked.isEmpty()) {
            return List.of();
        }
        List<QueuedEmail> claimed = new ArrayList<>();
        List<Object[]> leases = new ArrayList<>();
        List<Object[]> settled = new ArrayList<>();
        Object[] params = new Object[locked.size() + 1];
        params[0] = now;
        for (int i = 0; i < locked.size(); i++) {
            params[i + 1] = locked.get(i);
        }
        try (PreparedStatement ps = Sql.prepare(c, CANDIDATES.formatted(Sql.marks(locked.size())), params);
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String id = rs.getString("id");
                if (rs.getString("live") == null) {
                    boolean expired = !now.isBefore(Sql.instant(rs, "expires_at"));
                    settled.add(new Object[] {
                        expired ? "expired_undelivered" : "canceled", expired ? EXPIRED : NOT_CURRENT, id
                    });
                    continue;
                }
                // The row is locked by this transaction, so the next claim number is exactly this one.
                long claim = rs.getLong("claim") + 1;
                leases.add(new Object[] {owner, lease.toMillis(), claim, id});
                claimed.add(read(rs, claim));
            }
        }
        Sql.batch(c, SETTLE, settled);
        Sql.batch(c, LEASE.formatted(Dialect.of(c).nowPlusMillis()), leases);
        return claimed;
    }

    private static List<String> selectDue(Connection c, String status, Instant now, int limit) throws SQLException {
        List<String> ids = new ArrayList<>();
        try (PreparedStatement ps = Sql.prepare(
                        c, DUE + Dialect.of(c).skipLocked(), status, now, limit * WINDOW, status, now, limit);
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
        }
        return ids;
    }

    /**
     * Also on a row canceled while this claim was sending it: the email did leave, and the row
     * says so rather than "canceled".
     */
    private static final String MARK_SENT = """
      UPDATE outbox SET status = 'sent', sent_at = ?, attempted_at = ?, failure = NULL, last_reply = ?,
             attempts = attempts + 1, sealed_code = NULL, lease_owner = NULL, lease_until = NULL
       WHERE id = ? AND claim = ? AND status IN ('sending', 'canceled')
      """;

    @Override
    public boolean markSent(QueuedEmail email, Instant now, String reply) {
        return markSentAll(List.of(new Sent(email, now, reply))).get(0);
    }

    /**
     * One JDBC batch of {@link #MARK_SENT} in one transaction: a commit per batch of emails rather
     * than per email (23% of the CPU in delivering a backlog went to the per-email transactions).
     */
    @Override
    public List<Boolean> markSentAll(List<Sent> sent) {
        return tx.write(c -> markSent(c, sent));
    }

    private static List<Boolean> markSent(Connection c, List<Sent> sent) throws SQLException {
        Events.lockFirst(
                c, sent.stream().map(s -> s.email().verificationId().value()).toList());
        int[] counts = Sql.batch(
                c,
                MARK_SENT,
                sent.stream()
                        .map(s -> new Object[] {
                            s.at(),
                            s.at(),
                            storable(s.reply()),
                            s.email().id(),
                            s.email().claim()
                        })
                        .toList());
        List<Boolean> recorded = new ArrayList<>(counts.length);
        List<Events.Event> events = new ArrayList<>();
        for (int i = 0; i < counts.length; i++) {
            // A driver may not report the count of a batched statement; it did run without error.
            boolean done = counts[i] == 1 || counts[i] == Statement.SUCCESS_NO_INFO;
            recorded.add(done);
            if (done) {
                Sent s = sent.get(i);
                events.add(new Events.Event(
                        s.email().verificationId().value(),
                        EventType.EMAIL_SENT,
                        s.at(),
                        Map.of("reply", storable(s.reply()))));
            }
        }
        Events.record(c, events);
        return recorded;
    }

    @Override
    public boolean retryLater(QueuedEmail email, Instant now, Instant nextAttemptAt, String error) {
        Events.Event event = new Events.Event(
                email.verificationId().value(), EventType.EMAIL_RETRYING, now, Map.of("reply", storable(error)));
        return change(event, """
        UPDATE outbox SET status = 'retrying', next_attempt_at = ?, attempted_at = ?, failure = 'transient',
               last_reply = ?, attempts = attempts + 1, lease_owner = NULL, lease_until = NULL
        """ + GUARD, nextAttemptAt, now, storable(error), email.id(), email.claim());
    }

    @Override
    public boolean markFailed(QueuedEmail email, Instant now, Failure failure, String error) {
        Events.Event event = new Events.Event(
                email.verificationId().value(),
                EventType.EMAIL_FAILED,
                now,
                Map.of("reply", storable(error), "failure", failure.wireName()));
        return change(event, """
        UPDATE outbox SET status = 'failed', attempted_at = ?, failure = ?, last_reply = ?,
               attempts = attempts + 1, sealed_code = NULL, lease_owner = NULL, lease_until = NULL
        """ + GUARD, now, failure.wireName(), storable(error), email.id(), email.claim());
    }

    @Override
    public boolean markExpired(QueuedEmail email, Instant now) {
        return change("""
        UPDATE outbox SET status = 'expired_undelivered', last_reply = ?,
               sealed_code = NULL, lease_owner = NULL, lease_until = NULL
        """ + GUARD, EXPIRED, email.id(), email.claim());
    }

    @Override
    public int release(String owner) {
        return tx.write(c -> Sql.update(c, """
        UPDATE outbox SET status = CASE WHEN attempts = 0 THEN 'queued' ELSE 'retrying' END,
               lease_owner = NULL, lease_until = NULL
         WHERE lease_owner = ? AND status = 'sending'
        """, owner));
    }

    @Override
    public Map<DeliveryStatus, Integer> newestByStatus(Collection<VerificationId> verifications) {
        Map<DeliveryStatus, Integer> counts = new EnumMap<>(DeliveryStatus.class);
        for (List<VerificationId> chunk : Sql.chunks(verifications)) {
            String marks = Sql.marks(chunk.size());
            Object[] params = chunk.stream().map(VerificationId::value).toArray();
            tx.read(c -> {
                try (PreparedStatement ps = Sql.prepare(c, """
                SELECT o.status, COUNT(*) FROM verifications v JOIN outbox o ON o.id = v.outbox_id
                 WHERE v.id IN (%s) GROUP BY o.status
                """.formatted(marks), params);
                        ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        counts.merge(DeliveryStatus.fromWire(rs.getString(1)), rs.getInt(2), Integer::sum);
                    }
                }
                return null;
            });
        }
        return counts;
    }

    /**
     * Looks only at rows not yet final, and answers with their ids: while most emails are on their
     * way the answer is large but later polls ask about fewer ids, and once they settle it is empty.
     */
    @Override
    public List<VerificationId> unsettled(Collection<VerificationId> verifications) {
        List<VerificationId> unsettled = new ArrayList<>();
        for (List<VerificationId> chunk : Sql.chunks(verifications)) {
            Object[] params = chunk.stream().map(VerificationId::value).toArray();
            tx.read(c -> {
                try (PreparedStatement ps = Sql.prepare(c, """
                SELECT v.id FROM verifications v JOIN outbox o ON o.id = v.outbox_id
                 WHERE v.id IN (%s) AND o.status IN ('queued', 'sending', 'retrying')
                """.formatted(Sql.marks(chunk.size())), params);
                        ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        unsettled.add(new VerificationId(rs.getString(1)));
                    }
                }
                return null;
            });
        }
        return unsettled;
    }

    @Override
    public DeliveryHealth health(Instant now) {
        return tx.read(c -> {
            Map<DeliveryStatus, Long> unsettled = new EnumMap<>(DeliveryStatus.class);
            try (PreparedStatement ps = c.prepareStatement("""
              SELECT status, COUNT(*) FROM outbox WHERE status IN ('queued', 'sending', 'retrying') GROUP BY status
              """);
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    unsettled.put(DeliveryStatus.fromWire(rs.getString(1)), rs.getLong(2));
                }
            }
            // One query per kind of due row, each answered from an index range. A lease ends by the
            // database's clock, as claims judge it.
            Optional<Instant> oldest = Stream.of(
                            since(
                                    c,
                                    "SELECT MIN(created_at) AS since FROM outbox WHERE status = 'queued' AND next_attempt_at <= ?",
                                    now),
                            since(
                                    c,
                                    "SELECT MIN(created_at) AS since FROM outbox WHERE status = 'retrying' AND next_attempt_at <= ?",
                                    now),
                            since(
                                    c,
                                    "SELECT MIN(created_at) AS since FROM outbox WHERE status = 'sending' AND lease_until <= "
                                            + Dialect.of(c).now()))
                    .flatMap(Optional::stream)
                    .min(Comparator.naturalOrder());
            Optional<String> lastFailure = Optional.empty();
            try (PreparedStatement ps = c.prepareStatement("""
              SELECT failure, last_reply FROM outbox WHERE attempted_at IS NOT NULL
               ORDER BY attempted_at DESC LIMIT 1
              """);
                    ResultSet rs = ps.executeQuery()) {
                if (rs.next() && failing(rs.getString("failure"))) {
                    lastFailure = Optional.of(String.valueOf(rs.getString("last_reply")));
                }
            }
            return new DeliveryHealth(
                    unsettled,
                    oldest.map(since -> Duration.between(since, now)).filter(age -> !age.isNegative()),
                    lastFailure);
        });
    }

    private static Optional<Instant> since(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = Sql.prepare(c, sql, params);
                ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.ofNullable(Sql.instant(rs, "since")) : Optional.empty();
        }
    }

    /** A recipient's own refusal says nothing about the other emails; the other failures do. */
    private static boolean failing(String failure) {
        return failure != null && !failure.equals(Failure.PERMANENT.wireName());
    }

    private static void selectAbandoned(Connection c, List<String> ids, int limit) throws SQLException {
        Dialect dialect = Dialect.of(c);
        try (PreparedStatement ps =
                        Sql.prepare(c, DUE_ABANDONED.formatted(dialect.now()) + dialect.skipLocked(), limit);
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
        }
    }

    private boolean change(String sql, Object... params) {
        return tx.write(c -> Sql.update(c, sql, params) == 1);
    }

    /** {@link #change}, and the event it causes when it is recorded, in the same transaction. */
    private boolean change(Events.Event event, String sql, Object... params) {
        return tx.write(c -> {
            Events.lockFirst(c, List.of(event.verificationId()));
            if (Sql.update(c, sql, params) != 1) {
                return false;
            }
            Events.record(c, event);
            return true;
        });
    }

    /**
     * An SMTP reply as the column can hold it. The remote server chooses its text, and PostgreSQL
     * refuses U+0000 in text columns: unreplaced, one such byte would make the outcome unrecordable
     * and the email would be sent again after its lease. Cut to the column size, never inside a
     * surrogate pair.
     */
    private static String storable(String reply) {
        String text = reply.replace('\u0000', '\uFFFD');
        if (text.length() <= MAX_REPLY) {
            return text;
        }
        int end = Character.isHighSurrogate(text.charAt(MAX_REPLY - 1)) ? MAX_REPLY - 1 : MAX_REPLY;
        return text.substring(0, end);
    }

    private static QueuedEmail read(ResultSet rs, long claim) throws SQLException {
        return new QueuedEmail(
                rs.getString("id"),
                new VerificationId(rs.getString("verification_id")),
                new EmailAddress(rs.getString("recipient")),
                Optional.ofNullable(rs.getString("name")).map(DisplayName::new),
                Locale.forLanguageTag(rs.getString("locale")),
                new Purpose(rs.getString("purpose")),
                rs.getBytes("sealed_code"),
                Sql.instant(rs, "created_at"),
                Sql.instant(rs, "expires_at"),
                rs.getInt("attempts"),
                claim);
    }
}
