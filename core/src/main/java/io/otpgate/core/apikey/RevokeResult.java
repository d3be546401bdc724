package io.otpgate.core.apikey;

/** The outcome of {@link ApiKeys#revoke}. */
public sealed interface RevokeResult {

    /** What happened, for a {@code switch} the compiler checks. */
    enum Kind {
        REVOKED,
        ALREADY_REVOKED,
        FROM_ENVIRONMENT,
        NOT_FOUND
    }

    Kind kind();

    /** The key was active and is now revoked; requests with it are refused from now on. */
    record Revoked(ApiKey key) implements RevokeResult {
        @Override
        public Kind kind() {
            return Kind.REVOKED;
        }
    }

    /** The key had been revoked before; nothing changed. */
    record AlreadyRevoked(ApiKey key) implements RevokeResult {
        @Override
        public Kind kind() {
            return Kind.ALREADY_REVOKED;
        }
    }

    /** The key comes from {@code OTPGATE_API_KEYS}: remove it there and restart to revoke it. */
    record FromEnvironment(ApiKey key) implements RevokeResult {
        @Override
        public Kind kind() {
            return Kind.FROM_ENVIRONMENT;
        }
    }

    /** No key has this id. */
    record NotFound() implements RevokeResult {
        @Override
        public Kind kind() {
            return Kind.NOT_FOUND;
        }
    }
}
