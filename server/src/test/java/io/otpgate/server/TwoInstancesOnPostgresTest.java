package io.otpgate.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.otpgate.core.delivery.CapturedEmail;
import io.otpgate.core.policy.Policy;
import io.otpgate.core.testing.MutableClock;
import io.otpgate.jdbc.DatabaseKind;
import io.otpgate.jdbc.TestDatabase;
import io.otpgate.server.ServiceFixture.Reply;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two complete instances of the service on one PostgreSQL database, each with its own connection
 * pool, engine, dispatcher, dev mailbox and HTTP port: whichever instance a load balancer picks for
 * each request, the client sees one service. Every counter and limit lives in the database.
 */
class TwoInstancesOnPostgresTest {

    @TempDir
    Path dir;

    ServiceFixture a;
    ServiceFixture b;

    @BeforeEach
    void start() {
        TestDatabase shared = DatabaseKind.POSTGRESQL.fresh(dir);
        MutableClock clock = ServiceFixture.startClock();
        a = new ServiceFixture(shared, clock, Policy.defaults(), s -> s);
        b = new ServiceFixture(shared, clock, Policy.defaults(), s -> s);
    }

    @AfterEach
    void stop() {
        try {
            a.close();
        } finally {
            b.close();
        }
    }

    /** The code emailed to {@code email}, from whichever instance's dispatcher claimed the email. */
    private String codeFor(String email) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            Optional<CapturedEmail> message = List.of(a.mailbox, b.mailbox).stream()
                    .flatMap(mailbox -> mailbox.messages().stream())
                    .filter(m -> m.to().value().equals(email))
                    .findFirst();
            if (message.isPresent()) {
                return message.get().subject().split(" ")[0];
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("no email for " + email + " in either instance's mailbox");
    }

    private static JsonNode check(ServiceFixture instance, String id, String code) {
        Reply reply = instance.post("/v1/verifications/" + id + "/check", "{\"code\":\"" + code + "\"}");
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        return reply.json();
    }

    @Test
    void aVerificationStartedOnOneInstanceIsReadAndApprovedOnTheOther() {
        String id = a.start("ada@example.com");

        Reply read = b.get("/v1/verifications/" + id);
        JsonNode approved = check(b, id, codeFor("ada@example.com"));

        assertThat(read.status()).isEqualTo(200);
        assertThat(read.json().get("email").asText()).isEqualTo("ada@example.com");
        assertThat(read.json().get("status").asText()).isEqualTo("pending");
        assertThat(approved.get("valid").asBoolean()).isTrue();
        assertThat(a.get("/v1/verifications/" + id).json().get("status").asText())
                .isEqualTo("approved");
    }

    @Test
    void attemptsUsedOnEitherInstanceAddUp() {
        String id = a.start("ada@example.com");
        String code = codeFor("ada@example.com");
        String wrong = code.equals("000000") ? "111111" : "000000";

        JsonNode firstOnA = check(a, id, wrong);
        JsonNode secondOnA = check(a, id, wrong);
        JsonNode thirdOnB = check(b, id, wrong);
        JsonNode rightOnA = check(a, id, code);

        assertThat(firstOnA.get("attempts_remaining").asInt()).isEqualTo(2);
        assertThat(secondOnA.get("attempts_remaining").asInt()).isEqualTo(1);
        assertThat(thirdOnB.get("reason").asText()).isEqualTo("max_attempts_reached");
        assertThat(thirdOnB.get("status").asText()).isEqualTo("failed");
        assertThat(rightOnA.get("valid").asBoolean()).isFalse();
        assertThat(rightOnA.get("reason").asText()).isEqualTo("max_attempts_reached");
    }

    @Test
    void theHourlyLimitPerAddressHoldsAcrossInstances() {
        for (int i = 0; i < 10; i++) {
            a.start("ada@example.com");
        }

        Reply eleventh = b.post("/v1/verifications", "{\"email\":\"ada@example.com\"}");

        assertThat(eleventh.status()).isEqualTo(429);
        assertThat(eleventh.json().get("code").asText()).isEqualTo("rate_limited");
        assertThat(eleventh.header("Retry-After")).isEqualTo("3600");
    }

    @Test
    void aResendOnTheOtherInstanceRightAfterAStartIsTooSoon() {
        String id = a.start("ada@example.com");

        Reply resend = b.post("/v1/verifications/" + id + "/resend", "");

        assertThat(resend.status()).isEqualTo(429);
        assertThat(resend.json().get("code").asText()).isEqualTo("resend_too_soon");
        assertThat(resend.header("Retry-After")).isEqualTo("30");
    }
}
