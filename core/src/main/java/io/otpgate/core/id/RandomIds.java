package io.otpgate.core.id;

import java.security.SecureRandom;
import java.util.regex.Pattern;

/**
 * Random identifiers: a prefix and 26 characters of lower-case Crockford base32 (130 bits), so an
 * id can be neither guessed nor enumerated, and it survives being read aloud or put in a URL.
 */
public final class RandomIds {

    private static final char[] CROCKFORD = "0123456789abcdefghjkmnpqrstvwxyz".toCharArray();
    private static final int LENGTH = 26;

    private final SecureRandom random;

    public RandomIds(SecureRandom random) {
        this.random = random;
    }

    public String next(String prefix) {
        char[] out = new char[LENGTH];
        for (int i = 0; i < LENGTH; i++) {
            out[i] = CROCKFORD[random.nextInt(CROCKFORD.length)];
        }
        return prefix + new String(out);
    }

    static Pattern pattern(String prefix) {
        return Pattern.compile(Pattern.quote(prefix) + "[0-9a-hjkmnp-tv-z]{" + LENGTH + "}");
    }
}
