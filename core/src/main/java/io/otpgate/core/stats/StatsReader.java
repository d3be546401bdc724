package io.otpgate.core.stats;

import java.time.Instant;

/** Reads aggregate figures from the store (a port; the JDBC adapter implements it). */
public interface StatsReader {

    Stats stats(Instant now);

    OutboxBacklog backlog(Instant now);

    /** True when the database answers a trivial query: what readiness means. */
    boolean reachable();
}
