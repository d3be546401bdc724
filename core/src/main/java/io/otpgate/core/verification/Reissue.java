package io.otpgate.core.verification;

import io.otpgate.core.delivery.QueuedEmail;
import io.otpgate.core.id.VerificationId;
import java.time.Instant;
import java.util.Objects;

/**
 * A resend about to be stored: a new code replaces the old one of a pending verification.
 *
 * @param expectedSends the send count the decision was based on; the store applies the resend only
 *     if it is still the same, so two racing resends cannot both go out
 */
public record Reissue(
        VerificationId id,
        int expectedSends,
        byte[] codeHash,
        Instant expiresAt,
        Instant resendAvailableAt,
        QueuedEmail email) {
    public Reissue {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(codeHash, "codeHash");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(resendAvailableAt, "resendAvailableAt");
        Objects.requireNonNull(email, "email");
    }
}
