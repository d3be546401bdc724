package io.otpgate.core.delivery;

import io.otpgate.core.email.DisplayName;
import io.otpgate.core.email.EmailAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * A rendered email, ready for a {@link MailTransport}. Its subject and bodies contain the code,
 * so {@link #toString()} shows neither.
 *
 * @param messageId the Message-ID header value, with angle brackets, stable per outbox row
 */
public record OutgoingEmail(
        String messageId, EmailAddress to, Optional<DisplayName> toName, String subject, String text, String html) {

    public OutgoingEmail {
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(toName, "toName");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(html, "html");
    }

    @Override
    public String toString() {
        return "OutgoingEmail[messageId=" + messageId + ", to=" + to.masked() + "]";
    }
}
