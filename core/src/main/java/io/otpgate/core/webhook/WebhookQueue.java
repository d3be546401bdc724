package io.otpgate.core.webhook;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;

/**
 * The durable queue of webhook deliveries (a port; the JDBC adapter implements it), leased as the
 * email outbox is: a claim leases rows by the database's clock and takes a new claim number for
 * each, a heartbeat renews the leases of live owners, and every outcome is recorded only while the
 * row carries the claim's number, so a worker that stalled past its lease records nothing.
 */
public interface WebhookQueue {

    /** Up to {@code limit} due deliveries of enabled endpoints (queued, retrying and due, or abandoned). */
    List<QueuedWebhook> claim(String owner, int limit, Instant now, Duration lease);

    /** The heartbeat: extends the leases of every row these owners hold. */
    int renew(Collection<String> owners, Duration lease);

    /** The endpoint answered 2xx. */
    boolean delivered(QueuedWebhook delivery, Instant now, int status);

    /** A failed attempt to try again at {@code next}. */
    boolean retryLater(QueuedWebhook delivery, Instant now, Instant next, Integer status, String error);

    /** A failed attempt after which no more are made. */
    boolean failed(QueuedWebhook delivery, Instant now, Integer status, String error);

    /**
     * The endpoint answered 410 Gone: the delivery fails and the endpoint is disabled, in one
     * transaction, so nothing more is sent to it.
     */
    boolean gone(QueuedWebhook delivery, Instant now);

    /** Gives back every row this owner holds. */
    int release(String owner);
}
