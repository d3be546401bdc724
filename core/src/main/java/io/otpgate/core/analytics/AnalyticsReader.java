package io.otpgate.core.analytics;

import io.otpgate.core.tenant.Tenant;
import java.time.Instant;
import java.util.Map;

/** Reads a tenant's figures from the hourly rollup (a port; the JDBC adapter implements it). */
public interface AnalyticsReader {

    /** The figures of {@code tenant} only, over {@code period} as of {@code now}. */
    Analytics read(Tenant tenant, Period period, Instant now);

    /**
     * Every tenant's figures over all the rollup keeps ({@code OTPGATE_STATS_RETENTION}): what the
     * Prometheus funnel counters show. They only grow, but when the oldest hours are purged.
     */
    Map<Tenant, Counts> totals();
}
