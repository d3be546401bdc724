package io.otpgate.core.analytics;

import java.time.Instant;
import java.util.function.BooleanSupplier;

/**
 * Brings the hourly rollup up to date (a port; the JDBC adapter implements it): recomputes, from
 * the verifications, every hour with a verification that had an event since the last run.
 * Idempotent, so a run repeated or cut short leaves correct figures; one process at a time runs it
 * (the expiry sweeper calls it under its lease).
 */
@FunctionalInterface
public interface Rollup {

    /**
     * Hours recomputed. {@code stillHeld} is asked before each hour (and renews the caller's lease):
     * once it says no, another process may be rolling up, so this one stops and leaves the hours
     * left, and its progress mark, to it.
     */
    int rollUp(Instant now, BooleanSupplier stillHeld);

    /** A roll-up by the only process there is (tests, a command). */
    default int rollUp(Instant now) {
        return rollUp(now, () -> true);
    }

    /** For stores without analytics. */
    Rollup NONE = (now, stillHeld) -> 0;
}
