package io.otpgate.core.delivery;

import java.time.Instant;
import java.util.List;

/**
 * Where the dev mailbox keeps what it captured: in the database, so that every process on it
 * (the server, {@code verify}, {@code send}) sees every other's emails, whichever of them
 * happened to deliver one.
 */
public interface CapturedEmails {

    /**
     * Stores an email durably and drops all but the newest {@code keep}; returns it as stored. It
     * throws when the email could not be stored, so the email is not reported as delivered.
     */
    CapturedEmail capture(OutgoingEmail email, Instant receivedAt, int keep);

    /** The newest {@code limit} emails, newest first. */
    List<CapturedEmail> newest(int limit);

    /** The emails with a larger {@link CapturedEmail#number()} than {@code number}, oldest first. */
    List<CapturedEmail> after(long number);
}
