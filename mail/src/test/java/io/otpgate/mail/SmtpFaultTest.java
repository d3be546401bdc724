package io.otpgate.mail;

import static io.otpgate.mail.SmtpTransportTest.email;
import static io.otpgate.mail.SmtpTransportTest.sendOne;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.otpgate.core.delivery.MailTransport;
import io.otpgate.core.delivery.SendOutcome;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** SmtpTransport against a scripted SMTP server that misbehaves on purpose. */
class SmtpFaultTest {

    private static final Clock CLOCK = Clock.systemUTC();

    @Test
    void temporaryRcptFailuresAreTransientAndTheNextSendStartsAFreshSession() throws Exception {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.replying(
                message -> message < 2 ? "451 4.3.0 mailbox busy, try later" : "250 2.1.5 OK",
                message -> "250 2.0.0 queued")) {

            List<SendOutcome> outcomes = sendThree(server);

            assertThat(outcomes)
                    .extracting(o -> o.getClass().getSimpleName())
                    .containsExactly("Transient", "Transient", "Accepted");
            assertThat(outcomes.get(0).reply()).isEqualTo("451 4.3.0 mailbox busy, try later");
            assertThat(server.connections()).isEqualTo(3);
        }
    }

    @Test
    void temporaryFailuresAtTheEndOfDataAreTransient() throws Exception {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.replying(
                message -> "250 2.1.5 OK",
                message -> message < 2 ? "452 4.3.1 insufficient system storage" : "250 2.0.0 queued")) {

            List<SendOutcome> outcomes = sendThree(server);

            assertThat(outcomes)
                    .extracting(o -> o.getClass().getSimpleName())
                    .containsExactly("Transient", "Transient", "Accepted");
            assertThat(outcomes.get(1).reply()).contains("452 4.3.1 insufficient system storage");
        }
    }

    @Test
    void aRejectedRecipientIsPermanentWithTheServersWords() throws Exception {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.replying(
                message -> "550 5.1.1 <ada@example.com>: no such user here", message -> "250 2.0.0 queued")) {

            SendOutcome outcome = sendOne(transport(server, TlsMode.NONE), email("msg_1", "ada@example.com", null));

            assertThat(outcome).isInstanceOf(SendOutcome.Permanent.class);
            assertThat(outcome.reply()).isEqualTo("550 5.1.1 <ada@example.com>: no such user here");
            assertThat(server.commandsStartingWith("DATA")).isEmpty();
        }
    }

    @Test
    void aRejectedMessageIsPermanentWithTheServersWords() throws Exception {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.replying(
                message -> "250 2.1.5 OK", message -> "554 5.7.1 message refused as spam")) {

            SendOutcome outcome = sendOne(transport(server, TlsMode.NONE), email("msg_1", "ada@example.com", null));

            assertThat(outcome).isInstanceOf(SendOutcome.Permanent.class);
            assertThat(outcome.reply()).contains("554 5.7.1 message refused as spam");
        }
    }

    @Test
    void aServerThatNeverAnswersIsTransientWithinTheReadTimeout() throws Exception {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.silent()) {
            SmtpTransport transport = transport(server, TlsMode.NONE);

            SendOutcome outcome = assertTimeoutPreemptively(
                    Duration.ofSeconds(10), () -> sendOne(transport, email("msg_1", "ada@example.com", null)));

            assertThat(outcome).isInstanceOf(SendOutcome.Transient.class);
            assertThat(outcome.reply()).contains("127.0.0.1:" + server.port());
        }
    }

    @Test
    void aRefusedConnectionIsTransient() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        SmtpSettings settings = SmtpSettings.builder("127.0.0.1")
                .port(closedPort)
                .tls(TlsMode.NONE)
                .connectTimeout(Duration.ofMillis(500))
                .build();

        SendOutcome outcome = sendOne(new SmtpTransport(settings, CLOCK), email("msg_1", "ada@example.com", null));

        assertThat(outcome).isInstanceOf(SendOutcome.Transient.class);
        assertThat(outcome.reply()).containsIgnoringCase("connect");
    }

    /**
     * A session that could not be opened ahead of the message is that message's transient outcome,
     * said once and without a second wait; the message after it tries to connect again.
     */
    @Test
    void aSessionThatCouldNotBeOpenedIsTheNextSendsOutcomeAndIsTriedAgainAfter() throws Exception {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.accepting().greeting("421 4.3.2 try later")) {
            try (MailTransport.Connection connection =
                    transport(server, TlsMode.NONE).connect()) {
                connection.open();
                assertThat(server.connections()).isEqualTo(1);

                SendOutcome first = connection.send(email("msg_1", "ada@example.com", null));
                assertThat(server.connections())
                        .as("the failure reported, not retried")
                        .isEqualTo(1);
                server.greeting("220 scripted.test ESMTP");
                SendOutcome second = connection.send(email("msg_2", "bob@example.com", null));

                assertThat(first).isInstanceOf(SendOutcome.Transient.class);
                assertThat(first.reply()).contains("421");
                assertThat(second).isInstanceOf(SendOutcome.Accepted.class);
                assertThat(server.connections()).isEqualTo(2);
            }
        }
    }

    @Test
    void requiredStartTlsThatIsNotOfferedSendsNothingAndNamesTheSettingToChange() throws Exception {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.accepting()) {

            SendOutcome outcome = sendOne(transport(server, TlsMode.STARTTLS), email("msg_1", "ada@example.com", null));

            assertThat(outcome).isInstanceOf(SendOutcome.Misconfigured.class);
            assertThat(((SendOutcome.Misconfigured) outcome).setting()).isEqualTo("OTPGATE_SMTP_TLS");
            assertThat(outcome.reply()).contains("STARTTLS").contains("OTPGATE_SMTP_TLS");
            assertThat(server.commandsStartingWith("MAIL")).isEmpty();
            assertThat(server.commandsStartingWith("RCPT")).isEmpty();
        }
    }

    private static List<SendOutcome> sendThree(ScriptedSmtpServer server) {
        List<SendOutcome> outcomes = new ArrayList<>();
        try (MailTransport.Connection connection =
                transport(server, TlsMode.NONE).connect()) {
            for (int i = 0; i < 3; i++) {
                outcomes.add(connection.send(email("msg_" + i, "ada@example.com", null)));
            }
        }
        return outcomes;
    }

    private static SmtpTransport transport(ScriptedSmtpServer server, TlsMode tls) {
        SmtpSettings settings = SmtpSettings.builder("127.0.0.1")
                .port(server.port())
                .tls(tls)
                .connectTimeout(Duration.ofMillis(500))
                .readTimeout(Duration.ofMillis(500))
                .writeTimeout(Duration.ofMillis(500))
                .build();
        return new SmtpTransport(settings, CLOCK);
    }
}
