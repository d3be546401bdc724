package io.otpgate.mail;

import static io.otpgate.mail.SmtpTransportTest.email;
import static io.otpgate.mail.SmtpTransportTest.sendOne;
import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.otpgate.core.delivery.SendOutcome;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server that cannot do what the settings require is a configuration failure naming the setting
 * to change, never a temporary one (issue 11, findings 6 and 13b); a private CA is trusted through
 * OTPGATE_SMTP_CA_FILE. The certificates come from a CA made in the test.
 */
class SmtpConfigurationFailureTest {

    private static final Clock CLOCK = Clock.systemUTC();

    @TempDir
    static Path dir;

    private static TestCa ca;
    private static GreenMail smtps;

    /**
     * GreenMail reads its TLS key store once per JVM, from these properties; no other test in this
     * module starts a TLS server, so this one's is the store it reads.
     */
    @BeforeAll
    static void privateCa() throws Exception {
        ca = new TestCa("OTPGate Test Private CA");
        System.setProperty(
                "greenmail.tls.keystore.file",
                ca.writeServerKeyStore(dir.resolve("server.p12")).toString());
        System.setProperty("greenmail.tls.keystore.password", new String(TestCa.PASSWORD));
        System.setProperty("greenmail.tls.key.password", new String(TestCa.PASSWORD));
        smtps = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTPS));
        smtps.start();
    }

    @AfterAll
    static void stop() {
        smtps.stop();
    }

    @Test
    void implicitTlsToAServerOfAPrivateCaIsRefusedAsUntrustedNamingTheCaFileSetting() {
        int before = smtps.getReceivedMessages().length;

        SendOutcome outcome = sendOne(new SmtpTransport(smtps(), CLOCK), email("msg_1", "ada@example.com", null));

        assertThat(outcome).isInstanceOf(SendOutcome.Misconfigured.class);
        assertThat(((SendOutcome.Misconfigured) outcome).setting()).isEqualTo("OTPGATE_SMTP_CA_FILE");
        assertThat(outcome.reply()).contains("not trusted").contains("OTPGATE_SMTP_CA_FILE");
        assertThat(smtps.getReceivedMessages()).hasSize(before);
    }

    @Test
    void implicitTlsToAServerOfAPrivateCaIsAcceptedWithItsCaFile() throws Exception {
        SmtpSettings settings = SmtpSettings.builder("127.0.0.1")
                .port(smtps.getSmtps().getPort())
                .tls(TlsMode.SSL)
                .caFile(ca.writePem(dir.resolve("ca.pem")))
                .build();

        SendOutcome outcome = sendOne(new SmtpTransport(settings, CLOCK), email("msg_2", "grace@example.com", null));

        assertThat(outcome).isInstanceOf(SendOutcome.Accepted.class);
        assertThat(smtps.waitForIncomingEmail(10_000, 1)).isTrue();
    }

    @Test
    void startTlsToAServerOfAPrivateCaIsRefusedWithoutAndAcceptedWithItsCaFile() throws Exception {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.accepting().offeringStartTls(ca.serverContext())) {
            SmtpSettings.Builder settings =
                    SmtpSettings.builder("127.0.0.1").port(server.port()).tls(TlsMode.STARTTLS);

            SendOutcome untrusted =
                    sendOne(new SmtpTransport(settings.build(), CLOCK), email("msg_3", "ada@example.com", null));
            SendOutcome trusted = sendOne(
                    new SmtpTransport(
                            settings.caFile(ca.writePem(dir.resolve("ca-starttls.pem")))
                                    .build(),
                            CLOCK),
                    email("msg_4", "ada@example.com", null));

            assertThat(untrusted).isInstanceOf(SendOutcome.Misconfigured.class);
            assertThat(untrusted.reply()).contains("OTPGATE_SMTP_CA_FILE");
            assertThat(trusted).isInstanceOf(SendOutcome.Accepted.class);
            assertThat(server.commandsStartingWith("MAIL")).hasSize(1);
        }
    }

    @Test
    void aCaFileOfAnotherAuthorityDoesNotMakeTheServerTrusted() throws Exception {
        SmtpSettings settings = SmtpSettings.builder("127.0.0.1")
                .port(smtps.getSmtps().getPort())
                .tls(TlsMode.SSL)
                .caFile(new TestCa("Some Other CA").writePem(dir.resolve("other.pem")))
                .build();

        SendOutcome outcome = sendOne(new SmtpTransport(settings, CLOCK), email("msg_5", "ada@example.com", null));

        assertThat(outcome).isInstanceOf(SendOutcome.Misconfigured.class);
        assertThat(outcome.reply()).contains("OTPGATE_SMTP_CA_FILE");
    }

    @Test
    void refusedAuthenticationIsAConfigurationFailureNamingTheCredentialsAndSendsNothing() throws Exception {
        try (ScriptedSmtpServer server =
                ScriptedSmtpServer.accepting().answeringAuth("535 5.7.8 Authentication credentials invalid")) {
            SmtpSettings settings = SmtpSettings.builder("127.0.0.1")
                    .port(server.port())
                    .tls(TlsMode.NONE)
                    .credentials("otpgate", "wrong".toCharArray())
                    .build();

            SendOutcome outcome = sendOne(new SmtpTransport(settings, CLOCK), email("msg_6", "ada@example.com", null));

            assertThat(outcome).isInstanceOf(SendOutcome.Misconfigured.class);
            assertThat(outcome.reply())
                    .contains("535 5.7.8 Authentication credentials invalid")
                    .contains("OTPGATE_SMTP_USERNAME")
                    .contains("OTPGATE_SMTP_PASSWORD")
                    .doesNotContain("wrong");
            assertThat(server.commandsStartingWith("MAIL")).isEmpty();
        }
    }

    @Test
    void aServerThatWantsAuthenticationFirstNamesTheCredentialsOrTlsAsItSays() throws Exception {
        try (ScriptedSmtpServer authFirst = ScriptedSmtpServer.replying(
                        message -> "530 5.7.0 Authentication required", message -> "250 2.0.0 queued");
                ScriptedSmtpServer tlsFirst = ScriptedSmtpServer.replying(
                        message -> "530 5.7.0 Must issue a STARTTLS command first", message -> "250 2.0.0 queued")) {

            SendOutcome auth = sendOne(plain(authFirst), email("msg_8", "ada@example.com", null));
            SendOutcome tls = sendOne(plain(tlsFirst), email("msg_9", "ada@example.com", null));

            assertThat(auth).isInstanceOf(SendOutcome.Misconfigured.class);
            assertThat(((SendOutcome.Misconfigured) auth).setting())
                    .isEqualTo("OTPGATE_SMTP_USERNAME and OTPGATE_SMTP_PASSWORD");
            assertThat(tls).isInstanceOf(SendOutcome.Misconfigured.class);
            assertThat(((SendOutcome.Misconfigured) tls).setting()).isEqualTo("OTPGATE_SMTP_TLS");
            assertThat(tls.reply()).contains("530 5.7.0 Must issue a STARTTLS command first");
        }
    }

    @Test
    void aServerShuttingDownIsStillATemporaryFailure() throws Exception {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.accepting().greeting("421 4.3.2 service shutting down")) {
            SmtpSettings settings = SmtpSettings.builder("127.0.0.1")
                    .port(server.port())
                    .tls(TlsMode.NONE)
                    .readTimeout(Duration.ofSeconds(5))
                    .build();

            SendOutcome outcome = sendOne(new SmtpTransport(settings, CLOCK), email("msg_7", "ada@example.com", null));

            assertThat(outcome).isInstanceOf(SendOutcome.Transient.class);
        }
    }

    @Test
    void aCaFileThatIsNotPemIsRefusedAtStart() throws Exception {
        Path junk = java.nio.file.Files.writeString(dir.resolve("junk.pem"), "not a certificate");

        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> SmtpSettings.builder("smtp.example.com").caFile(junk))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("junk.pem");
    }

    private static SmtpTransport plain(ScriptedSmtpServer server) {
        return new SmtpTransport(
                SmtpSettings.builder("127.0.0.1")
                        .port(server.port())
                        .tls(TlsMode.NONE)
                        .build(),
                CLOCK);
    }

    private static SmtpSettings smtps() {
        return SmtpSettings.builder("127.0.0.1")
                .port(smtps.getSmtps().getPort())
                .tls(TlsMode.SSL)
                .build();
    }
}
