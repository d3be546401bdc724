package io.otpgate.core.retention;

import io.otpgate.core.policy.DurationText;
import io.otpgate.core.verification.Idempotency;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntUnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes old data on a schedule: verifications (and their emails) that ended more than the
 * retention ago, rate-limit counters whose window started that long ago, and failure counts of
 * addresses that are not locked and saw no wrong check for that long.
 *
 * <p>Every instance runs one, but a lease in the database lets only one purge at a time: the
 * instance that takes it holds it for one interval, renewed after every chunk, so the cluster
 * purges about once per interval whatever the number of instances. Deletes go in chunks (1,000
 * rows by default), each its own transaction, so a large backlog never holds long locks against
 * the API.
 */
public final class Purger implements AutoCloseable {

    /** How long finished verifications are kept by default. */
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(7);

    /**
     * The shortest retention accepted: longer than a code can live (24 h at most) and than every
     * rate-limit window OTPGate uses (1 h at most), so nothing a check or a limit still needs is
     * deleted.
     */
    public static final Duration MIN_RETENTION = Duration.ofDays(1);

    /** How long the analytics rollup is kept by default: a year and a bit, to compare a month with last year's. */
    public static final Duration DEFAULT_STATS_RETENTION = Duration.ofDays(400);

    private static final Logger log = LoggerFactory.getLogger(Purger.class);

    private final Purge purge;
    private final Clock clock;
    private final Duration retention;
    private final Duration statsRetention;
    private final Duration interval;
    private final Duration initialDelay;
    private final int chunk;
    private final String owner;
    private ScheduledExecutorService schedule;
    private volatile boolean closed;

    private Purger(Builder b) {
        this.purge = Objects.requireNonNull(b.purge, "purge");
        this.clock = b.clock;
        this.retention = b.retention;
        this.statsRetention = b.statsRetention;
        this.interval = b.interval;
        this.initialDelay = b.initialDelay;
        this.chunk = b.chunk;
        this.owner = b.instanceId;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Runs a purge after the initial delay, then one interval after each run ends, until closed. */
    public synchronized Purger start() {
        if (closed) {
            throw new IllegalStateException("purger closed");
        }
        if (schedule == null) {
            schedule = Executors.newSingleThreadScheduledExecutor(task -> {
                Thread thread = new Thread(task, "otpgate-purge");
                thread.setDaemon(true);
                return thread;
            });
            schedule.scheduleWithFixedDelay(
                    this::runQuietly, initialDelay.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
            log.info(
                    "purge scheduled every={} retention={}",
                    DurationText.format(interval),
                    DurationText.format(retention));
        }
        return this;
    }

    /**
     * Purges now, if this instance can take the lease.
     *
     * @return the rows removed, or empty when another instance holds the lease
     */
    public Optional<Purged> runOnce() {
        Instant now = clock.instant();
        if (!purge.lease(owner, now, now.plus(interval))) {
            log.debug("purge skipped: another instance holds the lease");
            return Optional.empty();
        }
        Instant cutoff = now.minus(retention);
        Purged purged = new Purged(
                inChunks(limit -> purge.verifications(cutoff, limit)),
                inChunks(limit -> purge.rateBuckets(cutoff, limit)),
                inChunks(limit -> purge.recipientFailures(cutoff, now, limit)),
                // Keys live a day whatever the retention: a replay after that starts afresh.
                inChunks(limit -> purge.idempotencyKeys(now.minus(Idempotency.LIFETIME), limit)),
                inChunks(limit -> purge.webhookDeliveries(cutoff, limit)),
                inChunks(limit -> purge.statsHours(now.minus(statsRetention), limit)));
        // After the deletes, so the file shrinks by what they freed; in chunks like them, so no
        // transaction holds the embedded store's writer for long.
        long reclaimed = inChunks(purge::reclaimSpace);
        log.info(
                "purge removed verifications={} rate_buckets={} recipient_failures={} idempotency_keys={}"
                        + " webhook_deliveries={} older_than={} stats_rows={} pages_reclaimed={}",
                purged.verifications(),
                purged.rateBuckets(),
                purged.recipientFailures(),
                purged.idempotencyKeys(),
                purged.webhookDeliveries(),
                DurationText.format(retention),
                purged.statsHours(),
                reclaimed);
        return Optional.of(purged);
    }

    /** Deletes chunk after chunk until one comes back short, the lease is lost or the purger closes. */
    private long inChunks(IntUnaryOperator delete) {
        long total = 0;
        while (!closed) {
            int removed = delete.applyAsInt(chunk);
            total += removed;
            if (removed < chunk || !renewLease()) {
                break;
            }
        }
        return total;
    }

    /** False when this instance stalled past its lease and another one took over: leave it the work. */
    private boolean renewLease() {
        Instant now = clock.instant();
        return purge.lease(owner, now, now.plus(interval));
    }

    private void runQuietly() {
        try {
            runOnce();
        } catch (RuntimeException e) {
            // Usually the database is away; the next run tries again. Throwing would cancel the schedule.
            log.warn("purge failed; next attempt in {}", DurationText.format(interval), e);
        }
    }

    /** Stops the schedule, letting a chunk being deleted finish first. */
    @Override
    public void close() {
        ScheduledExecutorService running;
        synchronized (this) {
            closed = true;
            running = schedule;
        }
        if (running == null) {
            return;
        }
        running.shutdown();
        try {
            if (!running.awaitTermination(30, TimeUnit.SECONDS)) {
                running.shutdownNow();
            }
        } catch (InterruptedException e) {
            running.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    /** Builds a {@link Purger}; the purge port is required. */
    public static final class Builder {
        private Purge purge;
        private Clock clock = Clock.systemUTC();
        private Duration retention = DEFAULT_RETENTION;
        private Duration statsRetention = DEFAULT_STATS_RETENTION;
        private Duration interval = Duration.ofHours(1);
        private Duration initialDelay = Duration.ofMinutes(1);
        private int chunk = 1_000;
        private String instanceId = UUID.randomUUID().toString().substring(0, 8);

        private Builder() {}

        public Builder purge(Purge purge) {
            this.purge = Objects.requireNonNull(purge, "purge");
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * How long data is kept after it stops mattering; at least {@link #MIN_RETENTION}. Library
         * users with their own rate limits: a window longer than this is cut short by the purge.
         */
        public Builder retention(Duration retention) {
            Objects.requireNonNull(retention, "retention");
            if (retention.compareTo(MIN_RETENTION) < 0) {
                throw new IllegalArgumentException(
                        "retention must be at least 1d, got " + DurationText.format(retention));
            }
            this.retention = retention;
            return this;
        }

        /** How long the hourly analytics rollup is kept; at least {@link #MIN_RETENTION}. */
        public Builder statsRetention(Duration statsRetention) {
            Objects.requireNonNull(statsRetention, "statsRetention");
            if (statsRetention.compareTo(MIN_RETENTION) < 0) {
                throw new IllegalArgumentException(
                        "stats retention must be at least 1d, got " + DurationText.format(statsRetention));
            }
            this.statsRetention = statsRetention;
            return this;
        }

        /** Time between the end of one run and the start of the next; also how long the lease lasts. */
        public Builder interval(Duration interval) {
            Objects.requireNonNull(interval, "interval");
            if (interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("interval must be positive");
            }
            this.interval = interval;
            return this;
        }

        /** Time from {@link #start()} to the first run; short-lived processes never purge. */
        public Builder initialDelay(Duration initialDelay) {
            Objects.requireNonNull(initialDelay, "initialDelay");
            if (initialDelay.isNegative()) {
                throw new IllegalArgumentException("initial delay must not be negative");
            }
            this.initialDelay = initialDelay;
            return this;
        }

        /** Rows deleted per statement and transaction. */
        public Builder chunk(int chunk) {
            if (chunk < 1) {
                throw new IllegalArgumentException("chunk must be at least 1");
            }
            this.chunk = chunk;
            return this;
        }

        /** Identifies this process as the lease owner; random by default, at most 64 characters. */
        public Builder instanceId(String instanceId) {
            Objects.requireNonNull(instanceId, "instanceId");
            if (instanceId.isEmpty() || instanceId.length() > 64) {
                throw new IllegalArgumentException("instance id must have 1 to 64 characters");
            }
            this.instanceId = instanceId;
            return this;
        }

        public Purger build() {
            return new Purger(this);
        }
    }
}
