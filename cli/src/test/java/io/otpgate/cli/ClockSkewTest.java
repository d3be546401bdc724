package io.otpgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.otpgate.cli.config.SettingsLoader;
import io.otpgate.core.delivery.CapturedEmail;
import io.otpgate.core.id.VerificationId;
import io.otpgate.core.verification.StartRequest;
import io.otpgate.core.verification.StartResult;
import io.otpgate.core.verification.Verification;
import io.otpgate.jdbc.DatabaseKind;
import io.otpgate.jdbc.TestDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Two instances on one PostgreSQL whose wall clocks disagree by 15 minutes, more than a code's
 * life: this JVM, and {@code otpgate serve} under libfaketime with its wall clock 15 minutes ahead,
 * then 15 minutes behind (its monotonic clock untouched, as when NTP or an operator steps a clock).
 * Both judge every time by the database's clock, so the one off accepts the right codes the other
 * made, refuses the expired ones, and gives its own codes their full ten minutes. By their own
 * clocks, the one ahead would refuse every code (and send no email), and the one behind would
 * accept codes 15 minutes past their expiry.
 *
 * <p>Needs libfaketime (Debian's {@code faketime}): skipped with a message without it, failed
 * instead when {@code CI=true}.
 */
@ParameterizedClass(name = "wall clock {0}")
@ValueSource(strings = {"+15m", "-15m"})
class ClockSkewTest {

    private static final Path LIBFAKETIME = Path.of("/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1");
    private static final Pattern CODE = Pattern.compile("(\\d{6}) is your");
    private static final String KEY = "clock-skew-test-key-0123456789-abcdefghij";
    private static final Duration TTL = Duration.ofMinutes(10);

    @TempDir
    static Path dir;

    private static Map<String, String> env;
    private static ServeProcess off;

    /** How far this class invocation's instance is off: what libfaketime's {@code FAKETIME} says. */
    @Parameter
    String offset;

    /** One instance off for each offset: a JVM's start is most of each test's time. */
    @BeforeParameterizedClassInvocation
    static void startAnInstanceWhoseWallClockIsOff(String offset) throws Exception {
        requireLibfaketime();
        TestDatabase db = DatabaseKind.POSTGRESQL.fresh(dir.resolve("db" + offset));
        env = new HashMap<>(Map.of(
                "OTPGATE_DATA_DIR", dir.resolve("data" + offset).toString(),
                "OTPGATE_PORT", "0",
                "OTPGATE_DB_URL", db.url(),
                "OTPGATE_DB_USER", db.user(),
                "OTPGATE_DB_PASSWORD", db.password(),
                "OTPGATE_API_KEYS", KEY,
                "OTPGATE_SECRET", "clock-skew-test-secret-0123456789-abcdef"));
        Map<String, String> offEnv = new HashMap<>(env);
        offEnv.put("LD_PRELOAD", LIBFAKETIME.toString());
        offEnv.put("FAKETIME", offset);
        offEnv.put("FAKETIME_DONT_FAKE_MONOTONIC", "1");
        off = ServeProcess.start(offEnv);
    }

    @AfterParameterizedClassInvocation
    static void stop() throws Exception {
        if (off != null) {
            off.close();
            off = null;
        }
    }

    @Test
    void anInstanceWhoseClockIsOffAcceptsARightCodeAnotherInstanceMade() throws Exception {
        StartedHere ada = startHere("ada@example.com");

        HttpResponse<String> checked =
                post("/v1/verifications/" + ada.id() + "/check", "{\"code\":\"" + ada.code() + "\"}");

        assertThat(checked.statusCode())
                .as("wall clock %s: %s", offset, checked.body())
                .isEqualTo(200);
        assertThat(json(checked).get("status").asText()).isEqualTo("approved");
    }

    @Test
    void anInstanceWhoseClockIsOffGivesItsCodesTheirFullLife() throws Exception {
        Instant before = Instant.now();
        HttpResponse<String> started = post("/v1/verifications", "{\"email\":\"bob@example.com\"}");
        Instant after = Instant.now();

        assertThat(started.statusCode()).as(started.body()).isEqualTo(201);
        Instant expires = Instant.parse(json(started).get("expires_at").asText());
        // A second of slack for the reading error of each clock; fifteen minutes off is the defect.
        assertThat(expires)
                .isBetween(before.plus(TTL).minusSeconds(1), after.plus(TTL).plusSeconds(1));
        try (OtpGate here = OtpGate.open(SettingsLoader.load(env, Optional.empty(), dir), false)) {
            String id = json(started).get("id").asText();
            assertThat(here.verifier().find(new VerificationId(id)))
                    .hasValueSatisfying(v -> assertThat(v.expiresAt().truncatedTo(ChronoUnit.MILLIS))
                            .isEqualTo(expires));
        }
    }

    @Test
    void anInstanceWhoseClockIsOffRefusesACodeThatExpired() throws Exception {
        StartedHere eve = startHere("eve@example.com");
        String id = eve.id();
        String code = eve.code();
        try (OtpGate here = OtpGate.open(SettingsLoader.load(env, Optional.empty(), dir), false)) {
            // Its ten minutes pass: the code died a minute ago, by the database's clock.
            try (Connection c = here.database().dataSource().getConnection();
                    PreparedStatement ps = c.prepareStatement(
                            "UPDATE verifications SET expires_at = CURRENT_TIMESTAMP - INTERVAL '1 minute' WHERE id = ?")) {
                ps.setString(1, id);
                assertThat(ps.executeUpdate()).isEqualTo(1);
            }
        }

        HttpResponse<String> checked = post("/v1/verifications/" + id + "/check", "{\"code\":\"" + code + "\"}");

        assertThat(checked.statusCode())
                .as("wall clock %s: %s", offset, checked.body())
                .isEqualTo(200);
        assertThat(json(checked).get("valid").asBoolean()).as(checked.body()).isFalse();
        assertThat(json(checked).get("reason").asText()).isEqualTo("expired");
    }

    private static HttpResponse<String> post(String path, String body) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(off.url() + path))
                                .header("Authorization", "Bearer " + KEY)
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(body))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    /** A verification this JVM, on the true time, started, and the code it emailed. */
    private record StartedHere(String id, String code) {}

    private static StartedHere startHere(String email) throws InterruptedException {
        try (OtpGate here = OtpGate.open(SettingsLoader.load(env, Optional.empty(), dir), true)) {
            Verification v = ((StartResult.Started) here.verifier().start(StartRequest.of(email))).verification();
            return new StartedHere(v.id().value(), awaitCode(here, email));
        }
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return new ObjectMapper().readTree(response.body());
    }

    private static String awaitCode(OtpGate app, String to) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            for (CapturedEmail email : app.devMailbox().orElseThrow().messages()) {
                Matcher code = CODE.matcher(email.subject());
                if (email.to().value().equals(to) && code.find()) {
                    return code.group(1);
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no email to " + to + " within 30 s");
    }

    private static void requireLibfaketime() {
        if (Files.isReadable(LIBFAKETIME)) {
            return;
        }
        String missing = LIBFAKETIME + " is missing: install Debian's faketime package";
        if ("true".equals(System.getenv("CI"))) {
            throw new AssertionError("CI=true: " + missing);
        }
        Assumptions.abort(missing);
    }
}
