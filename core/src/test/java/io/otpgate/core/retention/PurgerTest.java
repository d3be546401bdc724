package io.otpgate.core.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.otpgate.core.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The purge schedule and its chunking, on an in-memory {@link Purge}; the SQL is tested in jdbc. */
class PurgerTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-05-01T03:00:00Z"));

    /** Holds row counts per kind and records every call. */
    private static final class FakePurge implements Purge {
        int verifications;
        int rateBuckets;
        int recipientFailures;
        boolean leaseFree = true;
        int leasesGranted = Integer.MAX_VALUE;
        final List<String> calls = new ArrayList<>();
        /** Counted down by the last delete of a run. */
        final CountDownLatch ran = new CountDownLatch(1);

        @Override
        public boolean lease(String owner, Instant now, Instant until) {
            calls.add("lease " + now + " until " + until);
            return leaseFree && leasesGranted-- > 0;
        }

        @Override
        public int reclaimSpace(int pages) {
            calls.add("reclaim");
            return 0;
        }

        @Override
        public int verifications(Instant endedBefore, int limit) {
            calls.add("verifications before " + endedBefore);
            int removed = Math.min(limit, verifications);
            verifications -= removed;
            return removed;
        }

        @Override
        public int rateBuckets(Instant windowStartedBefore, int limit) {
            int removed = Math.min(limit, rateBuckets);
            rateBuckets -= removed;
            return removed;
        }

        @Override
        public int idempotencyKeys(Instant createdBefore, int limit) {
            return 0;
        }

        @Override
        public int webhookDeliveries(Instant createdBefore, int limit) {
            return 0;
        }

        @Override
        public int recipientFailures(Instant lastFailedBefore, Instant now, int limit) {
            int removed = Math.min(limit, recipientFailures);
            recipientFailures -= removed;
            return removed;
        }

        @Override
        public int statsHours(Instant hourBefore, int limit) {
            calls.add("stats before " + hourBefore);
            ran.countDown();
            return 0;
        }
    }

    private final FakePurge purge = new FakePurge();

    private Purger.Builder purger() {
        return Purger.builder().purge(purge).clock(clock).instanceId("test");
    }

    @Test
    void everyKindIsDeletedChunkByChunkUntilNoneIsLeft() {
        purge.verifications = 2_500;
        purge.recipientFailures = 3;

        var purged = purger().chunk(1_000).build().runOnce();

        assertThat(purged).contains(new Purged(2_500, 0, 3, 0, 0, 0));
        assertThat(purge.calls).filteredOn(c -> c.startsWith("verifications")).hasSize(3);
    }

    @Test
    void theCutoffIsTheRetentionBeforeNowAndTheLeaseLastsOneInterval() {
        purger().retention(Duration.ofDays(7))
                .interval(Duration.ofHours(1))
                .build()
                .runOnce();

        assertThat(purge.calls).first().isEqualTo("lease 2026-05-01T03:00:00Z until 2026-05-01T04:00:00Z");
        assertThat(purge.calls).contains("verifications before 2026-04-24T03:00:00Z");
    }

    @Test
    void theAnalyticsRollupIsKeptItsOwnRetentionFourHundredDaysByDefault() {
        purger().retention(Duration.ofDays(7)).build().runOnce();
        purger().statsRetention(Duration.ofDays(30)).build().runOnce();

        assertThat(purge.calls)
                .filteredOn(c -> c.startsWith("stats"))
                .containsExactly("stats before 2025-03-27T03:00:00Z", "stats before 2026-04-01T03:00:00Z");
        assertThatThrownBy(() -> Purger.builder().statsRetention(Duration.ofHours(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1d");
    }

    @Test
    void withoutTheLeaseNothingIsDeleted() {
        purge.leaseFree = false;
        purge.verifications = 10;

        assertThat(purger().build().runOnce()).isEmpty();
        assertThat(purge.verifications).isEqualTo(10);
    }

    @Test
    void aPurgerThatLosesItsLeaseMidwayLeavesTheRestToTheNewHolder() {
        purge.verifications = 25;
        purge.leasesGranted = 1;

        var purged = purger().chunk(10).build().runOnce();

        assertThat(purged).hasValueSatisfying(p -> assertThat(p.verifications()).isEqualTo(10));
        assertThat(purge.verifications).isEqualTo(15);
    }

    @Test
    void aRetentionUnderOneDayIsRefused() {
        assertThatThrownBy(() -> Purger.builder().retention(Duration.ofHours(23)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1d");
    }

    @Test
    void startedItPurgesInTheBackgroundUntilClosed() throws InterruptedException {
        purge.verifications = 5;
        Purger purger = purger().initialDelay(Duration.ZERO).build().start();

        assertThat(purge.ran.await(30, TimeUnit.SECONDS)).isTrue();
        purger.close();

        assertThat(purge.verifications).isZero();
        assertThatThrownBy(purger::start).isInstanceOf(IllegalStateException.class);
    }
}
