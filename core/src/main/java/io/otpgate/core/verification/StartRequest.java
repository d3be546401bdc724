package io.otpgate.core.verification;

import io.otpgate.core.limit.RateLimit;
import io.otpgate.core.tenant.Tenant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A request to verify an address, as it arrived (untrusted text; the engine validates it).
 *
 * @param purpose empty means {@code verify_email}
 * @param locale empty means the default locale
 * @param extraLimits limits the caller counts besides the engine's own (per client IP, per API key)
 * @param tenant whom the verification will belong to
 * @param keyId the API key that starts it, recorded with it; empty for the pages and the CLI
 * @param reader another tenant that may read it too: the tenant of the redirect URI a hosted-pages
 *     verification was started for
 * @param idempotencyKey the caller's key for this start (the API's {@code Idempotency-Key}, or one the
 *     CLI derives per CSV row): within its tenant and 24 hours, a start with the same key and content
 *     returns the first verification instead of starting another
 */
public record StartRequest(
        String email,
        Optional<String> name,
        Optional<String> purpose,
        Optional<String> locale,
        List<RateLimit> extraLimits,
        Tenant tenant,
        Optional<String> keyId,
        Optional<Tenant> reader,
        Optional<String> idempotencyKey) {

    public StartRequest {
        Objects.requireNonNull(email, "email");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(purpose, "purpose");
        Objects.requireNonNull(locale, "locale");
        extraLimits = List.copyOf(extraLimits);
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(reader, "reader");
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
    }

    /** A request for {@link Tenant#DEFAULT}, started by no API key. */
    public StartRequest(
            String email,
            Optional<String> name,
            Optional<String> purpose,
            Optional<String> locale,
            List<RateLimit> extraLimits) {
        this(
                email,
                name,
                purpose,
                locale,
                extraLimits,
                Tenant.DEFAULT,
                Optional.empty(),
                Optional.empty(),
                Optional.empty());
    }

    /** An address alone: default purpose, locale and tenant, no name. */
    public static StartRequest of(String email) {
        return new StartRequest(email, Optional.empty(), Optional.empty(), Optional.empty(), List.of());
    }

    public StartRequest withName(String newName) {
        return new StartRequest(
                email,
                Optional.ofNullable(newName),
                purpose,
                locale,
                extraLimits,
                tenant,
                keyId,
                reader,
                idempotencyKey);
    }

    public StartRequest withPurpose(String newPurpose) {
        return new StartRequest(
                email,
                name,
                Optional.ofNullable(newPurpose),
                locale,
                extraLimits,
                tenant,
                keyId,
                reader,
                idempotencyKey);
    }

    public StartRequest withLocale(String newLocale) {
        return new StartRequest(
                email,
                name,
                purpose,
                Optional.ofNullable(newLocale),
                extraLimits,
                tenant,
                keyId,
                reader,
                idempotencyKey);
    }

    public StartRequest withLimits(List<RateLimit> limits) {
        return new StartRequest(email, name, purpose, locale, limits, tenant, keyId, reader, idempotencyKey);
    }

    public StartRequest withTenant(Tenant newTenant) {
        return new StartRequest(email, name, purpose, locale, extraLimits, newTenant, keyId, reader, idempotencyKey);
    }

    /** Started by this API key (its public id), which the verification records. */
    public StartRequest startedBy(String apiKeyId) {
        return new StartRequest(
                email, name, purpose, locale, extraLimits, tenant, Optional.of(apiKeyId), reader, idempotencyKey);
    }

    /** Readable by {@code tenant} as well as its own. */
    public StartRequest readableBy(Tenant readerTenant) {
        return new StartRequest(
                email, name, purpose, locale, extraLimits, tenant, keyId, Optional.of(readerTenant), idempotencyKey);
    }

    /** Idempotent under {@code key} (see {@link #idempotencyKey}). */
    public StartRequest idempotent(String key) {
        return new StartRequest(email, name, purpose, locale, extraLimits, tenant, keyId, reader, Optional.of(key));
    }
}
