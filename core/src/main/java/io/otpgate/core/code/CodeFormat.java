package io.otpgate.core.code;

import io.otpgate.core.Validated;

/**
 * Turns what a person typed into a candidate code, or explains why it cannot be one.
 *
 * <p>A malformed entry is refused before it is compared, so it costs no attempt: a person who
 * typed five digits of six made a typo, not a guess. Spaces and dashes are ignored and letters
 * are matched case-insensitively, because codes get copied from phones as "123 456" or "ab-cd".
 */
public record CodeFormat(Alphabet alphabet, int length) {

    public Validated<OneTimeCode> parse(String input) {
        if (input == null) {
            return Validated.invalid("enter the " + length + "-character code from the email");
        }
        StringBuilder kept = new StringBuilder(length);
        int entered = 0;
        for (int i = 0; i < input.length(); i++) {
            char c = input.charAt(i);
            if (c == ' ' || c == '-' || c == '\t') {
                continue;
            }
            entered++;
            if (kept.length() < length) {
                kept.append(Character.toUpperCase(c));
            }
        }
        if (entered != length) {
            kept.setLength(0);
            return Validated.invalid("the code has " + length + " " + symbolName() + "; you entered " + entered);
        }
        char[] symbols = new char[length];
        for (int i = 0; i < length; i++) {
            char c = kept.charAt(i);
            if (!alphabet.contains(c)) {
                kept.setLength(0);
                return Validated.invalid("the code contains only " + allowedDescription());
            }
            symbols[i] = c;
        }
        kept.setLength(0);
        return Validated.valid(new OneTimeCode(symbols));
    }

    private String symbolName() {
        return alphabet == Alphabet.DIGITS ? "digits" : "characters";
    }

    private String allowedDescription() {
        return alphabet == Alphabet.DIGITS ? "digits" : "letters and digits other than 0, 1, I, L and O";
    }
}
