package io.otpgate.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.otpgate.core.policy.Policy;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code Idempotency-Key} over real HTTP: a retried start or batch returns what the first one
 * started and emails nobody again; the key with another body is 422; keys are per tenant.
 */
class IdempotencyOverHttpTest {

    @TempDir
    Path dir;

    private ServiceFixture service;

    @BeforeEach
    void serve() {
        service = new ServiceFixture(dir, Policy.defaults(), s -> s);
    }

    @AfterEach
    void stop() {
        service.close();
    }

    private ServiceFixture.Reply post(String key, String path, String idempotencyKey, String json) {
        return service.send(service.request(key == null ? ServiceFixture.KEY : key, path)
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", idempotencyKey)
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    @Test
    void aRetriedStartReturnsTheSameVerificationWith201AndSendsOneEmail() {
        ServiceFixture.Reply first = post(null, "/v1/verifications", "signup-42", "{\"email\":\"ada@example.com\"}");
        ServiceFixture.Reply retry = post(null, "/v1/verifications", "signup-42", "{\"email\":\"ada@example.com\"}");
        ServiceFixture.Reply quoted =
                post(null, "/v1/verifications", "\"signup-42\"", "{ \"email\" : \"ada@example.com\" }");

        assertThat(first.status()).isEqualTo(201);
        assertThat(first.header("Idempotent-Replayed")).isNull();
        for (ServiceFixture.Reply again : new ServiceFixture.Reply[] {retry, quoted}) {
            assertThat(again.status()).isEqualTo(201);
            assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
            assertThat(again.json().get("id").asText())
                    .isEqualTo(first.json().get("id").asText());
            assertThat(again.header("Location")).isEqualTo(first.header("Location"));
        }
        service.codeFor("ada@example.com", 1);
        assertThat(service.mailbox.messages()).hasSize(1);
    }

    @Test
    void theSameKeyWithAnotherBodyIs422AndStartsNothing() {
        post(null, "/v1/verifications", "k1", "{\"email\":\"ada@example.com\"}");

        ServiceFixture.Reply other = post(null, "/v1/verifications", "k1", "{\"email\":\"bob@example.com\"}");

        assertThat(other.status()).isEqualTo(422);
        assertThat(other.json().get("code").asText()).isEqualTo("idempotency_key_reused");
        service.codeFor("ada@example.com", 1);
        assertThat(service.mailbox.messages())
                .singleElement()
                .satisfies(m -> assertThat(m.to().value()).isEqualTo("ada@example.com"));
    }

    @Test
    void aMalformedKeyIs400() {
        ServiceFixture.Reply reply =
                post(null, "/v1/verifications", "x".repeat(256), "{\"email\":\"ada@example.com\"}");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.json().get("code").asText()).isEqualTo("invalid_request");
        assertThat(reply.json().get("detail").asText()).startsWith("Idempotency-Key");
    }

    @Test
    void anotherTenantsKeyNeitherReplaysNorBlocksOurs() {
        ServiceFixture.Reply ours = post(null, "/v1/verifications", "shared", "{\"email\":\"ada@example.com\"}");
        ServiceFixture.Reply theirs =
                post(ServiceFixture.OTHER_KEY, "/v1/verifications", "shared", "{\"email\":\"bob@example.com\"}");

        assertThat(theirs.status()).isEqualTo(201);
        assertThat(theirs.header("Idempotent-Replayed")).isNull();
        assertThat(theirs.json().get("id").asText())
                .isNotEqualTo(ours.json().get("id").asText());
    }

    @Test
    void aRetriedBatchReturnsTheSameIdsPerEntryAndSendsNothingNew() {
        String body = "{\"recipients\":[{\"email\":\"a@example.com\"},{\"email\":\"not an address\"},"
                + "{\"email\":\"b@example.com\"}]}";
        JsonNode first = post(null, "/v1/verifications/batch", "batch-7", body).json();
        ServiceFixture.Reply retry = post(null, "/v1/verifications/batch", "batch-7", body);

        assertThat(retry.status()).isEqualTo(200);
        assertThat(retry.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(retry.json().get("accepted").asInt()).isEqualTo(2);
        assertThat(retry.json().get("results")).isEqualTo(first.get("results"));
        service.codeFor("b@example.com", 1);
        service.codeFor("a@example.com", 1);
        assertThat(service.mailbox.messages()).hasSize(2);
    }
}
