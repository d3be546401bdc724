package io.otpgate.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.otpgate.core.event.EventType;
import io.otpgate.core.webhook.Webhook;
import io.otpgate.core.webhook.WebhookDelivery;
import io.otpgate.core.webhook.Webhooks;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code /v1/webhooks} endpoints, each for the tenant of the API key: another tenant's
 * endpoint or delivery is a 404, as if it did not exist.
 */
final class WebhookRoutes {

    private final Webhooks webhooks;

    WebhookRoutes(Webhooks webhooks) {
        this.webhooks = webhooks;
    }

    void add(Context ctx) {
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
        if (result instanceof Webhooks.AddResult.Refused refused) {
            throw ApiProblem.invalidRequest(refused.reason());
        }
        Webhooks.AddResult.Added added = (Webhooks.AddResult.Added) result;
        Map<String, Object> json = webhook(added.webhook());
        // The only time the secret leaves OTPGate: it is stored sealed and never shown again.
        json.put("secret", added.secret().reveal());
        ctx.status(201).header("Location", "/v1/webhooks/" + added.webhook().id());
        Http.json(ctx, json);
    }

    void list(Context ctx) {
        Http.json(
                ctx,
                Map.of(
                        "webhooks",
                        webhooks.list(Http.tenant(ctx)).stream()
                                .map(WebhookRoutes::webhook)
                                .toList()));
    }

    void remove(Context ctx) {
        String id = ctx.pathParam("id");
        if (!webhooks.remove(Http.tenant(ctx), id)) {
            throw ApiProblem.notFound("no such webhook");
        }
        Http.json(ctx, Map.of("id", id, "removed", true));
    }

    void test(Context ctx) {
        if (!webhooks.test(Http.tenant(ctx), ctx.pathParam("id"))) {
            throw ApiProblem.notFound("no such webhook");
        }
        ctx.status(202);
        Http.json(ctx, Map.of("queued", true));
    }

    void deliveries(Context ctx) {
        List<WebhookDelivery> log = webhooks.deliveries(Http.tenant(ctx), ctx.pathParam("id"))
                .orElseThrow(() -> ApiProblem.notFound("no such webhook"));
        Http.json(
                ctx,
                Map.of("deliveries", log.stream().map(WebhookRoutes::delivery).toList()));
    }

    void replay(Context ctx) {
        if (!webhooks.replay(Http.tenant(ctx), ctx.pathParam("delivery"))) {
            throw ApiProblem.notFound("no finished delivery with this id");
        }
        ctx.status(202);
        Http.json(ctx, Map.of("queued", true));
    }

    static Map<String, Object> webhook(Webhook w) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", w.id());
        json.put("url", w.url().toString());
        json.put("events", w.events().stream().map(EventType::wireName).sorted().toList());
        json.put("created_at", Responses.time(w.createdAt()));
        json.put("disabled_at", w.disabled().map(d -> Responses.time(d.at())).orElse(null));
        json.put("disabled_reason", w.disabled().map(Webhook.Disabled::reason).orElse(null));
        return json;
    }

    static Map<String, Object> delivery(WebhookDelivery d) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", d.id());
        json.put("type", d.eventType());
        json.put("status", d.status());
        json.put("attempts", d.attempts());
        json.put("created_at", Responses.time(d.createdAt()));
        json.put("attempted_at", d.attemptedAt().map(Responses::time).orElse(null));
        json.put("next_attempt_at", d.nextAttemptAt().map(Responses::time).orElse(null));
        json.put("response_status", d.responseStatus().orElse(null));
        json.put("last_error", d.lastError().orElse(null));
        return json;
    }
}
