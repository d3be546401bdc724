package io.otpgate.core.code;

import java.util.Arrays;
import java.util.Objects;

/**
 * A code in the clear. It exists only between generation and hashing/sealing, and between
 * unsealing and rendering the email; {@link #toString()} never shows it so that it cannot reach a
 * log line or an exception message by accident.
 */
public final class OneTimeCode {

    private final char[] symbols;

    OneTimeCode(char[] symbols) {
        this.symbols = symbols.clone();
    }

    /** Wraps a code that came back from the outbox or from a person. */
    public static OneTimeCode of(char[] symbols) {
        Objects.requireNonNull(symbols, "symbols");
        return new OneTimeCode(symbols);
    }

    /** A copy of the characters; the caller should wipe it after use. */
    public char[] chars() {
        return symbols.clone();
    }

    /** The code as text, for the one place that must show it: the email. */
    public String reveal() {
        return new String(symbols);
    }

    public int length() {
        return symbols.length;
    }

    /** Overwrites the characters; the object is useless afterwards. */
    public void wipe() {
        Arrays.fill(symbols, '\0');
    }

    @Override
    public String toString() {
        return "OneTimeCode[" + symbols.length + " chars, hidden]";
    }

    @Override
    public boolean equals(Object other) {
        return this == other;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }
}
