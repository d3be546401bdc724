package io.otpgate.core.id;

import io.otpgate.core.Validated;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What a verification is for ({@code verify_email}, {@code password_reset}, …). Codes are bound to
 * it, so a code issued for one purpose never completes another.
 */
public record Purpose(String value) {

    // Declared before VERIFY_EMAIL: static fields initialise in order and the constructor needs it.
    private static final Pattern FORMAT = Pattern.compile("[a-z0-9_]{1,32}");
    public static final Purpose VERIFY_EMAIL = new Purpose("verify_email");

    public Purpose {
        Objects.requireNonNull(value, "value");
        if (!FORMAT.matcher(value).matches()) {
            throw new IllegalArgumentException("purpose must match [a-z0-9_]{1,32}");
        }
    }

    public static Validated<Purpose> parse(String text) {
        if (text == null || !FORMAT.matcher(text).matches()) {
            return Validated.invalid("purpose must be 1 to 32 of a-z, 0-9 and _");
        }
        return Validated.valid(new Purpose(text));
    }

    @Override
    public String toString() {
        return value;
    }
}
