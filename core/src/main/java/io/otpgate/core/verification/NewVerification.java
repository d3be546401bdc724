package io.otpgate.core.verification;

import io.otpgate.core.delivery.QueuedEmail;
import java.util.Objects;

/**
 * A verification about to be stored, with the HMAC of its code and its first email.
 */
public record NewVerification(Verification verification, byte[] codeHash, QueuedEmail email) {
    public NewVerification {
        Objects.requireNonNull(verification, "verification");
        Objects.requireNonNull(codeHash, "codeHash");
        Objects.requireNonNull(email, "email");
    }
}
