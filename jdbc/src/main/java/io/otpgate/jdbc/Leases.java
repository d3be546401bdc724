package io.otpgate.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collection;

/**
 * The lease statements the email outbox and the webhook queue share: both tables keep
 * {@code status}, {@code lease_owner}, {@code lease_until} and {@code claim} the same way, and a
 * lease is set and judged by the database's clock ({@link Dialect#now}).
 */
final class Leases {

    /**
     * The heartbeat, one statement for every worker of a dispatcher. Rows being sent only: a row
     * canceled under its sender keeps the owner (so the sender can still record it sent) but needs
     * no lease, and the owner index finds the few rows an instance holds. On PostgreSQL a row locked
     * by another transaction is skipped rather than waited for: that transaction is recording or
     * settling it, or taking it over, and none of them needs the renewal. Waiting would tie every
     * worker's lease to the slowest transaction on any of their rows, and to a stalled one for as
     * long as it stalls.
     */
    private static final String RENEW = """
      UPDATE %1$s SET lease_until = %2$s
       WHERE id IN (SELECT id FROM %1$s WHERE lease_owner IN (%3$s) AND status = 'sending'%4$s)
      """;

    /** The table names are constants of this package, never a caller's text. */
    static final String OUTBOX = "outbox";

    static final String WEBHOOK_DELIVERIES = "webhook_deliveries";

    private Leases() {}

    static int renew(Connection c, String table, Collection<String> owners, Duration lease) throws SQLException {
        if (owners.isEmpty()) {
            return 0;
        }
        Object[] params = new Object[owners.size() + 1];
        params[0] = lease.toMillis();
        int i = 1;
        for (String owner : owners) {
            params[i++] = owner;
        }
        Dialect dialect = Dialect.of(c);
        return Sql.update(
                c,
                RENEW.formatted(table, dialect.nowPlusMillis(), Sql.marks(owners.size()), dialect.skipLocked()),
                params);
    }
}
