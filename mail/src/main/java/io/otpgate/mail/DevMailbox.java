package io.otpgate.mail;

import io.otpgate.core.delivery.MailTransport;
import io.otpgate.core.delivery.OutgoingEmail;
import io.otpgate.core.delivery.SendOutcome;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Captures emails instead of sending them, for development without an SMTP server. It keeps the
 * most recent messages in memory (200 by default) and tells subscribers about each one as it
 * arrives; the CLI prints them, the HTTP server lists them. Every send is accepted. Thread-safe.
 */
public final class DevMailbox implements MailTransport {

    /** How many messages are kept unless the constructor says otherwise. */
    public static final int DEFAULT_CAPACITY = 200;

    private static final Logger log = LoggerFactory.getLogger(DevMailbox.class);
    private static final SendOutcome ACCEPTED = new SendOutcome.Accepted("250 captured by the dev mailbox");

    private final Clock clock;
    private final int capacity;
    private final Deque<CapturedEmail> messages = new ArrayDeque<>();
    private final List<Consumer<CapturedEmail>> listeners = new CopyOnWriteArrayList<>();

    public DevMailbox(Clock clock) {
        this(clock, DEFAULT_CAPACITY);
    }

    public DevMailbox(Clock clock, int capacity) {
        this.clock = Objects.requireNonNull(clock, "clock");
        if (capacity < 1) {
            throw new IllegalArgumentException("the dev mailbox must keep at least one message");
        }
        this.capacity = capacity;
    }

    @Override
    public Connection connect() {
        return new Connection() {
            @Override
            public SendOutcome send(OutgoingEmail email) {
                capture(email);
                return ACCEPTED;
            }

            @Override
            public void close() {}
        };
    }

    @Override
    public String describe() {
        return "dev mailbox (emails are captured, not sent)";
    }

    /** The kept messages, newest first; a snapshot. */
    public List<CapturedEmail> messages() {
        synchronized (messages) {
            return List.copyOf(messages);
        }
    }

    /**
     * Calls {@code listener} with every email captured from now on, on the sending thread; a listener
     * that throws is logged and does not stop delivery or other listeners.
     */
    public Subscription subscribe(Consumer<CapturedEmail> listener) {
        Objects.requireNonNull(listener, "listener");
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    private void capture(OutgoingEmail email) {
        CapturedEmail captured =
                new CapturedEmail(email.to(), email.subject(), email.text(), email.html(), clock.instant());
        synchronized (messages) {
            messages.addFirst(captured);
            if (messages.size() > capacity) {
                messages.removeLast();
            }
        }
        for (Consumer<CapturedEmail> listener : listeners) {
            try {
                listener.accept(captured);
            } catch (RuntimeException e) {
                log.warn("a dev mailbox listener failed", e);
            }
        }
    }

    /** Ends a {@link #subscribe} call's deliveries. */
    @FunctionalInterface
    public interface Subscription extends AutoCloseable {
        @Override
        void close();
    }
}
