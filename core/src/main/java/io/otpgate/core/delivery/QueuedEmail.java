package io.otpgate.core.delivery;

import io.otpgate.core.email.DisplayName;
import io.otpgate.core.email.EmailAddress;
import io.otpgate.core.id.Purpose;
import io.otpgate.core.id.VerificationId;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * An outbox row: one email carrying one code, written in the same transaction as the
 * verification it belongs to, and claimed later by a dispatcher.
 *
 * @param id the row id ({@code msg_…}), also the basis of the email's Message-ID
 * @param sealedCode the code encrypted by {@link io.otpgate.core.code.CodeSealer}
 * @param expiresAt when the code expires; nothing is sent after it
 * @param attempts delivery attempts made so far
 * @param claim the number of the claim that handed this row out (0 before any claim); recording
 *     the row's outcome must name it
 */
public record QueuedEmail(
        String id,
        VerificationId verificationId,
        EmailAddress to,
        Optional<DisplayName> name,
        Locale locale,
        Purpose purpose,
        byte[] sealedCode,
        Instant createdAt,
        Instant expiresAt,
        int attempts,
        long claim) {

    public QueuedEmail {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(verificationId, "verificationId");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(locale, "locale");
        Objects.requireNonNull(purpose, "purpose");
        Objects.requireNonNull(sealedCode, "sealedCode");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    /** A row not claimed yet (claim number 0), such as one about to be queued. */
    public QueuedEmail(
            String id,
            VerificationId verificationId,
            EmailAddress to,
            Optional<DisplayName> name,
            Locale locale,
            Purpose purpose,
            byte[] sealedCode,
            Instant createdAt,
            Instant expiresAt,
            int attempts) {
        this(id, verificationId, to, name, locale, purpose, sealedCode, createdAt, expiresAt, attempts, 0);
    }

    @Override
    public String toString() {
        return "QueuedEmail[id=" + id + ", verification=" + verificationId + ", to=" + to.masked() + ", attempts="
                + attempts + ", claim=" + claim + "]";
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof QueuedEmail that && id.equals(that.id);
    }

    @Override
    public int hashCode() {
        return id.hashCode();
    }
}
