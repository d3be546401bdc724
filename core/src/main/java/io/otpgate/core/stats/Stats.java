package io.otpgate.core.stats;

import io.otpgate.core.delivery.DeliveryStatus;
import io.otpgate.core.verification.Status;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Counts over every stored verification and email.
 *
 * @param verifications verifications by status (pending past expiry counted as expired)
 * @param deliveries newest emails of verifications by delivery state
 * @param approvalRate approved / (approved + expired + failed), empty before any is decided
 * @param medianTimeToApprove from start to approval, empty before any approval
 */
public record Stats(
        Map<Status, Long> verifications,
        Map<DeliveryStatus, Long> deliveries,
        Optional<Double> approvalRate,
        Optional<Duration> medianTimeToApprove) {

    public Stats {
        verifications = Map.copyOf(Objects.requireNonNull(verifications, "verifications"));
        deliveries = Map.copyOf(Objects.requireNonNull(deliveries, "deliveries"));
        Objects.requireNonNull(approvalRate, "approvalRate");
        Objects.requireNonNull(medianTimeToApprove, "medianTimeToApprove");
    }
}
