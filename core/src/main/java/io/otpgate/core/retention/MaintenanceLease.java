package io.otpgate.core.retention;

import java.time.Instant;

/**
 * A lease that lets one process at a time run one maintenance job (a port; the JDBC adapter keeps
 * it in a table shared by every instance on the database).
 */
@FunctionalInterface
public interface MaintenanceLease {

    /**
     * Takes the lease for {@code owner} until {@code until}, if nobody holds it at {@code now} or
     * {@code owner} already does.
     *
     * @return true when {@code owner} now holds the lease
     */
    boolean take(String owner, Instant now, Instant until);
}
