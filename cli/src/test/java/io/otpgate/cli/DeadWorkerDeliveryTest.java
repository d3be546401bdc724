package io.otpgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import io.otpgate.core.StoreUnavailableException;
import io.otpgate.core.delivery.DeliveryListener;
import io.otpgate.core.delivery.DeliveryStatus;
import io.otpgate.core.delivery.MailTransport;
import io.otpgate.core.delivery.Outbox;
import io.otpgate.core.delivery.OutboxDispatcher;
import io.otpgate.core.delivery.OutgoingEmail;
import io.otpgate.core.delivery.QueuedEmail;
import io.otpgate.core.delivery.SendOutcome;
import io.otpgate.core.tenant.Tenant;
import io.otpgate.core.testing.MutableClock;
import io.otpgate.core.verification.CheckResult;
import io.otpgate.core.verification.StartRequest;
import io.otpgate.core.verification.StartResult;
import io.otpgate.core.verification.Verification;
import io.otpgate.core.verification.Verifier;
import io.otpgate.jdbc.Database;
import io.otpgate.jdbc.DatabaseKind;
import io.otpgate.mail.SmtpSettings;
import io.otpgate.mail.SmtpTransport;
import io.otpgate.mail.TemplateComposer;
import io.otpgate.mail.TlsMode;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Workers that die, stall or stop, on a real database and a real SMTP server (GreenMail).
 *
 * <p>Issue 11, finding 3: a row claimed by a process that died (it never records anything, nor
 * renews its lease) is taken over after its lease, by the database's clock; if its verification was
 * canceled, resent, restarted or expired meanwhile, no email leaves for the dead code and its sealed
 * code is erased. Worker A is "killed" by claiming through the outbox and never heartbeating or
 * recording; worker B is a real dispatcher sending to GreenMail. Once B has delivered a control
 * email and no row is left in A's hands, B's claims of A's rows have been decided, so the test needs
 * no timing. A live holder's heartbeat keeps its rows through a long send, a worker whose lease
 * lapsed sends nothing more (issue 13), a stalled worker cannot record over the claim that took its
 * row over (claim numbers), and a stop records what was sent and gives the rest back (finding 5,
 * the delivery half). Leases are a second or two, so takeovers come quickly. Run on each database
 * by {@code …On…Test}.
 */
abstract class DeadWorkerDeliveryTest {

    private static final Duration LEASE = Duration.ofSeconds(1);

    @RegisterExtension
    GreenMailExtension greenMail = MailServer.greenMail();

    @TempDir
    Path dir;

    private final DatabaseKind kind;
    private final MutableClock clock = new MutableClock(Instant.now());
    private Database database;
    private Verifier verifier;

    DeadWorkerDeliveryTest(DatabaseKind kind) {
        this.kind = kind;
    }

    @BeforeEach
    void open() {
        database = kind.fresh(dir).open(4);
        verifier = Verifier.builder()
                .store(database.verifications())
                .secret(DispatcherInstance.SECRET)
                .clock(clock)
                .build();
    }

    @AfterEach
    void close() {
        database.close();
    }

    @Test
    void aCanceledVerificationsEmailHeldByADeadWorkerIsNeverSent() throws Exception {
        Verification v = start("ada@example.com");
        killedWorkerClaimsEverything();
        verifier.cancel(Tenant.DEFAULT, v.id());

        List<String> received = deliverAfterTheLease();

        assertThat(received).containsExactly("control@example.com");
        assertThat(rowsOf(v)).containsExactly("canceled:erased");
    }

    @Test
    void aResentVerificationsOldEmailHeldByADeadWorkerIsNeverSentOnlyTheNewCode() throws Exception {
        Verification v = start("ada@example.com");
        killedWorkerClaimsEverything();
        clock.advance(Duration.ofSeconds(30));
        verifier.resend(Tenant.DEFAULT, v.id());

        List<String> received = deliverAfterTheLease();

        assertThat(received).containsExactlyInAnyOrder("ada@example.com", "control@example.com");
        assertThat(rowsOf(v)).containsExactly("canceled:erased", "sent:erased");
        assertThat(verifier.check(Tenant.DEFAULT, v.id(), codeSentTo("ada@example.com")))
                .isInstanceOf(CheckResult.Approved.class);
    }

    @Test
    void aRestartedAddressesOldEmailHeldByADeadWorkerIsNeverSent() throws Exception {
        Verification first = start("ada@example.com");
        killedWorkerClaimsEverything();
        Verification second = start("ada@example.com");

        List<String> received = deliverAfterTheLease();

        assertThat(received).containsExactlyInAnyOrder("ada@example.com", "control@example.com");
        assertThat(rowsOf(first)).containsExactly("canceled:erased");
        assertThat(rowsOf(second)).containsExactly("sent:erased");
        assertThat(verifier.check(Tenant.DEFAULT, second.id(), codeSentTo("ada@example.com")))
                .isInstanceOf(CheckResult.Approved.class);
    }

    @Test
    void anExpiredCodeHeldByADeadWorkerIsNeverSent() throws Exception {
        Verification v = start("ada@example.com");
        killedWorkerClaimsEverything();
        clock.advance(Duration.ofMinutes(11));

        List<String> received = deliverAfterTheLease();

        assertThat(received).containsExactly("control@example.com");
        assertThat(rowsOf(v)).containsExactly("expired_undelivered:erased");
    }

    /**
     * Issue 13, found by the soak: a live worker's batch waits behind a send the SMTP server holds
     * up (a stall, a timeout), and a verification of that batch is canceled meanwhile. The worker
     * asks the database again before sending the rest, so the dead code never leaves.
     */
    @Test
    void anEmailCanceledWhileItsBatchWaitsBehindASlowSendIsNotSent() throws Exception {
        start("ada@example.com");
        clock.advance(Duration.ofMillis(1));
        Verification bob = start("bob@example.com");
        clock.advance(Duration.ofMillis(1));
        start("carol@example.com");
        CountDownLatch adaSending = new CountDownLatch(1);
        CountDownLatch releaseAda = new CountDownLatch(1);
        OutboxDispatcher a =
                dispatcher("a", stalling(smtp(), adaSending, releaseAda, null), (email, status, reply) -> {});
        try {
            a.start();
            assertThat(adaSending.await(30, TimeUnit.SECONDS)).isTrue();
            verifier.cancel(Tenant.DEFAULT, bob.id());
            // Longer than the dispatcher's re-check interval (250 ms), as a held-up send is.
            Thread.sleep(500);
            releaseAda.countDown();
            assertThat(awaitRecipient("carol@example.com")).isTrue();
        } finally {
            releaseAda.countDown();
            a.close();
        }

        List<String> recipients = new ArrayList<>();
        for (MimeMessage message : greenMail.getReceivedMessages()) {
            recipients.add(message.getAllRecipients()[0].toString());
        }
        assertThat(recipients).containsExactlyInAnyOrder("ada@example.com", "carol@example.com");
        assertThat(rowsOf(bob)).containsExactly("canceled:erased");
    }

    /**
     * A new SMTP session's handshake (TCP, TLS, greeting, EHLO, AUTH) can take seconds. The worker
     * opens the session before its last look at the batch, so a code canceled during the handshake
     * is not sent; the session it opened then serves the next email.
     */
    @Test
    void anEmailCanceledWhileTheSmtpSessionOpensIsNotSent() throws Exception {
        Verification ada = start("ada@example.com");
        CountDownLatch opening = new CountDownLatch(1);
        CountDownLatch releaseOpen = new CountDownLatch(1);
        OutboxDispatcher a = dispatcher("a", slowToOpen(smtp(), opening, releaseOpen), (email, status, reply) -> {});
        try {
            a.start();
            assertThat(opening.await(30, TimeUnit.SECONDS))
                    .as("the worker opens its session")
                    .isTrue();
            verifier.cancel(Tenant.DEFAULT, ada.id());
            // A handshake longer than the dispatcher's re-check interval (250 ms).
            Thread.sleep(500);
            releaseOpen.countDown();
            start("bob@example.com");
            assertThat(awaitRecipient("bob@example.com")).isTrue();
        } finally {
            releaseOpen.countDown();
            a.close();
        }

        List<String> recipients = new ArrayList<>();
        for (MimeMessage message : greenMail.getReceivedMessages()) {
            recipients.add(message.getAllRecipients()[0].toString());
        }
        assertThat(recipients).containsExactly("bob@example.com");
        assertThat(rowsOf(ada)).containsExactly("canceled:erased");
    }

    private Verification start(String email) {
        StartResult result = verifier.start(StartRequest.of(email));
        assertThat(result).isInstanceOf(StartResult.Started.class);
        return ((StartResult.Started) result).verification();
    }

    /**
     * Worker A claims every queued row, and dies: it never sends, renews, records or releases
     * anything.
     */
    private void killedWorkerClaimsEverything() {
        List<QueuedEmail> claimed = database.outbox().claim("killed-0", 100, clock.instant(), LEASE);
        assertThat(claimed).isNotEmpty();
    }

    /**
     * Queues a control email and runs worker B until it has delivered it and no row is left being
     * sent by A (B took each over once A's lease ran out, and decided it); returns the recipients of
     * every email the SMTP server received.
     */
    private List<String> deliverAfterTheLease() throws Exception {
        start("control@example.com");
        OutboxDispatcher b = dispatcher("b", smtp(), (email, status, reply) -> {});
        try {
            b.start();
            assertThat(awaitRecipient("control@example.com")).isTrue();
            await("A's rows taken over", () -> count(HELD_BY_A) == 0);
            // B may send the control email before another row of its batch: wait for them all.
            await("every email settled", () -> count(UNSETTLED) == 0);
        } finally {
            b.close();
        }
        List<String> recipients = new ArrayList<>();
        for (MimeMessage message : greenMail.getReceivedMessages()) {
            recipients.add(message.getAllRecipients()[0].toString());
        }
        return recipients;
    }

    // ---------------------------------------------------------------- heartbeats

    /**
     * B's clock is a day behind: judged by it, A's lease would run out a day from now. The database's
     * clock judges, so B takes the row over and sends it once A stopped renewing it.
     */
    @Test
    void aDeadProcesssRowIsTakenOverAfterTheLeaseByAnInstanceWhoseClockIsBehind() throws Exception {
        Verification v = start("ada@example.com");
        killedWorkerClaimsEverything();

        OutboxDispatcher b = builder("b", smtp(), (email, status, reply) -> {})
                .clock(Clock.offset(clock, Duration.ofDays(-1)))
                .build();
        try {
            b.start();
            assertThat(awaitRecipient("ada@example.com")).isTrue();
        } finally {
            b.close();
        }

        assertThat(greenMail.getReceivedMessages()).hasSize(1);
        assertThat(rowsOf(v)).containsExactly("sent:erased");
    }

    /**
     * A's send takes four leases. Its heartbeat keeps the row its own, so B, polling all along, never
     * takes it, and the email leaves once.
     */
    @Test
    void aRowIsNotTakenOverWhileItsHolderKeepsHeartbeatingThroughALongSend() throws Exception {
        Duration lease = Duration.ofSeconds(2);
        Verification v = start("ada@example.com");
        CountDownLatch aSending = new CountDownLatch(1);
        CountDownLatch releaseA = new CountDownLatch(1);
        CountDownLatch aReported = new CountDownLatch(1);
        List<String> seenByB = new CopyOnWriteArrayList<>();
        OutboxDispatcher a = builder(
                        "a",
                        stalling(smtp(), aSending, releaseA, null),
                        (email, status, reply) -> aReported.countDown())
                .lease(lease)
                .build();
        OutboxDispatcher b = builder("b", smtp(), (email, status, reply) -> seenByB.add(status.wireName()))
                .lease(lease)
                .build();
        try {
            a.start();
            assertThat(aSending.await(30, TimeUnit.SECONDS)).isTrue();
            b.start();
            Thread.sleep(lease.multipliedBy(4).toMillis());
            releaseA.countDown();
            assertThat(aReported.await(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            releaseA.countDown();
            a.close();
            b.close();
        }

        assertThat(seenByB).isEmpty();
        assertThat(greenMail.getReceivedMessages()).hasSize(1);
        assertThat(rowsOf(v)).containsExactly("sent:erased");
        assertThat(a.heartbeats().rowsRenewed()).isPositive();
    }

    /**
     * A's heartbeats never reach the database, and its first send stalls past the lease: it sends
     * nothing more of that batch. It records the one the server took and gives the others back, so
     * they leave only under a new claim, whose lease the database just confirmed.
     */
    @Test
    void aWorkerWhoseLeaseLapsedSendsNothingMoreOfItsBatch() throws Exception {
        for (int i = 0; i < 3; i++) {
            start("user" + i + "@example.com");
        }
        CountDownLatch aSending = new CountDownLatch(1);
        CountDownLatch releaseA = new CountDownLatch(1);
        List<Long> sentUnderClaim = new CopyOnWriteArrayList<>();
        OutboxDispatcher a = builder("a", stalling(smtp(), aSending, releaseA, null), (email, status, reply) -> {
                    if (status == DeliveryStatus.SENT) {
                        sentUnderClaim.add(email.claim());
                    }
                })
                .outbox(withoutHeartbeats(database.outbox()))
                .build();
        try {
            a.start();
            assertThat(aSending.await(30, TimeUnit.SECONDS)).isTrue();
            Thread.sleep(LEASE.multipliedBy(2).toMillis());
            releaseA.countDown();
            await("all three sent", () -> sentUnderClaim.size() == 3);
        } finally {
            releaseA.countDown();
            a.close();
        }

        assertThat(sentUnderClaim)
                .as("emails sent under the first claim")
                .filteredOn(claim -> claim == 1)
                .hasSize(1);
        assertThat(greenMail.getReceivedMessages()).hasSize(3);
    }

    // ---------------------------------------------------------------- claim numbers and a clean stop

    /**
     * Two dispatchers under one instance id (a restarted process that reuses its name while the old
     * one is stuck, its heartbeats lost with it): the stale worker's late "sent" must not land on the
     * new claim, whose own outcome is the one recorded.
     */
    @Test
    void aStalledWorkerCannotRecordOverTheClaimThatTookItsRowOver() throws Exception {
        Verification v = start("ada@example.com");
        CountDownLatch aSending = new CountDownLatch(1);
        CountDownLatch releaseA = new CountDownLatch(1);
        CountDownLatch aReported = new CountDownLatch(1);
        CountDownLatch bSending = new CountDownLatch(1);
        CountDownLatch releaseB = new CountDownLatch(1);
        CountDownLatch bReported = new CountDownLatch(1);
        OutboxDispatcher a = builder(
                        "node",
                        stalling(smtp(), aSending, releaseA, null),
                        (email, status, reply) -> aReported.countDown())
                .outbox(withoutHeartbeats(database.outbox()))
                .build();
        OutboxDispatcher b = dispatcher(
                "node",
                stalling(smtp(), bSending, releaseB, new SendOutcome.Transient("451 4.7.1 greylisted, try later")),
                (email, status, reply) -> bReported.countDown());
        try {
            a.start();
            assertThat(aSending.await(30, TimeUnit.SECONDS)).isTrue();
            b.start();
            assertThat(bSending.await(30, TimeUnit.SECONDS)).isTrue();

            releaseA.countDown();
            assertThat(aReported.await(30, TimeUnit.SECONDS)).isTrue();
            String afterStaleRecord = row(v, "status");
            releaseB.countDown();
            assertThat(bReported.await(30, TimeUnit.SECONDS)).isTrue();

            assertThat(afterStaleRecord).isEqualTo("sending");
            assertThat(row(v, "status")).isEqualTo("retrying");
            assertThat(row(v, "last_reply")).isEqualTo("451 4.7.1 greylisted, try later");
        } finally {
            releaseA.countDown();
            releaseB.countDown();
            a.close();
            b.close();
        }
    }

    /**
     * What a SIGTERM hook calls ({@code OtpGate.stopDelivery}): the emails the server accepted are
     * recorded as sent before it returns, and the rest of the batch is given back at once, not left
     * to the lease, so a rerun sends none of them again and waits for nothing.
     */
    @Test
    void stoppingMidBatchRecordsWhatWasSentAndGivesTheRestBackAtOnce() throws Exception {
        for (int i = 0; i < 5; i++) {
            start("user" + i + "@example.com");
        }
        AtomicInteger sends = new AtomicInteger();
        AtomicReference<OutboxDispatcher> self = new AtomicReference<>();
        AtomicReference<Thread> closer = new AtomicReference<>();
        MailTransport smtp = smtp();
        MailTransport stoppingAfterTwo = new MailTransport() {
            @Override
            public Connection connect() {
                Connection connection = smtp.connect();
                return new Connection() {
                    @Override
                    public SendOutcome send(OutgoingEmail email) {
                        SendOutcome outcome = connection.send(email);
                        if (sends.incrementAndGet() == 2) {
                            // The stop arrives while this email is in flight: close() is waiting for
                            // this worker once its thread sits in join.
                            Thread stopping = new Thread(() -> self.get().close(), "sigterm");
                            closer.set(stopping);
                            stopping.start();
                            while (stopping.getState() != Thread.State.TIMED_WAITING) {
                                Thread.onSpinWait();
                            }
                        }
                        return outcome;
                    }

                    @Override
                    public void close() {
                        connection.close();
                    }
                };
            }

            @Override
            public String describe() {
                return smtp.describe();
            }
        };
        OutboxDispatcher dispatcher = dispatcher("stopping", stoppingAfterTwo, (email, status, reply) -> {});
        self.set(dispatcher);

        dispatcher.start();
        while (closer.get() == null) {
            Thread.onSpinWait();
        }
        // A second caller, as a SIGTERM hook and the command's own close may both be: it too returns
        // only once the worker has recorded and released, so a database closed next loses nothing.
        dispatcher.close();

        assertThat(greenMail.getReceivedMessages()).hasSize(2);
        assertThat(count("SELECT COUNT(*) FROM outbox WHERE status = 'sent' AND sealed_code IS NULL"))
                .isEqualTo(2);
        assertThat(count("SELECT COUNT(*) FROM outbox WHERE status = 'queued' AND lease_owner IS NULL"))
                .isEqualTo(3);
        assertThat(database.outbox().claim("rerun", 10, clock.instant(), LEASE)).hasSize(3);
    }

    private OutboxDispatcher dispatcher(String instanceId, MailTransport transport, DeliveryListener listener) {
        return builder(instanceId, transport, listener).build();
    }

    /** One worker on this test's outbox, clock and lease. */
    private OutboxDispatcher.Builder builder(String instanceId, MailTransport transport, DeliveryListener listener) {
        return OutboxDispatcher.builder()
                .outbox(database.outbox())
                .transport(transport)
                .composer(TemplateComposer.builder().build())
                .secret(DispatcherInstance.SECRET)
                .clock(clock)
                .lease(LEASE)
                .workers(1)
                .instanceId(instanceId)
                .listener(listener)
                .pollInterval(Duration.ofMillis(20));
    }

    /**
     * The outbox as an instance sees it whose heartbeats never reach the database (they stall, or its
     * link to the database is cut for them): every other call goes through.
     */
    private static Outbox withoutHeartbeats(Outbox outbox) {
        return (Outbox) Proxy.newProxyInstance(
                Outbox.class.getClassLoader(), new Class<?>[] {Outbox.class}, (proxy, method, args) -> {
                    if (method.getName().equals("renew")) {
                        throw new StoreUnavailableException("the heartbeat did not reach the database", null);
                    }
                    try {
                        return method.invoke(outbox, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private SmtpTransport smtp() {
        return new SmtpTransport(
                SmtpSettings.builder("127.0.0.1")
                        .port(greenMail.getSmtp().getPort())
                        .tls(TlsMode.NONE)
                        .build(),
                clock);
    }

    /**
     * Says it is sending, then waits for {@code release}; then sends for real, or answers
     * {@code outcome} without sending when one is given.
     */
    private static MailTransport stalling(
            MailTransport transport, CountDownLatch sending, CountDownLatch release, SendOutcome outcome) {
        return new DecoratedTransport(transport, transport.describe(), real -> new DecoratedTransport.Delegating(real) {
            @Override
            public SendOutcome send(OutgoingEmail email) {
                sending.countDown();
                DecoratedTransport.await(release);
                return outcome != null ? outcome : super.send(email);
            }
        });
    }

    /** {@code transport} whose sessions wait for {@code release} before they open. */
    private static MailTransport slowToOpen(MailTransport transport, CountDownLatch opening, CountDownLatch release) {
        return new DecoratedTransport(transport, transport.describe(), real -> new DecoratedTransport.Delegating(real) {
            @Override
            public void open() {
                opening.countDown();
                DecoratedTransport.await(release);
                super.open();
            }
        });
    }

    private String row(Verification v, String column) throws SQLException {
        try (Connection c = database.dataSource().getConnection();
                PreparedStatement ps =
                        c.prepareStatement("SELECT " + column + " FROM outbox WHERE verification_id = ?")) {
            ps.setString(1, v.id().value());
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getString(1);
            }
        }
    }

    private static final String UNSETTLED =
            "SELECT COUNT(*) FROM outbox WHERE status IN ('queued', 'sending', 'retrying')";

    private static final String HELD_BY_A =
            "SELECT COUNT(*) FROM outbox WHERE lease_owner = 'killed-0' AND status = 'sending'";

    /** Waits until {@code condition} holds, 30 s at most. */
    private static void await(String what, Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.call()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 30 s: " + what);
            }
            Thread.sleep(20);
        }
    }

    private int count(String sql) throws SQLException {
        try (Connection c = database.dataSource().getConnection();
                PreparedStatement ps = c.prepareStatement(sql);
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private boolean awaitRecipient(String recipient) throws MessagingException {
        for (int count = 1; greenMail.waitForIncomingEmail(30_000, count); count++) {
            MimeMessage[] messages = greenMail.getReceivedMessages();
            if (messages[count - 1].getAllRecipients()[0].toString().equals(recipient)) {
                return true;
            }
        }
        return false;
    }

    private String codeSentTo(String recipient) throws MessagingException {
        for (MimeMessage message : greenMail.getReceivedMessages()) {
            if (message.getAllRecipients()[0].toString().equals(recipient)) {
                return message.getSubject().split(" ")[0];
            }
        }
        throw new AssertionError("no email to " + recipient);
    }

    /** Each of the verification's rows, oldest first, as {@code status:erased} or {@code status:sealed}. */
    private List<String> rowsOf(Verification v) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = database.dataSource().getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT status, sealed_code IS NULL FROM outbox WHERE verification_id = ? ORDER BY created_at")) {
            ps.setString(1, v.id().value());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(rs.getString(1) + (rs.getBoolean(2) ? ":erased" : ":sealed"));
                }
            }
        }
        return rows;
    }
}
