package io.otpgate.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.otpgate.core.verification.StartRequest;
import io.otpgate.core.verification.StartResult;
import io.otpgate.core.verification.Verifier;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A verification acknowledged to the caller survives {@code kill -9} of the process right after:
 * a child JVM starts verifications and prints each id once {@code start} has returned; the test
 * kills it with SIGKILL as soon as it has read enough ids, then reopens the database. On SQLite
 * the killed process was the file's writer; on PostgreSQL it was a client of the embedded server,
 * which keeps running (what is proven there: no acknowledgement before the commit returned).
 */
abstract class DurabilityTest {

    static final int ACKNOWLEDGED_BEFORE_KILL = 200;

    private final DatabaseKind kind;

    @TempDir
    Path dir;

    DurabilityTest(DatabaseKind kind) {
        this.kind = kind;
    }

    @Test
    void everyAcknowledgedVerificationSurvivesKillDashNine() throws Exception {
        TestDatabase db = kind.fresh(dir);
        Process child = new ProcessBuilder(
                        ProcessHandle.current().info().command().orElse("java"),
                        "-cp",
                        System.getProperty("java.class.path"),
                        Child.class.getName(),
                        db.url(),
                        db.user(),
                        db.password())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        List<String> acknowledged = new ArrayList<>();
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while (acknowledged.size() < ACKNOWLEDGED_BEFORE_KILL && (line = out.readLine()) != null) {
                if (line.startsWith("ver_")) {
                    acknowledged.add(line);
                }
            }
            // destroyForcibly is SIGKILL on Linux: no shutdown hooks, no close, no checkpoint.
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(acknowledged).hasSize(ACKNOWLEDGED_BEFORE_KILL);

        try (EngineFixture reopened = new EngineFixture(db)) {
            for (String id : acknowledged) {
                assertThat(reopened.count("SELECT COUNT(*) FROM verifications WHERE id = ?", id))
                        .as("verification %s", id)
                        .isEqualTo(1);
                assertThat(reopened.count(
                                "SELECT COUNT(*) FROM outbox WHERE verification_id = ? AND sealed_code IS NOT NULL",
                                id))
                        .as("outbox row of %s", id)
                        .isEqualTo(1);
            }
        }
    }

    /**
     * Starts {@link #ACKNOWLEDGED_BEFORE_KILL} verifications, printing each id after it is committed,
     * then idles: nothing after the last commit would push it to disk, so a write delay would show.
     */
    public static final class Child {
        public static void main(String[] args) throws InterruptedException {
            Database database = Database.open(args[0], args[1], args[2], 4);
            Verifier verifier = Verifier.builder()
                    .store(database.verifications())
                    .secret(EngineFixture.SECRET)
                    .build();
            for (int i = 0; i < ACKNOWLEDGED_BEFORE_KILL; i++) {
                StartResult result = verifier.start(StartRequest.of("user" + i + "@example.com"));
                System.out.println(
                        ((StartResult.Started) result).verification().id().value());
                System.out.flush();
            }
            Thread.sleep(Long.MAX_VALUE);
        }
    }
}
