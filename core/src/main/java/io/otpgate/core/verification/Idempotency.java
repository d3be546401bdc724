package io.otpgate.core.verification;

import io.otpgate.core.Validated;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Objects;

/**
 * An idempotency key with the fingerprint of the start it came with. Within its tenant and {@link
 * #LIFETIME}, the store keeps the first start made under a key: the same key with the same
 * fingerprint returns that verification, with another fingerprint it is refused.
 *
 * @param fingerprint SHA-256 of what the start asked for (address, name, purpose, locale, readers),
 *     so a retry that changed the request is told apart from a retry of the same one
 */
public record Idempotency(String key, String fingerprint) {

    /** How long a key is remembered, as for Stripe's and the IETF draft's keys. */
    public static final Duration LIFETIME = Duration.ofHours(24);

    static final int MAX_KEY_LENGTH = 255;

    public Idempotency {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(fingerprint, "fingerprint");
    }

    /**
     * Checks a key as a client sent it: 1 to 255 visible ASCII characters, the IETF draft's
     * recommendation and what fits the index.
     */
    public static Validated<String> parseKey(String key) {
        if (key.isEmpty() || key.length() > MAX_KEY_LENGTH) {
            return Validated.invalid("must be 1 to " + MAX_KEY_LENGTH + " characters");
        }
        if (!key.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            return Validated.invalid("must be visible ASCII characters, without spaces");
        }
        return Validated.valid(key);
    }

    /** The key with the fingerprint of {@code v}'s request. */
    static Idempotency of(String key, Verification v) {
        return new Idempotency(
                key,
                digest(
                        v.email().value(),
                        v.name().map(Object::toString).orElse(""),
                        v.purpose().value(),
                        v.locale().toLanguageTag(),
                        v.reader().map(Object::toString).orElse("")));
    }

    /**
     * SHA-256 of {@code parts} in hex, each part length-prefixed so that ("ab", "c") and ("a", "bc")
     * differ: for a fingerprint, or for a key a caller derives from what it sends (the CLI's per-row
     * keys).
     */
    public static String digest(String... parts) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String part : parts) {
                byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
                sha.update(Integer.toString(bytes.length).getBytes(StandardCharsets.US_ASCII));
                sha.update((byte) ':');
                sha.update(bytes);
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
