package io.otpgate.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.otpgate.core.code.CodeSealer;
import io.otpgate.core.event.EventType;
import io.otpgate.core.event.VerificationEvent;
import io.otpgate.core.policy.Policy;
import io.otpgate.core.retention.ExpirySweeper;
import io.otpgate.core.retention.Purger;
import io.otpgate.core.tenant.Tenant;
import io.otpgate.core.verification.Verification;
import io.otpgate.core.webhook.QueuedWebhook;
import io.otpgate.core.webhook.Webhook;
import io.otpgate.core.webhook.WebhookQueue;
import io.otpgate.core.webhook.WebhookTargets;
import io.otpgate.core.webhook.Webhooks;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Verification events and the webhook queue on a real database: each event with the change that
 * caused it (and none for a change that did not happen), webhook deliveries queued in the same
 * transaction for the tenant's subscribed endpoints only, the expiry sweeper under its lease, the
 * queue's claim numbers against a stale worker, and tenants kept apart. Run by {@code …On…Test}.
 */
abstract class EventsAndWebhooksTest extends EngineTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Tenant GLOBEX = new Tenant("globex");

    Webhooks webhooks;
    WebhookQueue queue;

    EventsAndWebhooksTest(DatabaseKind kind) {
        super(kind);
    }

    @Override
    EngineFixture openEngine(TestDatabase db) {
        return new EngineFixture(db, Policy.defaults());
    }

    @BeforeEach
    void open() {
        webhooks = new Webhooks(
                engine.database.webhooks(),
                CodeSealer.forWebhookSecrets(EngineFixture.SECRET, new SecureRandom()),
                new WebhookTargets(false),
                engine.clock,
                new SecureRandom());
        queue = engine.database.webhookQueue();
    }

    @Test
    void wrongCodesUntilFailureWriteTheirEventsWithAttemptsRemaining() {
        Verification v = engine.start("ada@example.com");
        for (int i = 0; i < 3; i++) {
            engine.verifier.check(Tenant.DEFAULT, v.id(), engine.wrongCodeFor(v.id()));
        }

        List<VerificationEvent> events = engine.verifier.events(v.id());

        assertThat(events)
                .extracting(VerificationEvent::type)
                .containsExactly(
                        EventType.VERIFICATION_STARTED,
                        EventType.EMAIL_QUEUED,
                        EventType.CODE_INCORRECT,
                        EventType.CODE_INCORRECT,
                        EventType.CODE_INCORRECT,
                        EventType.VERIFICATION_FAILED);
        assertThat(events.stream()
                        .filter(e -> e.type() == EventType.CODE_INCORRECT)
                        .map(e -> ((Number) e.data().get("attempts_remaining")).intValue()))
                .containsExactly(2, 1, 0);
    }

    @Test
    void aCheckAfterTheEndChangesNothingAndWritesNoEvent() {
        Verification v = engine.start("ada@example.com");
        String code = engine.codeOf(v.id());
        engine.verifier.cancel(Tenant.DEFAULT, v.id());
        int before = engine.verifier.events(v.id()).size();

        engine.verifier.cancel(Tenant.DEFAULT, v.id());
        engine.verifier.check(Tenant.DEFAULT, v.id(), code);

        assertThat(engine.verifier.events(v.id())).hasSize(before);
        assertThat(engine.verifier.events(v.id()).get(before - 1).type()).isEqualTo(EventType.VERIFICATION_CANCELED);
    }

    @Test
    void theSweeperMarksExpiryOnceWithoutAnyoneAskingAndQueuesItsWebhook() {
        added(Tenant.DEFAULT, "https://hooks.example.com/expired", List.of("verification.expired"));
        Verification v = engine.start("ada@example.com");
        ExpirySweeper sweeper =
                new ExpirySweeper(engine.database.verifications(), engine.database.expiryLease(), engine.clock);
        assertThat(sweeper.runOnce()).isZero();

        engine.clock.advance(Policy.defaults().codeTtl());
        int swept = sweeper.runOnce();
        int again = sweeper.runOnce();

        assertThat(swept).isEqualTo(1);
        assertThat(again).isZero();
        assertThat(engine.verifier.events(v.id()))
                .extracting(VerificationEvent::type)
                .containsOnlyOnce(EventType.VERIFICATION_EXPIRED);
        assertThat(engine.count("SELECT COUNT(*) FROM verifications WHERE status = 'expired'"))
                .isEqualTo(1);
        assertThat(queue.claim("w", 10, engine.clock.instant(), Duration.ofMinutes(1)))
                .singleElement()
                .satisfies(q -> assertThat(q.payload()).contains("\"verification.expired\"", "\"status\":\"expired\""));
    }

    @Test
    void aSecondInstanceDoesNotSweepWhileTheFirstHoldsTheLease() {
        ExpirySweeper first =
                new ExpirySweeper(engine.database.verifications(), engine.database.expiryLease(), engine.clock);
        ExpirySweeper second =
                new ExpirySweeper(engine.database.verifications(), engine.database.expiryLease(), engine.clock);

        assertThat(first.runOnce()).isZero();
        assertThat(second.runOnce()).isEqualTo(-1);
        engine.clock.advance(ExpirySweeper.INTERVAL);
        assertThat(second.runOnce()).isZero();
    }

    @Test
    void deliveriesAreQueuedForTheTenantsSubscribedEndpointsOnlyAndCarryNoCode() throws Exception {
        Webhook all = added(Tenant.DEFAULT, "https://hooks.example.com/all", List.of());
        added(Tenant.DEFAULT, "https://hooks.example.com/approved", List.of("verification.approved"));
        added(GLOBEX, "https://hooks.example.com/globex", List.of());
        Verification v = engine.start("Ada@Example.com");
        String code = engine.codeOf(v.id());
        engine.verifier.check(Tenant.DEFAULT, v.id(), code);

        List<QueuedWebhook> claimed = queue.claim("w", 100, engine.clock.instant(), Duration.ofMinutes(1));

        assertThat(claimed)
                .extracting(QueuedWebhook::url)
                .extracting(Object::toString)
                .containsOnly("https://hooks.example.com/all", "https://hooks.example.com/approved");
        assertThat(claimed).filteredOn(q -> q.webhookId().equals(all.id())).hasSize(3);
        assertThat(claimed)
                .allSatisfy(q -> assertThat(q.payload()).doesNotContain(code).doesNotContain("Ada@"));
        JsonNode approved = JSON.readTree(claimed.stream()
                .filter(q -> !q.webhookId().equals(all.id()))
                .findFirst()
                .orElseThrow()
                .payload());
        assertThat(approved.path("type").asText()).isEqualTo("verification.approved");
        assertThat(approved.path("data").path("tenant").asText()).isEqualTo("default");
        assertThat(approved.path("data").path("recipient_domain").asText()).isEqualToIgnoringCase("example.com");
    }

    @Test
    void aStaleWorkerCannotRecordOverTheClaimThatTookItsDeliveryOver() throws Exception {
        added(Tenant.DEFAULT, "https://hooks.example.com/a", List.of("verification.started"));
        engine.start("ada@example.com");
        QueuedWebhook stale = queue.claim("a", 1, engine.clock.instant(), Duration.ofMillis(50))
                .get(0);
        Thread.sleep(200); // the lease runs out by the database's clock
        QueuedWebhook current = queue.claim("b", 1, engine.clock.instant(), Duration.ofMinutes(1))
                .get(0);

        assertThat(current.id()).isEqualTo(stale.id());
        assertThat(current.claim()).isGreaterThan(stale.claim());
        assertThat(queue.delivered(stale, engine.clock.instant(), 200)).isFalse();
        assertThat(queue.failed(stale, engine.clock.instant(), 500, "late")).isFalse();
        assertThat(queue.delivered(current, engine.clock.instant(), 204)).isTrue();
    }

    @Test
    void anotherTenantsEndpointIsInvisibleAndUntouchable() {
        Webhook mine = added(Tenant.DEFAULT, "https://hooks.example.com/mine", List.of());

        assertThat(webhooks.list(GLOBEX)).isEmpty();
        assertThat(webhooks.find(GLOBEX, mine.id())).isEmpty();
        assertThat(webhooks.remove(GLOBEX, mine.id())).isFalse();
        assertThat(webhooks.test(GLOBEX, mine.id())).isFalse();
        assertThat(webhooks.deliveries(GLOBEX, mine.id())).isEmpty();
        assertThat(webhooks.list(Tenant.DEFAULT)).extracting(Webhook::id).containsExactly(mine.id());
    }

    @Test
    void privateTargetsAreRefusedAtRegistration() {
        for (String url : List.of(
                "http://127.0.0.1/hook",
                "http://[::1]/hook",
                "http://10.1.2.3/hook",
                "http://169.254.169.254/latest/meta-data",
                "http://localhost:8080/hook",
                "ftp://hooks.example.com/x")) {
            assertThat(webhooks.add(Tenant.DEFAULT, url, List.of()))
                    .as(url)
                    .isInstanceOf(Webhooks.AddResult.Refused.class);
        }
        assertThat(webhooks.list(Tenant.DEFAULT)).isEmpty();
    }

    @Test
    void eventsGoWithTheirVerificationWhileDeliveriesKeepTheirOwnRetention() {
        added(Tenant.DEFAULT, "https://hooks.example.com/a", List.of());
        Verification v = engine.start("ada@example.com");
        engine.verifier.cancel(Tenant.DEFAULT, v.id());
        int deliveries = engine.count("SELECT COUNT(*) FROM webhook_deliveries");
        engine.clock.advance(Duration.ofDays(8));

        engine.database.purge().verifications(engine.clock.instant(), 1000);

        assertThat(engine.count("SELECT COUNT(*) FROM verifications")).isZero();
        assertThat(engine.count("SELECT COUNT(*) FROM verification_events")).isZero();
        assertThat(engine.count("SELECT COUNT(*) FROM webhook_deliveries"))
                .isEqualTo(deliveries)
                .isPositive();

        Purger.builder()
                .purge(engine.database.purge())
                .clock(engine.clock)
                .build()
                .runOnce();

        assertThat(engine.count("SELECT COUNT(*) FROM webhook_deliveries")).isZero();
        assertThat(webhooks.list(Tenant.DEFAULT)).hasSize(1);
    }

    private Webhook added(Tenant tenant, String url, List<String> events) {
        Webhooks.AddResult result = webhooks.add(tenant, url, events);
        assertThat(result).as(url).isInstanceOf(Webhooks.AddResult.Added.class);
        return ((Webhooks.AddResult.Added) result).webhook();
    }
}
