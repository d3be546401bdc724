package io.otpgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.otpgate.jdbc.Database;
import io.otpgate.jdbc.DatabaseKind;
import io.otpgate.jdbc.TestDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The API's promise (README, How delivery works): a 2xx means the verification and its email are committed durably. Clients
 * keep starting verifications against {@code otpgate serve}; as soon as 1,000 have been
 * acknowledged the process is killed with SIGKILL, requests still in flight; every acknowledged
 * verification and its outbox row must be in the database afterwards.
 */
class HttpDurabilityTest {

    private static final int ACKNOWLEDGED = 1000;
    private static final Pattern ID = Pattern.compile("\"id\":\"(ver_[0-9a-z]{26})\"");
    private static final String KEY = "durability-test-key-0123456789-abcdefghij";

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void everyAcknowledgedStartSurvivesKillDashNine(DatabaseKind kind) throws Exception {
        TestDatabase db = kind.fresh(dir.resolve("db"));
        ServeProcess serve = ServeProcess.start(Map.of(
                "OTPGATE_DATA_DIR", dir.resolve("data").toString(),
                "OTPGATE_PORT", "0",
                "OTPGATE_DB_URL", db.url(),
                "OTPGATE_DB_USER", db.user(),
                "OTPGATE_DB_PASSWORD", db.password(),
                "OTPGATE_API_KEYS", KEY,
                "OTPGATE_SECRET", "durability-test-secret-0123456789-abcdef"));
        List<String> acknowledged = new CopyOnWriteArrayList<>();
        ExecutorService clients = Executors.newFixedThreadPool(4);
        try {
            String base = serve.url();
            HttpClient http = HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(5))
                    .build();
            AtomicInteger next = new AtomicInteger();
            URI start = URI.create(base + "/v1/verifications");
            for (int t = 0; t < 4; t++) {
                clients.submit(() -> {
                    while (acknowledged.size() < ACKNOWLEDGED) {
                        int n = next.getAndIncrement();
                        HttpResponse<String> reply = http.send(
                                HttpRequest.newBuilder(start)
                                        .header("Authorization", "Bearer " + KEY)
                                        .header("Content-Type", "application/json")
                                        .POST(HttpRequest.BodyPublishers.ofString(
                                                "{\"email\":\"user" + n + "@example.com\"}"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
                        Matcher id = ID.matcher(reply.body());
                        if (reply.statusCode() == 201 && id.find()) {
                            acknowledged.add(id.group(1));
                            if (acknowledged.size() >= ACKNOWLEDGED) {
                                serve.process().destroyForcibly(); // SIGKILL: other requests are still in flight
                            }
                        }
                    }
                    return null;
                });
            }
            clients.shutdown();
            clients.awaitTermination(5, TimeUnit.MINUTES);
            assertThat(serve.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            clients.shutdownNow();
            serve.process().destroyForcibly();
        }

        assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(ACKNOWLEDGED);
        try (Database reopened = db.open(2);
                Connection c = reopened.dataSource().getConnection();
                PreparedStatement ps = c.prepareStatement("""
            SELECT COUNT(*) FROM verifications v JOIN outbox o ON o.verification_id = v.id WHERE v.id = ?
            """)) {
            for (String id : acknowledged) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    assertThat(rs.getInt(1))
                            .as("verification %s and its email", id)
                            .isEqualTo(1);
                }
            }
        }
    }
}
