package io.otpgate.core.webhook;

import io.otpgate.core.tenant.Tenant;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A tenant's webhook endpoints and their delivery logs (a port; the JDBC adapter implements it).
 * Every method takes the tenant: an endpoint or delivery of another tenant is answered exactly like
 * one that does not exist.
 */
public interface WebhookStore {

    void add(Webhook webhook, byte[] sealedSecret);

    List<Webhook> list(Tenant tenant);

    Optional<Webhook> find(Tenant tenant, String id);

    /** Removes the endpoint and its deliveries; false if the tenant has no such endpoint. */
    boolean remove(Tenant tenant, String id);

    /** Queues a {@code webhook.test} message to the endpoint; false if the tenant has no such endpoint. */
    boolean test(Tenant tenant, String id, Instant now);

    /** The endpoint's newest deliveries first, at most {@code limit}. */
    List<WebhookDelivery> deliveries(Tenant tenant, String webhookId, int limit);

    /**
     * Queues a finished (delivered or failed) delivery again, due now, with the same id and body;
     * false if the tenant has no such delivery (of {@code webhookId}, when given) or it is still on
     * its way.
     */
    boolean replay(Tenant tenant, Optional<String> webhookId, String deliveryId, Instant now);
}
