package io.otpgate.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.otpgate.core.delivery.CapturedEmail;
import io.otpgate.core.delivery.CapturedEmails;
import io.otpgate.core.delivery.OutgoingEmail;
import io.otpgate.core.email.EmailAddress;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dev mailbox's store on a real database, shared by two processes' worth of {@link Database}s,
 * as {@code serve} and the CLI share one data dir; run on each database by {@code CapturedEmailsOn…Test}.
 */
abstract class CapturedEmailsTest {

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00.123456Z");

    private final DatabaseKind kind;

    @TempDir
    Path dir;

    private Database server;
    private Database cli;

    CapturedEmailsTest(DatabaseKind kind) {
        this.kind = kind;
    }

    @BeforeEach
    void open() {
        TestDatabase shared = kind.fresh(dir);
        server = shared.open(2);
        cli = shared.open(2);
    }

    @AfterEach
    void close() {
        try {
            cli.close();
        } finally {
            server.close();
        }
    }

    @Test
    void anEmailOneProcessCapturedIsListedByTheOther() {
        CapturedEmail captured = cli.capturedEmails().capture(email(1), NOW, 500);

        assertThat(server.capturedEmails().newest(10)).containsExactly(captured);
        CapturedEmail listed = server.capturedEmails().newest(10).get(0);
        assertThat(listed.to().value()).isEqualTo("user1@example.com");
        assertThat(listed.subject()).isEqualTo("100001 is your code");
        assertThat(listed.text()).isEqualTo("text 1 ١٢٣");
        assertThat(listed.html()).isEqualTo("<p dir=\"rtl\">html 1</p>");
        // As the database keeps times: milliseconds on SQLite, microseconds on PostgreSQL.
        assertThat(listed.receivedAt()).isEqualTo(NOW.truncatedTo(kind.timePrecision()));
    }

    @Test
    void bothProcessesCapturesAreListedNewestFirst() {
        server.capturedEmails().capture(email(1), NOW, 500);
        cli.capturedEmails().capture(email(2), NOW, 500);
        server.capturedEmails().capture(email(3), NOW, 500);

        assertThat(cli.capturedEmails().newest(10))
                .extracting(CapturedEmail::text)
                .containsExactly("text 3 ١٢٣", "text 2 ١٢٣", "text 1 ١٢٣");
    }

    @Test
    void afterListsOnlyLaterCapturesOldestFirst() {
        CapturedEmail first = server.capturedEmails().capture(email(1), NOW, 500);
        cli.capturedEmails().capture(email(2), NOW, 500);
        server.capturedEmails().capture(email(3), NOW, 500);

        assertThat(cli.capturedEmails().after(first.number()))
                .extracting(e -> e.to().value())
                .containsExactly("user2@example.com", "user3@example.com");
    }

    @Test
    void onlyTheNewestAreKeptWhicheverProcessCaptures() {
        CapturedEmails a = server.capturedEmails();
        CapturedEmails b = cli.capturedEmails();
        for (int i = 1; i <= 7; i++) {
            (i % 2 == 0 ? a : b).capture(email(i), NOW, 3);
        }

        assertThat(a.newest(100))
                .extracting(CapturedEmail::subject)
                .containsExactly("100007 is your code", "100006 is your code", "100005 is your code");
        assertThat(a.after(0)).hasSize(3);
    }

    private static OutgoingEmail email(int n) {
        return new OutgoingEmail(
                "<msg_" + n + "@localhost>",
                new EmailAddress("user" + n + "@example.com"),
                Optional.empty(),
                (100000 + n) + " is your code",
                "text " + n + " ١٢٣",
                "<p dir=\"rtl\">html " + n + "</p>");
    }
}
