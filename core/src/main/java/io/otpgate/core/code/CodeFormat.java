package io.otpgate.core.code;

import io.otpgate.core.Validated;
import java.util.Arrays;

/**
 * Turns what a person typed into a candidate code, or explains why it cannot be one.
 *
 * <p>A malformed entry is refused before it is compared, so it costs no attempt: a person who
 * typed five digits of six made a typo, not a guess. The API, the CLI and the hosted pages all
 * parse here, so a code that works in one works in all of them. What people actually type or
 * paste is forgiven:
 *
 * <ul>
 *   <li>any Unicode decimal digit (general category Nd: Arabic-Indic ٠١٢, Extended Arabic-Indic
 *       ۰۱۲, Devanagari ०१२, full-width ０１２ …) reads as its ASCII digit, because phones with
 *       those keyboards type them and the email may show them;
 *   <li>any Unicode space (category Zs: NBSP, narrow NBSP, thin space, ideographic space …),
 *       the tab, any dash (category Pd: hyphen-minus, U+2010–U+2015, full-width hyphen …) and the
 *       minus sign U+2212 are ignored, because codes get copied as "123 456" or "123-456";
 *   <li>the bidi marks LRM, RLM and ALM (U+200E, U+200F, U+061C) are ignored, because copying a
 *       code out of a right-to-left email or page carries them;
 *   <li>Latin letters match case-insensitively, and full-width Latin letters (U+FF21–U+FF5A) read
 *       as their ASCII letter (the NFKC mapping of exactly those characters).
 * </ul>
 *
 * <p>Nothing else is mapped or ignored: not full NFKC, which would turn superscripts, circled
 * digits and ligatures into digits and letters and change the count; not look-alike letters from
 * other scripts (Cyrillic А is not A); not line breaks, control characters, zero-width characters
 * or bidi overrides, which nobody types into a code field and which could make the code shown
 * differ from the code checked. Such an entry is refused as outside the alphabet, before its
 * length, since that is the more useful thing to hear.
 */
public record CodeFormat(Alphabet alphabet, int length) {

    private static final int MINUS_SIGN = 0x2212;
    private static final int LRM = 0x200E;
    private static final int RLM = 0x200F;
    private static final int ALM = 0x061C;
    private static final int FULL_WIDTH_OFFSET = 0xFF21 - 'A';

    public Validated<OneTimeCode> parse(String input) {
        if (input == null) {
            return Validated.invalid("enter the " + length + "-character code from the email");
        }
        char[] symbols = new char[length];
        int entered = 0;
        boolean foreign = false;
        for (int i = 0; i < input.length(); ) {
            int c = input.codePointAt(i);
            i += Character.charCount(c);
            if (ignored(c)) {
                continue;
            }
            char symbol = symbol(c);
            foreign |= !alphabet.contains(symbol);
            if (entered < length) {
                symbols[entered] = symbol;
            }
            entered++;
        }
        try {
            if (foreign) {
                return Validated.invalid("the code contains only " + allowedDescription());
            }
            if (entered != length) {
                return Validated.invalid("the code has " + length + " " + symbolName() + "; you entered " + entered);
            }
            return Validated.valid(new OneTimeCode(symbols));
        } finally {
            Arrays.fill(symbols, '\0');
        }
    }

    private static boolean ignored(int c) {
        return switch (Character.getType(c)) {
            case Character.SPACE_SEPARATOR, Character.DASH_PUNCTUATION -> true;
            default -> c == '\t' || c == MINUS_SIGN || c == LRM || c == RLM || c == ALM;
        };
    }

    /** The ASCII symbol a typed character stands for, or {@code '\0'} (in no alphabet) if none. */
    private static char symbol(int c) {
        if (Character.getType(c) == Character.DECIMAL_DIGIT_NUMBER) {
            return (char) ('0' + Character.digit(c, 10));
        }
        if ((c >= 0xFF21 && c <= 0xFF3A) || (c >= 0xFF41 && c <= 0xFF5A)) {
            c -= FULL_WIDTH_OFFSET;
        }
        if (c >= 'a' && c <= 'z') {
            return (char) (c - 'a' + 'A');
        }
        return c >= 'A' && c <= 'Z' ? (char) c : '\0';
    }

    private String symbolName() {
        return alphabet == Alphabet.DIGITS ? "digits" : "characters";
    }

    private String allowedDescription() {
        return alphabet == Alphabet.DIGITS ? "digits" : "letters and digits other than 0, 1, I, L and O";
    }
}
