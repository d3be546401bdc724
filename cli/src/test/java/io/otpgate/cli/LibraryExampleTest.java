package io.otpgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import io.otpgate.core.code.ServerSecret;
import io.otpgate.core.delivery.MailTransport;
import io.otpgate.core.delivery.OutboxDispatcher;
import io.otpgate.core.id.VerificationId;
import io.otpgate.core.tenant.Tenant;
import io.otpgate.core.verification.CheckResult;
import io.otpgate.core.verification.StartRequest;
import io.otpgate.core.verification.StartResult;
import io.otpgate.core.verification.Verifier;
import io.otpgate.jdbc.Database;
import io.otpgate.jdbc.Sync;
import io.otpgate.mail.SmtpSettings;
import io.otpgate.mail.SmtpTransport;
import io.otpgate.mail.TemplateComposer;
import io.otpgate.mail.TlsMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's library example, run as written there against a real SMTP server and the embedded
 * store, and compared line by line with the README, so the example a stranger copies compiles and
 * approves a code. Lines marked {@code // test only} are this test's, not the README's.
 */
class LibraryExampleTest {

    private static final Path SOURCE = Path.of("src/test/java/io/otpgate/cli/LibraryExampleTest.java");
    private static final Path README = Path.of("../README.md");

    @RegisterExtension
    GreenMailExtension greenMail = MailServer.greenMail();

    @TempDir
    Path dataDir;

    @Test
    void theReadmesLibraryExampleApprovesTheCodeItEmailed() throws Exception {
        byte[] secretBytes = new byte[32];
        new SecureRandom().nextBytes(secretBytes);
        SmtpSettings local = SmtpSettings.builder("127.0.0.1")
                .port(greenMail.getSmtp().getPort())
                .tls(TlsMode.NONE)
                .build();
        // spotless:off
        // README begin
        ServerSecret secret = ServerSecret.of(List.of(secretBytes)); // 32 random bytes; keep them out of the database
        Database db = Database.openEmbedded(dataDir, secret, 10, Sync.FULL); // or Database.open(jdbcUrl, user, password, 10)
        Clock clock = db.clock(); // the database's clock: every process on one database agrees on expiry
        MailTransport smtp = new SmtpTransport(SmtpSettings.builder("smtp.example.com").build(), clock);
        smtp = new SmtpTransport(local, clock); // test only: the local SMTP server instead
        TemplateComposer templates = TemplateComposer.builder().brand("Example").build();
        OutboxDispatcher delivery = OutboxDispatcher.builder()
                .outbox(db.outbox()).transport(smtp).composer(templates).secret(secret).clock(clock)
                .build().start();
        Verifier verifier = Verifier.builder()
                .store(db.verifications()).secret(secret).clock(clock).onEmailQueued(delivery::wake)
                .build();

        StartResult started = verifier.start(StartRequest.of("ada@example.com").withName("Ada"));
        VerificationId id = ((StartResult.Started) started).verification().id();
        String typedCode = MailServer.newestCode(greenMail, 1); // test only: what Ada types
        CheckResult result = verifier.check(Tenant.DEFAULT, id, typedCode);
        // README end
        // spotless:on
        delivery.close();
        db.close();

        assertThat(result).isInstanceOf(CheckResult.Approved.class);
        assertThat(greenMail.getReceivedMessages()[0].getSubject()).startsWith(typedCode);
    }

    @Test
    void theReadmeShowsTheExampleThisTestRuns() throws Exception {
        Matcher inReadme = Pattern.compile("## Using the library.*?```java\\n(.*?)```", Pattern.DOTALL)
                .matcher(Files.readString(README));
        Matcher inTest = Pattern.compile("// README begin\\n(.*?)\\s*// README end", Pattern.DOTALL)
                .matcher(Files.readString(SOURCE));
        assertThat(inReadme.find()).as("the README's library example").isTrue();
        assertThat(inTest.find()).as("this test's copy").isTrue();

        List<String> tested = inTest.group(1)
                .lines()
                .filter(line -> !line.endsWith("// test only") && !line.contains("// test only:"))
                .map(String::strip)
                .toList();
        List<String> shown = inReadme.group(1).lines().map(String::strip).toList();
        assertThat(tested).as("the example run here, as the README shows it").isEqualTo(shown);
    }
}
