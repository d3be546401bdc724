package io.otpgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.otpgate.cli.config.SettingsLoader;
import io.otpgate.core.tenant.Tenant;
import io.otpgate.core.verification.StartRequest;
import io.otpgate.core.webhook.Webhooks;
import io.otpgate.server.HttpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The application as {@code serve} wires it from settings: with {@code OTPGATE_WEBHOOK_ALLOW_PRIVATE=true}
 * an endpoint on loopback is accepted, and delivery started for serve sends it a signed event that
 * the reference library verifies; the secret it checks against is the one {@code add} showed, and
 * {@code /metrics} counts the attempt.
 */
class WebhooksWiringTest {

    @TempDir
    Path dir;

    @Test
    void serveDeliversSignedEventsToAnEndpointTheSettingsAllow() throws Exception {
        StandardWebhooksVerifier.requireAvailable();
        Map<String, String> env = Map.of(
                "OTPGATE_DATA_DIR", dir.resolve("data").toString(),
                "OTPGATE_PORT", "0",
                "OTPGATE_WEBHOOK_ALLOW_PRIVATE", "true");
        try (WebhookReceiver receiver = new WebhookReceiver();
                OtpGate app = OtpGate.open(SettingsLoader.load(env, Optional.empty(), dir), false)) {
            Webhooks.AddResult result =
                    app.webhooks().add(Tenant.DEFAULT, receiver.url("/hook"), List.of("verification.started"));
            assertThat(result).isInstanceOf(Webhooks.AddResult.Added.class);
            String secret = ((Webhooks.AddResult.Added) result).secret().reveal();
            app.deliverWithConfirmLinks(8080);

            app.verifier().start(StartRequest.of("ada@example.com"));
            WebhookReceiver.Received started = receiver.await(body -> body.contains("verification.started"));

            StandardWebhooksVerifier.Verdict verdict =
                    StandardWebhooksVerifier.verify(secret, started.headers(), started.body());
            assertThat(verdict.valid()).as(verdict.output()).isTrue();
            try (HttpServer http = app.httpServer().start()) {
                URI metrics = URI.create("http://localhost:" + http.port() + "/metrics");
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                String scraped;
                do {
                    scraped = HttpClient.newHttpClient()
                            .send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString())
                            .body();
                } while (!scraped.contains("otpgate_webhook_attempts_total{outcome=\"delivered\"} 1.0")
                        && System.nanoTime() < deadline);
                assertThat(scraped).contains("otpgate_webhook_attempts_total{outcome=\"delivered\"} 1.0");
            }
        }
    }
}
