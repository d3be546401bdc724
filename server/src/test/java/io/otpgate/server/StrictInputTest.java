package io.otpgate.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.otpgate.server.ServiceFixture.Reply;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Input the API refuses rather than guesses at (finding 15 and part of 18 of issue 11): a JSON
 * object naming a field twice, and a purpose that cannot exist.
 */
class StrictInputTest {

    @TempDir
    Path dir;

    ServiceFixture service;

    @BeforeEach
    void start() {
        service = new ServiceFixture(dir);
    }

    @AfterEach
    void stop() {
        service.close();
    }

    @Test
    void aDuplicateKeyInAStartIsRefusedAndNamed() {
        // Last-wins would start a verification for eve; a proxy keeping the first would log ada.
        Reply reply = service.post(
                "/v1/verifications", "{\"email\":\"ada@example.com\",\"name\":\"Ada\",\"email\":\"eve@example.com\"}");

        assertProblem(reply, "the field email appears more than once");
        assertThat(service.mailbox.messages()).isEmpty();
    }

    @Test
    void aDuplicateKeyIsRefusedWhateverItsValueOrEndpoint() {
        String id = service.start("ada@example.com");

        assertProblem(
                service.post("/v1/verifications/" + id + "/check", "{\"code\":\"000000\",\"code\":null}"),
                "the field code appears more than once");
        assertProblem(
                service.post(
                        "/v1/verifications/check",
                        "{\"email\":\"ada@example.com\",\"code\":\"000000\",\"purpose\":\"a\",\"purpose\":\"a\"}"),
                "the field purpose appears more than once");
        assertProblem(
                service.post("/v1/verifications", "{\"email\":\"b@example.com\",\"x\":{\"y\":1,\"y\":2}}"),
                "the field x.y appears more than once");
        assertThat(service.get("/v1/verifications/" + id)
                        .json()
                        .get("attempts_remaining")
                        .asInt())
                .as("no attempt used by a refused check")
                .isEqualTo(3);
    }

    @Test
    void aDuplicateKeyInsideABatchNamesTheRecipientAndStartsNoneOfThem() {
        Reply reply = service.post(
                "/v1/verifications/batch",
                "{\"recipients\":[{\"email\":\"a@example.com\"},"
                        + "{\"email\":\"b@example.com\",\"email\":\"eve@example.com\"}]}");

        assertProblem(reply, "the field recipients[1].email appears more than once");
        assertThat(service.mailbox.messages()).isEmpty();
    }

    @Test
    void keysThatDifferOnlyInCaseOrEscapingAreStillTwoKeysButEscapesAreRead() {
        Reply escaped = service.post(
                "/v1/verifications", "{\"email\":\"ada@example.com\",\"em\\u0061il\":\"eve@example.com\"}");
        Reply otherCase = service.post(
                "/v1/verifications",
                "{\"email\":\"ada@example.com\",\"Email\":\"eve@example.com\",\"locale\":\"zz!\"}");

        assertProblem(escaped, "the field email appears more than once");
        assertThat(otherCase.status()).as("Email is an unknown field, ignored").isEqualTo(400);
        assertThat(otherCase.json().get("detail").asText()).startsWith("locale");
    }

    @Test
    void checkByEmailWithAMalformedPurposeIs400NotNotFound() {
        service.start("ada@example.com");

        for (String purpose : new String[] {"Verify_Email", "verify email", "", "x".repeat(33), "verify_email\u0000"}) {
            Reply reply = service.post(
                    "/v1/verifications/check",
                    "{\"email\":\"ada@example.com\",\"code\":\"000000\",\"purpose\":"
                            + HostileValues.jsonString(purpose, true) + "}");

            assertThat(reply.status()).as(purpose).isEqualTo(400);
            assertThat(reply.json().get("code").asText()).isEqualTo("invalid_request");
            assertThat(reply.json().get("detail").asText()).startsWith("purpose: ");
        }
        Reply wellFormedButUnused = service.post(
                "/v1/verifications/check",
                "{\"email\":\"ada@example.com\",\"code\":\"000000\",\"purpose\":\"password_reset\"}");
        assertThat(wellFormedButUnused.status()).isEqualTo(404);
    }

    /** Found by the OpenAPI fuzz probes: Jetty threw on the charset, and every route answered 500. */
    @Test
    void aContentTypeWithAnUnnameableCharsetIs415NotA500() {
        for (String path : new String[] {"/v1/verifications", "/v1/verifications/ver_nope/cancel", "/start"}) {
            Reply reply = service.send(service.request(path)
                    .header("Content-Type", "application/json; charset=\"")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"email\":\"ada@example.com\"}")));

            assertThat(reply.status()).as(path).isEqualTo(415);
        }
        Reply form = service.send(service.request("/start")
                .header("Content-Type", "application/x-www-form-urlencoded; charset=no-such-charset")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("email=ada%40example.com")));
        assertThat(form.status()).isEqualTo(415);
        assertThat(service.mailbox.messages()).isEmpty();
    }

    /** An overlong "/" (C0 AF) or an encoded surrogate is not UTF-8, though Jackson alone read them. */
    @Test
    void aBodyThatIsNotWellFormedUtf8IsRefused() {
        for (byte[] bad : new byte[][] {
            {(byte) 0xC0, (byte) 0xAF},
            {(byte) 0xC0, (byte) 0x8D},
            {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
            {(byte) 0xFF}
        }) {
            java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
            body.writeBytes("{\"email\":\"ada".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            body.writeBytes(bad);
            body.writeBytes("@example.com\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            Reply reply = service.send(service.request("/v1/verifications")
                    .header("Content-Type", "application/json")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())));

            assertProblem(reply, "the body is not valid UTF-8");
        }
        Reply withBom = service.post("/v1/verifications", "\uFEFF{\"email\":\"bom@example.com\"}");
        assertThat(withBom.status()).as("a byte order mark is ignored").isEqualTo(201);
    }

    private static void assertProblem(Reply reply, String detail) {
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.header("Content-Type")).startsWith("application/problem+json");
        assertThat(reply.json().get("code").asText()).isEqualTo("invalid_request");
        assertThat(reply.json().get("detail").asText()).isEqualTo(detail);
    }
}
