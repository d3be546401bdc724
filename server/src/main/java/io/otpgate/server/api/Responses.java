package io.otpgate.server.api;

import io.otpgate.core.delivery.Delivery;
import io.otpgate.core.event.VerificationEvent;
import io.otpgate.core.verification.Verification;
import io.otpgate.server.Json;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The JSON shapes of the verification API, field for field as {@code openapi.json} describes them. */
final class Responses {

    private Responses() {}

    record VerificationJson(
            String id,
            String email,
            String name,
            String purpose,
            String locale,
            String status,
            String createdAt,
            String expiresAt,
            int attemptsRemaining,
            int sends,
            int sendsRemaining,
            String resendAvailableAt,
            DeliveryJson delivery) {

        static VerificationJson of(Verification v) {
            return new VerificationJson(
                    v.id().value(),
                    v.email().value(),
                    v.name().map(Object::toString).orElse(null),
                    v.purpose().value(),
                    v.locale().toLanguageTag(),
                    v.status().wireName(),
                    Json.time(v.createdAt()),
                    Json.time(v.expiresAt()),
                    v.attemptsRemaining(),
                    v.sends(),
                    v.sendsRemaining(),
                    Json.time(v.resendAvailableAt()),
                    DeliveryJson.of(v.delivery()));
        }
    }

    record DeliveryJson(String status, int attempts, String lastError, String sentAt) {

        static DeliveryJson of(Delivery d) {
            return new DeliveryJson(
                    d.status().wireName(), d.attempts(), d.lastError().orElse(null), Json.time(d.sentAt()));
        }
    }

    /**
     * A check of an existing verification: always 200, valid when nothing {@code refused} it, else
     * with the reason ({@code incorrect_code}, {@code expired}, …).
     */
    record CheckJson(String id, boolean valid, String status, String reason, int attemptsRemaining) {

        static CheckJson of(Verification v, Optional<String> refused) {
            return new CheckJson(
                    v.id().value(),
                    refused.isEmpty(),
                    v.status().wireName(),
                    refused.orElse(null),
                    v.attemptsRemaining());
        }
    }

    /** One entry of a verification's history: {@code {type, timestamp, data}}, as webhooks carry it. */
    record EventJson(String type, String timestamp, Map<String, Object> data) {

        static EventJson of(VerificationEvent e) {
            return new EventJson(e.type().wireName(), Json.time(e.at()), e.data());
        }
    }

    record EventsJson(List<EventJson> events) {}
}
