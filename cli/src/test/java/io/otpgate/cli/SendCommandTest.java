package io.otpgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import jakarta.mail.Address;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class SendCommandTest {

    @RegisterExtension
    final GreenMailExtension smtp = MailServer.greenMail();

    @TempDir
    Path dir;

    @Test
    void aThousandRowsDeliverAThousandEmailsToAThousandDistinctRecipients() throws Exception {
        StringBuilder csv = new StringBuilder("email,name,locale\n");
        for (int i = 0; i < 1000; i++) {
            csv.append("user").append(i).append("@example.com,User ").append(i).append(",en\n");
        }
        Files.writeString(dir.resolve("users.csv"), csv);

        Conversation cli =
                new Conversation(MailServer.env(smtp, dir.resolve("data")), dir, "send", "--csv", "users.csv");
        int exit = cli.exitCode();

        assertThat(exit).as(cli.stderr()).isZero();
        assertThat(cli.stdout()).contains("accepted: 1000", "rejected: 0", "delivered: 1000", "failed: 0");
        MimeMessage[] received = smtp.getReceivedMessages();
        assertThat(received).hasSize(1000);
        Set<String> recipients = new HashSet<>();
        Set<String> messageIds = new HashSet<>();
        for (MimeMessage message : received) {
            Address[] to = message.getAllRecipients();
            assertThat(to).hasSize(1);
            recipients.add(to[0].toString());
            messageIds.add(message.getMessageID());
        }
        assertThat(recipients).hasSize(1000);
        assertThat(messageIds).hasSize(1000);
    }

    @Test
    void badRowsAreReportedByLineNumberWithoutStoppingTheRest() throws Exception {
        Files.writeString(dir.resolve("users.csv"), """
        email,name
        ada@example.com,Ada
        not-an-address,Bob
        "eve@example.com
        Bcc: mallory@evil.test",Eve
        ,Nobody
        grace@example.com,"Hopper, Grace"
        """);

        Conversation cli =
                new Conversation(MailServer.env(smtp, dir.resolve("data")), dir, "send", "--csv", "users.csv");
        int exit = cli.exitCode();

        assertThat(exit).isEqualTo(1);
        assertThat(cli.stderr()).contains("line 3: ").contains("line 4: ").contains("line 6: ");
        assertThat(cli.stderr()).doesNotContain("line 2:").doesNotContain("line 7:");
        assertThat(cli.stdout()).contains("accepted: 2", "rejected: 3", "delivered: 2", "failed: 0");
        assertThat(smtp.getReceivedMessages()).hasSize(2);
    }

    @Test
    void noWaitReturnsOnceEveryRowIsQueued() throws Exception {
        Files.writeString(dir.resolve("users.csv"), "email\nada@example.com\n");

        Conversation cli = new Conversation(
                MailServer.env(smtp, dir.resolve("data")), dir, "send", "--csv", "users.csv", "--no-wait");

        assertThat(cli.exitCode()).isZero();
        assertThat(cli.stdout()).contains("accepted: 1").doesNotContain("delivered:");
    }

    @Test
    void aFileWithoutAnEmailColumnIsAUsageError() throws Exception {
        Files.writeString(dir.resolve("users.csv"), "mail,name\nada@example.com,Ada\n");

        Conversation cli =
                new Conversation(MailServer.env(smtp, dir.resolve("data")), dir, "send", "--csv", "users.csv");

        assertThat(cli.exitCode()).isEqualTo(2);
        assertThat(cli.stderr()).contains("no 'email' column");
        assertThat(smtp.getReceivedMessages()).isEmpty();
    }
}
