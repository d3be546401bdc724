package io.otpgate.core.apikey;

import java.util.Arrays;

/**
 * A freshly created API key in the clear ({@code otpk_<id>_<secret>}). It exists between creation
 * and the one moment it is shown to the operator; the database keeps only its SHA-256.
 * {@link #toString()} shows the id and hides the rest, so it cannot reach a log line or an
 * exception message by accident.
 */
public final class PlaintextKey {

    private final String id;
    private final char[] chars;

    PlaintextKey(String id, char[] chars) {
        this.id = id;
        this.chars = chars.clone();
    }

    /** The public part: the same id {@link ApiKey#id()} shows. */
    public String id() {
        return id;
    }

    /** The whole key, for the one place that must show it: the operator's screen or a mode-600 file. */
    public String reveal() {
        return new String(chars);
    }

    /** Overwrites the characters; the object is useless afterwards. */
    public void wipe() {
        Arrays.fill(chars, '\0');
    }

    @Override
    public String toString() {
        return "PlaintextKey[id=" + id + ", secret hidden]";
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
