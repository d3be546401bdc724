package io.otpgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.otpgate.jdbc.Database;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SIGTERM while a large batch is in flight: the batch completes, every accepted row is kept, exit 0. */
class ServeShutdownTest {

    private static final int RECIPIENTS = 3000;

    @TempDir
    Path dir;

    @Test
    void sigtermDuringABatchLosesNothing() throws Exception {
        Path data = dir.resolve("data");
        ServeProcess serve = ServeProcess.start(Map.of(
                "OTPGATE_DATA_DIR", data.toString(),
                "OTPGATE_PORT", "0",
                "OTPGATE_RECIPIENT_HOURLY_LIMIT", "100000"));
        try {
            String base = serve.url();
            String key = Files.readString(data.resolve("api-key")).strip();
            StringBuilder body = new StringBuilder("{\"recipients\":[");
            for (int i = 0; i < RECIPIENTS; i++) {
                body.append(i == 0 ? "" : ",")
                        .append("{\"email\":\"user")
                        .append(i)
                        .append("@example.com\"}");
            }
            body.append("]}");

            HttpClient http = HttpClient.newHttpClient();
            CompletableFuture<HttpResponse<String>> batch = http.sendAsync(
                    HttpRequest.newBuilder(URI.create(base + "/v1/verifications/batch"))
                            .timeout(Duration.ofSeconds(120))
                            .header("Authorization", "Bearer " + key)
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            waitForFirstRows(data);
            serve.terminate();

            HttpResponse<String> response = batch.get(120, TimeUnit.SECONDS);
            assertThat(serve.process().waitFor(60, TimeUnit.SECONDS)).isTrue();

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).contains("\"accepted\":" + RECIPIENTS + ",\"rejected\":0");
            assertThat(serve.process().exitValue()).isZero();
            try (Database db = DataDirDatabase.open(data, 2);
                    Connection c = db.dataSource().getConnection()) {
                assertThat(count(c, "SELECT COUNT(*) FROM verifications")).isEqualTo(RECIPIENTS);
                assertThat(count(c, "SELECT COUNT(*) FROM outbox")).isEqualTo(RECIPIENTS);
                assertThat(count(c, "SELECT COUNT(*) FROM outbox WHERE status = 'sending'"))
                        .as("no lease left behind")
                        .isZero();
            }
        } finally {
            serve.process().destroyForcibly();
        }
    }

    /** Polls the database file through a second process connection (AUTO_SERVER) until the batch is writing. */
    private static void waitForFirstRows(Path data) throws Exception {
        try (Database db = DataDirDatabase.open(data, 2);
                Connection c = db.dataSource().getConnection()) {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (count(c, "SELECT COUNT(*) FROM verifications") < 10 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
        }
    }

    private static long count(Connection c, String sql) throws Exception {
        try (ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
