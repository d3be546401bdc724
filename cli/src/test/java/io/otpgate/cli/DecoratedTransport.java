package io.otpgate.cli;

import io.otpgate.core.delivery.MailTransport;
import io.otpgate.core.delivery.OutgoingEmail;
import io.otpgate.core.delivery.SendOutcome;
import java.util.concurrent.CountDownLatch;
import java.util.function.UnaryOperator;

/**
 * A real transport whose connections a test decorates, to stall, slow or refuse some sends, or to
 * hold a session's opening. A {@link Delegating} connection forwards everything to the real one;
 * a test overrides only what it changes.
 */
final class DecoratedTransport implements MailTransport {

    private final MailTransport transport;
    private final String description;
    private final UnaryOperator<Connection> decorate;

    DecoratedTransport(MailTransport transport, String description, UnaryOperator<Connection> decorate) {
        this.transport = transport;
        this.description = description;
        this.decorate = decorate;
    }

    @Override
    public Connection connect() {
        return decorate.apply(transport.connect());
    }

    @Override
    public String describe() {
        return description;
    }

    /** The real connection, unchanged until a method is overridden. */
    static class Delegating implements Connection {
        final Connection real;

        Delegating(Connection real) {
            this.real = real;
        }

        @Override
        public void open() {
            real.open();
        }

        @Override
        public SendOutcome send(OutgoingEmail email) {
            return real.send(email);
        }

        @Override
        public void close() {
            real.close();
        }
    }

    /** Waits for {@code latch}; an interrupt ends the wait, as a stop would. */
    static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
