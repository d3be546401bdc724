package io.otpgate.core.verification;

import io.otpgate.core.delivery.QueuedEmail;
import java.util.Objects;
import java.util.Optional;

/**
 * A verification about to be stored, with the HMAC of its code, its first email and the API key
 * that started it (recorded, never shown to another tenant).
 */
public record NewVerification(Verification verification, byte[] codeHash, QueuedEmail email, Optional<String> keyId) {
    public NewVerification {
        Objects.requireNonNull(verification, "verification");
        Objects.requireNonNull(codeHash, "codeHash");
        Objects.requireNonNull(email, "email");
        Objects.requireNonNull(keyId, "keyId");
    }
}
