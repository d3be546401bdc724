package io.otpgate.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import io.otpgate.cli.config.Settings;
import io.otpgate.cli.config.SettingsLoader;
import io.otpgate.core.delivery.DeliveryStatus;
import io.otpgate.core.verification.StartRequest;
import io.otpgate.core.verification.StartResult;
import io.otpgate.core.verification.Verification;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
        ProcessBuilder builder = new ProcessBuilder(
                ProcessHandle.current().info().command().orElse("java"),
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                "serve");
        builder.environment().putAll(env);
        builder.redirectError(ProcessBuilder.Redirect.DISCARD);
        Process serve = builder.start();
        try {
            int port = readyPort(serve);

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
        } finally {
            new ProcessBuilder("kill", "-TERM", Long.toString(serve.pid()))
                    .start()
                    .waitFor();
            if (!serve.waitFor(30, TimeUnit.SECONDS)) {
                serve.destroyForcibly();
            }
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

    /** Reads serve's stdout until its ready line, then keeps draining it so serve never blocks. */
    private static int readyPort(Process serve) {
        CompletableFuture<Integer> port = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            Pattern ready = Pattern.compile("is ready in \\d+ ms at http://localhost:(\\d+)");
            try (BufferedReader out =
                    new BufferedReader(new InputStreamReader(serve.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    Matcher m = ready.matcher(line);
                    if (m.find()) {
                        port.complete(Integer.parseInt(m.group(1)));
                    }
                }
            } catch (java.io.IOException e) {
                port.completeExceptionally(e);
            }
            port.completeExceptionally(new AssertionError("serve ended before it was ready"));
        });
        reader.setDaemon(true);
        reader.start();
        return assertTimeoutPreemptively(Duration.ofSeconds(60), () -> port.get());
    }
}
