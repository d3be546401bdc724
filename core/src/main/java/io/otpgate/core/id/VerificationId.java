package io.otpgate.core.id;

import io.otpgate.core.Validated;
import java.util.Objects;
import java.util.regex.Pattern;

/** {@code ver_} followed by 26 characters of Crockford base32. */
public record VerificationId(String value) {

    static final String PREFIX = "ver_";
    private static final Pattern FORMAT = RandomIds.pattern(PREFIX);

    public VerificationId {
        Objects.requireNonNull(value, "value");
        if (!FORMAT.matcher(value).matches()) {
            throw new IllegalArgumentException("not a verification id");
        }
    }

    /** Checks an id that came from outside (a URL, a command line) before it reaches a query. */
    public static Validated<VerificationId> parse(String text) {
        if (text == null || !FORMAT.matcher(text.strip()).matches()) {
            return Validated.invalid("not a verification id (ver_ followed by 26 characters)");
        }
        return Validated.valid(new VerificationId(text.strip()));
    }

    public static VerificationId random(RandomIds ids) {
        return new VerificationId(ids.next(PREFIX));
    }

    @Override
    public String toString() {
        return value;
    }
}
