package io.otpgate.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.otpgate.core.code.Alphabet;
import io.otpgate.core.email.EmailAddress;
import io.otpgate.core.email.MailboxKey;
import io.otpgate.core.policy.Policy;
import io.otpgate.core.retention.Purged;
import io.otpgate.core.retention.Purger;
import io.otpgate.core.tenant.Tenant;
import io.otpgate.core.verification.CheckResult;
import io.otpgate.core.verification.Status;
import io.otpgate.core.verification.Verification;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The scheduled purge on a real database, driven by hand with a clock the test moves: what goes,
 * what stays, and the lease that lets one instance at a time purge. Run by {@code PurgeOn…Test}.
 */
abstract class PurgeTest extends EngineTest {

    private static final Duration RETENTION = Duration.ofDays(7);
    private static final Duration INTERVAL = Duration.ofHours(1);
    /** A lock far longer than the retention, so a locked address outlives it. */
    private static final Policy POLICY = new Policy(
            6, Alphabet.DIGITS, Duration.ofMinutes(10), 3, 5, Duration.ofSeconds(30), 10, 3, Duration.ofDays(10));

    PurgeTest(DatabaseKind kind) {
        super(kind);
    }

    @Override
    EngineFixture openEngine(TestDatabase db) {
        return new EngineFixture(db, POLICY);
    }

    private Purger purger(Database database, String instance) {
        return Purger.builder()
                .purge(database.purge())
                .clock(engine.clock)
                .retention(RETENTION)
                .interval(INTERVAL)
                .instanceId(instance)
                .build();
    }

    private Purged purge() {
        return purger(engine.database, "a").runOnce().orElseThrow();
    }

    private void checkWrong(Verification v) {
        engine.verifier.check(Tenant.DEFAULT, v.id(), engine.wrongCodeFor(v.id()));
    }

    private int rows(String table) {
        return engine.count("SELECT COUNT(*) FROM " + table);
    }

    @Test
    void verificationsThatEndedMoreThanTheRetentionAgoGoWithTheirEmails() {
        Verification approved = engine.start("approved@example.com");
        engine.verifier.check(Tenant.DEFAULT, approved.id(), engine.codeOf(approved.id()));
        Verification failed = engine.start("failed@example.com");
        for (int i = 0; i < 3; i++) {
            checkWrong(failed);
        }
        engine.verifier.cancel(
                Tenant.DEFAULT, engine.start("canceled@example.com").id());
        Verification expired = engine.start("expired@example.com");
        engine.clock.advance(Duration.ofDays(6));
        Verification expiredWithinRetention = engine.start("lately-expired@example.com");
        engine.clock.advance(Duration.ofDays(1).plusHours(1));
        Verification approvedToday = engine.start("approved-today@example.com");
        engine.verifier.check(Tenant.DEFAULT, approvedToday.id(), engine.codeOf(approvedToday.id()));
        Verification pending = engine.start("pending@example.com");

        Purged purged = purge();

        assertThat(purged.verifications()).isEqualTo(4);
        assertThat(engine.verifier.find(approved.id())).isEmpty();
        assertThat(engine.verifier.find(expired.id())).isEmpty();
        assertThat(List.of(expiredWithinRetention, approvedToday, pending))
                .allSatisfy(v -> assertThat(engine.verifier.find(v.id())).isPresent());
        assertThat(rows("outbox")).isEqualTo(3);
        assertThat(engine.verifier.check(Tenant.DEFAULT, pending.id(), engine.codeOf(pending.id())))
                .isInstanceOf(CheckResult.Approved.class);
    }

    @Test
    void oldRateCountersAndQuietUnlockedFailureCountsGoWhileLocksAndRecentCountsStay() {
        checkWrong(engine.start("quiet@example.com"));
        Verification locked = engine.start("locked@example.com");
        for (int i = 0; i < 3; i++) {
            checkWrong(locked);
        }
        engine.clock.advance(Duration.ofDays(7).plusHours(2));
        checkWrong(engine.start("recent@example.com"));

        Purged purged = purge();

        assertThat(purged.rateBuckets())
                .as("the tenant's and the all-tenant counter of two addresses")
                .isEqualTo(4);
        assertThat(purged.recipientFailures()).isEqualTo(1);
        assertThat(engine.count(
                        "SELECT COUNT(*) FROM rate_buckets WHERE bucket = ?", "recipient:default:recent@example.com"))
                .isEqualTo(1);
        assertThat(engine.count("SELECT COUNT(*) FROM mailbox_failures WHERE mailbox = ?", "default:quiet@example.com"))
                .isZero();
        assertThat(rows("mailbox_failures")).as("locked and recent stay").isEqualTo(2);
        MailboxKey lockedAddress = MailboxKey.of(new EmailAddress("locked@example.com"));
        assertThat(engine.database.verifications().lockedUntil(Tenant.DEFAULT, lockedAddress, engine.clock.instant()))
                .isPresent();
    }

    @Test
    void anAddressWhoseCountersWerePurgedStartsAfresh() {
        for (int i = 0; i < 10; i++) {
            engine.start("again@example.com");
        }
        engine.clock.advance(Duration.ofDays(8));
        purge();

        assertThat(engine.start("again@example.com").status()).isEqualTo(Status.PENDING);
        assertThat(engine.count(
                        "SELECT hits FROM rate_buckets WHERE bucket = ?", "recipient:default:again@example.com"))
                .isEqualTo(1);
    }

    @Test
    void aBacklogLargerThanAChunkGoesChunkByChunk() {
        for (int i = 0; i < 7; i++) {
            engine.start("user" + i + "@example.com");
        }
        engine.clock.advance(Duration.ofDays(8));

        Optional<Purged> purged = Purger.builder()
                .purge(engine.database.purge())
                .clock(engine.clock)
                .chunk(3)
                .build()
                .runOnce();

        assertThat(purged).contains(new Purged(7, 14, 0, 0, 0, 0));
        assertThat(rows("verifications")).isZero();
        assertThat(rows("outbox")).isZero();
    }

    /**
     * On the embedded file the purge hands the freed pages back: the file shrinks while the server
     * runs, instead of keeping the size of its busiest week (H2 kept 517 MB for 11.7 MB of data).
     */
    @Test
    void theEmbeddedFileShrinksAfterAPurge() throws Exception {
        assumeTrue(kind == DatabaseKind.SQLITE, "PostgreSQL's autovacuum manages its own space");
        Path file = Path.of(db.url().substring("jdbc:sqlite:".length()));
        for (int i = 0; i < 3_000; i++) {
            engine.start("user" + i + "@example.com");
        }
        checkpoint();
        long full = Files.size(file);
        engine.clock.advance(Duration.ofDays(8));

        purge();
        checkpoint();

        assertThat(rows("verifications")).isZero();
        assertThat(Files.size(file))
                .as("bytes after the purge, of %d before", full)
                .isLessThan(full / 4);
        assertThat(engine.database.purge().reclaimSpace(1_000))
                .as("nothing left to give back")
                .isZero();
    }

    /** Moves the WAL's pages into the file, as SQLite does on its own every thousand pages. */
    private void checkpoint() throws SQLException {
        try (Connection c = engine.database.dataSource().getConnection();
                Statement s = c.createStatement()) {
            s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
        }
    }

    @Test
    void aPurgeWithNothingToDoIsHarmless() {
        assertThat(purge()).isEqualTo(new Purged(0, 0, 0, 0, 0, 0));
        Verification v = engine.start("ada@example.com");

        assertThat(purge()).isEqualTo(new Purged(0, 0, 0, 0, 0, 0));
        assertThat(engine.verifier.check(Tenant.DEFAULT, v.id(), engine.codeOf(v.id())))
                .isInstanceOf(CheckResult.Approved.class);
    }

    @Test
    void theInstanceThatPurgedKeepsTheLeaseForAnIntervalThenAnyInstanceMayTakeIt() {
        try (Database other = db.open(2)) {
            Purger a = purger(engine.database, "a");
            Purger b = purger(other, "b");

            assertThat(a.runOnce()).isPresent();
            assertThat(b.runOnce()).isEmpty();
            engine.clock.advance(INTERVAL.dividedBy(2));
            assertThat(b.runOnce()).isEmpty();
            assertThat(a.runOnce()).as("the holder renews its own lease").isPresent();
            engine.clock.advance(INTERVAL);
            assertThat(b.runOnce()).isPresent();
            assertThat(a.runOnce()).isEmpty();
        }
    }

    @Test
    void ofTwoInstancesRacingForThePurgeExactlyOneRuns() throws Exception {
        for (int i = 0; i < 5; i++) {
            engine.start("old" + i + "@example.com");
        }
        engine.clock.advance(Duration.ofDays(8));
        List<Long> removed = new ArrayList<>();
        try (Database other = db.open(2)) {
            Purger a = purger(engine.database, "a");
            Purger b = purger(other, "b");
            for (int round = 0; round < 10; round++) {
                List<Optional<Purged>> results = race(a, b);

                assertThat(results)
                        .as("round " + round)
                        .filteredOn(Optional::isPresent)
                        .hasSize(1);
                results.stream().flatMap(Optional::stream).forEach(p -> removed.add(p.verifications()));
                engine.clock.advance(INTERVAL.plusSeconds(1));
            }
        }
        assertThat(removed).containsExactly(5L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L);
    }

    private static List<Optional<Purged>> race(Purger... purgers) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(purgers.length);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Optional<Purged>>> futures = new ArrayList<>();
            for (Purger purger : purgers) {
                futures.add(pool.submit(() -> {
                    go.await();
                    return purger.runOnce();
                }));
            }
            go.countDown();
            List<Optional<Purged>> results = new ArrayList<>();
            for (Future<Optional<Purged>> f : futures) {
                results.add(f.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
