package io.otpgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import io.otpgate.core.code.CodeSealer;
import io.otpgate.core.delivery.OutboxDispatcher;
import io.otpgate.core.delivery.QueuedEmail;
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
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11, finding 3: a row claimed by a process that died (it never records anything) is taken
 * over after its lease; if its verification was canceled, resent, restarted or expired meanwhile,
 * no email leaves for the dead code and its sealed code is erased. Worker A is "killed" by claiming
 * through the outbox and never recording; worker B is a real dispatcher sending to GreenMail. Once
 * B has delivered a control email queued after everything else, its claims of the older rows have
 * been decided, so the test needs no timing. Run on each database by {@code …On…Test}.
 */
abstract class DeadWorkerDeliveryTest {

    private static final Duration LEASE = Duration.ofMinutes(1);

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
        verifier.cancel(v.id());

        List<String> received = deliverAfterTheLease();

        assertThat(received).containsExactly("control@example.com");
        assertThat(rowsOf(v)).containsExactly("canceled:erased");
    }

    @Test
    void aResentVerificationsOldEmailHeldByADeadWorkerIsNeverSentOnlyTheNewCode() throws Exception {
        Verification v = start("ada@example.com");
        killedWorkerClaimsEverything();
        clock.advance(Duration.ofSeconds(30));
        verifier.resend(v.id());

        List<String> received = deliverAfterTheLease();

        assertThat(received).containsExactlyInAnyOrder("ada@example.com", "control@example.com");
        assertThat(rowsOf(v)).containsExactly("canceled:erased", "sent:erased");
        assertThat(verifier.check(v.id(), codeSentTo("ada@example.com"))).isInstanceOf(CheckResult.Approved.class);
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
        assertThat(verifier.check(second.id(), codeSentTo("ada@example.com"))).isInstanceOf(CheckResult.Approved.class);
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

    private Verification start(String email) {
        StartResult result = verifier.start(StartRequest.of(email));
        assertThat(result).isInstanceOf(StartResult.Started.class);
        return ((StartResult.Started) result).verification();
    }

    /** Worker A claims every queued row, and dies: it never sends, records or releases anything. */
    private void killedWorkerClaimsEverything() {
        List<QueuedEmail> claimed = database.outbox()
                .claim("killed-0", 100, clock.instant(), clock.instant().plus(LEASE));
        assertThat(claimed).isNotEmpty();
    }

    /**
     * Past A's lease, queues a control email and runs worker B until it has delivered it; returns
     * the recipients of every email the SMTP server received.
     */
    private List<String> deliverAfterTheLease() throws Exception {
        clock.advance(LEASE.plusSeconds(1));
        start("control@example.com");
        OutboxDispatcher b = OutboxDispatcher.builder()
                .outbox(database.outbox())
                .transport(new SmtpTransport(
                        SmtpSettings.builder("127.0.0.1")
                                .port(greenMail.getSmtp().getPort())
                                .tls(TlsMode.NONE)
                                .build(),
                        clock))
                .composer(TemplateComposer.builder().build())
                .sealer(new CodeSealer(DispatcherInstance.SECRET, new SecureRandom()))
                .clock(clock)
                .lease(LEASE)
                .workers(1)
                .instanceId("b")
                .pollInterval(Duration.ofMillis(20))
                .build();
        try {
            b.start();
            assertThat(awaitRecipient("control@example.com")).isTrue();
        } finally {
            b.close();
        }
        List<String> recipients = new ArrayList<>();
        for (MimeMessage message : greenMail.getReceivedMessages()) {
            recipients.add(message.getAllRecipients()[0].toString());
        }
        return recipients;
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
