package io.otpgate.core.stats;

import io.otpgate.core.tenant.Tenant;
import java.time.Instant;

/** Reads aggregate figures from the store (a port; the JDBC adapter implements it). */
public interface StatsReader {

    /** The figures of one tenant's verifications: no tenant sees another's volume or outcomes. */
    Stats stats(Tenant tenant, Instant now);

    OutboxBacklog backlog(Instant now);

    /** True when the database answers a trivial query: what readiness means. */
    boolean reachable();
}
