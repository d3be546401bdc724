package io.otpgate.core.webhook;

import java.net.URI;
import java.util.Objects;

/**
 * A claimed delivery: what to post where, signed with which (sealed) secret, under which claim
 * number ({@link WebhookQueue}).
 */
public record QueuedWebhook(
        String id, String webhookId, URI url, byte[] sealedSecret, String payload, int attempts, long claim) {
    public QueuedWebhook {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(webhookId, "webhookId");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(sealedSecret, "sealedSecret");
        Objects.requireNonNull(payload, "payload");
    }
}
