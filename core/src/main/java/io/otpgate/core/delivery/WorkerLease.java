package io.otpgate.core.delivery;

import java.time.Duration;

/**
 * What one worker knows of the lease on the rows it claimed: when the database last confirmed it,
 * by the claim itself or by a heartbeat, on {@link System#nanoTime}. That clock is monotonic, so a
 * wall clock stepped forward or back changes nothing here; the lease itself is measured by the
 * database's clock ({@link Outbox}), and each confirmation is the time the statement was asked
 * for, never later than the database's "now" that set the lease.
 *
 * <p>A worker starts an email only while its confirmation is younger than the lease less a safety
 * margin (one heartbeat period): past that, another dispatcher may soon take its rows, and what it
 * sent then could go out twice.
 */
public final class WorkerLease {

    private final String owner;
    private final long lengthNanos;
    private final long sendWithinNanos;
    private boolean held;
    private long claimedAt;
    private long confirmedAt;

    WorkerLease(String owner, Duration length, Duration margin) {
        this.owner = owner;
        this.lengthNanos = length.toNanos();
        this.sendWithinNanos = length.minus(margin).toNanos();
    }

    /** The name the worker claims under. */
    public String owner() {
        return owner;
    }

    /** A claim asked for at {@code askedAt} has committed rows: they are leased from then at least. */
    public synchronized void claimed(long askedAt) {
        held = true;
        confirmedAt = askedAt;
        claimedAt = System.nanoTime();
    }

    /**
     * The worker holds no row any more (none claimed, every one recorded or given back), or lets the
     * lease run out on what it still holds: heartbeats leave its rows alone.
     */
    public synchronized void released() {
        held = false;
    }

    public synchronized boolean held() {
        return held;
    }

    /**
     * A heartbeat asked for at {@code askedAt} came back at {@code returnedAt}. It renewed this
     * worker's rows if their claim had committed before it was asked, and if it came back before the
     * lease it extends could have run out: a renewal that lands later may find that another
     * dispatcher has already taken the rows (it renews only rows still under this owner's name, and
     * cannot say which), so it confirms nothing and the worker stops.
     */
    synchronized void renewed(long askedAt, long returnedAt) {
        if (held && askedAt - claimedAt > 0 && returnedAt - confirmedAt < lengthNanos) {
            confirmedAt = askedAt;
        }
    }

    /** Whether the worker may still start sending an email: its lease was confirmed recently enough. */
    public synchronized boolean current() {
        return System.nanoTime() - confirmedAt < sendWithinNanos;
    }

    /** How long ago the lease was last confirmed. */
    public synchronized Duration age() {
        return Duration.ofNanos(System.nanoTime() - confirmedAt);
    }
}
