package io.otpgate.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.otpgate.core.delivery.DeliveryHealth;
import io.otpgate.core.delivery.DeliveryStatus;
import io.otpgate.core.delivery.Outbox;
import io.otpgate.core.delivery.QueuedEmail;
import io.otpgate.core.tenant.Tenant;
import io.otpgate.core.verification.ResendResult;
import io.otpgate.core.verification.Verification;
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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The outbox on a real database; run on each one by {@code OutboxOn…Test}. */
abstract class OutboxTest extends EngineTest {

    /** A lease that outlasts every test. */
    private static final Duration LIVE = Duration.ofMinutes(5);
    /**
     * A claim whose lease has run out already by the database's clock: its holder died at once, and
     * any later claim may take its rows over.
     */
    private static final Duration LAPSED = Duration.ZERO;

    Outbox outbox;
    Instant now;

    OutboxTest(DatabaseKind kind) {
        super(kind);
    }

    @BeforeEach
    void open() {
        outbox = engine.database.outbox();
        now = engine.clock.instant();
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
                while (!(batch = outbox.claim(owner, 7, now, LIVE)).isEmpty()) {
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

    /**
     * The lease runs out by the database's clock: an instance whose clock is a day behind takes the
     * row over all the same (judged by its own clock, it would wait a day), and the old owner can no
     * longer record anything.
     */
    @Test
    void aRowWhoseLeaseRanOutIsTakenOverEvenByAnInstanceWhoseClockIsBehind() throws Exception {
        Verification v = engine.start("ada@example.com");
        QueuedEmail first = outbox.claim("dead", 10, now, Duration.ofSeconds(1)).get(0);
        Instant behind = now.minus(Duration.ofDays(1));

        List<QueuedEmail> takenOver = awaitClaim("behind", behind);

        assertThat(takenOver).extracting(QueuedEmail::id).containsExactly(first.id());
        assertThat(outbox.markSent(first, now, "250 ok")).isFalse();
        assertThat(outbox.markSent(takenOver.get(0), now, "250 ok")).isTrue();
        assertThat(engine.verifier.find(v.id()).orElseThrow().delivery().status())
                .isEqualTo(DeliveryStatus.SENT);
    }

    /** Nor can an instance whose clock is a day ahead take a lease the database says is live. */
    @Test
    void aLiveLeaseIsNotTakenByAnInstanceWhoseClockIsAhead() {
        engine.start("ada@example.com");
        QueuedEmail held = outbox.claim("holder", 10, now, LIVE).get(0);

        assertThat(outbox.claim("ahead", 10, now.plus(Duration.ofDays(1)), LIVE))
                .isEmpty();
        assertThat(engine.<String>query(
                        "SELECT status || ':' || lease_owner FROM outbox WHERE id = ?",
                        held.id(),
                        rs -> rs.getString(1)))
                .isEqualTo("sending:holder");
    }

    @Test
    void aHeartbeatRenewsTheLeasesOfItsOwnersRowsBeingSentAndNoOthers() {
        List<Verification> vs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            vs.add(engine.start("user" + i + "@example.com"));
        }
        QueuedEmail mine = outbox.claim("a-0", 1, now, LAPSED).get(0);
        QueuedEmail mineCanceled = outbox.claim("a-1", 1, now, LAPSED).get(0);
        QueuedEmail theirs = outbox.claim("b-0", 1, now, LAPSED).get(0);
        engine.verifier.cancel(Tenant.DEFAULT, mineCanceled.verificationId());

        int renewed = outbox.renew(List.of("a-0", "a-1"), LIVE);

        assertThat(renewed).isEqualTo(1);
        assertThat(outbox.claim("c", 10, now, LIVE)).extracting(QueuedEmail::id).containsExactly(theirs.id());
        assertThat(outbox.markSent(mine, now, "250 ok")).isTrue();
        Verification canceled = vs.stream()
                .filter(v -> v.id().equals(mineCanceled.verificationId()))
                .findFirst()
                .orElseThrow();
        assertThat(rowsOf(canceled)).containsExactly("canceled:erased");
        assertThat(outbox.renew(List.of(), LIVE)).isZero();
    }

    @Test
    void sentRowsAreRecordedTogetherOnlyWhereTheOwnerStillHoldsThem() {
        List<Verification> vs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            vs.add(engine.start("user" + i + "@example.com"));
        }
        List<QueuedEmail> mine = outbox.claim("dead", 2, now, LAPSED);
        QueuedEmail lost = mine.get(0);
        // The first two rows' lease has run out, and "other" takes them over, with the third.
        List<QueuedEmail> takenOver = outbox.claim("other", 10, now, LIVE);
        assertThat(takenOver).hasSize(3);

        List<Boolean> late = outbox.markSentAll(List.of(new Outbox.Sent(lost, now.plusSeconds(62), "250 late")));
        List<Boolean> recorded = outbox.markSentAll(List.of(
                new Outbox.Sent(takenOver.get(0), now.plusSeconds(62), "250 first"),
                new Outbox.Sent(takenOver.get(1), now.plusSeconds(62), "250 second")));

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
        List<QueuedEmail> first = outbox.claim("w", 2, now, LIVE);

        Outbox.Claim next = outbox.recordAndClaim(
                List.of(
                        new Outbox.Sent(first.get(0), now.plusSeconds(1), "250 one"),
                        new Outbox.Sent(first.get(1), now.plusSeconds(1), "250 two")),
                "w",
                2,
                now.plusSeconds(1),
                LIVE);

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
        Outbox.Claim last = outbox.recordAndClaim(List.of(), "w", 2, now.plusSeconds(2), LIVE);
        assertThat(last.recorded()).isEmpty();
        assertThat(last.claimed()).hasSize(1);
    }

    @Test
    void recordingNothingSentChangesNothing() {
        engine.start("ada@example.com");
        outbox.claim("w", 10, now, LIVE);

        assertThat(outbox.markSentAll(List.of())).isEmpty();
        assertThat(engine.count("SELECT COUNT(*) FROM outbox WHERE status = 'sending'"))
                .isEqualTo(1);
    }

    @Test
    void releaseGivesRowsBackAtOnce() {
        engine.start("ada@example.com");
        outbox.claim("stopping", 10, now, LIVE);

        assertThat(outbox.release("stopping")).isEqualTo(1);
        assertThat(outbox.claim("next", 10, now, LIVE)).hasSize(1);
    }

    @Test
    void retryingRowsWaitUntilTheyAreDue() {
        engine.start("ada@example.com");
        QueuedEmail row = outbox.claim("w", 10, now, LIVE).get(0);

        outbox.retryLater(row, now, now.plusSeconds(8), "451 try later");

        assertThat(outbox.claim("w", 10, now.plusSeconds(7), LIVE)).isEmpty();
        List<QueuedEmail> due = outbox.claim("w", 10, now.plusSeconds(8), LIVE);
        assertThat(due).hasSize(1);
        assertThat(due.get(0).attempts()).isEqualTo(1);
    }

    @Test
    void terminalStatesEraseTheSealedCode() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(engine.start("user" + i + "@example.com").id().value());
        }
        List<QueuedEmail> rows = outbox.claim("w", 10, now, LIVE);

        outbox.markSent(rows.get(0), now, "250 ok");
        outbox.markFailed(rows.get(1), now, Outbox.Failure.PERMANENT, "550 no such user");
        outbox.markExpired(rows.get(2), now);

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
        QueuedEmail row = outbox.claim("w", 10, now, LIVE).get(0);

        outbox.markFailed(row, now, Outbox.Failure.PERMANENT, "550 5.1.1 mailbox unavailable");

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
        QueuedEmail row = outbox.claim("w", 10, now, LIVE).get(0);

        // PostgreSQL refuses U+0000 in text; an SMTP server controls its reply, so it must not be
        // able to make the outcome unrecordable (the row would then be sent again after its lease).
        boolean recorded = outbox.markSent(row, now, "250 queued\u0000as 12345");

        String stored = engine.query(
                "SELECT last_reply FROM outbox WHERE verification_id = ?", v.id().value(), rs -> rs.getString(1));
        assertThat(recorded).isTrue();
        assertThat(stored).isEqualTo("250 queued\uFFFDas 12345");
    }

    @Test
    void aLongReplyIsCutToTheColumnWithoutSplittingACharacter() {
        Verification v = engine.start("ada@example.com");
        QueuedEmail row = outbox.claim("w", 10, now, LIVE).get(0);

        outbox.markFailed(row, now, Outbox.Failure.PERMANENT, "5".repeat(999) + "\uD83D\uDCE7 and more");

        String stored = engine.query(
                "SELECT last_reply FROM outbox WHERE verification_id = ?", v.id().value(), rs -> rs.getString(1));
        assertThat(stored).isEqualTo("5".repeat(999));
    }

    @Test
    void claimSkipsNothingDueAndTakesOldestFirst() {
        engine.start("first@example.com");
        engine.clock.advance(Duration.ofSeconds(1));
        engine.start("second@example.com");

        List<QueuedEmail> one = outbox.claim("w", 1, engine.clock.instant(), LIVE);

        assertThat(one).extracting(e -> e.to().value()).containsExactly("first@example.com");
    }

    // ------------------------------------------------ the send decision is made against the verification

    @Test
    void aRowHeldByADeadWorkerIsNeverSentAfterItsVerificationIsCanceled() {
        Verification v = engine.start("ada@example.com");
        outbox.claim("dead", 10, now, LAPSED);

        engine.verifier.cancel(Tenant.DEFAULT, v.id());

        assertThat(outbox.claim("next", 10, now, LIVE)).isEmpty();
        assertThat(rowsOf(v)).containsExactly("canceled:erased");
    }

    @Test
    void aRowHeldByADeadWorkerIsNeverSentAfterAResend() {
        Verification v = engine.start("ada@example.com");
        QueuedEmail old = outbox.claim("dead", 10, now, LAPSED).get(0);
        engine.clock.advance(Duration.ofSeconds(30));
        engine.verifier.resend(Tenant.DEFAULT, v.id());

        List<QueuedEmail> next = outbox.claim("next", 10, engine.clock.instant(), LIVE);

        assertThat(next).extracting(QueuedEmail::id).doesNotContain(old.id()).hasSize(1);
        assertThat(engine.<String>query("SELECT status FROM outbox WHERE id = ?", old.id(), rs -> rs.getString(1)))
                .isEqualTo("canceled");
        assertThat(engine.count("SELECT COUNT(*) FROM outbox WHERE id = ? AND sealed_code IS NULL", old.id()))
                .isEqualTo(1);
    }

    @Test
    void aRowHeldByADeadWorkerIsNeverSentAfterARestartOfTheSameAddress() {
        Verification first = engine.start("ada@example.com");
        QueuedEmail old = outbox.claim("dead", 10, now, LAPSED).get(0);
        Verification second = engine.start("ada@example.com");

        List<QueuedEmail> next = outbox.claim("next", 10, now, LIVE);

        assertThat(next).extracting(QueuedEmail::verificationId).containsExactly(second.id());
        assertThat(rowsOf(first)).containsExactly("canceled:erased");
        assertThat(old.verificationId()).isEqualTo(first.id());
    }

    @Test
    void aRowHeldByADeadWorkerIsNeverSentAfterTheCodeExpired() {
        Verification v = engine.start("ada@example.com");
        outbox.claim("dead", 10, now, LAPSED);

        Instant late = now.plus(Duration.ofMinutes(11));
        assertThat(outbox.claim("next", 10, late, LIVE)).isEmpty();
        assertThat(rowsOf(v)).containsExactly("expired_undelivered:erased");
    }

    /**
     * The claim decides by itself, whatever wrote the verification: here a status written behind the
     * store's back, which settles no outbox row.
     */
    @Test
    void aQueuedRowWhoseVerificationIsNoLongerPendingIsSettledWhenClaimed() {
        Verification canceled = engine.start("ada@example.com");
        Verification approved = engine.start("grace@example.com");
        Verification pending = engine.start("alan@example.com");
        engine.update(
                "UPDATE verifications SET status = 'canceled' WHERE id = ?",
                canceled.id().value());
        engine.update(
                "UPDATE verifications SET status = 'approved' WHERE id = ?",
                approved.id().value());

        List<QueuedEmail> claimed = outbox.claim("w", 10, now, LIVE);

        assertThat(claimed).extracting(QueuedEmail::verificationId).containsExactly(pending.id());
        assertThat(rowsOf(canceled)).containsExactly("canceled:erased");
        assertThat(rowsOf(approved)).containsExactly("canceled:erased");
        assertThat(engine.verifier.find(canceled.id()).orElseThrow().delivery().status())
                .isEqualTo(DeliveryStatus.CANCELED);
    }

    @Test
    void cancelSettlesTheRowsBeingSentAndErasesTheirCode() {
        Verification v = engine.start("ada@example.com");
        outbox.claim("w", 10, now, LIVE);

        engine.verifier.cancel(Tenant.DEFAULT, v.id());

        assertThat(rowsOf(v)).containsExactly("canceled:erased");
    }

    @Test
    void anEmailHandedOverBeforeTheCancelIsStillRecordedAsSent() {
        Verification v = engine.start("ada@example.com");
        QueuedEmail row = outbox.claim("w", 10, now, LIVE).get(0);
        engine.verifier.cancel(Tenant.DEFAULT, v.id());

        assertThat(outbox.markSent(row, now.plusSeconds(1), "250 ok")).isTrue();
        assertThat(rowsOf(v)).containsExactly("sent:erased");
        // A failure is not turned back into a retry: the row stays canceled.
        Verification other = engine.start("grace@example.com");
        QueuedEmail failing = outbox.claim("w", 10, now, LIVE).get(0);
        engine.verifier.cancel(Tenant.DEFAULT, other.id());
        assertThat(outbox.retryLater(failing, now, now.plusSeconds(5), "451 later"))
                .isFalse();
        assertThat(rowsOf(other)).containsExactly("canceled:erased");
    }

    /**
     * What a worker asks before sending the rest of a batch that waited: a row canceled, replaced
     * by a resend, taken over by a later claim or already recorded is no longer its to send.
     */
    @Test
    void stillToSendIsWhatTheClaimStillHoldsUnsettled() {
        Verification canceled = engine.start("ada@example.com");
        Verification resent = engine.start("grace@example.com");
        Verification alan = engine.start("alan@example.com");
        Verification edsger = engine.start("edsger@example.com");
        Verification barbara = engine.start("barbara@example.com");
        List<QueuedEmail> batch = outbox.claim("w", 10, now, LIVE);
        assertThat(batch).hasSize(5);
        QueuedEmail takenOver = rowOf(batch, alan);
        QueuedEmail recorded = rowOf(batch, edsger);
        QueuedEmail kept = rowOf(batch, barbara);

        engine.verifier.cancel(Tenant.DEFAULT, canceled.id());
        engine.clock.advance(Duration.ofMinutes(1));
        assertThat(engine.verifier.resend(Tenant.DEFAULT, resent.id())).isInstanceOf(ResendResult.Resent.class);
        assertThat(outbox.markSent(recorded, now, "250 ok")).isTrue();
        // The same row as an earlier claim of it saw it: another claim has taken it since.
        QueuedEmail stale = new QueuedEmail(
                takenOver.id(),
                takenOver.verificationId(),
                takenOver.to(),
                takenOver.name(),
                takenOver.locale(),
                takenOver.purpose(),
                takenOver.sealedCode(),
                takenOver.createdAt(),
                takenOver.expiresAt(),
                takenOver.attempts(),
                takenOver.claim() - 1);
        List<QueuedEmail> asSeen = new ArrayList<>(batch);
        asSeen.set(batch.indexOf(takenOver), stale);

        assertThat(outbox.stillToSend(asSeen)).containsExactly(kept.id());
        assertThat(outbox.stillToSend(batch)).containsExactlyInAnyOrder(takenOver.id(), kept.id());
        assertThat(outbox.stillToSend(List.of())).isEmpty();
    }

    private static QueuedEmail rowOf(List<QueuedEmail> batch, Verification v) {
        return batch.stream()
                .filter(e -> e.verificationId().equals(v.id()))
                .findFirst()
                .orElseThrow();
    }

    // ------------------------------------------------ claim numbers

    @Test
    void everyClaimTakesANewClaimNumber() {
        engine.start("ada@example.com");
        QueuedEmail first = outbox.claim("w", 10, now, LAPSED).get(0);
        QueuedEmail second = outbox.claim("w", 10, now, LIVE).get(0);

        assertThat(second.id()).isEqualTo(first.id());
        assertThat(second.claim()).isGreaterThan(first.claim());
    }

    /**
     * A worker name is reused across claims, so the owner alone cannot tell a stale claim from the
     * current one: the claim number does.
     */
    @Test
    void aStaleClaimOfTheSameOwnerCanNeitherRecordNorOverwriteTheCurrentOne() {
        engine.start("ada@example.com");
        QueuedEmail stale = outbox.claim("w-0", 10, now, LAPSED).get(0);
        QueuedEmail current = outbox.claim("w-0", 10, now, LIVE).get(0);

        assertThat(outbox.markSent(stale, now.plusSeconds(62), "250 stale")).isFalse();
        assertThat(outbox.markFailed(stale, now.plusSeconds(62), Outbox.Failure.PERMANENT, "550 stale"))
                .isFalse();
        assertThat(outbox.retryLater(stale, now.plusSeconds(62), now.plusSeconds(63), "451 stale"))
                .isFalse();
        assertThat(outbox.markExpired(stale, now.plusSeconds(62))).isFalse();
        assertThat(outbox.markSentAll(List.of(new Outbox.Sent(stale, now.plusSeconds(62), "250 stale"))))
                .containsExactly(false);
        assertThat(engine.<String>query("SELECT status FROM outbox WHERE id = ?", current.id(), rs -> rs.getString(1)))
                .isEqualTo("sending");

        assertThat(outbox.markSent(current, now.plusSeconds(62), "250 current")).isTrue();
        assertThat(engine.<String>query(
                        "SELECT last_reply FROM outbox WHERE id = ?", current.id(), rs -> rs.getString(1)))
                .isEqualTo("250 current");
    }

    // ------------------------------------------------ health

    @Test
    void healthTellsTheOldestDueEmailsAgeAndTheUnsettledCounts() {
        engine.start("ada@example.com");
        engine.clock.advance(Duration.ofSeconds(50));
        engine.start("grace@example.com");
        engine.clock.advance(Duration.ofSeconds(70));

        DeliveryHealth health = outbox.health(engine.clock.instant());

        assertThat(health.oldestDueAge()).contains(Duration.ofSeconds(120));
        assertThat(health.unsettled()).containsEntry(DeliveryStatus.QUEUED, 2L);
        assertThat(health.lastFailure()).isEmpty();
        assertThat(health.healthy(Duration.ofMinutes(2))).isTrue();
        assertThat(health.healthy(Duration.ofSeconds(119))).isFalse();
    }

    @Test
    void deliveryIsFailingUntilTheNextEmailIsAccepted() {
        engine.start("ada@example.com");
        engine.start("grace@example.com");
        List<QueuedEmail> rows = outbox.claim("w", 10, now, LIVE);

        outbox.retryLater(rows.get(0), now.plusSeconds(1), now.plusSeconds(30), "421 service not available");
        DeliveryHealth failing = outbox.health(now.plusSeconds(2));
        outbox.markSent(rows.get(1), now.plusSeconds(3), "250 ok");
        DeliveryHealth recovered = outbox.health(now.plusSeconds(4));

        assertThat(failing.lastFailure()).contains("421 service not available");
        assertThat(failing.healthy(Duration.ofMinutes(2))).isFalse();
        assertThat(failing.unsettled())
                .containsEntry(DeliveryStatus.RETRYING, 1L)
                .containsEntry(DeliveryStatus.SENDING, 1L);
        assertThat(recovered.lastFailure()).isEmpty();
    }

    @Test
    void aRecipientsOwnRefusalIsNotADeliveryFailureButAConfigurationFailureIs() {
        engine.start("ada@example.com");
        engine.start("grace@example.com");
        List<QueuedEmail> rows = outbox.claim("w", 10, now, LIVE);

        outbox.markFailed(rows.get(0), now.plusSeconds(1), Outbox.Failure.PERMANENT, "550 no such user");
        DeliveryHealth afterRefusal = outbox.health(now.plusSeconds(2));
        outbox.markFailed(
                rows.get(1), now.plusSeconds(3), Outbox.Failure.CONFIGURATION, "535 set OTPGATE_SMTP_PASSWORD");
        DeliveryHealth afterMisconfiguration = outbox.health(now.plusSeconds(4));

        assertThat(afterRefusal.lastFailure()).isEmpty();
        assertThat(afterMisconfiguration.lastFailure()).contains("535 set OTPGATE_SMTP_PASSWORD");
    }

    /** Claims as {@code owner} with the clock at {@code at} until something is taken over (30 s at most). */
    private List<QueuedEmail> awaitClaim(String owner, Instant at) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        List<QueuedEmail> claimed;
        while ((claimed = outbox.claim(owner, 10, at, LIVE)).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        return claimed;
    }

    /** Each of the verification's rows as {@code status:erased} or {@code status:sealed}. */
    private List<String> rowsOf(Verification v) {
        List<String> rows = new ArrayList<>();
        engine.each(
                "SELECT status, sealed_code IS NULL FROM outbox WHERE verification_id = ? ORDER BY created_at",
                v.id().value(),
                rs -> rows.add(rs.getString(1) + (rs.getBoolean(2) ? ":erased" : ":sealed")));
        return rows;
    }
}
