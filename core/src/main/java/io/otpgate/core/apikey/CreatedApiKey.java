package io.otpgate.core.apikey;

import java.util.Objects;

/**
 * A key just created: what is stored about it, and its plaintext, which exists only here and can
 * never be recovered from the database.
 */
public record CreatedApiKey(ApiKey key, PlaintextKey plaintext) {

    public CreatedApiKey {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(plaintext, "plaintext");
    }
}
