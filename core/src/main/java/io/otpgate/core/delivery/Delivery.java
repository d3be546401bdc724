package io.otpgate.core.delivery;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * How the newest email of a verification is doing.
 *
 * @param lastError the mail server's last reply or the connection problem, if any
 */
public record Delivery(DeliveryStatus status, int attempts, Optional<String> lastError, Optional<Instant> sentAt) {

    public Delivery {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(lastError, "lastError");
        Objects.requireNonNull(sentAt, "sentAt");
    }
}
