package io.otpgate.core.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.otpgate.core.Validated;

/** Reads the reason out of a {@link Validated} that a test expects to be a refusal. */
public final class Refusals {

    private Refusals() {}

    /** The reason for the refusal; fails the test, showing the value, if the input was accepted. */
    public static String reasonFor(Validated<?> result) {
        assertThat(result).as("expected the input to be refused").isInstanceOf(Validated.Invalid.class);
        return ((Validated.Invalid<?>) result).reason();
    }
}
