package io.otpgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** Codes never reach a log line, even at TRACE, through a whole flow with wrong and right codes. */
class LogSecrecyTest {

    @RegisterExtension
    final GreenMailExtension smtp = MailServer.greenMail();

    @TempDir
    Path dir;

    private final Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
    private final ListAppender<ILoggingEvent> captured = new ListAppender<>();
    private Level previous;

    @BeforeEach
    void captureEverything() {
        previous = root.getLevel();
        root.setLevel(Level.TRACE);
        captured.start();
        root.addAppender(captured);
    }

    @AfterEach
    void restore() {
        root.detachAppender(captured);
        root.setLevel(previous);
    }

    /** Issue 11, finding 6: final failures were logged at INFO, where no operator looks. */
    @Test
    void aFinalDeliveryFailureIsLoggedAtWarnWithItsIdDomainAndReply() {
        java.util.Map<String, String> env = MailServer.env(smtp, dir.resolve("data"));
        env.put("OTPGATE_SMTP_TLS", "starttls");
        try (Conversation cli = new Conversation(env, dir, "verify", "--name", "Ada", "--email", "ada@example.com")) {
            assertThat(cli.exitCode()).isEqualTo(1);
        }

        assertThat(captured.list)
                .filteredOn(e -> e.getFormattedMessage().startsWith("email failed"))
                .singleElement()
                .satisfies(e -> {
                    assertThat(e.getLevel()).isEqualTo(Level.WARN);
                    assertThat(e.getFormattedMessage())
                            .contains("id=msg_", "verification=ver_", "domain=example.com", "OTPGATE_SMTP_TLS")
                            .doesNotContain("ada@");
                });
    }

    @Test
    void noCodeAppearsInTheLogAtTrace() {
        List<String> codes = new ArrayList<>();
        try (Conversation cli = new Conversation(
                MailServer.env(smtp, dir.resolve("data")),
                dir,
                "verify",
                "--name",
                "Ada",
                "--email",
                "ada@example.com")) {
            cli.await("Code: ");
            codes.add(MailServer.newestCode(smtp, 1));
            cli.type("resend");
            cli.await("Code: ");
            codes.add(MailServer.newestCode(smtp, 2));
            cli.type(codes.get(0));
            cli.await("Code: ");
            cli.type(codes.get(1));
            assertThat(cli.exitCode()).isZero();
        }

        List<String> lines = new ArrayList<>();
        for (ILoggingEvent event : captured.list) {
            if (event.getLoggerName().startsWith("com.icegreen")) {
                continue; // the test's SMTP server logs the DATA it receives: that is the recipient's side
            }
            lines.add(event.getFormattedMessage());
            if (event.getThrowableProxy() != null) {
                lines.add(ThrowableProxyUtil.asString(event.getThrowableProxy()));
            }
        }
        assertThat(lines).as("the flow logged something at all").anyMatch(l -> l.contains("verification checked"));
        for (String code : codes) {
            assertThat(lines).noneMatch(line -> line.contains(code));
        }
    }
}
