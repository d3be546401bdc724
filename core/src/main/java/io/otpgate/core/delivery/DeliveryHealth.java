package io.otpgate.core.delivery;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How delivery stands across every process sharing the outbox.
 *
 * @param unsettled emails not yet in a final state, by state (queued, sending, retrying)
 * @param oldestDueAge how long the oldest email that could be sent now has been waiting: queued
 *     or due for a retry, or held by a dispatcher whose lease ran out
 * @param lastFailure the reply of the newest delivery attempt, when that attempt failed for a
 *     reason that is not about its recipient (a temporary failure or the server settings): while it
 *     stands, delivery is failing
 */
public record DeliveryHealth(
        Map<DeliveryStatus, Long> unsettled, Optional<Duration> oldestDueAge, Optional<String> lastFailure) {

    public DeliveryHealth {
        unsettled = Map.copyOf(unsettled);
        Objects.requireNonNull(oldestDueAge, "oldestDueAge");
        Objects.requireNonNull(lastFailure, "lastFailure");
    }

    /** Not failing now, and no email has waited longer than {@code alertAge} to be sent. */
    public boolean healthy(Duration alertAge) {
        return lastFailure.isEmpty()
                && oldestDueAge.map(age -> age.compareTo(alertAge) <= 0).orElse(true);
    }
}
