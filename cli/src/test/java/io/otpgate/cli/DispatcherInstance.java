package io.otpgate.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.otpgate.core.code.ServerSecret;
import io.otpgate.core.delivery.DeliveryStatus;
import io.otpgate.core.delivery.MailTransport;
import io.otpgate.core.delivery.OutboxDispatcher;
import io.otpgate.core.delivery.OutgoingEmail;
import io.otpgate.core.delivery.SendOutcome;
import io.otpgate.jdbc.Database;
import io.otpgate.mail.SmtpSettings;
import io.otpgate.mail.SmtpTransport;
import io.otpgate.mail.TemplateComposer;
import io.otpgate.mail.TlsMode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.LoggerFactory;

/**
 * One OTPGate "instance" as far as delivery goes: its own connection pool on the shared database,
 * its own SMTP transport and its own {@link OutboxDispatcher} with its own instance id. Used in the
 * test JVM and, by {@link DispatcherProcess}, in child JVMs.
 */
final class DispatcherInstance implements AutoCloseable {

    static final ServerSecret SECRET =
            ServerSecret.of(List.of("multi-instance-secret-0123456789abcdef".getBytes(StandardCharsets.UTF_8)));

    final String id;
    final Database database;
    final OutboxDispatcher dispatcher;
    /** Rows this instance recorded as sent (its listener's count). */
    final AtomicInteger sent = new AtomicInteger();

    private DispatcherInstance(String id, Database database, Settings settings, int smtpPort) {
        this.id = id;
        this.database = database;
        MailTransport smtp = new SmtpTransport(
                SmtpSettings.builder("127.0.0.1")
                        .port(smtpPort)
                        .tls(TlsMode.NONE)
                        .readTimeout(Duration.ofSeconds(10))
                        .build(),
                Clock.systemUTC());
        this.dispatcher = OutboxDispatcher.builder()
                .outbox(database.outbox())
                .transport(slowed(smtp, settings.delayBeforeSend(), settings.delayAfterSend()))
                .composer(TemplateComposer.builder().build())
                .secret(SECRET)
                .instanceId(id)
                .workers(settings.workers())
                .batchSize(settings.batchSize())
                .lease(settings.lease())
                .pollInterval(Duration.ofMillis(20))
                .listener((email, status, reply) -> {
                    if (status == DeliveryStatus.SENT) {
                        sent.incrementAndGet();
                    }
                })
                .build();
    }

    /** Opens a pool of its own on {@code url} and builds (does not start) the dispatcher. */
    static DispatcherInstance open(
            String url, String user, String password, int smtpPort, String id, Settings settings) {
        Database database = Database.open(url, user, password, settings.workers() + 1);
        try {
            return new DispatcherInstance(id, database, settings, smtpPort);
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
    }

    DispatcherInstance start() {
        dispatcher.start();
        return this;
    }

    @Override
    public void close() {
        try {
            dispatcher.close();
        } finally {
            database.close();
        }
    }

    /**
     * How an instance dispatches. The delays stretch each delivery: before the SMTP transaction (the
     * row is claimed, nothing sent yet) and after the server's 250 (sent but not yet recorded: the
     * window in which a crash makes a duplicate).
     */
    record Settings(int workers, int batchSize, Duration lease, Duration delayBeforeSend, Duration delayAfterSend) {

        static Settings fast(int workers, int batchSize, Duration lease) {
            return new Settings(workers, batchSize, lease, Duration.ZERO, Duration.ZERO);
        }
    }

    /** The dispatcher and the verifier log every email at INFO: 10,000 lines slow the run down. */
    static Level quietLogs() {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Level before = root.getLevel();
        root.setLevel(Level.WARN);
        return before;
    }

    static void restoreLogs(Level level) {
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(level);
    }

    private static MailTransport slowed(MailTransport transport, Duration before, Duration after) {
        if (before.isZero() && after.isZero()) {
            return transport;
        }
        return new DecoratedTransport(
                transport, transport.describe() + " (slowed)", real -> new DecoratedTransport.Delegating(real) {
                    @Override
                    public SendOutcome send(OutgoingEmail email) {
                        pause(before);
                        SendOutcome outcome = super.send(email);
                        pause(after);
                        return outcome;
                    }
                });
    }

    private static void pause(Duration duration) {
        if (duration.isZero()) {
            return;
        }
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
