package io.otpgate.core.stats;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Emails not yet in a final state, for the operator's dashboard.
 *
 * @param depth rows queued, retrying or being sent
 * @param oldestAge how long the oldest of them has waited, empty when there is none
 */
public record OutboxBacklog(long depth, Optional<Duration> oldestAge) {
    public OutboxBacklog {
        Objects.requireNonNull(oldestAge, "oldestAge");
    }
}
