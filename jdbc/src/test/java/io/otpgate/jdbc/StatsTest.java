package io.otpgate.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.otpgate.core.delivery.DeliveryStatus;
import io.otpgate.core.delivery.Outbox;
import io.otpgate.core.delivery.QueuedEmail;
import io.otpgate.core.stats.OutboxBacklog;
import io.otpgate.core.stats.Stats;
import io.otpgate.core.stats.StatsReader;
import io.otpgate.core.tenant.Tenant;
import io.otpgate.core.verification.Status;
import io.otpgate.core.verification.Verification;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The operator's figures (GET /v1/stats, metrics) on a real database; run by {@code StatsOn…Test}. */
abstract class StatsTest extends EngineTest {

    StatsReader stats;

    StatsTest(DatabaseKind kind) {
        super(kind);
    }

    @BeforeEach
    void open() {
        stats = engine.database.stats();
    }

    @Test
    void anEmptyDatabaseHasZeroesAndNoRates() {
        Stats empty = stats.stats(Tenant.DEFAULT, engine.clock.instant());

        assertThat(empty.verifications())
                .containsOnlyKeys(Status.values())
                .allSatisfy((s, n) -> assertThat(n).isZero());
        assertThat(empty.deliveries()).allSatisfy((s, n) -> assertThat(n).isZero());
        assertThat(empty.approvalRate()).isEmpty();
        assertThat(empty.medianTimeToApprove()).isEmpty();
        assertThat(stats.backlog(engine.clock.instant())).isEqualTo(new OutboxBacklog(0, Optional.empty()));
    }

    @Test
    void verificationsAreCountedByStatusWithPendingPastExpiryCountedAsExpired() {
        Verification approved = engine.start("approved@example.com");
        Verification failed = engine.start("failed@example.com");
        Verification canceled = engine.start("canceled@example.com");
        engine.start("expired@example.com");
        engine.verifier.check(Tenant.DEFAULT, approved.id(), engine.codeOf(approved.id()));
        for (int i = 0; i < 3; i++) {
            engine.verifier.check(Tenant.DEFAULT, failed.id(), engine.wrongCodeFor(failed.id()));
        }
        engine.verifier.cancel(Tenant.DEFAULT, canceled.id());
        engine.clock.advance(Duration.ofMinutes(5));
        engine.start("pending@example.com");
        engine.clock.advance(Duration.ofMinutes(5));

        Stats now = stats.stats(Tenant.DEFAULT, engine.clock.instant());

        assertThat(now.verifications())
                .containsEntry(Status.APPROVED, 1L)
                .containsEntry(Status.FAILED, 1L)
                .containsEntry(Status.CANCELED, 1L)
                .containsEntry(Status.EXPIRED, 1L)
                .containsEntry(Status.PENDING, 1L);
        assertThat(now.approvalRate())
                .hasValueSatisfying(rate -> assertThat(rate).isEqualTo(1.0 / 3));
    }

    @Test
    void deliveriesAreCountedByTheNewestEmailOfEachVerification() {
        Verification resent = engine.start("resent@example.com");
        engine.start("queued@example.com");
        engine.clock.advance(Duration.ofSeconds(30));
        engine.verifier.resend(Tenant.DEFAULT, resent.id());
        Outbox outbox = engine.database.outbox();
        List<QueuedEmail> claimed = outbox.claim("w", 1, engine.clock.instant(), Duration.ofMinutes(1));
        outbox.markSent(claimed.get(0), engine.clock.instant(), "250 ok");

        Stats now = stats.stats(Tenant.DEFAULT, engine.clock.instant());

        assertThat(now.deliveries())
                .containsEntry(DeliveryStatus.SENT, 1L)
                .containsEntry(DeliveryStatus.QUEUED, 1L)
                .containsEntry(DeliveryStatus.CANCELED, 0L);
    }

    @Test
    void theMedianTimeToApproveIsTheMiddleApproval() {
        for (int minutes : new int[] {1, 5, 3}) {
            Verification v = engine.start("user" + minutes + "@example.com");
            engine.clock.advance(Duration.ofMinutes(minutes));
            engine.verifier.check(Tenant.DEFAULT, v.id(), engine.codeOf(v.id()));
        }

        assertThat(stats.stats(Tenant.DEFAULT, engine.clock.instant()).medianTimeToApprove())
                .contains(Duration.ofMinutes(3));
    }

    @Test
    void theBacklogCountsUnfinishedEmailsAndTheAgeOfTheOldest() {
        engine.start("first@example.com");
        engine.clock.advance(Duration.ofMinutes(1));
        engine.start("second@example.com");
        engine.clock.advance(Duration.ofMinutes(4));

        OutboxBacklog backlog = stats.backlog(engine.clock.instant());

        assertThat(backlog.depth()).isEqualTo(2);
        assertThat(backlog.oldestAge()).contains(Duration.ofMinutes(5));
    }

    @Test
    void aReachableDatabaseSaysSo() {
        assertThat(stats.reachable()).isTrue();
    }
}
