package io.otpgate.server.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.otpgate.core.event.EventType;
import io.otpgate.core.webhook.Webhook;
import io.otpgate.core.webhook.WebhookDelivery;
import io.otpgate.core.webhook.Webhooks;
import io.otpgate.server.ApiProblem;
import io.otpgate.server.Http;
import io.otpgate.server.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code /v1/webhooks} endpoints, each for the tenant of the API key: another tenant's
 * endpoint or delivery is a 404, as if it did not exist.
 */
public final class WebhookRoutes {

    private final Webhooks webhooks;

    public WebhookRoutes(Webhooks webhooks) {
        this.webhooks = webhooks;
    }

    public void add(Context ctx) {
        Json.Body body = Json.object(ctx);
        String url = body.requiredString("url");
        List<String> events = new ArrayList<>();
        JsonNode listed = body.node().get("events");
        if (listed != null && !listed.isNull()) {
            if (!listed.isArray()) {
                throw ApiProblem.invalidRequest("events: must be an array of event types");
            }
            for (JsonNode type : listed) {
                if (!type.isTextual()) {
                    throw ApiProblem.invalidRequest("events: must be an array of event types");
                }
                events.add(type.asText());
            }
        }
        Webhooks.AddResult result = webhooks.add(Http.tenant(ctx), url, events);
        Webhooks.AddResult.Added added = switch (result.kind()) {
            case ADDED -> (Webhooks.AddResult.Added) result;
            case REFUSED -> throw ApiProblem.invalidRequest(((Webhooks.AddResult.Refused) result).reason());
        };
        ctx.status(201).header("Location", "/v1/webhooks/" + added.webhook().id());
        // The only time the secret leaves OTPGate: it is stored sealed and never shown again.
        ctx.json(WebhookJson.of(added.webhook(), added.secret().reveal()));
    }

    public void list(Context ctx) {
        List<WebhookJson> list = webhooks.list(Http.tenant(ctx)).stream()
                .map(webhook -> WebhookJson.of(webhook, null))
                .toList();
        ctx.json(new WebhooksJson(list));
    }

    public void remove(Context ctx) {
        String id = ctx.pathParam("id");
        if (!webhooks.remove(Http.tenant(ctx), id)) {
            throw ApiProblem.notFound("no such webhook");
        }
        ctx.json(new RemovedJson(id, true));
    }

    public void test(Context ctx) {
        if (!webhooks.test(Http.tenant(ctx), ctx.pathParam("id"))) {
            throw ApiProblem.notFound("no such webhook");
        }
        ctx.status(202);
        ctx.json(QUEUED);
    }

    public void deliveries(Context ctx) {
        List<WebhookDelivery> log = webhooks.deliveries(Http.tenant(ctx), ctx.pathParam("id"))
                .orElseThrow(() -> ApiProblem.notFound("no such webhook"));
        ctx.json(new DeliveriesJson(log.stream().map(DeliveryJson::of).toList()));
    }

    public void replay(Context ctx) {
        if (!webhooks.replay(Http.tenant(ctx), ctx.pathParam("id"), ctx.pathParam("delivery"))) {
            throw ApiProblem.notFound("no finished delivery with this id");
        }
        ctx.status(202);
        ctx.json(QUEUED);
    }

    private static final QueuedJson QUEUED = new QueuedJson(true);

    /** A webhook endpoint; {@code secret} only in the answer that created it. */
    record WebhookJson(
            String id,
            String url,
            List<String> events,
            String createdAt,
            String disabledAt,
            String disabledReason,
            @JsonInclude(JsonInclude.Include.NON_NULL) String secret) {

        static WebhookJson of(Webhook w, String secret) {
            return new WebhookJson(
                    w.id(),
                    w.url().toString(),
                    w.events().stream().map(EventType::wireName).sorted().toList(),
                    Json.time(w.createdAt()),
                    Json.time(w.disabled().map(Webhook.Disabled::at)),
                    w.disabled().map(Webhook.Disabled::reason).orElse(null),
                    secret);
        }
    }

    record WebhooksJson(List<WebhookJson> webhooks) {}

    record RemovedJson(String id, boolean removed) {}

    record QueuedJson(boolean queued) {}

    /** One attempt to deliver an event to an endpoint, as its delivery log shows it. */
    record DeliveryJson(
            String id,
            String type,
            String status,
            int attempts,
            String createdAt,
            String attemptedAt,
            String nextAttemptAt,
            Integer responseStatus,
            String lastError) {

        static DeliveryJson of(WebhookDelivery d) {
            return new DeliveryJson(
                    d.id(),
                    d.eventType(),
                    d.status(),
                    d.attempts(),
                    Json.time(d.createdAt()),
                    Json.time(d.attemptedAt()),
                    Json.time(d.nextAttemptAt()),
                    d.responseStatus().orElse(null),
                    d.lastError().orElse(null));
        }
    }

    record DeliveriesJson(List<DeliveryJson> deliveries) {}
}
