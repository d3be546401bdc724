package io.otpgate.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.otpgate.core.code.ServerSecret;
import io.otpgate.core.delivery.Delivery;
import io.otpgate.core.delivery.DeliveryStatus;
import io.otpgate.core.delivery.OutboxDispatcher;
import io.otpgate.core.delivery.RetryPolicy;
import io.otpgate.core.testing.MutableClock;
import io.otpgate.core.verification.StartRequest;
import io.otpgate.core.verification.StartResult;
import io.otpgate.core.verification.Verification;
import io.otpgate.core.verification.Verifier;
import io.otpgate.jdbc.Database;
import io.otpgate.jdbc.Sync;
import io.otpgate.mail.ScriptedSmtpServer;
import io.otpgate.mail.SmtpSettings;
import io.otpgate.mail.SmtpTransport;
import io.otpgate.mail.TemplateComposer;
import io.otpgate.mail.TlsMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The outbox dispatcher, the JDBC outbox and the SMTP transport together against a real SMTP
 * server on a socket that answers as told: temporary failures, permanent refusals, silence.
 */
class DeliveryTest {

    static final ServerSecret SECRET =
            ServerSecret.of(List.of("delivery-test-secret-0123456789abcdef".getBytes(StandardCharsets.UTF_8)));

    @TempDir
    Path dir;

    Database database;
    OutboxDispatcher dispatcher;
    ScriptedSmtpServer server;

    @BeforeEach
    void open() {
        database = Database.openSqlite(dir.resolve(Database.EMBEDDED_FILE), Sync.FULL, 4);
    }

    @AfterEach
    void close() throws Exception {
        if (dispatcher != null) {
            dispatcher.close();
        }
        database.close();
        if (server != null) {
            server.close();
        }
    }

    private Verifier deliveringTo(ScriptedSmtpServer smtp, Clock clock, Duration readTimeout) {
        this.server = smtp;
        SmtpTransport transport = new SmtpTransport(
                SmtpSettings.builder("127.0.0.1")
                        .port(smtp.port())
                        .tls(TlsMode.NONE)
                        .readTimeout(readTimeout)
                        .build(),
                clock);
        dispatcher = OutboxDispatcher.builder()
                .outbox(database.outbox())
                .transport(transport)
                .composer(TemplateComposer.builder().build())
                .secret(SECRET)
                .clock(clock)
                .workers(1)
                .pollInterval(Duration.ofMillis(20))
                .retryPolicy(new RetryPolicy(8, Duration.ofMillis(20), Duration.ofMillis(100), 0.2))
                .build();
        return Verifier.builder()
                .store(database.verifications())
                .secret(SECRET)
                .clock(clock)
                .onEmailQueued(dispatcher::wake)
                .build();
    }

    private static Verification start(Verifier verifier) {
        return ((StartResult.Started) verifier.start(StartRequest.of("ada@example.com"))).verification();
    }

    private static Delivery awaitDelivery(Verifier verifier, Verification v, Predicate<Delivery> done) {
        return assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            while (true) {
                Delivery delivery = verifier.find(v.id()).orElseThrow().delivery();
                if (done.test(delivery)) {
                    return delivery;
                }
                Thread.sleep(10);
            }
        });
    }

    @Test
    void temporaryFailuresAreRetriedUntilTheServerAccepts() {
        Verifier verifier = deliveringTo(
                ScriptedSmtpServer.replying(
                        message -> "250 2.1.5 OK",
                        message -> message < 2 ? "451 4.3.0 try again later" : "250 2.0.0 queued"),
                Clock.systemUTC(),
                Duration.ofSeconds(5));
        dispatcher.start();

        Verification v = start(verifier);
        Delivery delivery = awaitDelivery(verifier, v, d -> d.status().isTerminal());

        assertThat(delivery.status()).isEqualTo(DeliveryStatus.SENT);
        assertThat(delivery.attempts()).isEqualTo(3);
        assertThat(server.commandsStartingWith("DATA")).hasSize(3);
    }

    @Test
    void aPermanentRefusalFailsAtOnceAndKeepsTheServersReply() throws Exception {
        Verifier verifier = deliveringTo(
                ScriptedSmtpServer.replying(
                        message -> "550 5.1.1 <ada@example.com>: no such user", message -> "250 ok"),
                Clock.systemUTC(),
                Duration.ofSeconds(5));
        dispatcher.start();

        Verification v = start(verifier);
        Delivery delivery = awaitDelivery(verifier, v, d -> d.status().isTerminal());
        Thread.sleep(200); // time in which a wrong retry would show up

        assertThat(delivery.status()).isEqualTo(DeliveryStatus.FAILED);
        assertThat(delivery.lastError())
                .hasValueSatisfying(
                        reply -> assertThat(reply).contains("550 5.1.1").contains("no such user"));
        assertThat(server.commandsStartingWith("RCPT")).hasSize(1);
        assertThat(countSealedCodes()).isZero();
    }

    @Test
    void aServerThatNeverAnswersTimesOutAndFreesTheWorker() {
        Verifier verifier = deliveringTo(ScriptedSmtpServer.silent(), Clock.systemUTC(), Duration.ofMillis(300));
        dispatcher.start();

        Verification v = start(verifier);
        Delivery delivery = awaitDelivery(verifier, v, d -> d.attempts() >= 2);

        assertThat(delivery.status()).isIn(DeliveryStatus.RETRYING, DeliveryStatus.SENDING);
        assertThat(delivery.lastError()).isPresent();
    }

    @Test
    void nothingIsSentAfterTheCodeExpired() {
        MutableClock clock = MutableClock.atNow();
        Verifier verifier = deliveringTo(ScriptedSmtpServer.accepting(), clock, Duration.ofSeconds(5));
        Verification v = start(verifier);
        clock.advance(Duration.ofMinutes(10));

        dispatcher.start();
        Delivery delivery = awaitDelivery(verifier, v, d -> d.status().isTerminal());

        assertThat(delivery.status()).isEqualTo(DeliveryStatus.EXPIRED_UNDELIVERED);
        assertThat(server.commandsStartingWith("MAIL")).isEmpty();
    }

    @Test
    void verifyTellsThePersonWhyTheEmailCouldNotBeDelivered() throws Exception {
        try (ScriptedSmtpServer refusing =
                ScriptedSmtpServer.replying(message -> "550 5.1.1 mailbox unavailable", message -> "250 ok")) {
            Map<String, String> env = Map.of(
                    "OTPGATE_DATA_DIR",
                    dir.resolve("cli").toString(),
                    "OTPGATE_SMTP_HOST",
                    "127.0.0.1",
                    "OTPGATE_SMTP_PORT",
                    Integer.toString(refusing.port()),
                    "OTPGATE_SMTP_TLS",
                    "none");
            Conversation cli = new Conversation(env, dir, "verify", "--name", "Ada", "--email", "ada@example.com");

            assertThat(cli.exitCode()).isEqualTo(1);
            assertThat(cli.stdout())
                    .contains("The email could not be delivered: ")
                    .contains("550 5.1.1 mailbox unavailable");
        }
    }

    private int countSealedCodes() throws Exception {
        try (var c = database.dataSource().getConnection();
                var rs =
                        c.createStatement().executeQuery("SELECT COUNT(*) FROM outbox WHERE sealed_code IS NOT NULL")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
