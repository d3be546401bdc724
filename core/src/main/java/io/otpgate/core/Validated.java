package io.otpgate.core;

import java.util.Objects;
import java.util.function.Function;

/**
 * The outcome of checking untrusted input: either a value or the reason it was refused.
 *
 * <p>Bad input from a person is an expected event, not a bug, so it is a value rather than an
 * exception; the reason is written for that person ("the domain has no dot").
 */
public sealed interface Validated<T> {

    /** Input that passed every check. */
    record Valid<T>(T value) implements Validated<T> {
        public Valid {
            Objects.requireNonNull(value, "value");
        }
    }

    /** Input that was refused, with a reason fit to show to the person who typed it. */
    record Invalid<T>(String reason) implements Validated<T> {
        public Invalid {
            Objects.requireNonNull(reason, "reason");
        }
    }

    static <T> Validated<T> valid(T value) {
        return new Valid<>(value);
    }

    static <T> Validated<T> invalid(String reason) {
        return new Invalid<>(reason);
    }

    default boolean isValid() {
        return this instanceof Valid;
    }

    /** The value; throws if invalid, so call it only after {@link #isValid()} or in tests. */
    default T orElseThrow() {
        if (this instanceof Valid<T> valid) {
            return valid.value();
        }
        throw new IllegalArgumentException(((Invalid<T>) this).reason());
    }

    default <R> Validated<R> map(Function<T, R> mapper) {
        if (this instanceof Valid<T> valid) {
            return new Valid<>(mapper.apply(valid.value()));
        }
        return new Invalid<>(((Invalid<T>) this).reason());
    }
}
