package io.otpgate.core.webhook;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One message to one endpoint, as the delivery log shows it.
 *
 * @param id the {@code webhook-id} header: the same on every attempt, so receivers can de-duplicate
 * @param status {@code queued}, {@code sending}, {@code retrying}, {@code delivered} or {@code failed}
 * @param responseStatus the HTTP status of the last attempt, if it got one
 */
public record WebhookDelivery(
        String id,
        String webhookId,
        String eventType,
        String status,
        int attempts,
        Instant createdAt,
        Optional<Instant> attemptedAt,
        Optional<Instant> nextAttemptAt,
        Optional<Integer> responseStatus,
        Optional<String> lastError) {

    public WebhookDelivery {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(webhookId, "webhookId");
        Objects.requireNonNull(eventType, "eventType");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(attemptedAt, "attemptedAt");
        Objects.requireNonNull(nextAttemptAt, "nextAttemptAt");
        Objects.requireNonNull(responseStatus, "responseStatus");
        Objects.requireNonNull(lastError, "lastError");
    }
}
