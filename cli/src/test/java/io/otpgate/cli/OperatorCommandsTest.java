package io.otpgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class OperatorCommandsTest {

    @RegisterExtension
    final GreenMailExtension smtp = MailServer.greenMail();

    @TempDir
    Path dir;

    private Conversation run(String... args) {
        return new Conversation(MailServer.env(smtp, dir.resolve("data")), dir, args);
    }

    private String startOne() throws Exception {
        Files.writeString(dir.resolve("one.csv"), "email\nada@example.com\n");
        Conversation send = run("send", "--csv", "one.csv");
        assertThat(send.exitCode()).isZero();
        return newestId();
    }

    private String newestId() throws Exception {
        try (var db = DataDirDatabase.open(dir.resolve("data"), 1);
                var c = db.dataSource().getConnection();
                var rs = c.createStatement()
                        .executeQuery("SELECT id FROM verifications ORDER BY created_at DESC LIMIT 1")) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void statusShowsTheVerificationAndItsDelivery() throws Exception {
        String id = startOne();

        Conversation status = run("status", id);

        assertThat(status.exitCode()).isZero();
        assertThat(status.stdout())
                .contains("status:              pending", "delivery:            sent", "attempts remaining:  3 of 3");
        assertThat(status.stdout())
                .contains("events:", "verification.started", "email.queued", "email.sent  {reply=250");
    }

    @Test
    void cancelStopsAPendingVerificationOnce() throws Exception {
        String id = startOne();

        Conversation first = run("cancel", id);
        assertThat(first.exitCode()).isZero();
        Conversation second = run("cancel", id);

        assertThat(second.exitCode()).isEqualTo(1);
        assertThat(second.stdout()).contains("already canceled");
    }

    @Test
    void aMalformedIdIsRefusedBeforeTouchingTheDatabase() {
        Conversation status = run("status", "../../etc/passwd");

        assertThat(status.exitCode()).isEqualTo(2);
        assertThat(status.stderr()).contains("not a verification id");
        assertThat(Files.exists(dir.resolve("data"))).isFalse();
    }

    @Test
    void cancelRefusesAMalformedIdInOneLineBeforeTouchingTheDatabase() {
        Conversation cancel = run("cancel", "ver_x");

        assertThat(cancel.exitCode()).isEqualTo(2);
        assertThat(cancel.stderr().strip())
                .isEqualTo("otpgate: not a verification id (ver_ followed by 26 characters)");
        assertThat(Files.exists(dir.resolve("data"))).isFalse();
    }

    @Test
    void unlockSaysWhetherTheAddressWasLocked() {
        Conversation unlock = run("unlock", "ada@example.com");

        assertThat(unlock.exitCode()).isZero();
        assertThat(unlock.stdout()).contains("was not locked");
    }

    @Test
    void sendInATenantAndTheOperatorCancelsItWhateverItsTenant() throws Exception {
        Files.writeString(dir.resolve("one.csv"), "email\nada@example.com\n");
        assertThat(run("send", "--csv", "one.csv", "--tenant", "acme").exitCode())
                .isZero();
        String id = newestId();

        Conversation cancel = run("cancel", id);

        assertThat(cancel.exitCode()).as(cancel.stdout() + cancel.stderr()).isZero();
        try (var db = DataDirDatabase.open(dir.resolve("data"), 1);
                var c = db.dataSource().getConnection();
                var ps = c.prepareStatement("SELECT tenant, status FROM verifications WHERE id = ?")) {
            ps.setString(1, id);
            try (var rs = ps.executeQuery()) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("acme");
                assertThat(rs.getString(2)).isEqualTo("canceled");
            }
        }
    }

    @Test
    void unlockLiftsTheLockOfTheNamedTenantInAnyLetterCase() throws Exception {
        startOne();
        try (var db = DataDirDatabase.open(dir.resolve("data"), 1);
                var c = db.dataSource().getConnection();
                var s = c.createStatement()) {
            s.executeUpdate("INSERT INTO mailbox_failures (mailbox, consecutive, locked_until, last_failed_at)"
                    + " VALUES ('acme:ada@example.com', 20, "
                    + Instant.parse("2999-01-01T00:00:00Z").toEpochMilli()
                    + ", 0)"); // times are epoch milliseconds in the embedded store
        }

        Conversation inDefault = run("unlock", "ADA@example.com");
        assertThat(inDefault.exitCode()).isZero();
        Conversation inAcme = run("unlock", "ADA@example.com", "--tenant", "acme");
        assertThat(inAcme.exitCode()).isZero();

        assertThat(inDefault.stdout()).contains("was not locked");
        assertThat(inAcme.stdout()).contains("Unlocked");
    }

    @Test
    void smtpTestReportsTheServersReply() {
        Conversation test = run("smtp-test", "--to", "ops@example.com");

        assertThat(test.exitCode()).as(test.stdout() + test.stderr()).isZero();
        assertThat(test.stdout()).contains("Accepted: 250");
        assertThat(smtp.getReceivedMessages()).hasSize(1);
    }

    @Test
    void smtpTestNamesTheSettingToChangeWhenTheServerOffersNoStartTls() {
        Map<String, String> env = MailServer.env(smtp, dir.resolve("data"));
        env.put("OTPGATE_SMTP_TLS", "starttls");

        Conversation test = new Conversation(env, dir, "smtp-test", "--to", "ops@example.com");

        assertThat(test.exitCode()).isEqualTo(1);
        assertThat(test.stdout())
                .contains("Failed (configuration)", "does not offer STARTTLS", "Change OTPGATE_SMTP_TLS")
                .doesNotContain("temporary");
        assertThat(smtp.getReceivedMessages()).isEmpty();
    }

    @Test
    void smtpTestNamesTheCredentialsWhenTheServerRefusesThem() {
        smtp.setUser("mailer", "s3cret");
        Map<String, String> env = MailServer.env(smtp, dir.resolve("data"));
        env.put("OTPGATE_SMTP_USERNAME", "mailer");
        env.put("OTPGATE_SMTP_PASSWORD", "wrong-password");

        Conversation test = new Conversation(env, dir, "smtp-test", "--to", "ops@example.com");

        assertThat(test.exitCode()).isEqualTo(1);
        assertThat(test.stdout())
                .contains("Failed (configuration)", "535", "OTPGATE_SMTP_USERNAME and OTPGATE_SMTP_PASSWORD")
                .doesNotContain("wrong-password");
    }

    @Test
    void anUnreadableCaFileStopsTheStartNamingTheSetting() {
        Map<String, String> env = MailServer.env(smtp, dir.resolve("data"));
        env.put("OTPGATE_SMTP_CA_FILE", "missing-ca.pem");

        Conversation test = new Conversation(env, dir, "smtp-test", "--to", "ops@example.com");

        assertThat(test.exitCode()).isEqualTo(2);
        assertThat(test.stderr()).contains("OTPGATE_SMTP_CA_FILE", "missing-ca.pem");
    }

    @Test
    void templatePreviewShowsTheEmailAndWritesItsHtml() throws Exception {
        Conversation preview = run("template", "preview", "--purpose", "password_reset", "--html", "preview.html");

        assertThat(preview.exitCode()).isZero();
        Matcher subject = Pattern.compile("Subject: (\\d{6}) is your").matcher(preview.stdout());
        assertThat(subject.find()).as(preview.stdout()).isTrue();
        assertThat(Files.readString(dir.resolve("preview.html")))
                .contains("<html")
                .contains(subject.group(1));
    }

    @Test
    void templatePreviewShowsALanguageAndNamesTheOneItFellBackTo() {
        Conversation arabic = run("template", "preview", "--locale", "ar-EG", "--purpose", "login");
        Conversation portuguese = run("template", "preview", "--locale", "pt-PT");

        assertThat(arabic.exitCode()).isZero();
        assertThat(portuguese.exitCode()).isZero();
        assertThat(arabic.stdout()).contains("Language: ar (for ar-EG)", "Subject: 123456 هو رمز تسجيل الدخول");
        assertThat(portuguese.stdout()).contains("Language: pt-BR (for pt-PT)", "Olá, Ada Lovelace!");
    }

    @Test
    void templatePreviewRefusesALanguageWithoutStringsAndListsTheShippedOnes() {
        Conversation preview = run("template", "preview", "--locale", "ja");

        assertThat(preview.exitCode()).isEqualTo(2);
        assertThat(preview.stderr()).contains("no email strings for 'ja'", "en, es, fr, de, pt-BR, hi, zh-Hans, ar");
    }

    @Test
    void templatePreviewShowsTheConfirmLinkWhenThereIsAPublicUrl() {
        Map<String, String> env = new java.util.HashMap<>(MailServer.env(smtp, dir.resolve("data")));
        env.put("OTPGATE_PUBLIC_URL", "https://verify.example.test/otp/");

        Conversation withLink = new Conversation(env, dir, "template", "preview");
        Conversation without = run("template", "preview");

        assertThat(withLink.exitCode()).isZero();
        assertThat(without.exitCode()).isZero();
        assertThat(withLink.stdout())
                .contains("Or confirm with one click:\nhttps://verify.example.test/otp/confirm/ver_");
        assertThat(without.stdout()).doesNotContain("/confirm/");
    }

    @Test
    void withTheHostedPagesOffNoEmailLinksToAConfirmPage() {
        Map<String, String> env = new java.util.HashMap<>(MailServer.env(smtp, dir.resolve("data")));
        env.put("OTPGATE_PUBLIC_URL", "https://verify.example.test/otp/");
        env.put("OTPGATE_PAGES", "off");

        Conversation preview = new Conversation(env, dir, "template", "preview");

        assertThat(preview.exitCode()).isZero();
        assertThat(preview.stdout())
                .as("/confirm/ answers 404 without the pages")
                .doesNotContain("/confirm/");
    }

    @Test
    void everyConfigurationProblemIsListedWithExitStatusTwo() {
        Conversation cli = new Conversation(
                Map.of(
                        "OTPGATE_DATA_DIR", dir.resolve("data").toString(),
                        "OTPGATE_CODE_LENGTH", "3",
                        "OTPGATE_SMTP_TLS", "sometimes"),
                dir,
                "unlock",
                "ada@example.com");

        assertThat(cli.exitCode()).isEqualTo(2);
        assertThat(cli.stderr())
                .contains("otpgate: OTPGATE_CODE_LENGTH: code length must be between 4 and 10")
                .contains("otpgate: OTPGATE_SMTP_TLS: ");
    }

    @Test
    void versionAndHelpWork() {
        Conversation version = run("--version");
        assertThat(version.exitCode()).isZero();
        assertThat(version.stdout()).startsWith("otpgate 0.");

        Conversation help = run("--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.stdout())
                .contains("verify", "send", "status", "cancel", "unlock", "smtp-test", "template", "serve");
    }
}
