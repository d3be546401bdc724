package io.otpgate.core.email;

import io.otpgate.core.Validated;
import java.util.Objects;

/**
 * The name a person gave for themselves, shown in the greeting and the To header.
 *
 * <p>It reaches a mail header, so it gets the same control-character and unpaired-surrogate checks
 * as an address (the latter for new names, in {@link #parse}). The
 * mail adapter sends it RFC 2047-encoded, so quotes, commas and angle brackets are harmless and
 * allowed ("O'Brien, Ada" is a real name).
 */
public record DisplayName(String value) {

    static final int MAX_LENGTH = 100;

    /** Accepts only a trimmed, clean name; {@link #parse} is the way in for input. */
    public DisplayName {
        Objects.requireNonNull(value, "value");
        String problem = problem(value);
        if (problem != null || !value.strip().equals(value)) {
            throw new IllegalArgumentException(problem != null ? problem : "the name is not trimmed");
        }
    }

    /** Trims the input and checks it. */
    public static Validated<DisplayName> parse(String input) {
        if (input == null) {
            return Validated.invalid("the name is empty");
        }
        String text = input.strip();
        String problem = problem(input);
        if (problem == null) {
            // For new names only, not in the constructor: earlier versions stored such names, and
            // their verifications must stay readable until they are purged.
            problem = HeaderText.surrogateProblem(input, "the name");
        }
        return problem == null ? Validated.valid(new DisplayName(text)) : Validated.invalid(problem);
    }

    private static String problem(String input) {
        String control = HeaderText.controlProblem(input, "the name");
        if (control != null) {
            return control;
        }
        String text = input.strip();
        if (text.isEmpty()) {
            return "the name is empty";
        }
        if (text.codePointCount(0, text.length()) > MAX_LENGTH) {
            return "the name is longer than " + MAX_LENGTH + " characters";
        }
        return null;
    }

    @Override
    public String toString() {
        return value;
    }
}
