package io.otpgate.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.otpgate.core.tenant.Tenant;
import io.otpgate.core.verification.CheckResult;
import io.otpgate.core.verification.StartRequest;
import io.otpgate.core.verification.StartResult;
import io.otpgate.core.verification.Verification;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Brute force and double-spend races against one verification, the way Kratos (HackerOne
 * #3692149) and Keycloak were caught: many threads released at once by a latch. Run on each
 * database by {@code ConcurrencyOn…Test}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ConcurrencyTest {

    private final DatabaseKind kind;
    EngineFixture engine;

    ConcurrencyTest(DatabaseKind kind) {
        this.kind = kind;
    }

    /** One database for the class: each repetition races on a verification of its own. */
    @BeforeAll
    void open(@TempDir Path dir) {
        engine = new EngineFixture(kind.fresh(dir));
    }

    @AfterAll
    void close() {
        engine.close();
    }

    @RepeatedTest(20)
    void twoHundredConcurrentWrongGuessesCountExactlyMaxAttemptsAndNoneIsAccepted() throws Exception {
        Verification v = engine.start("target" + System.nanoTime() + "@example.com");
        String wrong = engine.wrongCodeFor(v.id());

        List<CheckResult> results = race(200, () -> engine.verifier.check(Tenant.DEFAULT, v.id(), wrong));

        assertThat(results).noneMatch(r -> r instanceof CheckResult.Approved);
        assertThat(results).filteredOn(r -> r instanceof CheckResult.Incorrect).hasSize(2);
        assertThat(engine.count("SELECT attempts_used FROM verifications WHERE id = ?", v.id().value()))
                .isEqualTo(3);
        assertThat(engine.verifier.check(Tenant.DEFAULT, v.id(), engine.codeOf(v.id())))
                .isInstanceOf(CheckResult.Exhausted.class);
    }

    @RepeatedTest(20)
    void fiftyConcurrentCorrectChecksApproveExactlyOnce() throws Exception {
        Verification v = engine.start("target" + System.nanoTime() + "@example.com");
        String code = engine.codeOf(v.id());

        List<CheckResult> results = race(50, () -> engine.verifier.check(Tenant.DEFAULT, v.id(), code));

        assertThat(results).filteredOn(r -> r instanceof CheckResult.Approved).hasSize(1);
        assertThat(results)
                .filteredOn(r -> !(r instanceof CheckResult.Approved))
                .allMatch(r -> r instanceof CheckResult.AlreadyApproved);
    }

    @RepeatedTest(5)
    void sixtyFourConcurrentStartsEachGetTheirOwnOutcomeAndRow() throws Exception {
        String run = Long.toString(System.nanoTime());
        String shared = "shared" + run + "@example.com";
        AtomicInteger next = new AtomicInteger();

        // Half on addresses of their own, half on one address, whose hourly limit (10) refuses 22.
        List<StartResult> results = race(64, () -> {
            int i = next.getAndIncrement();
            return engine.verifier.start(StartRequest.of(i % 2 == 0 ? "own" + i + "-" + run + "@example.com" : shared));
        });

        assertThat(results).filteredOn(StartResult.Started.class::isInstance).hasSize(32 + 10);
        assertThat(results)
                .filteredOn(StartResult.RateLimited.class::isInstance)
                .hasSize(22);
        assertThat(results)
                .filteredOn(StartResult.Started.class::isInstance)
                .allSatisfy(r -> assertThat(engine.count(
                                "SELECT COUNT(*) FROM verifications v JOIN outbox o"
                                        + " ON o.id = v.outbox_id WHERE v.id = ?",
                                ((StartResult.Started) r).verification().id().value()))
                        .isEqualTo(1));
        assertThat(engine.count("SELECT COUNT(*) FROM verifications WHERE email = ?", shared))
                .isEqualTo(10);
        assertThat(engine.count("SELECT COUNT(*) FROM verifications WHERE email = ? AND status = 'pending'", shared))
                .isEqualTo(1);
    }

    @RepeatedTest(5)
    void concurrentStartsInEveryLetterCaseLeaveOnePendingAndTenStarted() throws Exception {
        String run = Long.toString(System.nanoTime());
        List<String> spellings =
                List.of("case" + run + "@example.com", "Case" + run + "@example.com", "CASE" + run + "@EXAMPLE.COM");
        AtomicInteger next = new AtomicInteger();

        List<StartResult> results =
                race(32, () -> engine.verifier.start(StartRequest.of(spellings.get(next.getAndIncrement() % 3))));

        assertThat(results)
                .as("one hourly budget of 10 for every spelling")
                .filteredOn(StartResult.Started.class::isInstance)
                .hasSize(10);
        assertThat(results)
                .filteredOn(StartResult.RateLimited.class::isInstance)
                .hasSize(22);
        assertThat(engine.count(
                        "SELECT COUNT(*) FROM verifications WHERE LOWER(email) = ? AND status = 'pending'",
                        "case" + run + "@example.com"))
                .isEqualTo(1);
    }

    private static <T> List<T> race(int threads, java.util.concurrent.Callable<T> check) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch ready = new CountDownLatch(threads);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                futures.add(pool.submit(() -> {
                    ready.countDown();
                    go.await();
                    return check.call();
                }));
            }
            ready.await();
            go.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                results.add(f.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
