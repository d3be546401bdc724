package io.otpgate.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.otpgate.core.delivery.Outbox;
import io.otpgate.core.delivery.QueuedEmail;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Failure is told (issue 11, finding 6): the code page, the verification's JSON and {@code
 * /health/delivery} say where the email really stands. The fixture's dispatcher is stopped, and the
 * test plays the SMTP side through the outbox, so each delivery state is reached on purpose.
 */
class DeliveryStateTest {

    @TempDir
    Path dir;

    private ServiceFixture service;
    private PageClient browser;
    private Outbox outbox;

    @BeforeEach
    void serve() {
        service = new ServiceFixture(dir);
        service.dispatcher.close();
        browser = new PageClient(service.server.port());
        outbox = service.database.outbox();
    }

    @AfterEach
    void stop() {
        service.close();
    }

    @Test
    void whileTheEmailIsQueuedThePageSaysItIsOnItsWayNotThatItWasSent() {
        String codePath = startOnThePage("ada@example.com");

        String page = browser.get(codePath).body();

        assertThat(page).contains("We are sending a code").doesNotContain("We sent a code");
    }

    @Test
    void whileDeliveryIsRetryingThePageAndTheApiTellTheServersReply() {
        String codePath = startOnThePage("ada@example.com");
        QueuedEmail row = claimTheOnlyRow();
        Instant now = service.clock.instant();
        outbox.retryLater(row, now, now.plusSeconds(30), "421 4.3.2 mail.example.com busy");

        String page = browser.get(codePath).body();
        JsonNode delivery = service.get(ServiceFixture.PAGES_KEY, "/v1/verifications/" + idOf(codePath))
                .json()
                .get("delivery");

        assertThat(page)
                .contains("could not deliver the code", "421 4.3.2 mail.example.com busy")
                .doesNotContain("We sent a code");
        assertThat(delivery.get("status").asText()).isEqualTo("retrying");
        assertThat(delivery.get("last_error").asText()).isEqualTo("421 4.3.2 mail.example.com busy");
    }

    /** The relay's address and the service's settings are for the operator, not for any visitor. */
    @Test
    void aConnectionErrorIsToldWithoutNamingTheRelay() {
        String codePath = startOnThePage("ada@example.com");
        Instant now = service.clock.instant();
        outbox.retryLater(
                claimTheOnlyRow(),
                now,
                now.plusSeconds(30),
                "could not open an SMTP session with relay.internal:2525 (none): Connection refused");

        String page = browser.get(codePath).body();

        assertThat(page)
                .contains("could not deliver the code", "it could not be reached")
                .doesNotContain("relay.internal", "Connection refused");
        assertThat(service.get(ServiceFixture.PAGES_KEY, "/v1/verifications/" + idOf(codePath))
                        .json()
                        .get("delivery")
                        .get("last_error")
                        .asText())
                .contains("relay.internal:2525");
    }

    @Test
    void afterAFinalFailureThePageSaysTheCodeCouldNotBeDelivered() {
        String codePath = startOnThePage("ada@example.com");
        outbox.markFailed(
                claimTheOnlyRow(), service.clock.instant(), Outbox.Failure.PERMANENT, "550 5.1.1 no such user");

        String page = browser.get(codePath).body();

        assertThat(page)
                .contains("The code could not be delivered", "550 5.1.1 no such user")
                .doesNotContain("We sent a code");
    }

    @Test
    void deliveryHealthIsDownWhileTheNewestAttemptFailedAndReadinessStaysUp() {
        service.start("ada@example.com");
        service.start("bob@example.com");
        List<QueuedEmail> rows = outbox.claim("smtp", 10, service.clock.instant(), Duration.ofMinutes(1));
        Instant now = service.clock.instant();
        outbox.markFailed(
                rows.get(0),
                now,
                Outbox.Failure.CONFIGURATION,
                "535 5.7.8 refused: check OTPGATE_SMTP_USERNAME and OTPGATE_SMTP_PASSWORD");

        ServiceFixture.Reply failing = service.get("/health/delivery");
        String failingMetrics = service.get("/metrics").body();
        outbox.markSent(rows.get(1), now.plusSeconds(1), "250 2.0.0 queued");
        ServiceFixture.Reply recovered = service.get("/health/delivery");

        assertThat(failing.status()).isEqualTo(503);
        assertThat(failing.json().get("failing").asBoolean()).isTrue();
        assertThat(failing.json().get("last_error").asText()).contains("OTPGATE_SMTP_PASSWORD");
        assertThat(failing.json().get("emails").get("sending").asInt()).isEqualTo(1);
        assertThat(failingMetrics).contains("otpgate_delivery_failing 1.0");
        assertThat(service.get("/health/ready").status()).isEqualTo(200);
        assertThat(recovered.status()).isEqualTo(200);
        assertThat(recovered.json().get("failing").asBoolean()).isFalse();
    }

    @Test
    void deliveryHealthIsDownOnceAnEmailHasWaitedLongerThanTheAlertAge() {
        service.start("ada@example.com");
        service.clock.advance(Duration.ofMinutes(2));
        ServiceFixture.Reply atTheLimit = service.get("/health/delivery");
        service.clock.advance(Duration.ofSeconds(1));
        ServiceFixture.Reply late = service.get("/health/delivery");

        assertThat(atTheLimit.status()).isEqualTo(200);
        assertThat(late.status()).isEqualTo(503);
        assertThat(late.json().get("oldest_due_age_seconds").asLong()).isEqualTo(121);
        assertThat(late.json().get("alert_age_seconds").asLong()).isEqualTo(120);
        assertThat(late.json().get("emails").get("queued").asInt()).isEqualTo(1);
        assertThat(late.json().get("failing").asBoolean()).isFalse();
        // The same figures for an alert rule in Prometheus.
        String metrics = service.get("/metrics").body();
        assertThat(metrics)
                .contains("otpgate_outbox_oldest_due_age_seconds 121.0")
                .contains("otpgate_outbox_rows{state=\"queued\"} 1.0")
                .contains("otpgate_outbox_rows{state=\"sending\"} 0.0")
                .contains("otpgate_delivery_failing 0.0");
    }

    /** Fills in the start page and returns the code page's path. */
    private String startOnThePage(String email) {
        PageClient.Page start = browser.get("/");
        PageClient.Page started = browser.post("/start", "email", email, "name", "Ada", "csrf", start.csrf());
        assertThat(started.status()).isEqualTo(303);
        return started.location();
    }

    private static String idOf(String codePath) {
        return codePath.replaceFirst("^/verify/", "").replaceFirst("[/?].*$", "");
    }

    private QueuedEmail claimTheOnlyRow() {
        List<QueuedEmail> rows = outbox.claim("smtp", 10, service.clock.instant(), Duration.ofMinutes(1));
        assertThat(rows).hasSize(1);
        return rows.get(0);
    }
}
