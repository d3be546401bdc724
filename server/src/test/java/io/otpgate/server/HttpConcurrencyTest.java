package io.otpgate.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.io.TempDir;

/**
 * Races on one verification over real HTTP, on the whole service with H2 on disk: many checks
 * released together must still count exactly the attempts the policy allows and approve at most
 * once. The engine-level race tests repeat 20 times; these go through Jetty, Javalin and the
 * connection pool as well, so they repeat fewer.
 */
class HttpConcurrencyTest {

    private static final int THREADS = 64;
    private static final int MAX_ATTEMPTS = 3;

    @TempDir
    Path dir;

    ServiceFixture service;
    HttpClient client;
    ExecutorService threads;

    @BeforeEach
    void start() {
        service = new ServiceFixture(dir);
        client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
        threads = Executors.newFixedThreadPool(THREADS);
    }

    @AfterEach
    void stop() {
        threads.shutdownNow();
        service.close();
    }

    @RepeatedTest(5)
    void twoHundredConcurrentWrongChecksUseExactlyTheAttemptBudget() throws Exception {
        String id = service.start("race@example.com");
        String code = service.codeFor("race@example.com", 1);
        String wrong = code.equals("000000") ? "111111" : "000000";

        List<HttpResponse<String>> responses = together(200, () -> check(id, wrong));

        List<JsonNode> results = checkResults(responses);
        assertThat(results).noneMatch(r -> r.get("valid").asBoolean());
        assertThat(reasons(results, "incorrect_code"))
                .extracting(r -> r.get("attempts_remaining").asInt())
                .containsExactlyInAnyOrder(2, 1);
        assertThat(reasons(results, "max_attempts_reached")).hasSize(200 - (MAX_ATTEMPTS - 1));
        assertThat(attemptsUsed(id)).isEqualTo(MAX_ATTEMPTS);
        JsonNode right = Json.MAPPER.readTree(check(id, code).body());
        assertThat(right.get("valid").asBoolean()).isFalse();
        assertThat(right.get("reason").asText()).isEqualTo("max_attempts_reached");
        assertThat(right.get("status").asText()).isEqualTo("failed");
    }

    @RepeatedTest(5)
    void fiftyConcurrentCorrectChecksApproveExactlyOnce() throws Exception {
        String id = service.start("race@example.com");
        String code = service.codeFor("race@example.com", 1);

        List<HttpResponse<String>> responses = together(50, () -> check(id, code));

        List<JsonNode> results = checkResults(responses);
        assertThat(results).filteredOn(r -> r.get("valid").asBoolean()).hasSize(1);
        assertThat(reasons(results, "already_approved")).hasSize(49);
        assertThat(results).allSatisfy(r -> assertThat(r.get("status").asText()).isEqualTo("approved"));
        assertThat(service.get("/v1/verifications/" + id).json().get("status").asText())
                .isEqualTo("approved");
    }

    /** Every response is a 200 check result for this verification: no 5xx, no 429, no timeout. */
    private static List<JsonNode> checkResults(List<HttpResponse<String>> responses) throws IOException {
        assertThat(responses)
                .allSatisfy(r -> assertThat(r.statusCode()).as(r.body()).isEqualTo(200));
        List<JsonNode> results = new ArrayList<>();
        for (HttpResponse<String> response : responses) {
            JsonNode json = Json.MAPPER.readTree(response.body());
            assertThat(json.has("valid")).as(response.body()).isTrue();
            results.add(json);
        }
        return results;
    }

    private static List<JsonNode> reasons(List<JsonNode> results, String reason) {
        return results.stream()
                .filter(r -> reason.equals(r.path("reason").asText()))
                .collect(Collectors.toList());
    }

    /**
     * Runs {@code n} requests on {@value #THREADS} threads, holding the first {@value #THREADS} at a
     * gate until all of them are ready so they reach the server together.
     */
    private List<HttpResponse<String>> together(int n, CheckCall call) throws Exception {
        CountDownLatch ready = new CountDownLatch(Math.min(n, THREADS));
        CountDownLatch gate = new CountDownLatch(1);
        List<Future<HttpResponse<String>>> futures = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            futures.add(threads.submit(() -> {
                ready.countDown();
                gate.await();
                return call.send();
            }));
        }
        assertThat(ready.await(30, TimeUnit.SECONDS)).as("threads ready").isTrue();
        gate.countDown();
        List<HttpResponse<String>> responses = new ArrayList<>();
        for (Future<HttpResponse<String>> future : futures) {
            responses.add(future.get(60, TimeUnit.SECONDS));
        }
        return responses;
    }

    @FunctionalInterface
    private interface CheckCall {
        HttpResponse<String> send() throws Exception;
    }

    private HttpResponse<String> check(String id, String code) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + service.server.port() + "/v1/verifications/" + id + "/check"))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + ServiceFixture.KEY)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"code\":\"" + code + "\"}"))
                .build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private int attemptsUsed(String id) throws SQLException {
        try (Connection c = service.database.dataSource().getConnection();
                PreparedStatement s = c.prepareStatement("SELECT attempts_used FROM verifications WHERE id = ?")) {
            s.setString(1, id);
            try (ResultSet rs = s.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getInt(1);
            }
        }
    }
}
