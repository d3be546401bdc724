package io.otpgate.jdbc;

import io.otpgate.core.retention.MaintenanceLease;
import java.time.Instant;

/** {@link MaintenanceLease}s in the {@code maintenance_leases} table: one row per job. */
final class MaintenanceLeases {

    private static final String ENSURE = """
      INSERT INTO maintenance_leases (name, owner, lease_until) VALUES (?, NULL, ?)
      ON CONFLICT DO NOTHING
      """;

    /** Taken when it is free or already ours: the row lock lets one of two racing instances win. */
    private static final String TAKE = """
      UPDATE maintenance_leases SET owner = ?, lease_until = ?
       WHERE name = ? AND (lease_until <= ? OR owner = ?)
      """;

    private MaintenanceLeases() {}

    /** The lease of the job called {@code name}. */
    static MaintenanceLease named(Transactions tx, String name) {
        return (owner, now, until) -> tx.write(c -> {
            Sql.update(c, ENSURE, name, Instant.EPOCH);
            return Sql.update(c, TAKE, owner, until, name, now, owner) == 1;
        });
    }
}
