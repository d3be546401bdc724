package io.otpgate.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.otpgate.core.analytics.Analytics;
import io.otpgate.core.analytics.Counts;
import io.otpgate.core.analytics.Period;
import io.otpgate.core.delivery.Outbox;
import io.otpgate.core.delivery.QueuedEmail;
import io.otpgate.core.id.VerificationId;
import io.otpgate.core.retention.ExpirySweeper;
import io.otpgate.core.retention.Purger;
import io.otpgate.core.tenant.Tenant;
import io.otpgate.core.verification.StartRequest;
import io.otpgate.core.verification.StartResult;
import io.otpgate.core.verification.Verification;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The hourly analytics rollup and the figures read from it, on a real database; run by
 * {@code AnalyticsOn…Test}. One hour of a tenant's verifications with every outcome is rolled up and
 * read back; the other tests move one step off it (another tenant, a later change, the purge).
 */
abstract class AnalyticsTest extends EngineTest {

    private static final Tenant ACME = new Tenant("acme");
    private static final Tenant GLOBEX = new Tenant("globex");

    AnalyticsTest(DatabaseKind kind) {
        super(kind);
    }

    private Verification start(Tenant tenant, String email) {
        return start(StartRequest.of(email).withTenant(tenant));
    }

    private Verification start(StartRequest request) {
        StartResult result = engine.verifier.start(request);
        if (!(result instanceof StartResult.Started started)) {
            throw new AssertionError("expected Started, got " + result);
        }
        codeOf(started.verification());
        return started.verification();
    }

    /** Codes as the recipients read them, before the sent emails' sealed copies are erased. */
    private final Map<VerificationId, String> codes = new HashMap<>();

    private String codeOf(Verification v) {
        return codes.computeIfAbsent(v.id(), engine::codeOf);
    }

    private void approve(Tenant tenant, Verification v) {
        engine.verifier.check(tenant, v.id(), codeOf(v));
    }

    private void wrong(Tenant tenant, Verification v) {
        engine.verifier.check(tenant, v.id(), codeOf(v).equals("000000") ? "111111" : "000000");
    }

    private int rollUp() {
        return engine.database.rollup().rollUp(engine.clock.instant());
    }

    private Analytics read(Tenant tenant, Period period) {
        return engine.database.analytics().read(tenant, period, engine.clock.instant());
    }

    /**
     * From 10:00: ada (gmail) approved at 10:02 after one wrong code; bob (gmail) out of attempts;
     * cy (example.org, German) canceled, then again and approved at 10:14; dee (example.org) refused
     * by the mail server and expired; eve (yahoo) never sent and expired. Emails of ada, bob and cy
     * accepted 3 s after queueing.
     */
    private void anHourOfAcme() {
        Verification ada = start(ACME, "ada@gmail.com");
        Verification bob = start(ACME, "bob@gmail.com");
        Verification cy =
                start(StartRequest.of("cy@example.org").withTenant(ACME).withLocale("de"));
        start(ACME, "dee@example.org");
        start(ACME, "eve@yahoo.com");
        engine.clock.advance(Duration.ofSeconds(3));
        Outbox outbox = engine.database.outbox();
        Map<String, QueuedEmail> claimed = outbox.claim("w", 10, engine.clock.instant(), Duration.ofMinutes(1)).stream()
                .collect(Collectors.toMap(e -> e.to().value(), e -> e));
        for (String sent : List.of("ada@gmail.com", "bob@gmail.com", "cy@example.org")) {
            assertThat(outbox.markSent(claimed.get(sent), engine.clock.instant(), "250 ok"))
                    .isTrue();
        }
        assertThat(outbox.markFailed(
                        claimed.get("dee@example.org"),
                        engine.clock.instant(),
                        Outbox.Failure.PERMANENT,
                        "550 no such user"))
                .isTrue();
        assertThat(outbox.release("w")).isEqualTo(1);
        engine.clock.advance(Duration.ofSeconds(117));
        wrong(ACME, ada);
        approve(ACME, ada);
        for (int i = 0; i < 3; i++) {
            wrong(ACME, bob);
        }
        engine.verifier.cancel(ACME, cy.id());
        engine.clock.advance(Duration.ofMinutes(9));
        assertThat(engine.database.verifications().expireDue(engine.clock.instant(), 100))
                .isEqualTo(2);
        engine.clock.advance(Duration.ofMinutes(2));
        Verification cyAgain = start(ACME, "cy@example.org");
        engine.clock.advance(Duration.ofMinutes(1));
        approve(ACME, cyAgain);
    }

    @Test
    void anHourIsRolledUpIntoTheFunnelFailuresSlicesAndHistograms() {
        anHourOfAcme();

        assertThat(rollUp()).isEqualTo(1);
        Analytics day = read(ACME, Period.DAY);

        assertThat(day.total()).isEqualTo(new Counts(6, 3, 1, 2, 2, 1, 1, 4, 5, 2));
        assertThat(day.total().conversion()).contains(0.4);
        assertThat(day.from()).isEqualTo(Instant.parse("2025-12-31T10:00:00Z"));
        assertThat(day.overTime()).hasSize(25);
        assertThat(day.overTime().get(24).from()).isEqualTo(Instant.parse("2026-01-01T10:00:00Z"));
        assertThat(day.overTime().get(24).counts()).isEqualTo(day.total());
        assertThat(day.overTime().subList(0, 24))
                .allSatisfy(p -> assertThat(p.counts()).isEqualTo(Counts.ZERO));
        assertThat(day.domains())
                .extracting(
                        Analytics.Slice::name,
                        s -> s.counts().started(),
                        s -> s.counts().delivered())
                .containsExactly(tuple("example.org", 3L, 1L), tuple("gmail.com", 2L, 2L), tuple("yahoo.com", 1L, 0L));
        assertThat(day.domains().get(0).counts().undeliverable()).isEqualTo(1);
        assertThat(day.languages())
                .extracting(Analytics.Slice::name, s -> s.counts().started())
                .containsExactly(tuple("en", 5L), tuple("de", 1L));
        assertThat(day.timeToVerify().total()).isEqualTo(2);
        assertThat(day.timeToVerify().percentile(0.5)).contains(Duration.ofMinutes(1));
        assertThat(day.timeToVerify().percentile(0.9)).contains(Duration.ofMinutes(2));
        assertThat(day.deliveryLatency().total()).isEqualTo(3);
        assertThat(day.deliveryLatency().percentile(0.99)).contains(Duration.ofSeconds(5));
    }

    @Test
    void aTenantSeesOnlyItsOwnFigures() {
        anHourOfAcme();
        approve(GLOBEX, start(GLOBEX, "zed@gmail.com"));

        rollUp();

        assertThat(read(ACME, Period.DAY).total().started()).isEqualTo(6);
        Analytics globex = read(GLOBEX, Period.DAY);
        assertThat(globex.total()).isEqualTo(new Counts(1, 0, 0, 1, 0, 0, 0, 0, 1, 1));
        assertThat(globex.domains()).extracting(Analytics.Slice::name).containsExactly("gmail.com");
        assertThat(globex.timeToVerify().total()).isEqualTo(1);
        assertThat(read(Tenant.DEFAULT, Period.DAY).total()).isEqualTo(Counts.ZERO);
    }

    @Test
    void rollingUpAgainChangesNothingAndALaterDecisionRecomputesItsStartHour() {
        engine.clock.advance(Duration.ofMinutes(55));
        Verification late = start(ACME, "late@example.com");
        rollUp();
        Analytics first = read(ACME, Period.DAY);
        assertThat(rollUp())
                .as("nothing happened since, but the margin re-reads")
                .isEqualTo(1);
        assertThat(read(ACME, Period.DAY)).isEqualTo(first);

        engine.clock.advance(Duration.ofMinutes(9));
        approve(ACME, late);
        rollUp();

        Analytics after = read(ACME, Period.DAY);
        assertThat(after.total().approved())
                .as("counted in 10:00, the hour it started")
                .isEqualTo(1);
        assertThat(after.overTime().get(23).counts().approved()).isEqualTo(1);
        assertThat(after.overTime().get(24).counts()).isEqualTo(Counts.ZERO);
        engine.clock.advance(Duration.ofHours(1));
        assertThat(rollUp())
                .as("the approval, within the margin of the last run")
                .isEqualTo(1);
        assertThat(rollUp()).as("no event since the last run, less the margin").isZero();
    }

    @Test
    void aRollUpThatLosesItsLeaseStopsAndLeavesItsHoursToTheNextHolder() {
        start(ACME, "ada@example.com");
        engine.clock.advance(Duration.ofHours(1));
        start(ACME, "bob@example.com");

        int[] asked = {0};
        assertThat(engine.database.rollup().rollUp(engine.clock.instant(), () -> asked[0]++ == 0))
                .isZero();
        assertThat(read(ACME, Period.DAY).total().started())
                .as("one hour done before the lease went")
                .isEqualTo(1);

        assertThat(rollUp())
                .as("the next holder: both hours, the mark never moved")
                .isEqualTo(2);
        assertThat(read(ACME, Period.DAY).total().started()).isEqualTo(2);
    }

    @Test
    void theExpirySweeperRollsUpWhatItMarked() {
        start(ACME, "eve@yahoo.com");
        engine.clock.advance(Duration.ofMinutes(11));

        new ExpirySweeper(
                        engine.database.verifications(),
                        engine.database.rollup(),
                        engine.database.expiryLease(),
                        engine.clock)
                .runOnce();

        assertThat(read(ACME, Period.HOUR).total().expired()).isEqualTo(1);
    }

    @Test
    void theSweeperRollsUpAtMostOnceAMinute() {
        ExpirySweeper sweeper = new ExpirySweeper(
                engine.database.verifications(), engine.database.rollup(), engine.database.expiryLease(), engine.clock);
        start(ACME, "ada@example.com");
        sweeper.runOnce();
        start(ACME, "bob@example.com");
        engine.clock.advance(Duration.ofSeconds(15));

        sweeper.runOnce();
        long early = read(ACME, Period.HOUR).total().started();
        engine.clock.advance(ExpirySweeper.ROLLUP_INTERVAL);
        sweeper.runOnce();

        assertThat(early).isEqualTo(1);
        assertThat(read(ACME, Period.HOUR).total().started()).isEqualTo(2);
    }

    @Test
    void thePurgeOfVerificationsKeepsTheRollupWhichGoesAfterItsOwnRetention() {
        anHourOfAcme();
        rollUp();
        Analytics before = read(ACME, Period.MONTH);
        engine.clock.advance(Duration.ofDays(8));
        Purger purger = Purger.builder()
                .purge(engine.database.purge())
                .clock(engine.clock)
                .retention(Duration.ofDays(7))
                .statsRetention(Duration.ofDays(20))
                .build();

        assertThat(purger.runOnce().orElseThrow().verifications()).isEqualTo(6);
        assertThat(engine.count("SELECT COUNT(*) FROM verifications")).isZero();
        rollUp();
        Analytics after = read(ACME, Period.MONTH);
        assertThat(after.total()).isEqualTo(before.total());
        assertThat(after.domains()).isEqualTo(before.domains());
        assertThat(after.timeToVerify()).isEqualTo(before.timeToVerify());

        engine.clock.advance(Duration.ofDays(13));
        assertThat(purger.runOnce().orElseThrow().statsHours()).isEqualTo(1);
        assertThat(engine.count("SELECT COUNT(*) FROM stats_hourly")).isZero();
        assertThat(engine.count("SELECT COUNT(*) FROM stats_latency")).isZero();
    }
}
