package io.otpgate.core.tenant;

import io.otpgate.core.Validated;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Whom a verification belongs to: the tenant of the API key that started it, {@link #PAGES} for
 * the hosted pages, or the one a CLI command names. Another tenant never sees, checks, cancels or
 * counts it, and its limits and locks are its own.
 *
 * <p>A name is 1 to 32 of {@code a-z}, {@code 0-9}, {@code _} and {@code -}, starting with a letter
 * or digit: it has no colon, so it can prefix a rate-limit or lock key without ambiguity.
 */
public record Tenant(String name) {

    // Declared before the constants: static fields initialise in order and the constructor needs it.
    private static final Pattern FORMAT = Pattern.compile("[a-z0-9][a-z0-9_-]{0,31}");

    /** Keys created without a tenant, {@code OTPGATE_API_KEYS} entries without one, rows from before tenants. */
    public static final Tenant DEFAULT = new Tenant("default");

    /** The hosted pages: anonymous visitors, with their own per-address budget. */
    public static final Tenant PAGES = new Tenant("pages");

    public Tenant {
        Objects.requireNonNull(name, "name");
        if (!FORMAT.matcher(name).matches()) {
            throw new IllegalArgumentException("a tenant name must match [a-z0-9][a-z0-9_-]{0,31}");
        }
    }

    public static Validated<Tenant> parse(String text) {
        if (text == null || !FORMAT.matcher(text).matches()) {
            return Validated.invalid("a tenant name is 1 to 32 of a-z, 0-9, _ and -, starting with a letter or digit");
        }
        return Validated.valid(new Tenant(text));
    }

    @Override
    public String toString() {
        return name;
    }
}
