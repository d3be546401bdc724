package io.otpgate.core.delivery;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The heartbeat of a dispatcher's workers: every third of the lease, renews the leases of every
 * row they hold, in one statement, and tells each {@link WorkerLease} it was confirmed. Skipped
 * while no worker holds a row, so an idle dispatcher writes nothing. A failed heartbeat confirms
 * nothing: the workers then stop before their leases can run out. The email outbox and the webhook
 * queue both keep their leases this way.
 */
public final class LeaseHeartbeat {

    private static final Logger log = LoggerFactory.getLogger(LeaseHeartbeat.class);

    /** Renews, by the database's clock, the leases of the rows these owners hold; how many it renewed. */
    @FunctionalInterface
    public interface Renewal {
        int renew(Collection<String> owners, Duration lease);
    }

    private final String name;
    private final Renewal renewal;
    private final List<WorkerLease> leases;
    private final Duration lease;
    private final Duration every;
    private final Object beat = new Object();
    private final LongAdder heartbeats = new LongAdder();
    private final LongAdder renewedRows = new LongAdder();
    private Thread thread;
    private boolean beating;

    /** {@code leases} may grow until {@link #start}; it is read by the heartbeat thread after that. */
    public LeaseHeartbeat(String name, Renewal renewal, List<WorkerLease> leases, Duration lease) {
        this.name = name;
        this.renewal = renewal;
        this.leases = leases;
        this.lease = lease;
        this.every = lease.dividedBy(3);
    }

    /** How long a worker may go unconfirmed before it stops: the lease less one heartbeat. */
    public WorkerLease workerLease(String owner) {
        return new WorkerLease(owner, lease, every);
    }

    public synchronized void start() {
        synchronized (beat) {
            beating = true;
        }
        thread = new Thread(this::run, name);
        thread.setDaemon(true);
        thread.start();
    }

    public void stop() {
        synchronized (beat) {
            beating = false;
            beat.notifyAll();
        }
    }

    /** Heartbeats sent so far. */
    public long sent() {
        return heartbeats.sum();
    }

    /** Rows those heartbeats renewed in all. */
    public long rowsRenewed() {
        return renewedRows.sum();
    }

    private void run() {
        while (awaitBeat()) {
            long askedAt = System.nanoTime();
            List<String> holding = leases.stream()
                    .filter(WorkerLease::held)
                    .map(WorkerLease::owner)
                    .toList();
            if (holding.isEmpty()) {
                continue;
            }
            try {
                int renewed = renewal.renew(holding, lease);
                long returnedAt = System.nanoTime();
                leases.forEach(workerLease -> workerLease.renewed(askedAt, returnedAt));
                heartbeats.increment();
                renewedRows.add(renewed);
            } catch (RuntimeException e) {
                log.warn("lease heartbeat failed thread={}: {}", name, e.toString());
            }
        }
    }

    /** Waits one heartbeat period; false once stopped. */
    private boolean awaitBeat() {
        synchronized (beat) {
            long until = System.nanoTime() + every.toNanos();
            for (long left = every.toNanos(); beating && left > 0; left = until - System.nanoTime()) {
                try {
                    TimeUnit.NANOSECONDS.timedWait(beat, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return beating;
        }
    }
}
