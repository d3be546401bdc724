package io.otpgate.core.webhook;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;

/**
 * An endpoint's signing secret as Standard Webhooks writes it: {@code whsec_} and the base64 of
 * 24 random bytes (192 bits; the convention allows 24 to 64). Shown once, when the endpoint is
 * added; stored sealed under the server secret. {@link #toString} hides it.
 */
public final class WebhookSecret {

    public static final String PREFIX = "whsec_";
    private static final int BYTES = 24;

    private final byte[] key;

    private WebhookSecret(byte[] key) {
        this.key = key.clone();
    }

    public static WebhookSecret generate(SecureRandom random) {
        byte[] key = new byte[BYTES];
        random.nextBytes(key);
        return new WebhookSecret(key);
    }

    /** The secret of its written form; empty unless it is {@code whsec_} and base64 of 24 to 64 bytes. */
    public static Optional<WebhookSecret> parse(String text) {
        if (!text.startsWith(PREFIX)) {
            return Optional.empty();
        }
        try {
            byte[] key = Base64.getDecoder().decode(text.substring(PREFIX.length()));
            return key.length >= BYTES && key.length <= 64 ? Optional.of(new WebhookSecret(key)) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    static WebhookSecret of(byte[] key) {
        return new WebhookSecret(key);
    }

    /** The HMAC key: the decoded bytes, as the convention's verifiers use it. */
    public byte[] key() {
        return key.clone();
    }

    /** The written form, {@code whsec_…}: to show the operator once. */
    public String reveal() {
        return PREFIX + Base64.getEncoder().encodeToString(key);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof WebhookSecret s && java.security.MessageDigest.isEqual(key, s.key);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(key);
    }

    @Override
    public String toString() {
        return PREFIX + "…";
    }
}
