package io.otpgate.core.webhook;

import io.otpgate.core.Validated;
import io.otpgate.core.code.CodeSealer;
import io.otpgate.core.event.EventType;
import io.otpgate.core.id.RandomIds;
import io.otpgate.core.tenant.Tenant;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A tenant's webhook endpoints, as the API and the CLI manage them: every call names the tenant,
 * and another tenant's endpoint is answered as one that does not exist.
 */
public final class Webhooks {

    /** Deliveries a log shows at most. */
    public static final int LOG_LIMIT = 100;

    private final WebhookStore store;
    private final CodeSealer sealer;
    private final WebhookTargets targets;
    private final Clock clock;
    private final SecureRandom random;
    private final RandomIds ids;

    public Webhooks(WebhookStore store, CodeSealer sealer, WebhookTargets targets, Clock clock, SecureRandom random) {
        this.store = store;
        this.sealer = sealer;
        this.targets = targets;
        this.clock = clock;
        this.random = random;
        this.ids = new RandomIds(random);
    }

    /** An endpoint added, with its secret (shown this once), or why it was refused. */
    public sealed interface AddResult {

        /** What happened, for a {@code switch} the compiler checks. */
        enum Kind {
            ADDED,
            REFUSED
        }

        Kind kind();

        record Added(Webhook webhook, WebhookSecret secret) implements AddResult {
            @Override
            public Kind kind() {
                return Kind.ADDED;
            }
        }

        record Refused(String reason) implements AddResult {
            @Override
            public Kind kind() {
                return Kind.REFUSED;
            }
        }
    }

    /**
     * Adds an endpoint for {@code events} (their wire names; none for every type). The URL is
     * refused unless it is http(s) and its host is not, and does not resolve to, an address a
     * delivery may not reach ({@link WebhookTargets#refusal}).
     */
    public AddResult add(Tenant tenant, String url, List<String> events) {
        Validated<URI> parsed = WebhookTargets.parse(url);
        if (parsed instanceof Validated.Invalid<URI> invalid) {
            return new AddResult.Refused(invalid.reason());
        }
        URI target = parsed.orElseThrow();
        Optional<String> refused = targets.refusal(target.getHost());
        if (refused.isPresent()) {
            return new AddResult.Refused(refused.get());
        }
        Set<EventType> types = new LinkedHashSet<>();
        for (String name : events) {
            Optional<EventType> type = EventType.fromWire(name);
            if (type.isEmpty()) {
                return new AddResult.Refused("unknown event type: " + name);
            }
            types.add(type.get());
        }
        String id = ids.next("wh_");
        WebhookSecret secret = WebhookSecret.generate(random);
        Webhook webhook = new Webhook(
                id, tenant, target, types, clock.instant().truncatedTo(ChronoUnit.MILLIS), Optional.empty());
        store.add(webhook, sealer.sealBytes(id, secret.key()));
        return new AddResult.Added(webhook, secret);
    }

    public List<Webhook> list(Tenant tenant) {
        return store.list(tenant);
    }

    public Optional<Webhook> find(Tenant tenant, String id) {
        return store.find(tenant, id);
    }

    public boolean remove(Tenant tenant, String id) {
        return store.remove(tenant, id);
    }

    public boolean test(Tenant tenant, String id) {
        return store.test(tenant, id, clock.instant());
    }

    /** The endpoint's newest deliveries, or empty if the tenant has no such endpoint. */
    public Optional<List<WebhookDelivery>> deliveries(Tenant tenant, String id) {
        return store.find(tenant, id).map(webhook -> store.deliveries(tenant, id, LOG_LIMIT));
    }

    /** Sends a finished delivery of any of the tenant's endpoints again; false if there is none. */
    public boolean replay(Tenant tenant, String deliveryId) {
        return store.replay(tenant, Optional.empty(), deliveryId, clock.instant());
    }

    /**
     * Sends a finished delivery of endpoint {@code webhookId} again; false if that endpoint of the
     * tenant has no such delivery, so an address naming one endpoint never acts on another's.
     */
    public boolean replay(Tenant tenant, String webhookId, String deliveryId) {
        return store.replay(tenant, Optional.of(webhookId), deliveryId, clock.instant());
    }
}
