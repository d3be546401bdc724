package io.otpgate.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded file held by another process past SQLite's busy timeout (5 s), over real HTTP: the
 * API answers 503 {@code unavailable} with {@code Retry-After}, a hosted page says so in words, and
 * nothing of the refused request is stored. Slow by nature: a refused write waits out the timeout,
 * after every write queued before it (the dispatcher's claims) has waited out its own.
 */
class StoreUnavailableOverHttpTest {

    @TempDir
    Path dir;

    private ServiceFixture service;

    @BeforeEach
    void serve() {
        service = new ServiceFixture(dir);
    }

    @AfterEach
    void stop() {
        service.close();
    }

    @Test
    void aStartWhileAnotherProcessHoldsTheWriteLockIs503UnavailableAndStoresNothing() throws Exception {
        ServiceFixture.Reply refused = whileAnotherProcessHoldsTheWriteLock(
                () -> service.post("/v1/verifications", "{\"email\":\"ada@example.com\"}"));

        assertThat(refused.status()).as(refused.body()).isEqualTo(503);
        assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
        assertThat(refused.header("Retry-After")).isEqualTo("1");
        assertThat(refused.json().get("code").asText()).isEqualTo("unavailable");
        assertThat(refused.body()).doesNotContainIgnoringCase("sqlite").doesNotContain("locked");
        OpenApiTest.API.assertConforms("POST", "/v1/verifications", refused);
        assertThat(rows("verifications")).isZero();
        assertThat(rows("outbox")).isZero();
        assertThat(rows("rate_buckets")).as("no limit charged").isZero();

        ServiceFixture.Reply retried = service.post("/v1/verifications", "{\"email\":\"ada@example.com\"}");
        assertThat(retried.status()).as(retried.body()).isEqualTo(201);
        assertThat(rows("verifications")).isOne();
    }

    @Test
    void aHostedPageStartWhileTheFileIsHeldShowsAnErrorPageAndStartsNothing() throws Exception {
        PageClient browser = new PageClient(service.server.port());
        String csrf = browser.get("/").csrf();
        PageClient.Page refused = whileAnotherProcessHoldsTheWriteLock(
                () -> browser.post("/start", "email", "ada@example.com", "csrf", csrf));

        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.header("Content-Type")).startsWith("text/html");
        assertThat(refused.header("Retry-After")).isEqualTo("1");
        assertThat(refused.body())
                .contains("Something went wrong", "Please try again in a moment", refused.header("X-Request-Id"))
                .doesNotContainIgnoringCase("sqlite")
                .doesNotContain("locked");
        assertThat(rows("verifications")).isZero();
        assertThat(rows("rate_buckets")).as("no limit charged").isZero();
    }

    /** Runs {@code request} while a connection of its own holds the file's write lock, as another process would. */
    private <T> T whileAnotherProcessHoldsTheWriteLock(Supplier<T> request) throws Exception {
        try (Connection otherProcess = service.database.dataSource().getConnection();
                Statement s = otherProcess.createStatement()) {
            s.execute("BEGIN IMMEDIATE");
            try {
                return request.get();
            } finally {
                s.execute("ROLLBACK");
            }
        }
    }

    private long rows(String table) throws Exception {
        try (Connection c = service.database.dataSource().getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
