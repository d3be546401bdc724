package io.otpgate.core.delivery;

import io.otpgate.core.code.CodeSealer;
import io.otpgate.core.code.OneTimeCode;
import io.otpgate.core.code.ServerSecret;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * Sends what the {@link Outbox} holds: worker threads claim due rows under a lease, render each
 * email, send it over a connection they keep open while there is work, and record the outcome.
 *
 * <p>Rows are held under a lease that a heartbeat thread renews every third of the lease, for
 * every worker at once in one statement; a lease is thus a few heartbeats long, and the rows of a
 * process that died (or lost the database) are taken over by another dispatcher once it runs out,
 * by the database's clock. A worker whose lease went unconfirmed for the lease less one heartbeat
 * sends nothing more of its batch: it records what it sent and gives the rest back
 * ({@link WorkerLease}).
 *
 * <p>Delivery is at-least-once: a process that dies between the server's 250 and the "sent"
 * update leaves a row that another dispatcher re-sends after the lease. Sent rows are recorded a
 * batch at a time, in the transaction that claims the next batch (and every 250 ms of sending if
 * a batch takes longer), so such a death re-sends at most the emails of one batch not yet
 * recorded. Nothing is sent after the code expired, and nothing for a code that stopped being
 * current (the {@link Outbox} decides that when it hands a row out). 4xx replies, timeouts and
 * broken connections are retried by the {@link RetryPolicy}; 5xx replies and configuration faults
 * ({@link SendOutcome.Misconfigured}) fail the row at once, keeping the server's reply. Final
 * failures are logged at WARN.
 */
public final class OutboxDispatcher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(OutboxDispatcher.class);

    /**
     * How long a claim lasts without a heartbeat: how long a dead process's emails wait before
     * another takes them over. A code lives minutes and a person waits for it at the screen.
     */
    public static final Duration DEFAULT_LEASE = Duration.ofSeconds(15);
    /**
     * Shortest lease an operator may set: a heartbeat every second, and a heartbeat held up longer
     * than the margin (a busy embedded file, a slow network) makes workers pause their batches.
     */
    public static final Duration MIN_LEASE = Duration.ofSeconds(3);
    /** Longest lease an operator may set: a dead process's emails should arrive while codes live. */
    public static final Duration MAX_LEASE = Duration.ofMinutes(10);

    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(30);
    /**
     * How long a worker sends from a batch before it asks the database again which of the rest are
     * still to be sent. A healthy batch goes out within this; one held up by a slow or failing SMTP
     * server (each try may wait out a 30 s timeout) would otherwise send a code canceled or replaced
     * while it waited.
     */
    private static final Duration RECHECK = Duration.ofMillis(250);
    /** How long an idle worker keeps its SMTP session before closing it. */
    private static final Duration IDLE_CONNECTION = Duration.ofSeconds(5);
    /** Accepted emails recorded in one transaction at most; a larger batch is recorded in parts. */
    private static final int RECORD_EVERY = 64;
    /** Longest an accepted email waits for its outcome to be recorded (while its batch goes on). */
    private static final Duration RECORD_WITHIN = Duration.ofMillis(250);

    private final Outbox outbox;
    private final MailTransport transport;
    private final MailComposer composer;
    private final CodeSealer sealer;
    private final Clock clock;
    private final RetryPolicy retryPolicy;
    private final DeliveryListener listener;
    private final int workers;
    private final int batchSize;
    private final Duration lease;
    private final Duration pollInterval;
    private final String instanceId;
    private final Object signal = new Object();
    private final List<Thread> threads = new ArrayList<>();
    private final List<WorkerLease> leases = new ArrayList<>();
    private final LongAdder lostLeases = new LongAdder();
    private final LeaseHeartbeat heartbeat;
    private boolean started;
    private long signals;
    private volatile boolean running;

    private OutboxDispatcher(Builder b) {
        this.outbox = Objects.requireNonNull(b.outbox, "outbox");
        this.transport = Objects.requireNonNull(b.transport, "transport");
        this.composer = Objects.requireNonNull(b.composer, "composer");
        // The dispatcher only opens sealed codes; the random source is for sealing, never drawn here.
        this.sealer = new CodeSealer(Objects.requireNonNull(b.secret, "secret"), new SecureRandom());
        this.clock = b.clock;
        this.retryPolicy = b.retryPolicy;
        this.listener = b.listener;
        this.workers = b.workers;
        this.batchSize = b.batchSize;
        this.lease = b.lease;
        this.pollInterval = b.pollInterval;
        this.instanceId = b.instanceId;
        this.heartbeat = new LeaseHeartbeat("otpgate-dispatch-heartbeat", outbox::renew, leases, lease);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Starts the worker threads and their heartbeat, once: a closed dispatcher stays closed. */
    public synchronized OutboxDispatcher start() {
        if (started) {
            return this;
        }
        started = true;
        running = true;
        for (int i = 0; i < workers; i++) {
            WorkerLease workerLease = heartbeat.workerLease(instanceId + "-" + i);
            leases.add(workerLease);
            Thread thread = new Thread(() -> work(workerLease), "otpgate-dispatch-" + i);
            thread.setDaemon(true);
            threads.add(thread);
        }
        heartbeat.start();
        threads.forEach(Thread::start);
        log.info(
                "outbox dispatcher started workers={} lease={}ms transport={}",
                workers,
                lease.toMillis(),
                transport.describe());
        return this;
    }

    /**
     * Emails this process handed to the SMTP server after another process had taken them over (its
     * lease lapsed: a stall longer than the lease allows). Each is an email sent twice; with healthy
     * instances it stays 0.
     */
    public long lostLeases() {
        return lostLeases.sum();
    }

    /** Heartbeats sent so far, and the rows they renewed: what the leases cost the database. */
    public Heartbeats heartbeats() {
        return new Heartbeats(heartbeat.sent(), heartbeat.rowsRenewed());
    }

    /** How many heartbeats a dispatcher sent (one statement each), and how many rows they renewed in all. */
    public record Heartbeats(long sent, long rowsRenewed) {}

    /**
     * Tells an idle worker that rows were just queued, so they go out now rather than at the next
     * poll. One worker, not all: each woken worker runs a claim, and for one new row the others would
     * only find nothing (the first benchmark run saw every queued row wake all 8). A worker that
     * claims a full batch wakes the next, so a backlog still gets every worker.
     */
    public void wake() {
        synchronized (signal) {
            signals++;
            signal.notify();
        }
    }

    private void wakeAll() {
        synchronized (signal) {
            signals++;
            signal.notifyAll();
        }
    }

    /**
     * Stops claiming, lets each worker finish the message it is sending, records every email the
     * server accepted as sent, and releases every lease still held so another process can take the
     * rows at once (and a rerun sends none of them twice). Safe to call from a shutdown hook, more
     * than once and from several threads at once: every call returns only once the workers are done
     * (or the grace is over), so a caller that closes the database next never cuts a worker's last
     * record short.
     */
    @Override
    public void close() {
        List<Thread> workers;
        boolean stopping;
        synchronized (this) {
            stopping = running;
            running = false;
            workers = List.copyOf(threads);
        }
        wakeAll();
        // A message in flight gets time to finish, its lease renewed meanwhile; past the grace, the
        // heartbeat stops and the lease makes the row someone else's.
        long deadline = System.nanoTime() + SHUTDOWN_GRACE.toNanos();
        for (Thread thread : workers) {
            try {
                thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        heartbeat.stop();
        if (stopping) {
            log.info("outbox dispatcher stopped");
        }
    }

    private void work(WorkerLease workerLease) {
        String owner = workerLease.owner();
        MailTransport.Connection connection = null;
        long lastSend = System.nanoTime();
        // Sent, not yet recorded. A finished batch's emails are recorded by the next claim, in its
        // transaction: one commit per batch instead of two (each commit is an fsync on the embedded store).
        Unrecorded sent = new Unrecorded();
        try {
            while (running) {
                long seen = currentSignals();
                long askedAt = System.nanoTime();
                List<QueuedEmail> batch = recordAndClaim(sent, owner, clock.instant());
                if (!batch.isEmpty()) {
                    workerLease.claimed(askedAt);
                } else if (sent.emails.isEmpty()) {
                    workerLease.released();
                }
                if (batch.isEmpty()) {
                    // Idle for a while: give the SMTP connection back rather than hold it open for nothing.
                    // A short lull (rows trickling in) keeps it, so as not to pay a new session per email.
                    if (connection != null && System.nanoTime() - lastSend > IDLE_CONNECTION.toNanos()) {
                        connection = closeQuietly(connection);
                    }
                    awaitSignal(seen);
                    continue;
                }
                if (batch.size() == batchSize) {
                    wake(); // likely more behind this batch: bring in another worker
                }
                if (connection == null) {
                    connection = transport.connect();
                }
                lastSend = System.nanoTime();
                try {
                    int delivered = 0;
                    long checkedAt = askedAt;
                    Set<String> toSend = null; // null: all of the batch, as claimed
                    for (QueuedEmail email : batch) {
                        if (!running) {
                            break;
                        }
                        // A new session's handshake can take seconds: before the look, not after it.
                        connection.open();
                        if (System.nanoTime() - checkedAt > RECHECK.toNanos()) {
                            checkedAt = System.nanoTime();
                            toSend = outbox.stillToSend(batch.subList(delivered, batch.size()));
                        }
                        if (toSend != null && !toSend.contains(email.id())) {
                            // Settled while the batch waited; whoever did that erased the code and said so.
                            log.info(
                                    "email not sent: canceled or replaced while its batch waited id={} verification={}",
                                    email.id(),
                                    email.verificationId());
                            delivered++;
                            continue;
                        }
                        if (!workerLease.current()) {
                            // Another dispatcher may soon take these rows, or has: send none of them.
                            log.warn(
                                    "outbox lease not confirmed for {} ms owner={}; giving back {} emails unsent",
                                    workerLease.age().toMillis(),
                                    owner,
                                    batch.size() - delivered);
                            break;
                        }
                        deliver(email, connection, sent);
                        delivered++;
                        if (sent.due()) {
                            record(sent);
                        }
                    }
                    // A batch cut short leaves leases to give back, after its sent emails are recorded: a
                    // released row that was sent but not recorded would be sent again.
                    if (delivered < batch.size()) {
                        record(sent);
                        outbox.release(owner);
                        workerLease.released();
                    }
                } catch (RuntimeException e) {
                    // Usually the database went away mid-batch. The worker lives on and gives the rest of
                    // the batch back, or, if it cannot, stops renewing the lease on it: rows left under
                    // its name are then taken over after the lease, and those sent but not recorded are
                    // sent again (at-least-once).
                    log.error("outbox worker {} failed on a batch; continuing", owner, e);
                    recordQuietly(sent, owner);
                    if (sent.emails.isEmpty()) {
                        releaseQuietly(owner);
                    }
                    workerLease.released();
                    sleep(pollInterval);
                }
            }
        } finally {
            recordQuietly(sent, owner);
            closeQuietly(connection);
            releaseQuietly(owner);
        }
    }

    /** Records the sent emails and claims the next batch, in one transaction. */
    private List<QueuedEmail> recordAndClaim(Unrecorded sent, String owner, Instant now) {
        try {
            Outbox.Claim claim = outbox.recordAndClaim(sent.rows, owner, batchSize, now, lease);
            reportRecorded(sent, claim.recorded());
            return claim.claimed();
        } catch (RuntimeException e) {
            // The database may be restarting; wait a poll interval and try again rather than die. The
            // sent emails stay leased and unrecorded until a later claim records them.
            log.warn("outbox claim failed owner={}: {}", owner, e.toString());
            sleep(pollInterval);
            return List.of();
        }
    }

    /**
     * Records the accepted emails not yet recorded, in one transaction, then tells the listener.
     * Until this commits they stay leased: a crash before it re-sends them after the lease.
     */
    private void record(Unrecorded sent) {
        if (!sent.emails.isEmpty()) {
            reportRecorded(sent, outbox.markSentAll(sent.rows));
        }
    }

    private void reportRecorded(Unrecorded sent, List<Boolean> recorded) {
        for (int i = 0; i < sent.emails.size(); i++) {
            QueuedEmail email = sent.emails.get(i);
            if (!recorded.get(i)) {
                // Our lease ran out and another claim took the row: it may send it again.
                lostLeases.increment();
                log.warn("email sent but its lease was lost id={} verification={}", email.id(), email.verificationId());
            }
            report(email, DeliveryStatus.SENT, sent.rows.get(i).reply());
        }
        sent.clear();
    }

    private void recordQuietly(Unrecorded sent, String owner) {
        try {
            record(sent);
        } catch (RuntimeException e) {
            log.warn(
                    "could not record {} sent emails owner={}; they will be sent again after the lease: {}",
                    sent.emails.size(),
                    owner,
                    e.toString());
        }
    }

    private void deliver(QueuedEmail email, MailTransport.Connection connection, Unrecorded sent) {
        Instant now = clock.instant();
        if (!now.isBefore(email.expiresAt())) {
            outbox.markExpired(email, now);
            report(email, DeliveryStatus.EXPIRED_UNDELIVERED, "the code expired before it could be sent");
            return;
        }
        OutgoingEmail message;
        OneTimeCode code = null;
        try {
            code = sealer.open(email.id(), email.sealedCode());
            message = composer.compose(new CodeEmail(
                    email.id(),
                    email.verificationId(),
                    email.to(),
                    email.name(),
                    email.locale(),
                    email.purpose(),
                    code,
                    Duration.between(now, email.expiresAt())));
        } catch (RuntimeException e) {
            log.error("email could not be prepared id={} verification={}", email.id(), email.verificationId(), e);
            fail(email, Outbox.Failure.PERMANENT, "could not prepare the email: " + e.getMessage());
            return;
        } finally {
            if (code != null) {
                code.wipe();
            }
        }
        SendOutcome outcome = connection.send(message);
        int attempts = email.attempts() + 1;
        switch (outcome.kind()) {
            case ACCEPTED -> sent.add(email, new Outbox.Sent(email, clock.instant(), outcome.reply()));
            case PERMANENT -> fail(email, Outbox.Failure.PERMANENT, outcome.reply());
            case MISCONFIGURED -> fail(email, Outbox.Failure.CONFIGURATION, outcome.reply());
            case TRANSIENT -> {
                Instant at = clock.instant();
                Optional<Instant> next = retryPolicy.next(attempts, at, new SplittableRandom());
                if (next.isEmpty()) {
                    fail(
                            email,
                            Outbox.Failure.TRANSIENT,
                            "gave up after " + attempts + " attempts: " + outcome.reply());
                } else {
                    outbox.retryLater(email, at, next.get(), outcome.reply());
                    report(email, DeliveryStatus.RETRYING, outcome.reply());
                }
            }
        }
    }

    private void fail(QueuedEmail email, Outbox.Failure failure, String reason) {
        outbox.markFailed(email, clock.instant(), failure, reason);
        report(email, DeliveryStatus.FAILED, reason);
    }

    private void report(QueuedEmail email, DeliveryStatus status, String reply) {
        // An email that will never arrive needs an operator (or tells one that an address is wrong):
        // WARN. The code is never in the reply: the server answers about envelopes and sessions.
        boolean undelivered = status == DeliveryStatus.FAILED || status == DeliveryStatus.EXPIRED_UNDELIVERED;
        log.atLevel(undelivered ? Level.WARN : Level.INFO)
                .log(
                        "email {} id={} verification={} domain={} reply={}",
                        status.wireName(),
                        email.id(),
                        email.verificationId(),
                        email.to().domain(),
                        reply);
        try {
            listener.delivered(email, status, reply);
        } catch (RuntimeException e) {
            log.warn("delivery listener failed", e);
        }
    }

    private long currentSignals() {
        synchronized (signal) {
            return signals;
        }
    }

    private void awaitSignal(long seen) {
        synchronized (signal) {
            if (signals != seen || !running) {
                return;
            }
            try {
                signal.wait(Math.max(1, pollInterval.toMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running = false;
            }
        }
    }

    private void releaseQuietly(String owner) {
        try {
            outbox.release(owner);
        } catch (RuntimeException e) {
            log.warn("could not release outbox leases owner={}: {}", owner, e.toString());
        }
    }

    private static MailTransport.Connection closeQuietly(MailTransport.Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (RuntimeException e) {
                log.debug("closing the mail connection failed", e);
            }
        }
        return null;
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Emails the server accepted whose outcome is not recorded yet. They are recorded together, at
     * the end of the batch or once {@link #RECORD_EVERY} have gathered or the oldest has waited
     * {@link #RECORD_WITHIN}, whichever comes first.
     */
    private static final class Unrecorded {
        final List<QueuedEmail> emails = new ArrayList<>();
        final List<Outbox.Sent> rows = new ArrayList<>();
        long since;

        void add(QueuedEmail email, Outbox.Sent row) {
            if (emails.isEmpty()) {
                since = System.nanoTime();
            }
            emails.add(email);
            rows.add(row);
        }

        boolean due() {
            return !emails.isEmpty()
                    && (emails.size() >= RECORD_EVERY || System.nanoTime() - since >= RECORD_WITHIN.toNanos());
        }

        void clear() {
            emails.clear();
            rows.clear();
        }
    }

    /** Builds an {@link OutboxDispatcher}; outbox, transport, composer and secret are required. */
    public static final class Builder {
        private Outbox outbox;
        private MailTransport transport;
        private MailComposer composer;
        private ServerSecret secret;
        private Clock clock = Clock.systemUTC();
        private RetryPolicy retryPolicy = RetryPolicy.defaults();
        private DeliveryListener listener = (email, status, reply) -> {};
        private int workers = 4;
        private int batchSize = 8;
        private Duration lease = DEFAULT_LEASE;
        private Duration pollInterval = Duration.ofSeconds(1);
        private String instanceId = UUID.randomUUID().toString().substring(0, 8);

        private Builder() {}

        public Builder outbox(Outbox outbox) {
            this.outbox = outbox;
            return this;
        }

        public Builder transport(MailTransport transport) {
            this.transport = transport;
            return this;
        }

        public Builder composer(MailComposer composer) {
            this.composer = composer;
            return this;
        }

        /** The server secret the codes in the outbox were sealed with (all its keys can open). */
        public Builder secret(ServerSecret secret) {
            this.secret = secret;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public Builder retryPolicy(RetryPolicy retryPolicy) {
            this.retryPolicy = Objects.requireNonNull(retryPolicy, "retryPolicy");
            return this;
        }

        public Builder listener(DeliveryListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** Parallel SMTP connections; each worker holds one while there is work. */
        public Builder workers(int workers) {
            if (workers < 1) {
                throw new IllegalArgumentException("workers must be at least 1");
            }
            this.workers = workers;
            return this;
        }

        /** Rows claimed at once by a worker; larger batches mean fewer claim queries. */
        public Builder batchSize(int batchSize) {
            if (batchSize < 1) {
                throw new IllegalArgumentException("batch size must be at least 1");
            }
            this.batchSize = batchSize;
            return this;
        }

        /**
         * How long a claim lasts without a heartbeat before other dispatchers presume this one dead;
         * heartbeats come every third of it. Operators choose between {@link #MIN_LEASE} and
         * {@link #MAX_LEASE}; tests may go shorter.
         */
        public Builder lease(Duration lease) {
            if (lease.compareTo(Duration.ofMillis(30)) < 0) {
                throw new IllegalArgumentException("lease must be at least 30 ms");
            }
            this.lease = lease;
            return this;
        }

        /** How often idle workers look for due rows (retries, rows queued by other processes). */
        public Builder pollInterval(Duration pollInterval) {
            this.pollInterval = Objects.requireNonNull(pollInterval, "pollInterval");
            return this;
        }

        /** Identifies this process in lease owners; random by default. */
        public Builder instanceId(String instanceId) {
            this.instanceId = Objects.requireNonNull(instanceId, "instanceId");
            return this;
        }

        public OutboxDispatcher build() {
            return new OutboxDispatcher(this);
        }
    }
}
