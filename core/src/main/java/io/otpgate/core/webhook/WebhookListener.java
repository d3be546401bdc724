package io.otpgate.core.webhook;

import java.util.Locale;

/**
 * Told what each webhook delivery attempt came to, once the dispatcher has recorded it: for
 * metrics. Called on a dispatcher worker, so it must return quickly and never throw.
 */
@FunctionalInterface
public interface WebhookListener {

    /** Listens to nothing. */
    WebhookListener NONE = (delivery, outcome) -> {};

    /** What one attempt came to. */
    enum Outcome {
        /** The endpoint answered 2xx in time. */
        DELIVERED,
        /** It did not; another attempt is scheduled. */
        RETRYING,
        /** It did not, and that was the last attempt. */
        FAILED,
        /** It answered 410 Gone: the endpoint is disabled. */
        GONE;

        /** As a metric label says it: {@code delivered}, {@code retrying}, {@code failed}, {@code gone}. */
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    void attempted(QueuedWebhook delivery, Outcome outcome);
}
