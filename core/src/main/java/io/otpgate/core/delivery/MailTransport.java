package io.otpgate.core.delivery;

/**
 * Sends rendered emails (a port: SMTP and the dev mailbox implement it).
 *
 * <p>A {@link Connection} is held across messages: opening an SMTP session costs a TCP and often
 * a TLS handshake plus EHLO and AUTH round trips, far more than one message on an open session.
 */
public interface MailTransport {

    /** A connection, not yet open; problems surface as outcomes of {@link Connection#send}. */
    Connection connect();

    /** A human-readable description for banners and logs, such as {@code smtp.example.com:587 (starttls)}. */
    String describe();

    /** One session with the mail server. Not thread-safe: one per dispatcher worker. */
    interface Connection extends AutoCloseable {

        /**
         * Opens the session now if it is not open yet: the TCP and often TLS handshake, the greeting,
         * EHLO and AUTH. The dispatcher calls it before its last look at whether an email is still to
         * be sent, so a slow handshake passes before that look, not between it and the email. Never
         * throws: a session that could not be opened is the next {@link #send}'s outcome.
         */
        default void open() {}

        /** Sends one message, opening the session first if needed; never throws for mail-server or network problems. */
        SendOutcome send(OutgoingEmail email);

        @Override
        void close();
    }
}
