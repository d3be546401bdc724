package io.otpgate.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.otpgate.server.ServiceFixture.Reply;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /v1/webhooks} and {@code /v1/verifications/{id}/events} over real HTTP: the secret shown
 * once, private targets refused with nothing stored, another tenant's endpoints and histories
 * answered as missing, and no code in a history.
 */
class WebhooksOverHttpTest {

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
    void theSecretIsShownOnceAndNeverListed() {
        Reply added =
                service.post("/v1/webhooks", "{\"url\":\"https://hooks.example.com/a\",\"events\":[\"email.failed\"]}");

        assertThat(added.status()).as(added.body()).isEqualTo(201);
        String secret = added.json().get("secret").asText();
        assertThat(secret).startsWith("whsec_");
        Reply listed = service.get("/v1/webhooks");
        assertThat(listed.body())
                .doesNotContain(secret.substring(6))
                .contains(added.json().get("id").asText());
        assertThat(listed.json().at("/webhooks/0/events/0").asText()).isEqualTo("email.failed");
    }

    @Test
    void privateTargetsAndBadInputAreRefusedWithNothingStored() {
        for (String body : List.of(
                "{\"url\":\"http://127.0.0.1:8080/hook\"}",
                "{\"url\":\"http://[::1]/hook\"}",
                "{\"url\":\"http://10.0.0.7/hook\"}",
                "{\"url\":\"http://169.254.169.254/latest/meta-data/\"}",
                "{\"url\":\"http://localhost/hook\"}",
                "{\"url\":\"file:///etc/passwd\"}",
                "{\"url\":\"https://hooks.example.com/a\",\"events\":[\"verification.nope\"]}",
                "{\"url\":\"https://hooks.example.com/a\",\"events\":\"email.sent\"}",
                "{\"events\":[]}")) {
            Reply reply = service.post("/v1/webhooks", body);
            assertThat(reply.status()).as(body + " -> " + reply.body()).isEqualTo(400);
            assertThat(reply.json().get("code").asText()).isEqualTo("invalid_request");
        }
        assertThat(service.get("/v1/webhooks").json().get("webhooks")).isEmpty();
    }

    @Test
    void anotherTenantsEndpointIsInvisibleAndCannotBeRemovedTestedOrRead() {
        String id = service.post("/v1/webhooks", "{\"url\":\"https://hooks.example.com/mine\"}")
                .json()
                .get("id")
                .asText();

        assertThat(service.get(ServiceFixture.OTHER_KEY, "/v1/webhooks").json().get("webhooks"))
                .isEmpty();
        assertThat(service.get(ServiceFixture.OTHER_KEY, "/v1/webhooks/" + id + "/deliveries")
                        .status())
                .isEqualTo(404);
        assertThat(service.post(ServiceFixture.OTHER_KEY, "/v1/webhooks/" + id + "/test", "{}")
                        .status())
                .isEqualTo(404);
        Reply removed = service.send(
                service.request(ServiceFixture.OTHER_KEY, "/v1/webhooks/" + id).DELETE());
        assertThat(removed.status()).isEqualTo(404);
        assertThat(service.get("/v1/webhooks").json().get("webhooks")).hasSize(1);
        assertThat(service.get("/v1/webhooks/" + id + "/deliveries").json().get("deliveries"))
                .isEmpty();
    }

    @Test
    void aReplayAddressedToAnotherEndpointIsNotFoundAndQueuesNothing() {
        String first = service.post("/v1/webhooks", "{\"url\":\"https://hooks.example.com/first\"}")
                .json()
                .get("id")
                .asText();
        String second = service.post("/v1/webhooks", "{\"url\":\"https://hooks.example.com/second\"}")
                .json()
                .get("id")
                .asText();
        service.post("/v1/webhooks/" + first + "/test", "{}");
        String delivery = service.awaitFailedWebhookDelivery(first);

        for (String path : List.of(
                "/v1/webhooks/" + second + "/deliveries/" + delivery + "/replay",
                "/v1/webhooks/wh_made_up/deliveries/" + delivery + "/replay")) {
            Reply refused = service.post(path, "{}");
            assertThat(refused.status()).as(path).isEqualTo(404);
        }
        assertThat(service.get("/v1/webhooks/" + first + "/deliveries")
                        .json()
                        .at("/deliveries/0/status")
                        .asText())
                .isEqualTo("failed");
        assertThat(service.post("/v1/webhooks/" + first + "/deliveries/" + delivery + "/replay", "{}")
                        .status())
                .isEqualTo(202);
    }

    @Test
    void theHistoryFollowsTheVerificationsTenantRulesAndHoldsNoCode() {
        String id = service.start("ada@example.com");
        String code = service.codeFor("ada@example.com", 1);
        service.post(
                "/v1/verifications/" + id + "/check",
                "{\"code\":\"" + (code.equals("000000") ? "111111" : "000000") + "\"}");
        service.post("/v1/verifications/" + id + "/check", "{\"code\":\"" + code + "\"}");

        Reply history = service.get("/v1/verifications/" + id + "/events");

        assertThat(history.status()).isEqualTo(200);
        List<String> types = new ArrayList<>();
        for (JsonNode event : history.json().get("events")) {
            types.add(event.get("type").asText());
        }
        assertThat(types)
                .startsWith("verification.started", "email.queued")
                .contains("code.incorrect", "verification.approved");
        assertThat(history.body()).doesNotContain(code);
        assertThat(service.get(ServiceFixture.OTHER_KEY, "/v1/verifications/" + id + "/events")
                        .status())
                .isEqualTo(404);
        assertThat(service.get("/v1/verifications/ver_00000000000000000000000000/events")
                        .status())
                .isEqualTo(404);
    }
}
