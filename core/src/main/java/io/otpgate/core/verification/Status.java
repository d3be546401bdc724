package io.otpgate.core.verification;

import java.util.Locale;

/** Where a verification stands. Every state but {@link #PENDING} is terminal. */
public enum Status {
    PENDING,
    APPROVED,
    EXPIRED,
    /** Every attempt was used on wrong codes. */
    FAILED,
    CANCELED;

    /** The name in the API and the database: {@code pending}, {@code approved}, … */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Status fromWire(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }
}
