package io.otpgate.core.delivery;

import io.otpgate.core.email.EmailAddress;
import java.time.Instant;
import java.util.Objects;

/**
 * An email the dev mailbox caught instead of sending. Its subject and bodies contain the code, so
 * {@link #toString()} shows neither; show them on purpose, where a developer asked.
 *
 * @param number its place in the mailbox: later captures, by any process, have larger numbers
 */
public record CapturedEmail(
        long number, EmailAddress to, String subject, String text, String html, Instant receivedAt) {

    public CapturedEmail {
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(html, "html");
        Objects.requireNonNull(receivedAt, "receivedAt");
    }

    @Override
    public String toString() {
        return "CapturedEmail[number=" + number + ", to=" + to.masked() + ", receivedAt=" + receivedAt + "]";
    }
}
