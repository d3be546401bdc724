package io.otpgate.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.otpgate.core.webhook.WebhookTargets;
import io.otpgate.core.webhook.WebhookTransport;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The webhook HTTP client against a real endpoint on loopback: refused at delivery time when private
 * targets are not allowed (the endpoint never sees a request), connected to the checked address with
 * the name kept in Host, redirects not followed, and each kind of answer mapped.
 */
class HttpWebhookTransportTest {

    private HttpServer endpoint;
    private final List<String> seen = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws IOException {
        endpoint = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        endpoint.createContext("/", exchange -> {
            seen.add(exchange.getRequestURI().getPath() + " host="
                    + exchange.getRequestHeaders().getFirst("Host"));
            String path = exchange.getRequestURI().getPath();
            int status = switch (path) {
                case "/gone" -> 410;
                case "/broken" -> 500;
                case "/moved" -> 302;
                default -> 204;
            };
            if (status == 302) {
                exchange.getResponseHeaders().add("Location", "/elsewhere");
            }
            if (path.equals("/slow")) {
                try {
                    Thread.sleep(1500);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        endpoint.start();
    }

    @AfterEach
    void stop() {
        endpoint.stop(0);
    }

    private URI url(String host, String path) {
        return URI.create("http://" + host + ":" + endpoint.getAddress().getPort() + path);
    }

    private WebhookTransport.Outcome post(boolean allowPrivate, URI url) {
        return new HttpWebhookTransport(new WebhookTargets(allowPrivate), Duration.ofMillis(700))
                .post(url, Map.of("webhook-id", "msg_1"), "{}");
    }

    @Test
    void privateTargetsAreRefusedAtDeliveryAndNothingIsSent() {
        for (String host : List.of("127.0.0.1", "localhost", "[::1]")) {
            WebhookTransport.Outcome outcome = post(false, url(host, "/hook"));

            assertThat(outcome.kind()).as(host).isEqualTo(WebhookTransport.Kind.FAILED);
            assertThat(((WebhookTransport.Outcome.Failed) outcome).reason()).startsWith("refused");
        }
        assertThat(seen).isEmpty();
    }

    @Test
    void theCheckedAddressIsConnectedToWithTheNameInTheHostHeader() {
        WebhookTransport.Outcome outcome = post(true, url("localhost", "/hook"));

        assertThat(outcome).isEqualTo(new WebhookTransport.Outcome.Delivered(204));
        assertThat(seen)
                .containsExactly("/hook host=localhost:" + endpoint.getAddress().getPort());
    }

    @Test
    void redirectsAreNotFollowed() {
        WebhookTransport.Outcome outcome = post(true, url("127.0.0.1", "/moved"));

        assertThat(outcome.kind()).isEqualTo(WebhookTransport.Kind.FAILED);
        assertThat(((WebhookTransport.Outcome.Failed) outcome).status()).isEqualTo(302);
        assertThat(seen).hasSize(1);
    }

    @Test
    void goneServerErrorAndTimeoutAreToldApart() {
        assertThat(post(true, url("127.0.0.1", "/gone")).kind()).isEqualTo(WebhookTransport.Kind.GONE);
        assertThat(post(true, url("127.0.0.1", "/broken")))
                .isEqualTo(new WebhookTransport.Outcome.Failed(500, "HTTP 500"));
        WebhookTransport.Outcome slow = post(true, url("127.0.0.1", "/slow"));
        assertThat(slow.kind()).isEqualTo(WebhookTransport.Kind.FAILED);
        assertThat(((WebhookTransport.Outcome.Failed) slow).reason()).contains("no answer within");
    }
}
