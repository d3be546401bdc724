package io.otpgate.core.apikey;

import io.otpgate.core.Validated;
import io.otpgate.core.tenant.Tenant;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * What is known about an API key apart from its secret: safe to list, log and return.
 *
 * @param id public identifier: 12 characters of Crockford base32 for a stored key (the middle part
 *     of {@code otpk_<id>_<secret>}), {@code env_} and 8 characters for a key from the environment;
 *     it names the key in logs and in the per-key rate limit
 * @param name what the operator called it
 * @param createdAt when it was created; for an environment key, when this process read it
 * @param revokedAt when it was revoked; always empty for an environment key
 * @param source where the key lives
 * @param tenant whose verifications the key starts and sees
 * @param scope what the key may do
 */
public record ApiKey(
        String id,
        String name,
        Instant createdAt,
        Optional<Instant> revokedAt,
        Source source,
        Tenant tenant,
        Scope scope) {

    /** What a key may do. */
    public enum Scope {
        /** Everything the API offers its tenant. */
        FULL,
        /**
         * Read the tenant's figures ({@code GET /v1/stats}, the dashboard) and nothing else: the key
         * that may go into a browser, since it can neither start, check nor cancel a verification,
         * nor read an address.
         */
        READ;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Validated<Scope> parse(String text) {
            for (Scope scope : values()) {
                if (scope.wireName().equals(text)) {
                    return Validated.valid(scope);
                }
            }
            return Validated.invalid("a scope is full or read");
        }
    }

    /** Where a key lives, which decides how it is revoked. */
    public enum Source {
        /** In the database, as a hash; revoked with {@code otpgate keys revoke}. */
        STORED,
        /** In {@code OTPGATE_API_KEYS}; revoked by removing it there and restarting. */
        ENVIRONMENT
    }

    public ApiKey {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(revokedAt, "revokedAt");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(scope, "scope");
        if (id.isBlank()) {
            throw new IllegalArgumentException("id is blank");
        }
        if (source == Source.ENVIRONMENT && revokedAt.isPresent()) {
            throw new IllegalArgumentException("an environment key cannot be revoked in the database");
        }
    }

    /** A key of full scope, as every key was before scopes. */
    public ApiKey(
            String id, String name, Instant createdAt, Optional<Instant> revokedAt, Source source, Tenant tenant) {
        this(id, name, createdAt, revokedAt, source, tenant, Scope.FULL);
    }

    /** True until the key is revoked. */
    public boolean active() {
        return revokedAt.isEmpty();
    }
}
