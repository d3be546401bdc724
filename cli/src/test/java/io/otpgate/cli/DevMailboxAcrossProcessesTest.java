package io.otpgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import io.otpgate.cli.config.Settings;
import io.otpgate.cli.config.SettingsLoader;
import io.otpgate.core.delivery.DeliveryStatus;
import io.otpgate.core.verification.StartRequest;
import io.otpgate.core.verification.StartResult;
import io.otpgate.core.verification.Verification;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * In dev mode the captured emails live in the database, so whichever process on a data dir
 * delivered an email, every other one shows it: {@code serve}'s /dev/mailbox lists what {@code
 * send} delivered, and {@code verify} prints its own code although {@code serve} delivered it.
 */
class DevMailboxAcrossProcessesTest {

    @RegisterExtension
    final GreenMailExtension smtp = MailServer.greenMail();

    @TempDir
    Path dir;

    @Test
    void verifyPrintsItsOwnEmailWhenAnotherProcessDeliveredIt() {
        Settings settings = SettingsLoader.load(
                Map.of("OTPGATE_DATA_DIR", dir.resolve("data").toString()), Optional.empty(), dir);
        ByteArrayOutputStream shown = new ByteArrayOutputStream();
        Terminal terminal = new Terminal(
                InputStream.nullInputStream(),
                new PrintStream(shown, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                false);
        // The CLI queues but does not deliver, so the other process (as serve would) delivers its email.
        try (OtpGate server = OtpGate.open(settings, true);
                OtpGate cli = OtpGate.open(settings, false)) {
            Verification earlier = started(cli, "bob@example.com");
            awaitSent(cli, earlier);
            DevMailboxPrinter.Follower follower = DevMailboxPrinter.follow(cli, terminal);
            started(cli, "eve@example.com");
            Verification own = started(cli, "ada@example.com");
            awaitSent(cli, own);

            follower.printNew(own.email());

            String printed = shown.toString(StandardCharsets.UTF_8);
            assertThat(printed)
                    .contains("To: ada@example.com")
                    .containsPattern("Subject: \\d{6} is your OTPGate verification code")
                    .as("only this run's own emails")
                    .doesNotContain("bob@example.com", "eve@example.com");
            assertThat(server.devMailbox().orElseThrow().messages()).hasSizeGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void serveListsEveryEmailThatSendReportedDelivered() throws Exception {
        Path data = dir.resolve("data");
        Map<String, String> env = Map.of("OTPGATE_DATA_DIR", data.toString(), "OTPGATE_PORT", "0");
        int rows = 20;
        StringBuilder csv = new StringBuilder("email\n");
        for (int i = 0; i < rows; i++) {
            csv.append("user").append(i).append("@example.com\n");
        }
        Files.writeString(dir.resolve("users.csv"), csv);
        // serve first, so that the data dir's database is served to send through AUTO_SERVER, as in real use.
        try (ServeProcess serve = ServeProcess.start(env)) {
            int port = serve.port();

            int exit;
            String summary;
            try (Conversation send = new Conversation(env, dir, "send", "--csv", "users.csv")) {
                exit = send.exitCode();
                summary = send.stdout();
            }
            JsonNode listed = new ObjectMapper()
                    .readTree(HttpClient.newHttpClient()
                            .send(
                                    HttpRequest.newBuilder(
                                                    URI.create("http://localhost:" + port + "/dev/mailbox/messages"))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString())
                            .body());

            assertThat(exit).as(summary).isZero();
            assertThat(summary).contains("delivered: " + rows);
            Set<String> recipients = new HashSet<>();
            listed.forEach(m -> recipients.add(m.get("to").asText()));
            assertThat(recipients).hasSize(rows).contains("user0@example.com", "user19@example.com");
        }
    }

    @Test
    void withAnSmtpHostNothingIsCapturedAndThereIsNoDevMailbox() throws Exception {
        Map<String, String> env = new java.util.HashMap<>(MailServer.env(smtp, dir.resolve("data")));
        env.put("OTPGATE_PORT", "0");
        try (OtpGate app = OtpGate.open(SettingsLoader.load(env, Optional.empty(), dir), true);
                io.otpgate.server.HttpServer http = app.httpServer().start()) {
            awaitSent(app, started(app, "ada@example.com"));

            int status = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(
                                            URI.create("http://localhost:" + http.port() + "/dev/mailbox/messages"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .statusCode();

            assertThat(app.devMailbox()).isEmpty();
            assertThat(status).isEqualTo(404);
            assertThat(smtp.getReceivedMessages()).hasSize(1);
            try (var c = app.database().dataSource().getConnection();
                    var rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM dev_mailbox")) {
                rs.next();
                assertThat(rs.getLong(1)).isZero();
            }
        }
    }

    private static Verification started(OtpGate app, String email) {
        return ((StartResult.Started) app.verifier().start(StartRequest.of(email))).verification();
    }

    private static void awaitSent(OtpGate app, Verification v) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (app.verifier().find(v.id()).orElseThrow().delivery().status() != DeliveryStatus.SENT) {
            assertThat(System.nanoTime()).as("delivered within 30 s").isLessThan(deadline);
            app.pause(Duration.ofMillis(20));
        }
    }
}
