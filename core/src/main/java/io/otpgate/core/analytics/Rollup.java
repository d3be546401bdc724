package io.otpgate.core.analytics;

import java.time.Instant;

/**
 * Brings the hourly rollup up to date (a port; the JDBC adapter implements it): recomputes, from
 * the verifications, every hour with a verification that had an event since the last run.
 * Idempotent, so a run repeated or cut short leaves correct figures; one process at a time runs it
 * (the expiry sweeper calls it under its lease).
 */
@FunctionalInterface
public interface Rollup {

    /** Hours recomputed. */
    int rollUp(Instant now);

    /** For stores without analytics. */
    Rollup NONE = now -> 0;
}
