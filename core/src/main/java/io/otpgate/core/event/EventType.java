package io.otpgate.core.event;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** What happened to a verification or its email. The wire names are a contract (API, webhooks). */
public enum EventType {
    VERIFICATION_STARTED("verification.started"),
    VERIFICATION_APPROVED("verification.approved"),
    VERIFICATION_FAILED("verification.failed"),
    VERIFICATION_EXPIRED("verification.expired"),
    VERIFICATION_CANCELED("verification.canceled"),
    CODE_INCORRECT("code.incorrect"),
    EMAIL_QUEUED("email.queued"),
    EMAIL_SENT("email.sent"),
    EMAIL_RETRYING("email.retrying"),
    EMAIL_FAILED("email.failed"),
    ADDRESS_LOCKED("address.locked");

    private final String wireName;

    EventType(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** The type of a wire name, matched exactly (names are lower case). */
    public static Optional<EventType> fromWire(String name) {
        return Arrays.stream(values())
                .filter(type -> type.wireName.equals(name.strip().toLowerCase(Locale.ROOT)))
                .findFirst();
    }
}
