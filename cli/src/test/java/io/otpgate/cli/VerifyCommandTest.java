package io.otpgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class VerifyCommandTest {

    @RegisterExtension
    final GreenMailExtension smtp = MailServer.greenMail();

    @TempDir
    Path dir;

    @Test
    void aPersonVerifiesTheirAddressAgainstARealSmtpServer() throws Exception {
        try (Conversation cli = new Conversation(MailServer.env(smtp, dir.resolve("data")), dir, "verify")) {
            cli.await("Name: ");
            cli.type("Ada Lovelace");
            cli.await("Email: ");
            cli.type("ada at example.com");
            assertThat(cli.await("Email: "))
                    .contains("not a valid email address")
                    .contains("no @");
            cli.type("Ada@Example.com");
            String beforeCode = cli.await("Code: ");
            String code = MailServer.newestCode(smtp, 1);

            assertThat(beforeCode).contains("Code sent").contains("10 minutes").doesNotContain(code);
            cli.type("12345");
            assertThat(cli.await("Code: ")).contains("6 digits").contains("did not use an attempt");
            cli.type(code.equals("000000") ? "111111" : "000000");
            assertThat(cli.await("Code: ")).contains("Wrong code. 2 attempts left.");
            cli.type(code);

            assertThat(cli.exitCode()).isZero();
            assertThat(cli.stdout()).contains("Verified Ada@example.com");
        }
        MimeMessage sent = smtp.getReceivedMessages()[0];
        assertThat(sent.getAllRecipients()).hasSize(1);
        assertThat(sent.getAllRecipients()[0].toString()).contains("Ada@example.com");
    }

    @Test
    void threeWrongCodesEndWithExitStatusOne() {
        Map<String, String> env = MailServer.env(smtp, dir.resolve("data"));
        try (Conversation cli = new Conversation(env, dir, "verify", "--name", "Ada", "--email", "ada@example.com")) {
            cli.await("Code: ");
            String wrong = MailServer.newestCode(smtp, 1).equals("000000") ? "111111" : "000000";
            cli.type(wrong);
            cli.await("Code: ");
            cli.type(wrong);
            assertThat(cli.await("Code: ")).contains("1 attempt left");
            cli.type(wrong);

            assertThat(cli.exitCode()).isEqualTo(1);
            assertThat(cli.stdout()).contains("Too many attempts: not verified.");
        }
    }

    /**
     * Issue 11, finding 6: a server without STARTTLS (required by default) used to be retried for a
     * minute, after which verify said the email "may arrive shortly".
     */
    @Test
    void aServerWithoutStartTlsIsToldAtOnceWithTheSettingToChange() {
        Map<String, String> env = MailServer.env(smtp, dir.resolve("data"));
        env.put("OTPGATE_SMTP_TLS", "starttls");
        try (Conversation cli = new Conversation(env, dir, "verify", "--name", "Ada", "--email", "ada@example.com")) {

            assertThat(cli.exitCode()).isEqualTo(1);
            assertThat(cli.stdout() + cli.stderr())
                    .contains("The email could not be delivered", "STARTTLS", "OTPGATE_SMTP_TLS")
                    .doesNotContain("may arrive shortly", "retrying");
            assertThat(smtp.getReceivedMessages()).isEmpty();
        }
    }

    @Test
    void aCodeTypedInArabicIndicDigitsWithANoBreakSpaceVerifies() {
        Map<String, String> env = MailServer.env(smtp, dir.resolve("data"));
        try (Conversation cli = new Conversation(env, dir, "verify", "--name", "Ada", "--email", "ada@example.com")) {
            cli.await("Code: ");
            StringBuilder typed = new StringBuilder();
            MailServer.newestCode(smtp, 1).chars().forEach(c -> typed.appendCodePoint(c - '0' + 0x0660));
            typed.insert(3, '\u00A0');
            cli.type(typed.toString());

            assertThat(cli.exitCode()).isZero();
            assertThat(cli.stdout()).contains("Verified ada@example.com");
        }
    }

    @Test
    void resendSendsANewCodeAndTheOldOneNoLongerWorks() {
        try (Conversation cli = new Conversation(
                MailServer.env(smtp, dir.resolve("data")), dir, "verify", "--name", "", "--email", "ada@example.com")) {
            cli.await("Code: ");
            String first = MailServer.newestCode(smtp, 1);
            cli.type("resend");
            assertThat(cli.await("Code: "))
                    .contains("previous one no longer works")
                    .contains("Code sent");
            String second = MailServer.newestCode(smtp, 2);
            org.junit.jupiter.api.Assumptions.assumeFalse(first.equals(second), "one-in-a-million collision");
            cli.type(first);
            assertThat(cli.await("Code: ")).contains("Wrong code");
            cli.type(second);

            assertThat(cli.exitCode()).isZero();
        }
    }

    @Test
    void withoutAnSmtpHostTheEmailIsPrintedSoTheFlowCanBeCompleted() {
        Map<String, String> env = Map.of("OTPGATE_DATA_DIR", dir.resolve("data").toString());
        try (Conversation cli = new Conversation(env, dir, "verify")) {
            cli.await("Name: ");
            cli.type("Ada");
            cli.await("Email: ");
            cli.type("ada@example.com");
            String shown = cli.await("Code: ");
            assertThat(shown).contains("dev mailbox").contains("Subject: ");
            String code = shown.substring(shown.indexOf("Subject: ") + 9).split(" ")[0];
            cli.type(code);

            assertThat(cli.exitCode()).isZero();
            assertThat(cli.stdout()).contains("Verified ada@example.com");
        }
    }

    @Test
    void endOfInputIsAFailureNotAHang() {
        try (Conversation cli = new Conversation(MailServer.env(smtp, dir.resolve("data")), dir, "verify")) {
            cli.await("Name: ");

            assertThat(cli.exitCode()).isEqualTo(1);
            assertThat(cli.stdout()).contains("No input");
        }
    }
}
