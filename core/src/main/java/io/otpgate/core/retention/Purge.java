package io.otpgate.core.retention;

import java.time.Instant;

/**
 * Deletes data past its retention, and the lease that lets one process at a time do so (a port; the
 * JDBC adapter implements it).
 *
 * <p>Each delete removes at most {@code limit} rows in one short transaction of its own, so a
 * large purge never holds many row locks for long; {@link Purger} repeats it until a call removes
 * fewer than {@code limit}.
 */
public interface Purge {

    /**
     * Takes the purge lease for {@code owner} until {@code until}, if nobody holds it at {@code now}
     * or {@code owner} already does. At most one owner holds it at any time, across processes.
     *
     * @return true when {@code owner} now holds the lease
     */
    boolean lease(String owner, Instant now, Instant until);

    /**
     * Verifications, with their emails, that expired or reached a terminal state before
     * {@code endedBefore}.
     */
    int verifications(Instant endedBefore, int limit);

    /** Rate-limit counters whose window started before {@code windowStartedBefore}. */
    int rateBuckets(Instant windowStartedBefore, int limit);

    /**
     * Per-address failure counts whose last wrong check was before {@code lastFailedBefore} and
     * whose address is not locked at {@code now}.
     */
    int recipientFailures(Instant lastFailedBefore, Instant now, int limit);

    /** Idempotency keys made before {@code createdBefore}. */
    int idempotencyKeys(Instant createdBefore, int limit);

    /**
     * Webhook deliveries made before {@code createdBefore} that no worker is sending: their own
     * retention, since they outlive the verifications they are about.
     */
    int webhookDeliveries(Instant createdBefore, int limit);

    /**
     * Hours of the analytics rollup that began before {@code hourBefore}: kept far longer than the
     * verifications they sum up ({@code OTPGATE_STATS_RETENTION}).
     */
    int statsHours(Instant hourBefore, int limit);

    /**
     * Gives up to {@code pages} of the space the deletes freed back to the file system, in one short
     * transaction, where the database keeps freed space in its file (the embedded SQLite store);
     * the pages given back, 0 where the database manages its own (PostgreSQL's autovacuum).
     */
    int reclaimSpace(int pages);
}
