package io.otpgate.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.otpgate.core.delivery.QueuedEmail;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link OutboxTest} on embedded PostgreSQL, and what only row locks can do there. */
class OutboxOnPostgresTest extends OutboxTest {
    OutboxOnPostgresTest() {
        super(DatabaseKind.POSTGRESQL);
    }

    /**
     * Another transaction holds one of the owner's rows (it is recording or settling it): the
     * heartbeat renews the others without waiting for it, so one stalled transaction cannot let every
     * lease of the instance run out.
     */
    @Test
    void aHeartbeatSkipsARowLockedByAnotherTransactionRatherThanWait() throws Exception {
        engine.start("ada@example.com");
        engine.start("grace@example.com");
        List<QueuedEmail> rows = outbox.claim("a-0", 10, now, Duration.ofMinutes(1));
        try (Connection locker = engine.database.dataSource().getConnection()) {
            locker.setAutoCommit(false);
            try (PreparedStatement ps = locker.prepareStatement("SELECT id FROM outbox WHERE id = ? FOR UPDATE")) {
                ps.setString(1, rows.get(0).id());
                ps.executeQuery().close();
            }

            int renewed = assertTimeoutPreemptively(
                    Duration.ofSeconds(20), () -> outbox.renew(List.of("a-0"), Duration.ofMinutes(1)));

            assertThat(renewed).isEqualTo(1);
            locker.rollback();
        }
    }
}
