package io.otpgate.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.otpgate.core.tenant.Tenant;
import io.otpgate.core.verification.StartRequest;
import io.otpgate.core.verification.StartResult;
import io.otpgate.core.verification.Verification;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Idempotency keys on starts, attacked the way a client's retries and a rerun CSV would: the same
 * key again, with other content, from another tenant, after a day, after a refusal, and many at
 * once. Run on each database by {@code IdempotencyOn…Test}.
 */
abstract class IdempotencyTest extends EngineTest {

    private static final Tenant ACME = new Tenant("acme");

    IdempotencyTest(DatabaseKind kind) {
        super(kind);
    }

    private StartResult start(String email, String key) {
        return engine.verifier.start(StartRequest.of(email).idempotent(key));
    }

    private Verification started(StartResult result) {
        assertThat(result).isInstanceOf(StartResult.Started.class);
        return ((StartResult.Started) result).verification();
    }

    private int emails() {
        return engine.count("SELECT COUNT(*) FROM outbox");
    }

    @Test
    void aRetryWithTheSameKeyReturnsTheFirstVerificationAndSendsNothing() {
        Verification first = started(start("ada@example.com", "order-1"));

        for (int retry = 0; retry < 12; retry++) {
            assertThat(start("ada@example.com", "order-1"))
                    .isInstanceOfSatisfying(
                            StartResult.Replayed.class,
                            r -> assertThat(r.verification().id()).isEqualTo(first.id()));
        }

        assertThat(engine.count("SELECT COUNT(*) FROM verifications")).isEqualTo(1);
        assertThat(emails()).isEqualTo(1);
        assertThat(engine.verifier.find(first.id()).orElseThrow().status().wireName())
                .isEqualTo("pending");
        // Twelve retries charged nothing: nine more starts still fit the hourly limit of ten.
        for (int i = 0; i < 9; i++) {
            started(engine.verifier.start(StartRequest.of("ada@example.com")));
        }
    }

    @Test
    void theSameKeyWithOtherContentIsRefusedAndChangesNothing() {
        Verification first = started(start("ada@example.com", "order-1"));

        assertThat(start("bob@example.com", "order-1")).isInstanceOf(StartResult.IdempotencyKeyReused.class);
        assertThat(engine.verifier.start(StartRequest.of("ada@example.com")
                        .withName("Someone Else")
                        .idempotent("order-1")))
                .isInstanceOf(StartResult.IdempotencyKeyReused.class);
        // Another spelling of the address is another request, though the same mailbox.
        assertThat(start("Ada@example.com", "order-1")).isInstanceOf(StartResult.IdempotencyKeyReused.class);

        assertThat(engine.count("SELECT COUNT(*) FROM verifications")).isEqualTo(1);
        assertThat(emails()).isEqualTo(1);
        assertThat(engine.verifier.find(first.id()).orElseThrow().status().wireName())
                .isEqualTo("pending");
    }

    @Test
    void keysBelongToTheirTenant() {
        Verification ours = started(start("ada@example.com", "k"));

        Verification theirs = started(engine.verifier.start(
                StartRequest.of("ada@example.com").withTenant(ACME).idempotent("k")));

        assertThat(theirs.id()).isNotEqualTo(ours.id());
        assertThat(emails()).isEqualTo(2);
    }

    @Test
    void aKeyIsRememberedForADayAndThenStartsAfresh() {
        Verification first = started(start("ada@example.com", "k"));
        engine.clock.advance(Duration.ofHours(24).minusSeconds(1));
        assertThat(start("ada@example.com", "k")).isInstanceOf(StartResult.Replayed.class);

        engine.clock.advance(Duration.ofSeconds(1));
        Verification second = started(start("ada@example.com", "k"));

        assertThat(second.id()).isNotEqualTo(first.id());
        assertThat(start("ada@example.com", "k"))
                .isInstanceOfSatisfying(
                        StartResult.Replayed.class,
                        r -> assertThat(r.verification().id()).isEqualTo(second.id()));
    }

    @Test
    void aRefusedStartLeavesItsKeyFreeForTheRetry() {
        for (int i = 0; i < 10; i++) {
            started(engine.verifier.start(StartRequest.of("ada@example.com")));
        }
        assertThat(start("ada@example.com", "k")).isInstanceOf(StartResult.RateLimited.class);

        engine.clock.advance(Duration.ofHours(1));

        started(start("ada@example.com", "k"));
    }

    @Test
    void anInvalidKeyIsRefusedAsAFieldAndStartsNothing() {
        for (String key : List.of("", "has space", "x".repeat(256), "caf\u00e9")) {
            assertThat(start("ada@example.com", key))
                    .as("[%s]", key)
                    .isInstanceOfSatisfying(
                            StartResult.InvalidField.class,
                            r -> assertThat(r.field()).isEqualTo("idempotency_key"));
        }
        assertThat(engine.count("SELECT COUNT(*) FROM verifications")).isZero();
    }

    @Test
    void sixteenConcurrentRetriesWithOneKeyStartExactlyOnce() throws Exception {
        List<StartResult> results = race(16, () -> start("ada@example.com", "race"));

        List<StartResult> started =
                results.stream().filter(StartResult.Started.class::isInstance).toList();
        assertThat(started).hasSize(1);
        Verification winner = ((StartResult.Started) started.get(0)).verification();
        assertThat(results)
                .filteredOn(StartResult.Replayed.class::isInstance)
                .hasSize(15)
                .allSatisfy(r -> assertThat(
                                ((StartResult.Replayed) r).verification().id())
                        .isEqualTo(winner.id()));
        assertThat(emails()).isEqualTo(1);
    }

    @Test
    void thePurgeForgetsKeysOlderThanADayOnly() {
        start("ada@example.com", "old");
        engine.clock.advance(Duration.ofHours(23));
        start("bob@example.com", "young");
        engine.clock.advance(Duration.ofHours(2));

        int forgotten =
                engine.database.purge().idempotencyKeys(engine.clock.instant().minus(Duration.ofDays(1)), 100);

        assertThat(forgotten).isEqualTo(1);
        assertThat(engine.count("SELECT COUNT(*) FROM idempotency_keys WHERE idem_key = 'young'"))
                .isEqualTo(1);
    }

    private static <T> List<T> race(int threads, java.util.concurrent.Callable<T> call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                futures.add(pool.submit(() -> {
                    go.await();
                    return call.call();
                }));
            }
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
