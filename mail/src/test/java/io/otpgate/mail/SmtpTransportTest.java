package io.otpgate.mail;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.otpgate.core.delivery.MailTransport;
import io.otpgate.core.delivery.OutgoingEmail;
import io.otpgate.core.delivery.SendOutcome;
import io.otpgate.core.email.DisplayName;
import io.otpgate.core.email.EmailAddress;
import jakarta.mail.Message;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** SmtpTransport against a real SMTP server (GreenMail) on a free port. */
class SmtpTransportTest {

    @RegisterExtension
    static final GreenMailExtension greenMail = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort())
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("mailer", "s3cret"));

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-03-01T10:00:00Z"), ZoneOffset.UTC);
    private static final MailFrom FROM = new MailFrom(Optional.of("OTPGate"), "no-reply@otpgate.test");

    @Test
    void deliversOneMultipartMessageToExactlyOneRecipient() throws Exception {
        SmtpTransport transport = new SmtpTransport(settings().build(), CLOCK);

        SendOutcome outcome = sendOne(transport, email("msg_01", "zoe@example.com", "Zoë Ångström"));

        assertThat(outcome).isInstanceOf(SendOutcome.Accepted.class);
        assertThat(outcome.reply()).startsWith("250");
        MimeMessage[] received = greenMail.getReceivedMessages();
        assertThat(received).hasSize(1);
        MimeMessage message = received[0];
        assertThat(message.getAllRecipients()).hasSize(1);
        assertThat(message.getHeader("Message-ID")).containsExactly("<msg_01@otpgate.test>");
        assertThat(message.getSubject()).startsWith("123456 ");
        assertThat(message.getHeader("Auto-Submitted")).containsExactly("auto-generated");
        assertThat(message.getSentDate().toInstant()).isEqualTo(CLOCK.instant());
        assertThat(((InternetAddress) message.getFrom()[0]).getAddress()).isEqualTo("no-reply@otpgate.test");
        assertThat(message.getContentType()).startsWith("multipart/alternative");
        MimeMultipart parts = (MimeMultipart) message.getContent();
        assertThat(parts.getCount()).isEqualTo(2);
        assertThat(parts.getBodyPart(0).getContentType()).startsWithIgnoringCase("text/plain; charset=UTF-8");
        assertThat(parts.getBodyPart(0).getContent()).isEqualTo("Your code is 123456. Zoë");
        assertThat(parts.getBodyPart(1).getContentType()).startsWithIgnoringCase("text/html; charset=UTF-8");
        assertThat(parts.getBodyPart(1).getContent()).isEqualTo("<p>Your code is <b>123456</b>. Zoë</p>");
    }

    @Test
    void encodesANonAsciiDisplayNameAsUtf8() throws Exception {
        sendOne(new SmtpTransport(settings().build(), CLOCK), email("msg_02", "zoe@example.com", "Zoë Ångström"));

        MimeMessage message = greenMail.getReceivedMessages()[0];
        String rawTo = message.getHeader("To", ",");
        assertThat(rawTo).startsWith("=?UTF-8?").endsWith("<zoe@example.com>");
        assertThat(rawTo.chars()).allMatch(c -> c < 0x80);
        InternetAddress to = (InternetAddress) message.getRecipients(Message.RecipientType.TO)[0];
        assertThat(to.getPersonal()).isEqualTo("Zoë Ångström");
        assertThat(to.getAddress()).isEqualTo("zoe@example.com");
    }

    @Test
    void aNameWithCommasAndQuotesStaysOneRecipient() throws Exception {
        sendOne(
                new SmtpTransport(settings().build(), CLOCK),
                email("msg_06", "ada@example.com", "O'Brien, \"Ada\" <b@evil.test>"));

        MimeMessage message = greenMail.getReceivedMessages()[0];
        assertThat(message.getRecipients(Message.RecipientType.TO)).hasSize(1);
        InternetAddress to = (InternetAddress) message.getRecipients(Message.RecipientType.TO)[0];
        assertThat(to.getAddress()).isEqualTo("ada@example.com");
        assertThat(to.getPersonal()).isEqualTo("O'Brien, \"Ada\" <b@evil.test>");
    }

    @Test
    void keepsANameThatLooksLikeAnEncodedWordLiteral() throws Exception {
        sendOne(
                new SmtpTransport(settings().build(), CLOCK),
                email("msg_03", "eve@example.com", "=?utf-8?q?admin=40bank.example?="));

        String rawTo = greenMail.getReceivedMessages()[0].getHeader("To", ",");
        assertThat(rawTo).isEqualTo("\"=?utf-8?q?admin=40bank.example?=\" <eve@example.com>");
    }

    @Test
    void authenticatesWithTheGivenCredentials() {
        SmtpTransport transport = new SmtpTransport(
                settings().credentials("mailer", "s3cret".toCharArray()).build(), CLOCK);

        SendOutcome outcome = sendOne(transport, email("msg_04", "ada@example.com", null));

        assertThat(outcome).isInstanceOf(SendOutcome.Accepted.class);
        assertThat(greenMail.getReceivedMessages()).hasSize(1);
    }

    @Test
    void aRejectedPasswordSendsNothingAndIsAConfigurationFailureRatherThanARetry() {
        SmtpTransport transport = new SmtpTransport(
                settings().credentials("mailer", "wrong".toCharArray()).build(), CLOCK);

        SendOutcome outcome = sendOne(transport, email("msg_05", "ada@example.com", null));

        // Retrying a wrong password can lock the account at the provider.
        assertThat(outcome).isInstanceOf(SendOutcome.Misconfigured.class);
        assertThat(outcome.reply()).contains("535").contains("OTPGATE_SMTP_PASSWORD");
        assertThat(greenMail.getReceivedMessages()).isEmpty();
    }

    @Test
    void describesHostPortTlsAndAuth() {
        SmtpSettings withAuth = SmtpSettings.builder("smtp.example.com")
                .credentials("mailer", "s3cret".toCharArray())
                .build();

        assertThat(new SmtpTransport(withAuth, CLOCK).describe()).isEqualTo("smtp.example.com:587 (starttls, auth)");
        assertThat(new SmtpTransport(settings().port(2525).build(), CLOCK).describe())
                .isEqualTo("127.0.0.1:2525 (none)");
    }

    @Test
    void sessionsAreReusedAcrossMessages() throws Exception {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.accepting()) {
            SmtpTransport transport =
                    new SmtpTransport(settings().port(server.port()).build(), CLOCK);

            try (MailTransport.Connection connection = transport.connect()) {
                for (int i = 0; i < 3; i++) {
                    assertThat(connection.send(email("msg_1" + i, "ada@example.com", null)))
                            .isInstanceOf(SendOutcome.Accepted.class);
                }
            }

            assertThat(server.connections()).isEqualTo(1);
            assertThat(server.commandsStartingWith("MAIL FROM")).hasSize(3);
            assertThat(server.commandsStartingWith("RCPT TO"))
                    .containsExactly(
                            "RCPT TO:<ada@example.com>", "RCPT TO:<ada@example.com>", "RCPT TO:<ada@example.com>");
        }
    }

    /** open() does the handshake ahead of the message, on the session the message then uses. */
    @Test
    void openingFirstGreetsTheServerBeforeAnyMessageAndKeepsThatSession() throws Exception {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.accepting()) {
            SmtpTransport transport =
                    new SmtpTransport(settings().port(server.port()).build(), CLOCK);

            try (MailTransport.Connection connection = transport.connect()) {
                connection.open();
                assertThat(server.commandsStartingWith("EHLO"))
                        .as("greeted on open")
                        .hasSize(1);
                assertThat(server.commandsStartingWith("MAIL FROM")).isEmpty();
                connection.open();
                assertThat(connection.send(email("msg_1", "ada@example.com", null)))
                        .isInstanceOf(SendOutcome.Accepted.class);
            }

            assertThat(server.connections()).isEqualTo(1);
            assertThat(server.commandsStartingWith("MAIL FROM")).hasSize(1);
        }
    }

    private static SmtpSettings.Builder settings() {
        return SmtpSettings.builder("127.0.0.1")
                .port(greenMail.getSmtp().getPort())
                .tls(TlsMode.NONE)
                .from(FROM);
    }

    /** Sends one message on a session of its own and closes it, as {@code otpgate smtp-test} does. */
    static SendOutcome sendOne(SmtpTransport transport, OutgoingEmail email) {
        try (MailTransport.Connection connection = transport.connect()) {
            return connection.send(email);
        }
    }

    static OutgoingEmail email(String rowId, String to, String name) {
        return new OutgoingEmail(
                "<" + rowId + "@otpgate.test>",
                new EmailAddress(to),
                Optional.ofNullable(name).map(DisplayName::new),
                "123456 is your OTPGate verification code",
                "Your code is 123456. Zoë",
                "<p>Your code is <b>123456</b>. Zoë</p>");
    }
}
