package io.otpgate.core.event;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One entry of a verification's history.
 *
 * @param data a few facts of the event, by name: {@code reply} (the SMTP server's, with
 *     {@code email.sent}, {@code email.retrying} and {@code email.failed}), {@code failure},
 *     {@code attempts_remaining} (with {@code code.incorrect}), {@code until} (with
 *     {@code address.locked}). Values are strings and numbers; never a code.
 */
public record VerificationEvent(EventType type, Instant at, Map<String, Object> data) {
    public VerificationEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(at, "at");
        data = Map.copyOf(data);
    }
}
