package io.otpgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.otpgate.jdbc.Database;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SIGTERM while a large batch is in flight: the batch completes, every accepted row is kept, exit 0. */
class ServeShutdownTest {

    private static final int RECIPIENTS = 3000;
    private static final Pattern READY = Pattern.compile("is ready in \\d+ ms at (http://\\S+)");

    @TempDir
    Path dir;

    @Test
    void sigtermDuringABatchLosesNothing() throws Exception {
        Path data = dir.resolve("data");
        ProcessBuilder builder = new ProcessBuilder(
                ProcessHandle.current().info().command().orElse("java"),
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                "serve");
        builder.environment().put("OTPGATE_DATA_DIR", data.toString());
        builder.environment().put("OTPGATE_PORT", "0");
        builder.environment().put("OTPGATE_RECIPIENT_HOURLY_LIMIT", "100000");
        builder.redirectError(ProcessBuilder.Redirect.DISCARD);
        Process serve = builder.start();
        try {
            BufferedReader out =
                    new BufferedReader(new InputStreamReader(serve.getInputStream(), StandardCharsets.UTF_8));
            String base = null;
            for (String line = out.readLine(); line != null && base == null; line = out.readLine()) {
                Matcher ready = READY.matcher(line);
                if (ready.find()) {
                    base = ready.group(1);
                }
            }
            assertThat(base).as("serve printed its address").isNotNull();
            // Keep reading: in dev mode serve prints every captured email, and a full pipe would stall it.
            Thread drain = new Thread(() -> out.lines().forEach(line -> {}), "drain-serve-stdout");
            drain.setDaemon(true);
            drain.start();
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
            new ProcessBuilder("kill", "-TERM", Long.toString(serve.pid()))
                    .start()
                    .waitFor();

            HttpResponse<String> response = batch.get(120, TimeUnit.SECONDS);
            assertThat(serve.waitFor(60, TimeUnit.SECONDS)).isTrue();

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).contains("\"accepted\":" + RECIPIENTS + ",\"rejected\":0");
            assertThat(serve.exitValue()).isZero();
            try (Database db = DataDirDatabase.open(data, 2);
                    Connection c = db.dataSource().getConnection()) {
                assertThat(count(c, "SELECT COUNT(*) FROM verifications")).isEqualTo(RECIPIENTS);
                assertThat(count(c, "SELECT COUNT(*) FROM outbox")).isEqualTo(RECIPIENTS);
                assertThat(count(c, "SELECT COUNT(*) FROM outbox WHERE status = 'sending'"))
                        .as("no lease left behind")
                        .isZero();
            }
        } finally {
            serve.destroyForcibly();
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
