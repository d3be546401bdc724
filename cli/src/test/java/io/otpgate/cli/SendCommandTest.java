package io.otpgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import jakarta.mail.Address;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
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
    void excelCsvWithByteOrderMarkAndCrlfReadsAsIs() throws Exception {
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        byte[] rows = "email,name\r\nada@example.com,Ada\r\n\"grace@example.com\",\"Hopper, Grace\"\r\n"
                .getBytes(StandardCharsets.UTF_8);
        Files.write(dir.resolve("users.csv"), concat(bom, rows));

        Conversation cli = send("users.csv");

        assertThat(cli.exitCode()).as(cli.stderr()).isZero();
        assertThat(cli.stdout()).contains("accepted: 2", "rejected: 0", "duplicates: 0", "delivered: 2");
        assertThat(recipients()).containsExactlyInAnyOrder("ada@example.com", "grace@example.com");
    }

    @Test
    void aLatin1FileIsRefusedNamingTheLineAndByteOfTheFirstBadByte() throws Exception {
        // "José" in Latin-1: é is the single byte 0xE9, which is no UTF-8.
        byte[] head = "email,name\nada@example.com,Ada\njose@example.com,Jos".getBytes(StandardCharsets.US_ASCII);
        Files.write(dir.resolve("users.csv"), concat(head, new byte[] {(byte) 0xE9, '\n'}));

        Conversation cli = send("users.csv");

        assertThat(cli.exitCode()).isEqualTo(2);
        assertThat(cli.stderr())
                .contains("line 3, byte " + head.length + ": 0xE9 is not UTF-8")
                .doesNotContain("Input length")
                .doesNotContain("Exception");
        assertThat(smtp.getReceivedMessages()).isEmpty();
    }

    @Test
    void aBinaryFileIsRefusedNamingItsFirstBadByte() throws Exception {
        Files.write(dir.resolve("users.csv"), new byte[] {'P', 'K', 3, 4, (byte) 0x94, 0, 0, '\n', 1});

        Conversation cli = send("users.csv");

        assertThat(cli.exitCode()).isEqualTo(2);
        assertThat(cli.stderr()).contains("line 1, byte 4: 0x94 is not UTF-8");
    }

    @Test
    void raggedRowsAndAnUnclosedQuoteAreReportedByLineWhileTheRestIsSent() throws Exception {
        Files.writeString(dir.resolve("users.csv"), """
        email,name
        ada@example.com,Ada
        bob@example.com,Bob,extra
        carol@example.com
        "eve@example.com,Eve
        grace@example.com,Grace
        "heidi@example.com"x,Heidi
        ivan@example.com,Ivan
        """);

        Conversation cli = send("users.csv");

        assertThat(cli.exitCode()).isEqualTo(1);
        assertThat(cli.stderr())
                .contains("line 3: 3 fields, but the header has 2")
                .contains("line 4: 1 fields, but the header has 2")
                .contains("line 5: a quoted field is never closed")
                .contains("line 7: text after a closing quote")
                .doesNotContain("line 2:")
                .doesNotContain("line 6:")
                .doesNotContain("line 8:");
        assertThat(cli.stdout()).contains("accepted: 3", "rejected: 4", "duplicates: 0", "delivered: 3");
        assertThat(recipients()).containsExactlyInAnyOrder("ada@example.com", "grace@example.com", "ivan@example.com");
    }

    @Test
    void blankLinesAreSkippedAndNotCountedAsRejected() throws Exception {
        Files.writeString(
                dir.resolve("users.csv"), "\r\nemail\r\n\r\nada@example.com\r\n   \r\n\nbob@example.com\n\n\n");

        Conversation cli = send("users.csv");

        assertThat(cli.exitCode()).as(cli.stderr()).isZero();
        assertThat(cli.stdout()).contains("accepted: 2", "rejected: 0", "duplicates: 0");
    }

    @Test
    void theSameMailboxTwiceIsRefusedForTheLaterRowsAndTheSummaryAddsUp() throws Exception {
        // The local part differs in case; the domain once in Unicode, once IDNA-encoded.
        String unicode = "jose@b\u00fccher.example";
        String encoded = "Jose@XN--BCHER-KVA.example";
        Files.writeString(
                dir.resolve("users.csv"),
                "email,name\n"
                        + "ada@example.com,Ada\n"
                        + unicode + ",Jose\n"
                        + "Ada@EXAMPLE.com,Ada again\n"
                        + "bob@example.com,Bob\n"
                        + encoded + ",Jose again\n"
                        + "not-an-address,Nobody\n");

        Conversation cli = send("users.csv");

        assertThat(cli.exitCode()).isEqualTo(1);
        assertThat(cli.stderr())
                .contains("line 4: duplicate_recipient: the same mailbox as line 2")
                .contains("line 6: duplicate_recipient: the same mailbox as line 3")
                .contains("line 7: ");
        // 6 data rows: 3 accepted + 1 rejected + 2 duplicates.
        assertThat(cli.stdout())
                .as(cli.stderr())
                .contains("accepted: 3", "rejected: 1", "duplicates: 2", "delivered: 3");
        assertThat(recipients())
                .containsExactlyInAnyOrder("ada@example.com", "jose@xn--bcher-kva.example", "bob@example.com");
    }

    @Test
    void aBadPurposeIsReportedOnceBeforeAnyRow() throws Exception {
        Files.writeString(dir.resolve("users.csv"), "email\nada@example.com\nbob@example.com\n");

        Conversation cli = send("users.csv", "--purpose", "Password-Reset");

        assertThat(cli.exitCode()).isEqualTo(2);
        assertThat(cli.stderr().lines().toList())
                .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                .contains("--purpose Password-Reset");
        assertThat(smtp.getReceivedMessages()).isEmpty();
    }

    private Conversation send(String file, String... more) {
        List<String> args = new ArrayList<>(List.of("send", "--csv", file));
        args.addAll(List.of(more));
        return new Conversation(MailServer.env(smtp, dir.resolve("data")), dir, args.toArray(String[]::new));
    }

    private List<String> recipients() throws Exception {
        List<String> to = new ArrayList<>();
        for (MimeMessage message : smtp.getReceivedMessages()) {
            to.add(((InternetAddress) message.getAllRecipients()[0]).getAddress());
        }
        return to;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    @Test
    void runningTheSameFileAgainSendsOnlyTheRowsThatAreNewOrChanged() throws Exception {
        Files.writeString(dir.resolve("users.csv"), "email,name\nada@example.com,Ada\nbob@example.com,Bob\n");
        Conversation first = send("users.csv");
        assertThat(first.exitCode()).isZero();
        assertThat(first.stdout()).contains("accepted: 2", "delivered: 2");

        // The rerun after an edit: Bob's name changed, Carol is new, Ada is as before.
        Files.writeString(
                dir.resolve("users.csv"),
                "email,name\nada@example.com,Ada\nbob@example.com,Robert\ncarol@example.com,Carol\n");
        Conversation rerun = send("users.csv");

        assertThat(rerun.exitCode()).as(rerun.stderr()).isZero();
        assertThat(rerun.stdout()).contains("accepted: 2", "queued earlier: 1", "delivered: 3");
        assertThat(recipients())
                .containsExactlyInAnyOrder(
                        "ada@example.com", "bob@example.com", "bob@example.com", "carol@example.com");
    }

    @Test
    void theSameRowsInAnotherFileAreAnotherSend() throws Exception {
        Files.writeString(dir.resolve("monday.csv"), "email\nada@example.com\n");
        Files.writeString(dir.resolve("tuesday.csv"), "email\nada@example.com\n");

        assertThat(send("monday.csv").exitCode()).isZero();
        Conversation tuesday = send("tuesday.csv");

        assertThat(tuesday.exitCode()).isZero();
        assertThat(tuesday.stdout()).contains("accepted: 1").doesNotContain("queued earlier");
        assertThat(recipients()).containsExactly("ada@example.com", "ada@example.com");
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
