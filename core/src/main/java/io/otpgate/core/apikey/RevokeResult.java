package io.otpgate.core.apikey;

/** The outcome of {@link ApiKeys#revoke}. */
public sealed interface RevokeResult {

    /** The key was active and is now revoked; requests with it are refused from now on. */
    record Revoked(ApiKey key) implements RevokeResult {}

    /** The key had been revoked before; nothing changed. */
    record AlreadyRevoked(ApiKey key) implements RevokeResult {}

    /** The key comes from {@code OTPGATE_API_KEYS}: remove it there and restart to revoke it. */
    record FromEnvironment(ApiKey key) implements RevokeResult {}

    /** No key has this id. */
    record NotFound() implements RevokeResult {}
}
