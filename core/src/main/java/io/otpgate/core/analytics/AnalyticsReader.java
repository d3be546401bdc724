package io.otpgate.core.analytics;

import io.otpgate.core.tenant.Tenant;
import java.time.Instant;

/** Reads a tenant's figures from the hourly rollup (a port; the JDBC adapter implements it). */
public interface AnalyticsReader {

    /** The figures of {@code tenant} only, over {@code period} as of {@code now}. */
    Analytics read(Tenant tenant, Period period, Instant now);
}
