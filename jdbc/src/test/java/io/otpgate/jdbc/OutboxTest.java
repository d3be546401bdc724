package io.otpgate.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.otpgate.core.delivery.DeliveryStatus;
import io.otpgate.core.delivery.Outbox;
import io.otpgate.core.delivery.QueuedEmail;
import io.otpgate.core.verification.Verification;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The outbox on a real database; run on each one by {@code OutboxOn…Test}. */
abstract class OutboxTest {

    private final DatabaseKind kind;

    @TempDir
    Path dir;

    EngineFixture engine;
    Outbox outbox;
    Instant now;

    OutboxTest(DatabaseKind kind) {
        this.kind = kind;
    }

    @BeforeEach
    void open() {
        engine = new EngineFixture(kind.fresh(dir));
        outbox = engine.database.outbox();
        now = engine.clock.instant();
    }

    @AfterEach
    void close() {
        engine.close();
    }

    @Test
    void concurrentClaimersGetDisjointRows() throws Exception {
        for (int i = 0; i < 200; i++) {
            engine.start("user" + i + "@example.com");
        }
        ConcurrentLinkedQueue<String> claimed = new ConcurrentLinkedQueue<>();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch go = new CountDownLatch(1);
        for (int w = 0; w < 8; w++) {
            String owner = "worker-" + w;
            pool.submit(() -> {
                go.await();
                List<QueuedEmail> batch;
                while (!(batch = outbox.claim(owner, 7, now, now.plusSeconds(300))).isEmpty()) {
                    batch.forEach(e -> claimed.add(e.id()));
                }
                return null;
            });
        }
        go.countDown();
        pool.shutdown();
        assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).isTrue();

        assertThat(claimed).hasSize(200);
        assertThat(new HashSet<>(claimed)).hasSize(200);
    }

    @Test
    void aRowWhoseLeaseRanOutIsTakenOverAndTheOldOwnerCanNoLongerChangeIt() {
        Verification v = engine.start("ada@example.com");
        QueuedEmail first = outbox.claim("dead", 10, now, now.plusSeconds(60)).get(0);
        assertThat(outbox.claim("other", 10, now.plusSeconds(59), now.plusSeconds(120)))
                .isEmpty();

        List<QueuedEmail> takenOver = outbox.claim("other", 10, now.plusSeconds(61), now.plusSeconds(120));

        assertThat(takenOver).extracting(QueuedEmail::id).containsExactly(first.id());
        assertThat(outbox.markSent(first.id(), "dead", now.plusSeconds(62), "250 ok"))
                .isFalse();
        assertThat(outbox.markSent(first.id(), "other", now.plusSeconds(62), "250 ok"))
                .isTrue();
        assertThat(engine.verifier.find(v.id()).orElseThrow().delivery().status())
                .isEqualTo(DeliveryStatus.SENT);
    }

    @Test
    void sentRowsAreRecordedTogetherOnlyWhereTheOwnerStillHoldsThem() {
        List<Verification> vs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            vs.add(engine.start("user" + i + "@example.com"));
        }
        List<QueuedEmail> mine = outbox.claim("dead", 2, now, now.plusSeconds(60));
        QueuedEmail lost = mine.get(0);
        // The first two rows' lease runs out and "other" takes them over, with the third.
        List<QueuedEmail> takenOver = outbox.claim("other", 10, now.plusSeconds(61), now.plusSeconds(120));
        assertThat(takenOver).hasSize(3);

        List<Boolean> late =
                outbox.markSentAll(List.of(new Outbox.Sent(lost.id(), now.plusSeconds(62), "250 late")), "dead");
        List<Boolean> recorded = outbox.markSentAll(
                List.of(
                        new Outbox.Sent(takenOver.get(0).id(), now.plusSeconds(62), "250 first"),
                        new Outbox.Sent(takenOver.get(1).id(), now.plusSeconds(62), "250 second")),
                "other");

        assertThat(late).containsExactly(false);
        assertThat(recorded).containsExactly(true, true);
        assertThat(engine.count("SELECT COUNT(*) FROM outbox WHERE status = 'sent' AND sealed_code IS NULL"
                        + " AND lease_owner IS NULL AND attempts = 1"))
                .isEqualTo(2);
        assertThat(engine.count("SELECT COUNT(*) FROM outbox WHERE last_reply = '250 late'"))
                .isZero();
        assertThat(engine.count("SELECT COUNT(*) FROM outbox WHERE sealed_code IS NOT NULL"))
                .isEqualTo(1);
        String stillSending = engine.query(
                "SELECT status FROM outbox WHERE id = ?", takenOver.get(2).id(), rs -> rs.getString(1));
        assertThat(stillSending).isEqualTo("sending");
        assertThat(outbox.unsettled(vs.stream().map(Verification::id).toList()))
                .containsExactly(takenOver.get(2).verificationId());
        assertThat(outbox.newestByStatus(vs.stream().map(Verification::id).toList()))
                .containsEntry(DeliveryStatus.SENT, 2)
                .containsEntry(DeliveryStatus.SENDING, 1);
    }

    @Test
    void aWorkerRecordsItsSentBatchAndClaimsTheNextTogether() {
        for (int i = 0; i < 5; i++) {
            engine.start("user" + i + "@example.com");
        }
        List<QueuedEmail> first = outbox.claim("w", 2, now, now.plusSeconds(60));

        Outbox.Claim next = outbox.recordAndClaim(
                List.of(
                        new Outbox.Sent(first.get(0).id(), now.plusSeconds(1), "250 one"),
                        new Outbox.Sent(first.get(1).id(), now.plusSeconds(1), "250 two")),
                "w",
                2,
                now.plusSeconds(1),
                now.plusSeconds(61));

        assertThat(next.recorded()).containsExactly(true, true);
        assertThat(next.claimed())
                .hasSize(2)
                .extracting(QueuedEmail::id)
                .doesNotContainAnyElementsOf(first.stream().map(QueuedEmail::id).toList());
        assertThat(engine.count("SELECT COUNT(*) FROM outbox WHERE status = 'sent' AND sealed_code IS NULL"))
                .isEqualTo(2);
        assertThat(engine.count("SELECT COUNT(*) FROM outbox WHERE status = 'sending' AND lease_owner = 'w'"))
                .isEqualTo(2);
        // Nothing sent: the next claim alone, and what is left.
        Outbox.Claim last = outbox.recordAndClaim(List.of(), "w", 2, now.plusSeconds(2), now.plusSeconds(62));
        assertThat(last.recorded()).isEmpty();
        assertThat(last.claimed()).hasSize(1);
    }

    @Test
    void recordingNothingSentChangesNothing() {
        engine.start("ada@example.com");
        outbox.claim("w", 10, now, now.plusSeconds(300));

        assertThat(outbox.markSentAll(List.of(), "w")).isEmpty();
        assertThat(engine.count("SELECT COUNT(*) FROM outbox WHERE status = 'sending'"))
                .isEqualTo(1);
    }

    @Test
    void releaseGivesRowsBackAtOnce() {
        engine.start("ada@example.com");
        outbox.claim("stopping", 10, now, now.plusSeconds(300));

        assertThat(outbox.release("stopping")).isEqualTo(1);
        assertThat(outbox.claim("next", 10, now, now.plusSeconds(300))).hasSize(1);
    }

    @Test
    void retryingRowsWaitUntilTheyAreDue() {
        engine.start("ada@example.com");
        QueuedEmail row = outbox.claim("w", 10, now, now.plusSeconds(300)).get(0);

        outbox.retryLater(row.id(), "w", now.plusSeconds(8), "451 try later");

        assertThat(outbox.claim("w", 10, now.plusSeconds(7), now.plusSeconds(300)))
                .isEmpty();
        List<QueuedEmail> due = outbox.claim("w", 10, now.plusSeconds(8), now.plusSeconds(300));
        assertThat(due).hasSize(1);
        assertThat(due.get(0).attempts()).isEqualTo(1);
    }

    @Test
    void terminalStatesEraseTheSealedCode() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(engine.start("user" + i + "@example.com").id().value());
        }
        List<QueuedEmail> rows = outbox.claim("w", 10, now, now.plusSeconds(300));

        outbox.markSent(rows.get(0).id(), "w", now, "250 ok");
        outbox.markFailed(rows.get(1).id(), "w", now, "550 no such user");
        outbox.markExpired(rows.get(2).id(), "w", now);

        assertThat(engine.count("SELECT COUNT(*) FROM outbox WHERE sealed_code IS NOT NULL"))
                .isZero();
        Set<String> statuses = new HashSet<>();
        for (String id : ids) {
            statuses.add(engine.query(
                    "SELECT o.status FROM outbox o WHERE o.verification_id = ?", id, rs -> rs.getString(1)));
        }
        assertThat(statuses).containsExactlyInAnyOrder("sent", "failed", "expired_undelivered");
    }

    @Test
    void failedDeliveryKeepsTheServersReplyOnTheVerification() {
        Verification v = engine.start("ada@example.com");
        QueuedEmail row = outbox.claim("w", 10, now, now.plusSeconds(300)).get(0);

        outbox.markFailed(row.id(), "w", now, "550 5.1.1 mailbox unavailable");

        assertThat(engine.verifier.find(v.id()).orElseThrow().delivery()).satisfies(d -> {
            assertThat(d.status()).isEqualTo(DeliveryStatus.FAILED);
            assertThat(d.lastError()).contains("550 5.1.1 mailbox unavailable");
            assertThat(d.attempts()).isEqualTo(1);
        });
        assertThat(outbox.newestByStatus(List.of(v.id()))).containsEntry(DeliveryStatus.FAILED, 1);
    }

    @Test
    void aReplyWithANulCharacterIsStoredWithoutIt() {
        Verification v = engine.start("ada@example.com");
        QueuedEmail row = outbox.claim("w", 10, now, now.plusSeconds(300)).get(0);

        // PostgreSQL refuses U+0000 in text; an SMTP server controls its reply, so it must not be
        // able to make the outcome unrecordable (the row would then be sent again after its lease).
        boolean recorded = outbox.markSent(row.id(), "w", now, "250 queued\u0000as 12345");

        String stored = engine.query(
                "SELECT last_reply FROM outbox WHERE verification_id = ?", v.id().value(), rs -> rs.getString(1));
        assertThat(recorded).isTrue();
        assertThat(stored).isEqualTo("250 queued\uFFFDas 12345");
    }

    @Test
    void aLongReplyIsCutToTheColumnWithoutSplittingACharacter() {
        Verification v = engine.start("ada@example.com");
        QueuedEmail row = outbox.claim("w", 10, now, now.plusSeconds(300)).get(0);

        outbox.markFailed(row.id(), "w", now, "5".repeat(999) + "\uD83D\uDCE7 and more");

        String stored = engine.query(
                "SELECT last_reply FROM outbox WHERE verification_id = ?", v.id().value(), rs -> rs.getString(1));
        assertThat(stored).isEqualTo("5".repeat(999));
    }

    @Test
    void claimSkipsNothingDueAndTakesOldestFirst() {
        engine.start("first@example.com");
        engine.clock.advance(Duration.ofSeconds(1));
        engine.start("second@example.com");

        List<QueuedEmail> one = outbox.claim(
                "w", 1, engine.clock.instant(), engine.clock.instant().plusSeconds(60));

        assertThat(one).extracting(e -> e.to().value()).containsExactly("first@example.com");
    }
}
