package io.otpgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.otpgate.cli.config.SettingsLoader;
import io.otpgate.core.apikey.ApiKey;
import io.otpgate.core.apikey.CreatedApiKey;
import io.otpgate.core.tenant.Tenant;
import io.otpgate.server.HttpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real API keys behind the real HTTP server: a revoked key stops working at once. */
class HttpApiKeysTest {

    @TempDir
    Path dir;

    @Test
    void aRevokedKeyIsRefusedOnTheNextRequest() throws Exception {
        Map<String, String> env = Map.of("OTPGATE_DATA_DIR", dir.resolve("data").toString(), "OTPGATE_PORT", "0");
        try (OtpGate app = OtpGate.open(SettingsLoader.load(env, Optional.empty(), dir), false);
                HttpServer http = app.httpServer().start()) {
            CreatedApiKey key = app.apiKeys().create("integration", Tenant.DEFAULT);
            HttpClient client = HttpClient.newHttpClient();
            HttpRequest stats = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.port() + "/v1/stats"))
                    .header("Authorization", "Bearer " + key.plaintext().reveal())
                    .GET()
                    .build();

            int before =
                    client.send(stats, HttpResponse.BodyHandlers.ofString()).statusCode();
            app.apiKeys().revoke(key.key().id());
            HttpResponse<String> after = client.send(stats, HttpResponse.BodyHandlers.ofString());

            assertThat(before).isEqualTo(200);
            assertThat(after.statusCode()).isEqualTo(401);
            assertThat(after.body()).contains("\"code\":\"unauthorized\"");
        }
    }

    @Test
    void aStoredReadOnlyKeyReadsTheFiguresButCannotStartAVerification() throws Exception {
        Map<String, String> env = Map.of("OTPGATE_DATA_DIR", dir.resolve("data").toString(), "OTPGATE_PORT", "0");
        try (OtpGate app = OtpGate.open(SettingsLoader.load(env, Optional.empty(), dir), false);
                HttpServer http = app.httpServer().start()) {
            CreatedApiKey key = app.apiKeys().create("dashboard", Tenant.DEFAULT, ApiKey.Scope.READ);
            HttpClient client = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + http.port();
            String bearer = "Bearer " + key.plaintext().reveal();

            HttpResponse<String> stats = client.send(
                    HttpRequest.newBuilder(URI.create(base + "/v1/stats?since=7d"))
                            .header("Authorization", bearer)
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> start = client.send(
                    HttpRequest.newBuilder(URI.create(base + "/v1/verifications"))
                            .header("Authorization", bearer)
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString("{\"email\":\"ada@example.com\"}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(stats.statusCode()).as(stats.body()).isEqualTo(200);
            assertThat(stats.body()).contains("\"since\":\"7d\"");
            assertThat(start.statusCode()).isEqualTo(403);
            assertThat(start.body()).contains("\"code\":\"forbidden\"");
            assertThat(app.database()
                            .stats()
                            .stats(Tenant.DEFAULT, app.clock().instant())
                            .verifications()
                            .values())
                    .allSatisfy(n -> assertThat(n).isZero());
        }
    }

    @Test
    void configuredCorsOriginsMayCallTheApiFromABrowser() throws Exception {
        Map<String, String> env = Map.of(
                "OTPGATE_DATA_DIR",
                dir.resolve("data").toString(),
                "OTPGATE_PORT",
                "0",
                "OTPGATE_CORS_ORIGINS",
                "https://app.example.com");
        try (OtpGate app = OtpGate.open(SettingsLoader.load(env, Optional.empty(), dir), false);
                HttpServer http = app.httpServer().start()) {
            HttpClient client = HttpClient.newHttpClient();
            URI uri = URI.create("http://127.0.0.1:" + http.port() + "/v1/verifications");

            HttpResponse<String> allowed = client.send(
                    HttpRequest.newBuilder(uri)
                            .header("Origin", "https://app.example.com")
                            .header("Access-Control-Request-Method", "POST")
                            .header("Access-Control-Request-Headers", "authorization,content-type")
                            .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> other = client.send(
                    HttpRequest.newBuilder(uri)
                            .header("Origin", "https://evil.example")
                            .header("Access-Control-Request-Method", "POST")
                            .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                            .build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(allowed.headers().firstValue("Access-Control-Allow-Origin"))
                    .contains("https://app.example.com");
            assertThat(other.headers().firstValue("Access-Control-Allow-Origin"))
                    .isEmpty();
        }
    }
}
