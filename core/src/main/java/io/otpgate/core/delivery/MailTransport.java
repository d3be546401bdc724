package io.otpgate.core.delivery;

/**
 * Sends rendered emails (a port: SMTP and the dev mailbox implement it).
 *
 * <p>A {@link Connection} is held across messages: opening an SMTP session costs a TCP and often
 * a TLS handshake plus EHLO and AUTH round trips, far more than one message on an open session.
 */
public interface MailTransport {

    /** Opens a connection lazily; problems surface as outcomes of {@link Connection#send}. */
    Connection connect();

    /** A human-readable description for banners and logs, such as {@code smtp.example.com:587 (starttls)}. */
    String describe();

    /** One session with the mail server. Not thread-safe: one per dispatcher worker. */
    interface Connection extends AutoCloseable {

        /** Sends one message; never throws for mail-server or network problems. */
        SendOutcome send(OutgoingEmail email);

        @Override
        void close();
    }
}
