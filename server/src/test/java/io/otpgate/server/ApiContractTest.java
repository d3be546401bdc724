package io.otpgate.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.otpgate.core.code.Alphabet;
import io.otpgate.core.policy.Policy;
import io.otpgate.jdbc.DatabaseKind;
import io.otpgate.server.ServiceFixture.Reply;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API v1 contract (README, HTTP API), endpoint by endpoint and error code by error code, over HTTP;
 * run on each database by {@code ApiContractOn…Test}.
 */
abstract class ApiContractTest {

    private final DatabaseKind kind;

    @TempDir
    Path dir;

    ServiceFixture service;

    ApiContractTest(DatabaseKind kind) {
        this.kind = kind;
    }

    @BeforeEach
    void start() {
        service = new ServiceFixture(kind, dir);
    }

    @AfterEach
    void stop() {
        service.close();
    }

    private static void assertProblem(Reply reply, int status, String code) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(status);
        assertThat(reply.header("Content-Type")).startsWith("application/problem+json");
        JsonNode json = reply.json();
        assertThat(json.get("code").asText()).isEqualTo(code);
        assertThat(json.get("status").asInt()).isEqualTo(status);
        assertThat(json.has("type")).isTrue();
        assertThat(json.has("title")).isTrue();
        assertThat(json.has("detail")).isTrue();
    }

    @Test
    void startReturns201WithTheDocumentedShape() {
        Reply reply = service.post(
                "/v1/verifications",
                "{\"email\":\" Ada@Example.COM \",\"name\":\"Ada\",\"locale\":\"en\",\"unknown_field\":[1,2]}");

        assertThat(reply.status()).isEqualTo(201);
        JsonNode v = reply.json();
        assertThat(v.get("id").asText()).matches("ver_[0-9a-z]{26}");
        assertThat(reply.header("Location"))
                .isEqualTo("/v1/verifications/" + v.get("id").asText());
        assertThat(v.get("email").asText()).isEqualTo("Ada@example.com");
        assertThat(v.get("name").asText()).isEqualTo("Ada");
        assertThat(v.get("purpose").asText()).isEqualTo("verify_email");
        assertThat(v.get("locale").asText()).isEqualTo("en");
        assertThat(v.get("status").asText()).isEqualTo("pending");
        assertThat(v.get("created_at").asText()).isEqualTo("2026-03-01T12:00:00Z");
        assertThat(v.get("expires_at").asText()).isEqualTo("2026-03-01T12:10:00Z");
        assertThat(v.get("attempts_remaining").asInt()).isEqualTo(3);
        assertThat(v.get("sends").asInt()).isEqualTo(1);
        assertThat(v.get("sends_remaining").asInt()).isEqualTo(4);
        assertThat(v.get("resend_available_at").asText()).isEqualTo("2026-03-01T12:00:30Z");
        assertThat(v.get("delivery").get("status").asText()).isEqualTo("queued");
        assertThat(v.get("delivery").has("last_error")).isTrue();
        assertThat(v.get("delivery").has("sent_at")).isTrue();
        assertThat(reply.body()).doesNotContain(service.codeFor("Ada@example.com", 1));
    }

    @Test
    void getShowsTheVerificationAndItsDelivery() {
        String id = service.start("ada@example.com");

        Reply reply = service.awaitDelivery(id);

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().get("delivery").get("status").asText()).isEqualTo("sent");
        assertThat(reply.json().get("delivery").get("sent_at").isTextual()).isTrue();
    }

    @Test
    void unknownAndMalformedIdsAre404() {
        assertProblem(service.get("/v1/verifications/ver_00000000000000000000000000"), 404, "not_found");
        assertProblem(service.get("/v1/verifications/..%2F..%2Fetc%2Fpasswd"), 404, "not_found");
        assertProblem(service.post("/v1/verifications/not-an-id/check", "{\"code\":\"123456\"}"), 404, "not_found");
    }

    @Test
    void checksAreAlways200OnceTheVerificationExists() {
        String id = service.start("ada@example.com");
        String code = service.codeFor("ada@example.com", 1);
        String wrong = code.equals("000000") ? "111111" : "000000";

        JsonNode incorrect = service.post("/v1/verifications/" + id + "/check", "{\"code\":\"" + wrong + "\"}")
                .json();
        JsonNode valid = service.post("/v1/verifications/" + id + "/check", "{\"code\":\"" + code + "\"}")
                .json();
        JsonNode again = service.post("/v1/verifications/" + id + "/check", "{\"code\":\"" + code + "\"}")
                .json();

        assertThat(incorrect.get("valid").asBoolean()).isFalse();
        assertThat(incorrect.get("reason").asText()).isEqualTo("incorrect_code");
        assertThat(incorrect.get("attempts_remaining").asInt()).isEqualTo(2);
        assertThat(incorrect.get("status").asText()).isEqualTo("pending");
        assertThat(valid.get("valid").asBoolean()).isTrue();
        assertThat(valid.get("reason").isNull()).isTrue();
        assertThat(valid.get("status").asText()).isEqualTo("approved");
        assertThat(valid.get("attempts_remaining").asInt())
                .as("only wrong checks use attempts")
                .isEqualTo(2);
        assertThat(again.get("valid").asBoolean()).isFalse();
        assertThat(again.get("reason").asText()).isEqualTo("already_approved");
    }

    @Test
    void aMalformedCodeIs400AndUsesNoAttempt() {
        String id = service.start("ada@example.com");

        assertProblem(
                service.post("/v1/verifications/" + id + "/check", "{\"code\":\"12ab\"}"), 400, "invalid_code_format");
        assertThat(service.get("/v1/verifications/" + id)
                        .json()
                        .get("attempts_remaining")
                        .asInt())
                .isEqualTo(3);
    }

    @Test
    void aCodeTypedInArabicIndicDigitsWithANoBreakSpaceIsApproved() {
        String id = service.start("ada@example.com");
        String code = service.codeFor("ada@example.com", 1);
        String typed = arabicIndic(code.substring(0, 3)) + "\u00A0" + arabicIndic(code.substring(3));

        JsonNode checked = service.post("/v1/verifications/" + id + "/check", "{\"code\":\"" + typed + "\"}")
                .json();

        assertThat(checked.get("valid").asBoolean()).isTrue();
    }

    @Test
    void checkByEmailReadsFullWidthDigitsAndANarrowNoBreakSpaceToo() {
        service.start("ada@example.com");
        String code = service.codeFor("ada@example.com", 1);
        StringBuilder typed = new StringBuilder();
        code.chars().forEach(c -> typed.appendCodePoint(c - '0' + 0xFF10).append('\u202F'));

        JsonNode checked = service.post(
                        "/v1/verifications/check", "{\"email\":\"ada@example.com\",\"code\":\"" + typed + "\"}")
                .json();

        assertThat(checked.get("valid").asBoolean()).isTrue();
    }

    static String arabicIndic(String asciiDigits) {
        StringBuilder out = new StringBuilder();
        asciiDigits.chars().forEach(c -> out.appendCodePoint(c - '0' + 0x0660));
        return out.toString();
    }

    @Test
    void theThirdWrongCodeExhaustsAndTheRightOneIsRefusedAfter() {
        String id = service.start("ada@example.com");
        String code = service.codeFor("ada@example.com", 1);
        String wrong = code.equals("000000") ? "111111" : "000000";

        service.post("/v1/verifications/" + id + "/check", "{\"code\":\"" + wrong + "\"}");
        service.post("/v1/verifications/" + id + "/check", "{\"code\":\"" + wrong + "\"}");
        JsonNode third = service.post("/v1/verifications/" + id + "/check", "{\"code\":\"" + wrong + "\"}")
                .json();
        JsonNode right = service.post("/v1/verifications/" + id + "/check", "{\"code\":\"" + code + "\"}")
                .json();

        assertThat(third.get("reason").asText()).isEqualTo("max_attempts_reached");
        assertThat(third.get("status").asText()).isEqualTo("failed");
        assertThat(right.get("valid").asBoolean()).isFalse();
        assertThat(right.get("reason").asText()).isEqualTo("max_attempts_reached");
    }

    @Test
    void anExpiredCodeIsRefusedWithReasonExpired() {
        String id = service.start("ada@example.com");
        String code = service.codeFor("ada@example.com", 1);
        service.clock.advance(Duration.ofMinutes(10));

        JsonNode result = service.post("/v1/verifications/" + id + "/check", "{\"code\":\"" + code + "\"}")
                .json();

        assertThat(result.get("valid").asBoolean()).isFalse();
        assertThat(result.get("reason").asText()).isEqualTo("expired");
        assertThat(result.get("status").asText()).isEqualTo("expired");
    }

    @Test
    void checkByEmailUsesTheNewestPendingVerification() {
        service.start("ada@example.com");
        service.codeFor("ada@example.com", 1); // delivered first, so the next email is the newest's
        String newest = service.start("ada@example.com");
        String code = service.codeFor("ada@example.com", 2);

        Reply reply =
                service.post("/v1/verifications/check", "{\"email\":\"ada@example.com\",\"code\":\"" + code + "\"}");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().get("id").asText()).isEqualTo(newest);
        assertThat(reply.json().get("valid").asBoolean()).isTrue();
        assertProblem(
                service.post("/v1/verifications/check", "{\"email\":\"nobody@example.com\",\"code\":\"123456\"}"),
                404,
                "not_found");
    }

    @Test
    void resendHonoursTheCooldownWithRetryAfter() {
        String id = service.start("ada@example.com");
        service.clock.advance(Duration.ofSeconds(10));

        Reply early = service.post("/v1/verifications/" + id + "/resend", "");
        assertProblem(early, 429, "resend_too_soon");
        assertThat(early.header("Retry-After")).isEqualTo("20");
        assertThat(early.json().get("retry_after").asLong()).isEqualTo(20);

        service.clock.advance(Duration.ofSeconds(20));
        Reply resent = service.post("/v1/verifications/" + id + "/resend", "");
        assertThat(resent.status()).isEqualTo(200);
        assertThat(resent.json().get("sends").asInt()).isEqualTo(2);
        assertThat(service.codeFor("ada@example.com", 2)).hasSize(6);
    }

    @Test
    void sendsStopAtTheMaximumWith429() {
        String id = service.start("ada@example.com");
        for (int i = 0; i < 4; i++) {
            service.clock.advance(Duration.ofSeconds(30));
            assertThat(service.post("/v1/verifications/" + id + "/resend", "").status())
                    .isEqualTo(200);
        }
        service.clock.advance(Duration.ofSeconds(30));

        Reply sixth = service.post("/v1/verifications/" + id + "/resend", "");

        assertProblem(sixth, 429, "max_sends_reached");
        assertThat(sixth.header("Retry-After")).isNotNull();
    }

    @Test
    void cancelWorksOnceThen409() {
        String id = service.start("ada@example.com");

        Reply canceled = service.post("/v1/verifications/" + id + "/cancel", "");
        assertThat(canceled.status()).isEqualTo(200);
        assertThat(canceled.json().get("status").asText()).isEqualTo("canceled");

        assertProblem(service.post("/v1/verifications/" + id + "/cancel", ""), 409, "not_pending");
        assertProblem(service.post("/v1/verifications/" + id + "/resend", ""), 409, "not_pending");
        assertThat(service.post("/v1/verifications/" + id + "/check", "{\"code\":\"123456\"}")
                        .json()
                        .get("reason")
                        .asText())
                .isEqualTo("canceled");
    }

    @Test
    void requestsWithoutAValidKeyAre401() {
        Reply none = service.send(
                service.request("/v1/stats").setHeader("Authorization", "").GET());
        Reply wrong = service.send(service.request("/v1/stats")
                .setHeader("Authorization", "Bearer nope")
                .GET());
        Reply basic = service.send(service.request("/v1/stats")
                .setHeader("Authorization", "Basic " + ServiceFixture.KEY)
                .GET());

        for (Reply reply : List.of(none, wrong, basic)) {
            assertProblem(reply, 401, "unauthorized");
            assertThat(reply.header("WWW-Authenticate")).isEqualTo("Bearer");
        }
    }

    @Test
    void bodiesOverOneMebibyteAre413() {
        String huge = "{\"email\":\"ada@example.com\",\"name\":\"" + "a".repeat(1024 * 1024) + "\"}";

        assertProblem(service.post("/v1/verifications", huge), 413, "payload_too_large");
        assertThat(service.get("/v1/stats")
                        .json()
                        .get("verifications")
                        .get("pending")
                        .asLong())
                .isZero();
        String id = service.start("ada@example.com");
        assertProblem(service.post("/v1/verifications/" + id + "/cancel", huge), 413, "payload_too_large");
        assertThat(service.get("/v1/verifications/" + id).json().get("status").asText())
                .isEqualTo("pending");
    }

    @Test
    void numericTopLevelDomainsInvalidPunycodeAndLoneSurrogatesAre400AndStartNothing() {
        Reply numericTld = service.post("/v1/verifications", "{\"email\":\"a@example.123\"}");
        Reply badPunycode = service.post("/v1/verifications", "{\"email\":\"a@xn--zz.com\"}");
        Reply surrogateEmail = service.post("/v1/verifications", "{\"email\":\"a\\ud800@example.com\"}");
        Reply surrogateName =
                service.post("/v1/verifications", "{\"email\":\"ada@example.com\",\"name\":\"Ada \\ud83d\"}");

        assertProblem(numericTld, 400, "invalid_email");
        assertThat(numericTld.json().get("detail").asText()).contains("ends in a number");
        assertProblem(badPunycode, 400, "invalid_email");
        assertThat(badPunycode.json().get("detail").asText()).contains("xn--zz");
        assertProblem(surrogateEmail, 400, "invalid_email");
        assertThat(surrogateEmail.json().get("detail").asText()).contains("unpaired UTF-16 surrogate");
        assertProblem(surrogateName, 400, "invalid_request");
        assertThat(surrogateName.json().get("detail").asText()).contains("name").contains("unpaired UTF-16 surrogate");
        assertThat(service.get("/v1/stats")
                        .json()
                        .get("verifications")
                        .get("pending")
                        .asLong())
                .isZero();
    }

    @Test
    void anInternationalDomainIsAcceptedAndStoredEncoded() {
        JsonNode started = service.post("/v1/verifications", "{\"email\":\"ada@bücher.de\"}")
                .json();

        assertThat(started.get("email").asText()).isEqualTo("ada@xn--bcher-kva.de");
    }

    @Test
    void wrongTypesAndMissingFieldsAre400NamingTheField() {
        Reply notString = service.post("/v1/verifications", "{\"email\":42}");
        Reply missing = service.post("/v1/verifications", "{\"name\":\"Ada\"}");
        Reply badName = service.post("/v1/verifications", "{\"email\":\"ada@example.com\",\"name\":{}}");
        Reply badJson = service.post("/v1/verifications", "{\"email\":");
        Reply notObject = service.post("/v1/verifications", "[\"ada@example.com\"]");
        Reply badPurpose = service.post("/v1/verifications", "{\"email\":\"ada@example.com\",\"purpose\":\"../x\"}");
        Reply badIp =
                service.post("/v1/verifications", "{\"email\":\"ada@example.com\",\"client_ip\":\"example.com\"}");

        assertProblem(notString, 400, "invalid_request");
        assertThat(notString.json().get("detail").asText()).contains("email");
        assertThat(missing.json().get("detail").asText()).contains("email");
        assertThat(badName.json().get("detail").asText()).contains("name");
        assertProblem(badJson, 400, "invalid_request");
        assertProblem(notObject, 400, "invalid_request");
        assertThat(badPurpose.json().get("detail").asText()).contains("purpose");
        assertThat(badIp.json().get("detail").asText()).contains("client_ip");
        assertThat(service.mailbox.messages()).isEmpty();
    }

    @Test
    void headerInjectionIs400InvalidEmailAndSendsNothing() {
        Reply reply = service.post("/v1/verifications", "{\"email\":\"ada@example.com\\r\\nBcc: eve@evil.test\"}");

        assertProblem(reply, 400, "invalid_email");
        assertThat(service.get("/v1/stats")
                        .json()
                        .get("verifications")
                        .get("pending")
                        .asLong())
                .isZero();
    }

    @Test
    void theEleventhEmailToOneAddressInAnHourIs429() {
        for (int i = 0; i < 10; i++) {
            service.start("ada@example.com");
        }

        Reply eleventh = service.post("/v1/verifications", "{\"email\":\"ada@example.com\"}");

        assertProblem(eleventh, 429, "rate_limited");
        assertThat(Long.parseLong(eleventh.header("Retry-After"))).isEqualTo(3600);
    }

    @Test
    void startsForOneClientIpAreLimited() {
        for (int i = 0; i < 30; i++) {
            assertThat(service.post(
                                    "/v1/verifications",
                                    "{\"email\":\"u" + i + "@example.com\",\"client_ip\":\"203.0.113.7\"}")
                            .status())
                    .isEqualTo(201);
        }

        Reply limited =
                service.post("/v1/verifications", "{\"email\":\"x@example.com\",\"client_ip\":\"203.0.113.7\"}");
        Reply otherIp =
                service.post("/v1/verifications", "{\"email\":\"y@example.com\",\"client_ip\":\"203.0.113.8\"}");

        assertProblem(limited, 429, "rate_limited");
        assertThat(limited.json().get("detail").asText()).contains("client IP");
        assertThat(otherIp.status()).isEqualTo(201);
    }

    @Test
    void startsPerApiKeyAreLimitedWhenConfigured(@TempDir Path other) {
        try (ServiceFixture limited = new ServiceFixture(
                kind, other, Policy.defaults(), s -> ServerSettingsFixture.withKeyStartLimit(s, 2))) {
            limited.start("a@example.com");
            limited.start("b@example.com");

            Reply third = limited.post("/v1/verifications", "{\"email\":\"c@example.com\"}");

            assertProblem(third, 429, "rate_limited");
            assertThat(third.json().get("detail").asText()).contains("API key");
        }
    }

    @Test
    void anAddressIsLockedAfterConsecutiveWrongChecks(@TempDir Path other) {
        Policy strict = new Policy(
                6, Alphabet.DIGITS, Duration.ofMinutes(10), 3, 5, Duration.ofSeconds(30), 10, 3, Duration.ofHours(1));
        try (ServiceFixture locked = new ServiceFixture(kind, other, strict, s -> s)) {
            String id = locked.start("ada@example.com");
            String code = locked.codeFor("ada@example.com", 1);
            String wrong = code.equals("000000") ? "111111" : "000000";
            for (int i = 0; i < 3; i++) {
                locked.post("/v1/verifications/" + id + "/check", "{\"code\":\"" + wrong + "\"}");
            }

            Reply start = locked.post("/v1/verifications", "{\"email\":\"ada@example.com\"}");

            assertProblem(start, 429, "recipient_locked");
            assertThat(start.header("Retry-After")).isEqualTo("3600");
        }
    }

    @Test
    void batchReportsEveryRecipient() {
        Reply reply = service.post("/v1/verifications/batch", """
        {"purpose": "verify_email", "recipients": [
          {"email": "ada@example.com", "name": "Ada"},
          {"email": "not-an-address"},
          {"name": "no email"},
          "just a string",
          {"email": "grace@example.com", "locale": "en"}
        ]}""");

        assertThat(reply.status()).isEqualTo(200);
        JsonNode json = reply.json();
        assertThat(json.get("accepted").asInt()).isEqualTo(2);
        assertThat(json.get("rejected").asInt()).isEqualTo(3);
        JsonNode results = json.get("results");
        assertThat(results).hasSize(5);
        assertThat(results.get(0).get("id").asText()).startsWith("ver_");
        assertThat(results.get(1).get("error").asText()).isEqualTo("invalid_email");
        assertThat(results.get(2).get("error").asText()).isEqualTo("invalid_request");
        assertThat(results.get(2).get("detail").asText()).contains("recipients[2].email");
        assertThat(results.get(3).get("error").asText()).isEqualTo("invalid_request");
        assertThat(results.get(4).get("email").asText()).isEqualTo("grace@example.com");
    }

    @Test
    void aBatchStartsOneVerificationPerMailboxWhateverTheLetterCase() {
        Reply reply = service.post("/v1/verifications/batch", """
        {"recipients": [
          {"email": "ada@example.com"},
          {"email": "grace@example.com"},
          {"email": "Ada@EXAMPLE.com", "name": "Ada again"}
        ]}""");

        assertThat(reply.status()).isEqualTo(200);
        JsonNode json = reply.json();
        assertThat(json.get("accepted").asInt()).isEqualTo(2);
        assertThat(json.get("rejected").asInt()).isEqualTo(1);
        JsonNode results = json.get("results");
        assertThat(results.get(2).get("error").asText()).isEqualTo("duplicate_recipient");
        assertThat(results.get(2).get("detail").asText()).contains("recipients[0]");
        String first = results.get(0).get("id").asText();
        assertThat(service.get("/v1/verifications/" + first)
                        .json()
                        .get("status")
                        .asText())
                .as("the later entry neither restarts the first nor mails the person again")
                .isEqualTo("pending");
    }

    @Test
    void aBatchOverTenThousandIsRefusedWhole() {
        StringBuilder body = new StringBuilder("{\"recipients\":[");
        for (int i = 0; i <= 10_000; i++) {
            body.append(i == 0 ? "" : ",").append("{\"email\":\"u").append(i).append("@example.com\"}");
        }
        body.append("]}");

        assertProblem(service.post("/v1/verifications/batch", body.toString()), 400, "batch_too_large");
        assertThat(service.get("/v1/stats")
                        .json()
                        .get("verifications")
                        .get("pending")
                        .asLong())
                .isZero();
    }

    @Test
    void statsCountByStatusAndDelivery() {
        String id = service.start("ada@example.com");
        String code = service.codeFor("ada@example.com", 1);
        service.clock.advance(Duration.ofSeconds(42));
        service.post("/v1/verifications/" + id + "/check", "{\"code\":\"" + code + "\"}");
        service.start("bob@example.com");

        JsonNode stats = service.get("/v1/stats").json();

        assertThat(stats.get("verifications").get("approved").asLong()).isEqualTo(1);
        assertThat(stats.get("verifications").get("pending").asLong()).isEqualTo(1);
        assertThat(stats.get("approval_rate").asDouble()).isEqualTo(1.0);
        assertThat(stats.get("median_seconds_to_approve").asDouble()).isEqualTo(42.0);
        assertThat(stats.get("deliveries").has("sent")).isTrue();
    }

    @Test
    void healthMetricsAndOpenApiNeedNoKey() {
        HttpRequest.Builder noKey = service.request("/health/live").setHeader("Authorization", "");
        assertThat(service.send(noKey).status()).isEqualTo(200);
        assertThat(service.send(service.request("/health/ready").setHeader("Authorization", ""))
                        .json()
                        .get("status")
                        .asText())
                .isEqualTo("up");
        service.start("ada@example.com");
        service.post("/v1/verifications", "{\"email\":\"bad\"}");

        String metrics = service.send(service.request("/metrics").setHeader("Authorization", ""))
                .body();

        assertThat(metrics).contains("otpgate_verifications_started_total{outcome=\"started\"} 1.0");
        assertThat(metrics).contains("otpgate_verifications_started_total{outcome=\"invalid_email\"} 1.0");
        assertThat(metrics).contains("otpgate_outbox_depth");
        assertThat(metrics).contains("http_server_requests_seconds_bucket");
        assertThat(metrics).contains("route=\"/v1/verifications\"");
        assertThat(service.send(service.request("/openapi.json").setHeader("Authorization", ""))
                        .json()
                        .get("openapi")
                        .asText())
                .startsWith("3.1");
    }

    @Test
    void checksAreCountedByOutcome() {
        String id = service.start("ada@example.com");
        String code = service.codeFor("ada@example.com", 1);
        String wrong = code.equals("000000") ? "111111" : "000000";
        for (String typed : List.of(wrong, "12ab", code, code)) {
            service.post("/v1/verifications/" + id + "/check", "{\"code\":\"" + typed + "\"}");
        }
        service.post("/v1/verifications/check", "{\"email\":\"nobody@example.com\",\"code\":\"" + code + "\"}");

        String metrics = service.get("/metrics").body();

        assertThat(metrics)
                .contains(
                        "otpgate_verifications_checked_total{outcome=\"incorrect\"} 1.0",
                        "otpgate_verifications_checked_total{outcome=\"invalid_format\"} 1.0",
                        "otpgate_verifications_checked_total{outcome=\"approved\"} 1.0",
                        "otpgate_verifications_checked_total{outcome=\"already_approved\"} 1.0",
                        "otpgate_verifications_checked_total{outcome=\"not_found\"} 1.0");
    }

    @Test
    void everyResponseCarriesARequestIdAndSecurityHeaders() {
        for (Reply reply : List.of(
                service.get("/health/live"),
                service.get("/nope"),
                service.post("/v1/verifications", "{"),
                service.get("/"))) {
            assertThat(reply.header("X-Request-Id")).isNotBlank();
            assertThat(reply.header("X-Content-Type-Options")).isEqualTo("nosniff");
            assertThat(reply.header("X-Frame-Options")).isEqualTo("DENY");
            assertThat(reply.header("Content-Security-Policy")).contains("default-src 'none'");
        }
        Reply echoed = service.send(service.request("/health/live")
                .header("X-Request-Id", "abc-123")
                .GET());
        assertThat(echoed.header("X-Request-Id")).isEqualTo("abc-123");
        Reply problem = service.post("/v1/verifications", "{");
        assertThat(problem.json().get("request_id").asText()).isEqualTo(problem.header("X-Request-Id"));
    }

    @Test
    void aDatabaseOutOfReachIs503WithARequestIdAndNotReady() {
        service.database.close();

        Reply failed = service.post("/v1/verifications", "{\"email\":\"ada@example.com\"}");
        Reply ready = service.get("/health/ready");

        assertProblem(failed, 503, "unavailable");
        assertThat(failed.header("Retry-After")).isEqualTo("1");
        assertThat(failed.json().get("request_id").asText()).isNotBlank();
        assertThat(failed.body()).doesNotContain("SQL").doesNotContain("Exception");
        assertThat(ready.status()).isEqualTo(503);
    }

    @Test
    void wrongMethodsAndContentTypesAreRefusedCleanly() {
        Reply put = service.send(service.request("/v1/verifications").PUT(HttpRequest.BodyPublishers.ofString("{}")));
        Reply form = service.send(service.request("/v1/verifications")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("email=ada@example.com")));

        assertProblem(put, 405, "invalid_request");
        assertProblem(form, 415, "invalid_request");
    }

    @Test
    void theDevMailboxShowsCapturedEmailsNewestFirst() {
        service.start("ada@example.com");
        service.codeFor("ada@example.com", 1);
        service.start("bob@example.com");
        service.codeFor("bob@example.com", 1);

        JsonNode messages = service.get("/dev/mailbox/messages").json();
        Reply page = service.get("/dev/mailbox");

        assertThat(messages.get(0).get("to").asText()).isEqualTo("bob@example.com");
        assertThat(messages.get(1).get("to").asText()).isEqualTo("ada@example.com");
        assertThat(messages.get(0).has("html")).isTrue();
        assertThat(messages.get(0).has("received_at")).isTrue();
        assertThat(page.header("Content-Type")).startsWith("text/html");
        assertThat(page.body()).contains("bob@example.com").contains("Dev mailbox");
        assertThat(service.get("/").body()).contains("/dev/mailbox");
    }
}
