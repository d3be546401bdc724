package io.otpgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import io.otpgate.core.code.Alphabet;
import io.otpgate.core.delivery.OutboxDispatcher;
import io.otpgate.core.policy.DurationText;
import io.otpgate.core.policy.Policy;
import io.otpgate.core.verification.StartRequest;
import io.otpgate.core.verification.StartResult;
import io.otpgate.core.verification.Verifier;
import io.otpgate.jdbc.Database;
import io.otpgate.jdbc.DatabaseKind;
import io.otpgate.jdbc.TestDatabase;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Several OTPGate instances on one database deliver every email exactly once while healthy (T-12
 * below), lose nothing when one is killed with SIGKILL and re-send at most the rows it had in
 * flight (T-10, one kill), and give their rows back at once on a graceful stop (T-20). Real
 * PostgreSQL (embedded, shared server, a fresh database per test), real SMTP
 * (GreenMail); each instance has its own connection pool, SMTP transport and instance id.
 *
 * <p>The kill test's lease is 2 s, so the surviving instance takes the killed one's rows over
 * quickly; {@code -Dotpgate.test.lease=15s} runs it with the default lease, to measure the time
 * from the kill to the last email (reported, never asserted).
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class MultiInstanceDeliveryTest {

    private static final int EMAILS = 10_000;
    private static final int WORKERS = 4;
    private static final int BATCH = 8;
    /** The defaults, except that one address may receive any number of emails an hour. */
    private static final Policy POLICY = new Policy(
            6,
            Alphabet.DIGITS,
            Duration.ofMinutes(10),
            3,
            5,
            Duration.ofSeconds(30),
            1_000_000,
            20,
            Duration.ofHours(1));

    private static Level logLevel;

    @RegisterExtension
    GreenMailExtension greenMail = MailServer.greenMail();

    @TempDir
    Path dir;

    @BeforeAll
    static void quiet() {
        logLevel = DispatcherInstance.quietLogs();
    }

    @AfterAll
    static void loud() {
        DispatcherInstance.restoreLogs(logLevel);
    }

    // ---------------------------------------------------------------- T-12: exactly once while healthy

    @ParameterizedTest(name = "{0} instances")
    @ValueSource(ints = {2, 4})
    void everyEmailIsDeliveredExactlyOnceByInstancesSharingPostgres(int instances) throws Exception {
        exactlyOnce("PostgreSQL", DatabaseKind.POSTGRESQL.fresh(dir), instances, EMAILS);
    }

    /**
     * Two instances on one SQLite file in one JVM, each with its own writer: they share the file
     * through SQLite's locking, as two processes on one data dir do.
     */
    @Test
    void everyEmailIsDeliveredExactlyOnceByTwoInstancesSharingOneSqliteFile() throws Exception {
        exactlyOnce("SQLite", DatabaseKind.SQLITE.fresh(dir), 2, 3_000);
    }

    private void exactlyOnce(String kind, TestDatabase target, int instanceCount, int emails) throws Exception {
        try (Database api = target.open(4)) {
            long t0 = System.nanoTime();
            List<String> addresses = queue(api, "n" + instanceCount + "-", emails);
            long queuedNanos = System.nanoTime() - t0;

            List<DispatcherInstance> instances = new ArrayList<>();
            long drainNanos;
            try {
                for (int i = 0; i < instanceCount; i++) {
                    instances.add(open(
                            target,
                            "node" + i,
                            DispatcherInstance.Settings.fast(WORKERS, BATCH, OutboxDispatcher.DEFAULT_LEASE)));
                }
                long t1 = System.nanoTime();
                instances.forEach(DispatcherInstance::start);
                awaitAllSent(api, emails, Duration.ofMinutes(3));
                drainNanos = System.nanoTime() - t1;
            } finally {
                instances.forEach(DispatcherInstance::close);
            }

            // Every dispatcher is stopped: what GreenMail holds now is all that will ever be sent.
            assertThat(greenMail.waitForIncomingEmail(10_000, emails)).isTrue();
            Mailbox mail = Mailbox.of(greenMail);
            // Exactly once while the instances are healthy. An instance stalled past its lease (a
            // starved JVM on a loaded machine) may send an email another one took over; it then
            // cannot record it, and counts it: every duplicate is one of those, and with no stall
            // there are none.
            long lost = instances.stream()
                    .mapToLong(instance -> instance.dispatcher.lostLeases())
                    .sum();
            assertThat(mail.total)
                    .as("messages received (emails sent after a lapsed lease: %d)", lost)
                    .isEqualTo(emails + lost);
            assertThat(mail.messageIds).as("distinct Message-IDs").hasSize(emails);
            assertThat(mail.perRecipient).as("distinct recipients").hasSize(emails);
            assertThat(mail.perRecipient.keySet()).containsExactlyInAnyOrderElementsOf(addresses);
            assertThat(statuses(api)).as("outbox rows by status").isEqualTo(Map.of("sent", emails));
            assertThat(count(
                            api,
                            "SELECT COUNT(*) FROM outbox WHERE lease_owner IS NOT NULL OR lease_until IS NOT NULL"))
                    .as("leases left")
                    .isZero();
            Map<String, Integer> perInstance = new LinkedHashMap<>();
            instances.forEach(instance -> perInstance.put(instance.id, instance.sent.get()));
            assertThat(perInstance.values())
                    .as("every instance sent some: %s", perInstance)
                    .allMatch(sent -> sent > 0);
            assertThat(perInstance.values().stream().mapToInt(Integer::intValue).sum())
                    .as("emails sent across instances")
                    .isEqualTo(emails + lost);

            long heartbeats = instances.stream()
                    .mapToLong(instance -> instance.dispatcher.heartbeats().sent())
                    .sum();
            long renewed = instances.stream()
                    .mapToLong(instance -> instance.dispatcher.heartbeats().rowsRenewed())
                    .sum();
            report(
                    "T-12 %s, %d instances x %d workers: queued %d in %d ms; delivered in %d ms = %.0f msg/s; per instance %s;"
                            + " lease %d s: %d heartbeats (%.2f statements/s in all) renewed %d rows (%.1f per heartbeat)",
                    kind,
                    instanceCount,
                    WORKERS,
                    emails,
                    millis(queuedNanos),
                    millis(drainNanos),
                    emails / (drainNanos / 1e9),
                    perInstance,
                    OutboxDispatcher.DEFAULT_LEASE.toSeconds(),
                    heartbeats,
                    heartbeats / (drainNanos / 1e9),
                    renewed,
                    heartbeats == 0 ? 0.0 : (double) renewed / heartbeats);
        }
    }

    // ---------------------------------------------------------------- T-10: kill -9 loses nothing

    /**
     * Two instances deliver side by side; one is killed with SIGKILL. The survivor takes the killed
     * one's rows over once their lease runs out (nothing renews it any more), and every email
     * arrives. On SQLite the doomed child is a second process writing the same file, killed in the
     * middle of its group commits: the file must come back whole (WAL recovery) with every row it
     * recorded.
     */
    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void aKilledInstanceLosesNothingAndResendsAtMostTheRowsItHadInFlight(DatabaseKind kind) throws Exception {
        int rows = 3000;
        Duration lease = DurationText.parse(System.getProperty("otpgate.test.lease", "2s"));
        TestDatabase target = kind.fresh(dir);
        try (Database api = target.open(4)) {
            List<String> addresses = queue(api, "k-", rows);

            // The doomed instance waits 10 ms after each 250 before it records the row: a wide window
            // in which a kill leaves sent-but-unrecorded rows, the ones that must be sent again.
            Process doomed = startChild(target, "doomed", lease, Duration.ZERO, Duration.ofMillis(10));
            Set<String> inFlight;
            int sentAtKill;
            long killedAt;
            long takeoverNanos;
            int survived;
            try (DispatcherInstance survivor =
                    open(target, "survivor", DispatcherInstance.Settings.fast(WORKERS, BATCH, lease))) {
                try {
                    assertThat(greenMail.waitForIncomingEmail(60_000, 300))
                            .as("the child delivers")
                            .isTrue();
                    survivor.start();
                    await(Duration.ofSeconds(60), () -> survivor.sent.get() > 0);
                    doomed.destroyForcibly();
                    killedAt = System.nanoTime();
                    assertThat(doomed.waitFor(30, TimeUnit.SECONDS)).isTrue();
                    inFlight = strings(
                            api,
                            "SELECT recipient FROM outbox WHERE status = 'sending' AND lease_owner LIKE 'doomed-%'");
                    sentAtKill = count(api, "SELECT COUNT(*) FROM outbox WHERE status = 'sent'");
                } finally {
                    doomed.destroyForcibly();
                }
                assertThat(sentAtKill).as("the kill came mid-delivery").isBetween(1, rows - 1);
                assertThat(inFlight).as("rows the killed instance held").isNotEmpty();
                awaitAllSent(api, rows, Duration.ofSeconds(90));
                takeoverNanos = System.nanoTime() - killedAt;
                survived = survivor.sent.get();
            }

            Mailbox mail = Mailbox.of(greenMail);
            Set<String> duplicated = mail.perRecipient.entrySet().stream()
                    .filter(e -> e.getValue() > 1)
                    .map(Map.Entry::getKey)
                    .collect(Collectors.toSet());
            assertThat(mail.perRecipient.keySet())
                    .as("every recipient got an email")
                    .containsExactlyInAnyOrderElementsOf(addresses);
            assertThat(mail.perRecipient.values())
                    .as("nobody got more than two")
                    .allMatch(n -> n <= 2);
            assertThat(duplicated)
                    .as("only rows in flight at the kill are sent twice")
                    .isSubsetOf(inFlight);
            assertThat(inFlight.size()).as("rows in flight at the kill").isLessThanOrEqualTo(WORKERS * BATCH);
            assertThat(mail.total).isEqualTo(rows + duplicated.size());
            assertThat(statuses(api)).isEqualTo(Map.of("sent", rows));

            report(
                    "T-10 %s: kill -9 after %d recorded sent: %d rows in flight, %d duplicates (sent but not"
                            + " recorded at the kill); survivor sent %d; kill -> every email sent in %d ms (lease %d ms)",
                    kind,
                    sentAtKill,
                    inFlight.size(),
                    duplicated.size(),
                    survived,
                    millis(takeoverNanos),
                    lease.toMillis());
        }
    }

    // ---------------------------------------------------------------- T-20: a graceful stop releases

    @Test
    void closingAnInstanceGivesItsRowsBackAtOnce() throws Exception {
        int rows = 1000;
        Duration longLease = Duration.ofMinutes(10);
        TestDatabase target = DatabaseKind.POSTGRESQL.fresh(dir);
        try (Database api = target.open(4)) {
            List<String> addresses = queue(api, "g-", rows);

            // 20 ms before each message: every worker holds up to a batch of claimed rows for a while.
            DispatcherInstance first = open(
                    target,
                    "graceful",
                    new DispatcherInstance.Settings(WORKERS, BATCH, longLease, Duration.ofMillis(20), Duration.ZERO));
            int heldAtClose;
            long closeNanos;
            try {
                first.start();
                int[] held = new int[1];
                await(
                        Duration.ofSeconds(60),
                        () -> first.sent.get() >= 50 && (held[0] = sendingBy(api, "graceful")) > 0);
                heldAtClose = held[0];
            } finally {
                long t = System.nanoTime();
                first.close();
                closeNanos = System.nanoTime() - t;
            }
            assertThat(heldAtClose).isPositive();
            assertThat(sendingBy(api, "graceful"))
                    .as("rows still leased by the closed instance")
                    .isZero();
            assertThat(count(api, "SELECT COUNT(*) FROM outbox WHERE lease_owner IS NOT NULL OR status = 'sending'"))
                    .isZero();
            int remaining = count(api, "SELECT COUNT(*) FROM outbox WHERE status IN ('queued', 'retrying')");
            assertThat(remaining).isPositive().isEqualTo(rows - first.sent.get());

            long t0 = System.nanoTime();
            int taken;
            // A 10-minute lease on both: finishing within 60 s proves no lease had to run out.
            try (DispatcherInstance second = open(
                            target, "successor", DispatcherInstance.Settings.fast(WORKERS, BATCH, longLease))
                    .start()) {
                awaitAllSent(api, rows, Duration.ofSeconds(60));
                taken = second.sent.get();
            }
            long drainNanos = System.nanoTime() - t0;

            assertThat(taken).isEqualTo(remaining);
            Mailbox mail = Mailbox.of(greenMail);
            assertThat(mail.total).isEqualTo(rows);
            assertThat(mail.messageIds).hasSize(rows);
            assertThat(mail.perRecipient.keySet()).containsExactlyInAnyOrderElementsOf(addresses);
            assertThat(statuses(api)).isEqualTo(Map.of("sent", rows));

            report(
                    "T-20 close() with %d rows leased: returned in %d ms, 0 left leased; successor sent the other %d in %d ms",
                    heldAtClose, millis(closeNanos), remaining, millis(drainNanos));
        }
    }

    // ---------------------------------------------------------------- helpers

    private DispatcherInstance open(TestDatabase target, String id, DispatcherInstance.Settings settings) {
        return DispatcherInstance.open(
                target.url(),
                target.user(),
                target.password(),
                greenMail.getSmtp().getPort(),
                id,
                settings);
    }

    private Process startChild(TestDatabase target, String id, Duration lease, Duration before, Duration after)
            throws Exception {
        ProcessBuilder builder = new ProcessBuilder(
                ProcessHandle.current().info().command().orElse("java"),
                "-cp",
                System.getProperty("java.class.path"),
                DispatcherProcess.class.getName(),
                target.url(),
                target.user(),
                target.password().isEmpty() ? "-" : target.password(),
                Integer.toString(greenMail.getSmtp().getPort()),
                id,
                Long.toString(lease.toMillis()),
                Integer.toString(WORKERS),
                Integer.toString(BATCH),
                Long.toString(before.toMillis()),
                Long.toString(after.toMillis()));
        builder.redirectErrorStream(true);
        builder.redirectOutput(dir.resolve(id + ".log").toFile());
        return builder.start();
    }

    /** Starts {@code count} verifications from one "API" process, 200 per transaction. */
    private static List<String> queue(Database api, String prefix, int count) {
        Verifier verifier = Verifier.builder()
                .store(api.verifications())
                .secret(DispatcherInstance.SECRET)
                .policy(POLICY)
                .build();
        List<String> addresses = IntStream.range(0, count)
                .mapToObj(i -> prefix + "user" + i + "@example.com")
                .toList();
        List<StartResult> results =
                verifier.startAll(addresses.stream().map(StartRequest::of).toList());
        assertThat(results).allMatch(r -> r instanceof StartResult.Started);
        return addresses;
    }

    private static void awaitAllSent(Database db, int rows, Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        while (count(db, "SELECT COUNT(*) FROM outbox WHERE status = 'sent'") < rows) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not all sent within " + within + ": " + statuses(db));
            }
            Thread.sleep(25);
        }
    }

    private static void await(Duration within, BooleanSupplier condition) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + within);
            }
            Thread.sleep(5);
        }
    }

    private static int sendingBy(Database db, String instanceId) {
        try {
            return count(
                    db,
                    "SELECT COUNT(*) FROM outbox WHERE status = 'sending' AND lease_owner LIKE '" + instanceId + "-%'");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Integer> statuses(Database db) throws SQLException {
        Map<String, Integer> counts = new TreeMap<>();
        try (Connection c = db.dataSource().getConnection();
                ResultSet rs =
                        c.createStatement().executeQuery("SELECT status, COUNT(*) FROM outbox GROUP BY status")) {
            while (rs.next()) {
                counts.put(rs.getString(1), rs.getInt(2));
            }
        }
        return counts;
    }

    private static int count(Database db, String sql) throws SQLException {
        try (Connection c = db.dataSource().getConnection();
                PreparedStatement ps = c.prepareStatement(sql);
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static Set<String> strings(Database db, String sql) throws SQLException {
        Set<String> values = new HashSet<>();
        try (Connection c = db.dataSource().getConnection();
                PreparedStatement ps = c.prepareStatement(sql);
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }

    private static long millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    private static void report(String format, Object... args) {
        // Surefire keeps it in target/surefire-reports/…-output.txt.
        System.out.println("[multi-instance] " + String.format(java.util.Locale.ROOT, format, args));
    }

    /** What the SMTP server received: per recipient, the Message-IDs, the total. */
    private record Mailbox(int total, Map<String, Integer> perRecipient, Set<String> messageIds) {

        static Mailbox of(GreenMailExtension server) throws MessagingException {
            MimeMessage[] messages = server.getReceivedMessages();
            Map<String, Integer> perRecipient = new HashMap<>();
            Set<String> ids = new HashSet<>();
            for (MimeMessage message : messages) {
                ids.add(message.getMessageID());
                for (var to : message.getRecipients(Message.RecipientType.TO)) {
                    perRecipient.merge(((InternetAddress) to).getAddress(), 1, Integer::sum);
                }
            }
            return new Mailbox(messages.length, perRecipient, ids);
        }
    }
}
