package io.otpgate.core.verification;

import io.otpgate.core.limit.RateLimit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A request to verify an address, as it arrived (untrusted text; the engine validates it).
 *
 * @param purpose empty means {@code verify_email}
 * @param locale empty means the default locale
 * @param extraLimits limits the caller counts besides the engine's own (per client IP, per API key)
 */
public record StartRequest(
        String email,
        Optional<String> name,
        Optional<String> purpose,
        Optional<String> locale,
        List<RateLimit> extraLimits) {

    public StartRequest {
        Objects.requireNonNull(email, "email");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(purpose, "purpose");
        Objects.requireNonNull(locale, "locale");
        extraLimits = List.copyOf(extraLimits);
    }

    /** An address alone: default purpose and locale, no name. */
    public static StartRequest of(String email) {
        return new StartRequest(email, Optional.empty(), Optional.empty(), Optional.empty(), List.of());
    }

    public StartRequest withName(String newName) {
        return new StartRequest(email, Optional.ofNullable(newName), purpose, locale, extraLimits);
    }

    public StartRequest withPurpose(String newPurpose) {
        return new StartRequest(email, name, Optional.ofNullable(newPurpose), locale, extraLimits);
    }

    public StartRequest withLocale(String newLocale) {
        return new StartRequest(email, name, purpose, Optional.ofNullable(newLocale), extraLimits);
    }

    public StartRequest withLimits(List<RateLimit> limits) {
        return new StartRequest(email, name, purpose, locale, limits);
    }
}
