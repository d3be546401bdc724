package io.otpgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import io.otpgate.jdbc.Database;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** SIGTERM in the middle of {@code send --csv}: intake stops, the summary so far is printed, exit 143. */
class SendInterruptTest {

    private static final int ROWS = 3000;

    @RegisterExtension
    final GreenMailExtension smtp = MailServer.greenMail();

    @TempDir
    Path dir;

    @Test
    void sigtermMidFilePrintsTheSummarySoFarReleasesEveryLeaseAndTheRerunMailsNobodyTwice() throws Exception {
        StringBuilder csv = new StringBuilder("email,name\r\n");
        for (int i = 0; i < ROWS; i++) {
            csv.append("user").append(i).append("@example.com,User ").append(i).append("\r\n");
        }
        Files.writeString(dir.resolve("users.csv"), csv);
        Path data = dir.resolve("data");
        ProcessBuilder builder = new ProcessBuilder(
                        ProcessHandle.current().info().command().orElse("java"),
                        "-cp",
                        System.getProperty("java.class.path"),
                        Main.class.getName(),
                        "send",
                        "--csv",
                        "users.csv")
                .directory(dir.toFile())
                .redirectOutput(dir.resolve("stdout").toFile())
                .redirectError(dir.resolve("stderr").toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("OTPGATE_"));
        builder.environment().putAll(MailServer.env(smtp, data));
        Process send = builder.start();
        try {
            assertThat(smtp.waitForIncomingEmail(60_000, 1))
                    .as("the first email arrived")
                    .isTrue();

            send.destroy(); // SIGTERM

            assertThat(send.waitFor(60, TimeUnit.SECONDS)).isTrue();
        } finally {
            send.destroyForcibly();
        }
        String out = Files.readString(dir.resolve("stdout"), StandardCharsets.UTF_8);
        String err = Files.readString(dir.resolve("stderr"), StandardCharsets.UTF_8);
        assertThat(send.exitValue()).as(out + err).isEqualTo(143);
        assertThat(err).doesNotContain("Exception");
        int accepted = count(out, "accepted");
        assertThat(accepted + count(out, "rejected") + count(out, "duplicates") + count(out, "not read"))
                .as(out)
                .isEqualTo(ROWS);
        assertThat(out).contains("interrupted").containsPattern("delivered: \\d+");
        try (Database db = DataDirDatabase.open(data, 2);
                Connection c = db.dataSource().getConnection()) {
            assertThat(query(c, "SELECT COUNT(*) FROM outbox")).isEqualTo(accepted);
            assertThat(query(c, "SELECT COUNT(*) FROM outbox WHERE status = 'sending'"))
                    .as("no lease left behind")
                    .isZero();
            assertThat(query(c, "SELECT COUNT(*) FROM outbox WHERE status = 'sent'"))
                    .as("every email the SMTP server took is recorded as sent")
                    .isEqualTo(smtp.getReceivedMessages().length);
        }

        // The rerun finishes the file: rows queued before the signal are skipped, not mailed again.
        Conversation rerun = new Conversation(MailServer.env(smtp, data), dir, "send", "--csv", "users.csv");
        assertThat(rerun.exitCode()).as(rerun.stderr()).isZero();
        assertThat(count(rerun.stdout(), "queued earlier")).as(rerun.stdout()).isEqualTo(accepted);
        assertThat(count(rerun.stdout(), "accepted")).isEqualTo(ROWS - accepted);
        assertThat(count(rerun.stdout(), "delivered")).isEqualTo(ROWS);
        Set<String> recipients = new HashSet<>();
        for (MimeMessage message : smtp.getReceivedMessages()) {
            recipients.add(((InternetAddress) message.getAllRecipients()[0]).getAddress());
        }
        assertThat(recipients).hasSize(ROWS);
        assertThat(smtp.getReceivedMessages()).as("nobody got two emails").hasSize(ROWS);
    }

    private static int count(String out, String label) {
        Matcher m = Pattern.compile("(?m)^" + label + ": (\\d+)").matcher(out);
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    private static long query(Connection c, String sql) throws Exception {
        try (ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
