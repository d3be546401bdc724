package io.otpgate.core.webhook;

import io.otpgate.core.event.EventType;
import io.otpgate.core.tenant.Tenant;
import java.net.URI;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * An endpoint a tenant registered for its events.
 *
 * @param events the types it receives; empty for all
 * @param disabled when and why it stopped receiving (it answered 410 Gone)
 */
public record Webhook(
        String id, Tenant tenant, URI url, Set<EventType> events, Instant createdAt, Optional<Disabled> disabled) {

    public Webhook {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(url, "url");
        events = Set.copyOf(events);
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(disabled, "disabled");
    }

    public record Disabled(Instant at, String reason) {}

    public boolean receives(EventType type) {
        return disabled.isEmpty() && (events.isEmpty() || events.contains(type));
    }
}
