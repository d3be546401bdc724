package io.otpgate.server;

import io.otpgate.core.delivery.Delivery;
import io.otpgate.core.event.VerificationEvent;
import io.otpgate.core.verification.Verification;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The JSON shapes of the API, field for field as {@code openapi.json} describes them. */
final class Responses {

    private Responses() {}

    /** RFC 3339, UTC, millisecond precision: {@code 2026-01-01T10:00:00.123Z}. */
    static String time(Instant instant) {
        return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.MILLIS));
    }

    static Map<String, Object> verification(Verification v) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", v.id().value());
        json.put("email", v.email().value());
        json.put("name", v.name().map(Object::toString).orElse(null));
        json.put("purpose", v.purpose().value());
        json.put("locale", v.locale().toLanguageTag());
        json.put("status", v.status().wireName());
        json.put("created_at", time(v.createdAt()));
        json.put("expires_at", time(v.expiresAt()));
        json.put("attempts_remaining", v.attemptsRemaining());
        json.put("sends", v.sends());
        json.put("sends_remaining", v.sendsRemaining());
        json.put("resend_available_at", time(v.resendAvailableAt()));
        json.put("delivery", delivery(v.delivery()));
        return json;
    }

    /** One entry of a verification's history: {@code {type, timestamp, data}}, as webhooks carry it. */
    static Map<String, Object> event(VerificationEvent e) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("type", e.type().wireName());
        json.put("timestamp", time(e.at()));
        json.put("data", e.data());
        return json;
    }

    private static Map<String, Object> delivery(Delivery d) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("status", d.status().wireName());
        json.put("attempts", d.attempts());
        json.put("last_error", d.lastError().orElse(null));
        json.put("sent_at", d.sentAt().map(Responses::time).orElse(null));
        return json;
    }

    /**
     * A check of an existing verification: always 200, valid when nothing {@code refused} it, else
     * with the reason ({@code incorrect_code}, {@code expired}, …).
     */
    static Map<String, Object> check(Verification v, Optional<String> refused) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", v.id().value());
        json.put("valid", refused.isEmpty());
        json.put("status", v.status().wireName());
        json.put("reason", refused.orElse(null));
        json.put("attempts_remaining", v.attemptsRemaining());
        return json;
    }

    /** RFC 9457 problem details, with the stable code and, on 429, retry_after. */
    static Map<String, Object> problem(ApiProblem p, String instance, String requestId) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("type", "urn:otpgate:problem:" + p.code);
        json.put("title", p.title);
        json.put("status", p.status);
        json.put("detail", p.detail());
        json.put("code", p.code);
        json.put("instance", instance);
        json.put("request_id", requestId);
        p.retryAfterSeconds.ifPresent(seconds -> json.put("retry_after", seconds));
        return json;
    }
}
