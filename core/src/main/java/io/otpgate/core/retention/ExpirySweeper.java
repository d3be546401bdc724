package io.otpgate.core.retention;

import io.otpgate.core.analytics.Rollup;
import io.otpgate.core.verification.VerificationStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Marks pending verifications whose code expired as expired, every {@link #INTERVAL}, so that
 * {@code verification.expired} is written (and its webhooks sent) within a minute of the expiry
 * whether or not anyone asks about the verification.
 *
 * <p>Every serving instance runs one; a {@link MaintenanceLease} lets one sweep at a time, held for
 * an interval and renewed after every batch, so the cluster sweeps once per interval whatever its
 * size. Each batch is one short transaction.
 *
 * <p>After marking, the same holder brings the analytics {@link Rollup} up to date: the hours it
 * recomputes are those whose verifications had an event since its last run, which the expirations
 * just marked are; at most once a {@link #ROLLUP_INTERVAL}. Doing it here rather than in each request's transaction keeps the hot path free
 * of a per-tenant counter row every request would queue on, and the figures are exact (recomputed
 * from the rows, idempotently) and at most about a minute behind.
 */
public final class ExpirySweeper implements AutoCloseable {

    /** Time between sweeps: an expiry is marked at most this long (plus a sweep) after it happened. */
    public static final Duration INTERVAL = Duration.ofSeconds(15);

    /** Time between two roll-ups by one instance: the analytics are at most about this far behind. */
    public static final Duration ROLLUP_INTERVAL = Duration.ofMinutes(1);

    private static final int BATCH = 500;
    private static final Logger log = LoggerFactory.getLogger(ExpirySweeper.class);

    private final VerificationStore store;
    private final Rollup rollup;
    private final MaintenanceLease lease;
    private final Clock clock;
    private final String owner;
    private ScheduledExecutorService schedule;
    private Instant rolledAt;

    public ExpirySweeper(VerificationStore store, MaintenanceLease lease, Clock clock) {
        this(store, Rollup.NONE, lease, clock);
    }

    public ExpirySweeper(VerificationStore store, Rollup rollup, MaintenanceLease lease, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.rollup = Objects.requireNonNull(rollup, "rollup");
        this.lease = Objects.requireNonNull(lease, "lease");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.owner = UUID.randomUUID().toString().substring(0, 8);
    }

    /** Sweeps every {@link #INTERVAL} from now on, until closed. */
    public synchronized ExpirySweeper start() {
        if (schedule == null) {
            schedule = Executors.newSingleThreadScheduledExecutor(task -> {
                Thread thread = new Thread(task, "otpgate-expiry");
                thread.setDaemon(true);
                return thread;
            });
            schedule.scheduleWithFixedDelay(
                    this::runQuietly, INTERVAL.toMillis(), INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        }
        return this;
    }

    /**
     * Sweeps now if this instance can take the lease: how many verifications it marked expired
     * (some of them may have been decided by a check in the meantime), or -1 when another instance
     * holds the lease.
     */
    public int runOnce() {
        int looked = 0;
        while (true) {
            Instant now = clock.instant();
            if (!lease.take(owner, now, now.plus(INTERVAL))) {
                return looked == 0 ? -1 : looked;
            }
            int batch = store.expireDue(now, BATCH);
            looked += batch;
            if (batch < BATCH) {
                if (looked > 0) {
                    log.info("expiry sweep marked verifications={}", looked);
                }
                rollUpIfDue();
                return looked;
            }
        }
    }

    /**
     * Rolls up at most once a {@link #ROLLUP_INTERVAL} per instance: each run recomputes the hours
     * that changed, the current one included, which on a busy tenant is far more work than a sweep.
     */
    private void rollUpIfDue() {
        Instant now = clock.instant();
        if (rolledAt != null && now.isBefore(rolledAt.plus(ROLLUP_INTERVAL))) {
            return;
        }
        // A first roll-up of a large database may take longer than the lease: renewed before each hour.
        int hours = rollup.rollUp(now, () -> {
            Instant at = clock.instant();
            return lease.take(owner, at, at.plus(INTERVAL));
        });
        rolledAt = now;
        if (hours > 0) {
            log.debug("analytics rollup recomputed hours={}", hours);
        }
    }

    private void runQuietly() {
        try {
            runOnce();
        } catch (RuntimeException e) {
            // Usually the database is away; the next sweep tries again. Throwing would cancel the schedule.
            log.warn("expiry sweep failed: {}", e.toString());
        }
    }

    @Override
    public synchronized void close() {
        if (schedule != null) {
            schedule.shutdownNow();
        }
    }
}
