package io.otpgate.core.apikey;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The text of a stored key, {@code otpk_<id>_<secret>}, and its hash.
 *
 * <p>The id is 12 characters of lower-case Crockford base32 (60 bits, enough to never collide in
 * one deployment); the secret is 32 characters (160 bits) from {@link SecureRandom}. The prefix
 * lets secret scanners and people recognise a leaked key.
 *
 * <p>Keys are stored as plain SHA-256 of the whole text. That is deliberate: a slow password hash
 * (bcrypt, Argon2) exists to make guessing a low-entropy password expensive, but nobody can
 * enumerate 2^160 secrets however fast the hash is, and a fast hash keeps every API request cheap.
 * A password would need a slow KDF; these keys do not.
 */
final class KeyFormat {

    static final String PREFIX = "otpk_";
    static final int ID_LENGTH = 12;
    static final int SECRET_LENGTH = 32;
    static final int LENGTH = PREFIX.length() + ID_LENGTH + 1 + SECRET_LENGTH;

    private static final char[] CROCKFORD = "0123456789abcdefghjkmnpqrstvwxyz".toCharArray();
    private static final String SYMBOL = "[0-9a-hjkmnp-tv-z]";
    private static final Pattern ID = Pattern.compile(SYMBOL + "{" + ID_LENGTH + "}");
    private static final Pattern KEY =
            Pattern.compile(PREFIX + "(" + SYMBOL + "{" + ID_LENGTH + "})_" + SYMBOL + "{" + SECRET_LENGTH + "}");

    private KeyFormat() {}

    /** A new key; the caller wipes the array once it has hashed and wrapped it. */
    static char[] generate(SecureRandom random) {
        char[] key = new char[LENGTH];
        PREFIX.getChars(0, PREFIX.length(), key, 0);
        int at = PREFIX.length();
        // nextInt(bound) draws without modulo bias, so every symbol carries its full 5 bits.
        for (int i = 0; i < ID_LENGTH; i++) {
            key[at++] = CROCKFORD[random.nextInt(CROCKFORD.length)];
        }
        key[at++] = '_';
        for (int i = 0; i < SECRET_LENGTH; i++) {
            key[at++] = CROCKFORD[random.nextInt(CROCKFORD.length)];
        }
        return key;
    }

    static String idOf(char[] key) {
        return new String(key, PREFIX.length(), ID_LENGTH);
    }

    /**
     * The id of a presented key if it has exactly the stored-key shape; empty otherwise, so that
     * malformed input never reaches the database. Keys are generated in lower case and hashed as
     * they are, so any other case is simply a wrong key.
     */
    static Optional<String> idOf(String presented) {
        if (presented.length() != LENGTH) {
            return Optional.empty();
        }
        Matcher matcher = KEY.matcher(presented);
        return matcher.matches() ? Optional.of(matcher.group(1)) : Optional.empty();
    }

    /** True for text shaped like a stored key's id. */
    static boolean isId(String text) {
        return ID.matcher(text).matches();
    }

    static byte[] sha256(char[] key) {
        byte[] bytes = new byte[key.length];
        for (int i = 0; i < key.length; i++) {
            bytes[i] = (byte) key[i]; // generated keys are ASCII
        }
        try {
            return sha256(bytes);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    static byte[] sha256(String text) {
        return sha256(text.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JDK", e);
        }
    }

    /** The first {@code count} characters (5 bits each) of {@code bytes} in lower-case Crockford base32. */
    static String base32(byte[] bytes, int count) {
        StringBuilder out = new StringBuilder(count);
        for (int i = 0; i < count; i++) {
            int bit = i * 5;
            int pair = (bytes[bit / 8] & 0xff) << 8 | (bit / 8 + 1 < bytes.length ? bytes[bit / 8 + 1] & 0xff : 0);
            out.append(CROCKFORD[(pair >>> (11 - bit % 8)) & 31]);
        }
        return out.toString();
    }
}
