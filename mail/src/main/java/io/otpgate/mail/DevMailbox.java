package io.otpgate.mail;

import io.otpgate.core.delivery.CapturedEmail;
import io.otpgate.core.delivery.CapturedEmails;
import io.otpgate.core.delivery.MailTransport;
import io.otpgate.core.delivery.OutgoingEmail;
import io.otpgate.core.delivery.SendOutcome;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Captures emails instead of sending them, for development without an SMTP server. The emails go
 * to a {@link CapturedEmails} store (the database), not to this process's memory: the server, a
 * {@code verify} and a {@code send} on one database each deliver whatever email they claim first,
 * and each must see the others' (the newest 500 are kept). An email counts as delivered only once
 * it is stored. Subscribers hear about the emails this process captures, as it captures them.
 * Thread-safe.
 */
public final class DevMailbox implements MailTransport {

    /** How many messages are kept unless the constructor says otherwise. */
    public static final int DEFAULT_CAPACITY = 500;

    private static final Logger log = LoggerFactory.getLogger(DevMailbox.class);
    private static final SendOutcome ACCEPTED = new SendOutcome.Accepted("250 captured by the dev mailbox");

    private final Clock clock;
    private final CapturedEmails store;
    private final int capacity;
    private final List<Consumer<CapturedEmail>> listeners = new CopyOnWriteArrayList<>();

    public DevMailbox(Clock clock, CapturedEmails store) {
        this(clock, store, DEFAULT_CAPACITY);
    }

    public DevMailbox(Clock clock, CapturedEmails store, int capacity) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.store = Objects.requireNonNull(store, "store");
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
                return capture(email);
            }

            @Override
            public void close() {}
        };
    }

    @Override
    public String describe() {
        return "dev mailbox (emails are captured, not sent)";
    }

    /** The kept messages of every process on the store, newest first. */
    public List<CapturedEmail> messages() {
        return store.newest(capacity);
    }

    /** The messages captured, by any process, after the one numbered {@code number}; oldest first. */
    public List<CapturedEmail> after(long number) {
        return store.after(number);
    }

    /** The number of the newest message, or 0 while the mailbox is empty. */
    public long newestNumber() {
        return store.newest(1).stream()
                .mapToLong(CapturedEmail::number)
                .findFirst()
                .orElse(0);
    }

    /**
     * Calls {@code listener} with every email this process captures from now on, on the sending
     * thread; a listener that throws is logged and does not stop delivery or other listeners.
     */
    public Subscription subscribe(Consumer<CapturedEmail> listener) {
        Objects.requireNonNull(listener, "listener");
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    private SendOutcome capture(OutgoingEmail email) {
        CapturedEmail captured;
        try {
            captured = store.capture(email, clock.instant(), capacity);
        } catch (RuntimeException e) {
            // Not stored means nobody can read it: a temporary failure, retried like a busy SMTP server.
            log.warn(
                    "the dev mailbox could not store an email to={}", email.to().masked(), e);
            return new SendOutcome.Transient(
                    "the dev mailbox could not store the email: " + e.getClass().getSimpleName());
        }
        for (Consumer<CapturedEmail> listener : listeners) {
            try {
                listener.accept(captured);
            } catch (RuntimeException e) {
                log.warn("a dev mailbox listener failed", e);
            }
        }
        return ACCEPTED;
    }

    /** Ends a {@link #subscribe} call's deliveries. */
    @FunctionalInterface
    public interface Subscription extends AutoCloseable {
        @Override
        void close();
    }
}
