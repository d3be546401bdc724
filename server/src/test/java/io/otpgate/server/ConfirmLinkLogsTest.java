package io.otpgate.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.otpgate.core.code.OneTimeCode;
import io.otpgate.core.id.VerificationId;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The confirm link's token opens a verification: it must not land in any log line. */
class ConfirmLinkLogsTest {

    @TempDir
    Path dir;

    private final ListAppender<ILoggingEvent> events = new ListAppender<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final Logger access = (Logger) LoggerFactory.getLogger("otpgate.access");
    private Level accessLevel;
    private ServiceFixture service;

    @BeforeEach
    void capture() {
        accessLevel = access.getLevel();
        access.setLevel(Level.INFO);
        events.start();
        root.addAppender(events);
        service = new ServiceFixture(dir);
    }

    @AfterEach
    void release() {
        service.close();
        root.detachAppender(events);
        access.setLevel(accessLevel);
    }

    @Test
    void theTokenIsRedactedFromTheAccessLogAndEveryOtherLine() {
        PageClient browser = new PageClient(service.server.port());
        String csrf = browser.get("/").csrf();
        String codePath = browser.post("/start", "email", "logs@example.com", "csrf", csrf)
                .location();
        String id = codePath.replaceFirst("^/verify/", "");
        String code = service.codeFor("logs@example.com", 1);
        String token = service.linkTokens.issue(new VerificationId(id), OneTimeCode.of(code.toCharArray()));

        PageClient.Page opened = browser.get("/confirm/" + id + "/" + token);
        assertThat(browser.post("/confirm/" + id + "/" + token, "csrf", opened.csrf())
                        .status())
                .isEqualTo(303);
        browser.get("/confirm/" + id + "/" + token + "x");

        assertThat(events.list)
                .anySatisfy(e -> assertThat(e.getFormattedMessage()).contains("/confirm/{id}/{token}"));
        assertThat(events.list)
                .noneSatisfy(e -> assertThat(e.getFormattedMessage()).contains(token));
        assertThat(events.list)
                .noneSatisfy(e -> assertThat(e.getFormattedMessage()).contains(code));
    }
}
