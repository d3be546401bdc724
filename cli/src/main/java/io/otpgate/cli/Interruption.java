package io.otpgate.cli;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * SIGINT (Ctrl-C) and SIGTERM turned into a request to stop, for a command that can stop at a safe
 * point and say how far it got, instead of the JVM exiting mid-work with nothing said. Closing it
 * puts back the handlers it replaced.
 */
final class Interruption implements AutoCloseable {

    /** A stop signal, with the exit status a shell gives a process it ends (128 + its number). */
    enum Kind {
        INT(130),
        TERM(143);

        private final int exitStatus;

        Kind(int exitStatus) {
            this.exitStatus = exitStatus;
        }

        int exitStatus() {
            return exitStatus;
        }
    }

    private final AtomicReference<Kind> received = new AtomicReference<>();
    private final SignalHandler previousInt;
    private final SignalHandler previousTerm;

    private Interruption() {
        previousInt = Signal.handle(new Signal("INT"), signal -> received.compareAndSet(null, Kind.INT));
        previousTerm = Signal.handle(new Signal("TERM"), signal -> received.compareAndSet(null, Kind.TERM));
    }

    static Interruption watch() {
        return new Interruption();
    }

    /** The first stop signal received, if any. */
    Optional<Kind> signal() {
        return Optional.ofNullable(received.get());
    }

    @Override
    public void close() {
        Signal.handle(new Signal("INT"), previousInt);
        Signal.handle(new Signal("TERM"), previousTerm);
    }
}
