package io.otpgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import io.otpgate.core.code.CodeSealer;
import io.otpgate.core.delivery.MailTransport;
import io.otpgate.core.delivery.OutboxDispatcher;
import io.otpgate.core.delivery.SendOutcome;
import io.otpgate.core.event.EventType;
import io.otpgate.core.event.VerificationEvent;
import io.otpgate.core.tenant.Tenant;
import io.otpgate.core.verification.CheckResult;
import io.otpgate.core.verification.StartRequest;
import io.otpgate.core.verification.StartResult;
import io.otpgate.core.verification.Verification;
import io.otpgate.core.verification.Verifier;
import io.otpgate.core.webhook.Webhook;
import io.otpgate.core.webhook.WebhookDelivery;
import io.otpgate.core.webhook.WebhookDispatcher;
import io.otpgate.core.webhook.WebhookRetries;
import io.otpgate.core.webhook.WebhookTargets;
import io.otpgate.core.webhook.Webhooks;
import io.otpgate.jdbc.Database;
import io.otpgate.jdbc.DatabaseKind;
import io.otpgate.mail.SmtpSettings;
import io.otpgate.mail.SmtpTransport;
import io.otpgate.mail.TemplateComposer;
import io.otpgate.mail.TlsMode;
import io.otpgate.server.HttpWebhookTransport;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Webhooks end to end, on a real database, a real SMTP server (GreenMail), the real HTTP client
 * and a real HTTP endpoint on loopback (private targets allowed, as only a test may): a registered
 * endpoint receives {@code verification.approved} and {@code email.failed} signed so that the
 * Standard Webhooks reference library (npm {@code standardwebhooks}) accepts them, with no code in
 * any payload; 410 disables the endpoint, a 500 and a timeout are retried. Addresses at
 * {@code bounce.example} are refused for good (550) by the transport in front of GreenMail. Run on
 * each database by {@code …On…Test}.
 */
abstract class WebhookDeliveryTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    GreenMailExtension greenMail = MailServer.greenMail();

    @TempDir
    Path dir;

    private final DatabaseKind kind;
    private Database database;
    private Verifier verifier;
    private OutboxDispatcher outbox;
    private WebhookDispatcher webhookDispatcher;
    private Webhooks webhooks;
    private WebhookReceiver receiver;
    /** What each attempt came to, as the dispatcher tells its listener (and so the metrics). */
    private final List<String> attempts = new CopyOnWriteArrayList<>();

    WebhookDeliveryTest(DatabaseKind kind) {
        this.kind = kind;
    }

    @BeforeEach
    void start() {
        Clock clock = Clock.systemUTC();
        SecureRandom random = new SecureRandom();
        database = kind.fresh(dir).open(4);
        receiver = new WebhookReceiver();
        SmtpTransport smtp = new SmtpTransport(
                SmtpSettings.builder("127.0.0.1")
                        .port(greenMail.getSmtp().getPort())
                        .tls(TlsMode.NONE)
                        .build(),
                clock);
        outbox = OutboxDispatcher.builder()
                .outbox(database.outbox())
                .transport(bouncing(smtp))
                .composer(TemplateComposer.builder().build())
                .secret(DispatcherInstance.SECRET)
                .clock(clock)
                .workers(1)
                .pollInterval(Duration.ofMillis(50))
                .build()
                .start();
        verifier = Verifier.builder()
                .store(database.verifications())
                .secret(DispatcherInstance.SECRET)
                .clock(clock)
                .onEmailQueued(outbox::wake)
                .build();
        CodeSealer sealer = CodeSealer.forWebhookSecrets(DispatcherInstance.SECRET, random);
        WebhookTargets loopbackAllowed = new WebhookTargets(true);
        webhooks = new Webhooks(database.webhooks(), sealer, loopbackAllowed, clock, random);
        webhookDispatcher = WebhookDispatcher.builder()
                .queue(database.webhookQueue())
                .transport(new HttpWebhookTransport(loopbackAllowed, Duration.ofSeconds(1)))
                .sealer(sealer)
                .clock(clock)
                .retries(new WebhookRetries(List.of(Duration.ofMillis(100), Duration.ofMillis(100)), 0.1))
                .listener((delivery, outcome) -> attempts.add(outcome.wireName()))
                .lease(Duration.ofSeconds(3))
                .pollInterval(Duration.ofMillis(50))
                .build()
                .start();
    }

    @AfterEach
    void stop() {
        webhookDispatcher.close();
        outbox.close();
        receiver.close();
        database.close();
    }

    @Test
    void approvedAndFailedEmailArriveSignedAsTheReferenceLibraryVerifies() throws IOException {
        StandardWebhooksVerifier.requireAvailable();
        Webhooks.AddResult.Added added = add(receiver.url("/hooks/otpgate"), List.of());

        Verification ada = start("ada@example.com");
        String code = MailServer.newestCode(greenMail, 1);
        assertThat(verifier.check(Tenant.DEFAULT, ada.id(), code).kind()).isEqualTo(CheckResult.Kind.APPROVED);
        Verification bob = start("bob@bounce.example");

        WebhookReceiver.Received approved = receiver.await(body -> body.contains("\"verification.approved\""));
        WebhookReceiver.Received failed = receiver.await(body -> body.contains("\"email.failed\""));

        String secret = added.secret().reveal();
        StandardWebhooksVerifier.Verdict approvedVerdict =
                StandardWebhooksVerifier.verify(secret, approved.headers(), approved.body());
        StandardWebhooksVerifier.Verdict failedVerdict =
                StandardWebhooksVerifier.verify(secret, failed.headers(), failed.body());
        assertThat(approvedVerdict.valid()).as(approvedVerdict.output()).isTrue();
        assertThat(failedVerdict.valid()).as(failedVerdict.output()).isTrue();
        JsonNode approvedPayload = JSON.readTree(approvedVerdict.output());
        assertThat(approvedPayload.path("type").asText()).isEqualTo("verification.approved");
        assertThat(approvedPayload.path("data").path("id").asText())
                .isEqualTo(ada.id().value());
        assertThat(approvedPayload.path("data").path("status").asText()).isEqualTo("approved");
        // The same instant, to the millisecond, as GET /v1/verifications/{id}/events shows.
        Instant approvedAt = verifier.events(Tenant.DEFAULT, ada.id()).orElseThrow().stream()
                .filter(e -> e.type() == EventType.VERIFICATION_APPROVED)
                .findFirst()
                .orElseThrow()
                .at();
        assertThat(approvedPayload.path("timestamp").asText())
                .isEqualTo(approvedAt.truncatedTo(ChronoUnit.MILLIS).toString());
        assertThat(approvedPayload.path("data").path("recipient_domain").asText())
                .isEqualTo("example.com");
        JsonNode failedPayload = JSON.readTree(failedVerdict.output());
        assertThat(failedPayload.path("data").path("id").asText())
                .isEqualTo(bob.id().value());
        assertThat(failedPayload.path("data").path("reply").asText()).startsWith("550");
        assertThat(failedPayload.path("data").path("failure").asText()).isEqualTo("permanent");
    }

    @Test
    void theReferenceLibraryRefusesATamperedBodyAnotherSecretAndAnotherId() {
        StandardWebhooksVerifier.requireAvailable();
        Webhooks.AddResult.Added added = add(receiver.url("/hook"), List.of("verification.started"));
        start("ada@example.com");
        WebhookReceiver.Received started = receiver.await(body -> body.contains("verification.started"));
        String secret = added.secret().reveal();
        String other = add(receiver.url("/other"), List.of()).secret().reveal();
        java.util.Map<String, String> otherId = new java.util.TreeMap<>(started.headers());
        otherId.put("webhook-id", "msg_someoneelse");

        assertThat(StandardWebhooksVerifier.verify(secret, started.headers(), started.body())
                        .valid())
                .isTrue();
        assertThat(StandardWebhooksVerifier.verify(
                                secret, started.headers(), started.body().replace("example.com", "example.org"))
                        .valid())
                .isFalse();
        assertThat(StandardWebhooksVerifier.verify(other, started.headers(), started.body())
                        .valid())
                .isFalse();
        assertThat(StandardWebhooksVerifier.verify(secret, otherId, started.body())
                        .valid())
                .isFalse();
    }

    @Test
    void noPayloadNorEventCarriesTheCode() {
        add(receiver.url("/hook"), List.of());
        Verification ada = start("ada@example.com");
        String code = MailServer.newestCode(greenMail, 1);
        // GreenMail holds the message before its 250 reaches the sender, which then records email.sent.
        awaitTrue(() -> verifier.events(ada.id()).stream().anyMatch(e -> e.type() == EventType.EMAIL_SENT));
        verifier.check(Tenant.DEFAULT, ada.id(), wrong(code));
        verifier.check(Tenant.DEFAULT, ada.id(), code);
        receiver.await(body -> body.contains("verification.approved"));

        assertThat(receiver.all())
                .isNotEmpty()
                .allSatisfy(r -> assertThat(r.body()).doesNotContain(code));
        assertThat(verifier.events(ada.id()))
                .extracting(VerificationEvent::type)
                .containsExactly(
                        EventType.VERIFICATION_STARTED,
                        EventType.EMAIL_QUEUED,
                        EventType.EMAIL_SENT,
                        EventType.CODE_INCORRECT,
                        EventType.VERIFICATION_APPROVED);
        assertThat(verifier.events(ada.id()).toString()).doesNotContain(code);
    }

    @Test
    void anEndpointThatAnswers410IsDisabledAndReceivesNothingMore() {
        Webhook endpoint = add(receiver.url("/gone"), List.of()).webhook();
        receiver.answer = () -> 410;
        start("ada@example.com");
        awaitTrue(() -> webhooks.find(Tenant.DEFAULT, endpoint.id())
                .orElseThrow()
                .disabled()
                .isPresent());
        // A delivery claimed before the 410 was recorded may still be on its way: let it land.
        awaitTrue(() -> webhooks.deliveries(Tenant.DEFAULT, endpoint.id()).orElseThrow().stream()
                .noneMatch(d -> d.status().equals("sending")));
        int seen = receiver.requests();

        start("grace@example.com");
        MailServer.newestCode(greenMail, 2);

        assertThat(receiver.requests()).isEqualTo(seen);
        assertThat(webhooks.deliveries(Tenant.DEFAULT, endpoint.id()).orElseThrow())
                .anySatisfy(d -> assertThat(d.responseStatus()).contains(410));
        assertThat(attempts).contains("gone").doesNotContain("delivered");
    }

    @Test
    void a500IsRetriedUntilTheEndpointAcceptsWithTheSameId() {
        add(receiver.url("/flaky"), List.of("verification.started"));
        AtomicInteger calls = new AtomicInteger();
        receiver.answer = () -> calls.incrementAndGet() < 3 ? 500 : 200;
        start("ada@example.com");

        receiver.await(body -> body.contains("verification.started"));
        awaitTrue(() -> attempts.contains("delivered"));

        assertThat(calls.get()).isEqualTo(3);
        assertThat(attempts).containsExactly("retrying", "retrying", "delivered");
    }

    @Test
    void anEndpointSlowerThanTheTimeoutIsRetriedThenFailed() {
        Webhook endpoint =
                add(receiver.url("/slow"), List.of("verification.started")).webhook();
        receiver.delay = Duration.ofSeconds(2);
        start("ada@example.com");

        awaitTrue(() -> webhooks.deliveries(Tenant.DEFAULT, endpoint.id()).orElseThrow().stream()
                .anyMatch(d -> d.status().equals("failed")));

        WebhookDelivery failed =
                webhooks.deliveries(Tenant.DEFAULT, endpoint.id()).orElseThrow().get(0);
        assertThat(failed.attempts()).isEqualTo(3);
        assertThat(failed.lastError()).hasValueSatisfying(e -> assertThat(e).contains("no answer within"));
        awaitTrue(() -> attempts.contains("failed"));
        assertThat(attempts).containsExactly("retrying", "retrying", "failed");
    }

    @Test
    void aReplayIsDeliveredAgainWithTheSameIdAndBody() {
        Webhook endpoint =
                add(receiver.url("/hook"), List.of("verification.started")).webhook();
        start("ada@example.com");
        WebhookReceiver.Received first = receiver.await(body -> body.contains("verification.started"));
        String id = first.headers().get("webhook-id");
        awaitTrue(() -> webhooks.deliveries(Tenant.DEFAULT, endpoint.id()).orElseThrow().stream()
                .anyMatch(d -> d.id().equals(id) && d.status().equals("delivered")));
        assertThat(webhooks.replay(new Tenant("globex"), id)).isFalse();

        assertThat(webhooks.replay(Tenant.DEFAULT, id)).isTrue();

        awaitTrue(() -> receiver.all().stream()
                        .filter(r -> r.headers().get("webhook-id").equals(id))
                        .count()
                == 2);
        assertThat(receiver.all()).allSatisfy(r -> assertThat(r.body()).isEqualTo(first.body()));
        assertThat(webhooks.deliveries(new Tenant("globex"), endpoint.id())).isEmpty();
    }

    private Webhooks.AddResult.Added add(String url, List<String> events) {
        Webhooks.AddResult result = webhooks.add(Tenant.DEFAULT, url, events);
        assertThat(result).isInstanceOf(Webhooks.AddResult.Added.class);
        return (Webhooks.AddResult.Added) result;
    }

    private Verification start(String email) {
        StartResult result = verifier.start(StartRequest.of(email));
        return ((StartResult.Started) result).verification();
    }

    private static String wrong(String code) {
        char last = code.charAt(code.length() - 1);
        return code.substring(0, code.length() - 1) + (last == '0' ? '1' : '0');
    }

    private static void awaitTrue(BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met in 60 s");
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /** SMTP to GreenMail, except that addresses at bounce.example are refused for good, as with a 550. */
    private static MailTransport bouncing(MailTransport smtp) {
        return new DecoratedTransport(
                smtp, "GreenMail, bouncing bounce.example", real -> new DecoratedTransport.Delegating(real) {
                    @Override
                    public SendOutcome send(io.otpgate.core.delivery.OutgoingEmail email) {
                        return email.to().value().endsWith("@bounce.example")
                                ? new SendOutcome.Permanent(
                                        "550 5.1.1 <" + email.to().value() + ">: no such user")
                                : super.send(email);
                    }
                });
    }
}
