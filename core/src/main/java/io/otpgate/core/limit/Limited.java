package io.otpgate.core.limit;

import java.time.Instant;
import java.util.Objects;

/** A rate limit that was reached, and when the next event will be allowed. */
public record Limited(RateLimit limit, Instant retryAt) {
    public Limited {
        Objects.requireNonNull(limit, "limit");
        Objects.requireNonNull(retryAt, "retryAt");
    }
}
