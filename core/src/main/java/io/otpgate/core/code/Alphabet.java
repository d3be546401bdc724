package io.otpgate.core.code;

import java.util.Locale;

/** The characters a code is drawn from. */
public enum Alphabet {
    /** 0–9. */
    DIGITS("0123456789"),
    /**
     * Crockford base32 upper case without 0, O, 1, I and L (30 symbols): nothing a person can
     * misread on a phone screen or mistype from a printed page.
     */
    ALPHANUMERIC("23456789ABCDEFGHJKMNPQRSTVWXYZ");

    private final String symbols;

    Alphabet(String symbols) {
        this.symbols = symbols;
    }

    public int size() {
        return symbols.length();
    }

    char symbol(int index) {
        return symbols.charAt(index);
    }

    boolean contains(char c) {
        return symbols.indexOf(c) >= 0;
    }

    /** The configuration name: {@code digits} or {@code alphanumeric}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Reads a configuration name, case-insensitively. */
    public static Alphabet fromConfig(String name) {
        for (Alphabet alphabet : values()) {
            if (alphabet.configName().equalsIgnoreCase(name.strip())) {
                return alphabet;
            }
        }
        throw new IllegalArgumentException("unknown code alphabet '" + name + "' (expected digits or alphanumeric)");
    }
}
