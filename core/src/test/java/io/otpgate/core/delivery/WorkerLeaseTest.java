package io.otpgate.core.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * When a worker may still send. Times are {@link System#nanoTime} readings set seconds apart from
 * the present, against a 15-second lease and a 5-second heartbeat, so no test depends on how fast
 * it runs.
 */
class WorkerLeaseTest {

    private static final long SECOND = Duration.ofSeconds(1).toNanos();

    private final WorkerLease lease = new WorkerLease("w-0", Duration.ofSeconds(15), Duration.ofSeconds(5));

    @Test
    void aFreshClaimMaySend() {
        lease.claimed(System.nanoTime());

        assertThat(lease.current()).isTrue();
        assertThat(lease.held()).isTrue();
    }

    @Test
    void aClaimOlderThanTheLeaseLessOneHeartbeatMayNotSend() {
        lease.claimed(System.nanoTime() - 11 * SECOND);

        assertThat(lease.current()).isFalse();
        assertThat(lease.age()).isGreaterThanOrEqualTo(Duration.ofSeconds(11));
    }

    @Test
    void aHeartbeatThatCameBackWithinTheLeaseConfirmsIt() {
        lease.claimed(System.nanoTime() - 11 * SECOND);
        long askedAt = System.nanoTime();

        lease.renewed(askedAt, System.nanoTime());

        assertThat(lease.current()).isTrue();
    }

    /** Another dispatcher may have taken the rows before this renewal landed: it renewed none of them. */
    @Test
    void aHeartbeatThatCameBackAfterTheLeaseCouldHaveRunOutConfirmsNothing() {
        lease.claimed(System.nanoTime() - 16 * SECOND);
        long askedAt = System.nanoTime();

        lease.renewed(askedAt, System.nanoTime());

        assertThat(lease.current()).isFalse();
    }

    /** Its statement may have run before the claim committed, and then did not see the claimed rows. */
    @Test
    void aHeartbeatAskedBeforeTheClaimCommittedConfirmsNothing() {
        long heartbeatAskedAt = System.nanoTime();
        lease.claimed(heartbeatAskedAt - 11 * SECOND);

        lease.renewed(heartbeatAskedAt, System.nanoTime());

        assertThat(lease.current()).isFalse();
    }

    @Test
    void aWorkerThatGaveItsRowsBackHoldsNothingToRenew() {
        lease.claimed(System.nanoTime() - 11 * SECOND);
        lease.released();
        long askedAt = System.nanoTime();

        lease.renewed(askedAt, System.nanoTime());

        assertThat(lease.held()).isFalse();
        assertThat(lease.current()).isFalse();
    }
}
