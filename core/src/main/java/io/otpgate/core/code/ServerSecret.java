package io.otpgate.core.code;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The server's secret keys: the first signs and encrypts, all of them verify and decrypt, so an
 * operator can rotate by putting a new key in front and dropping the old one once its codes have
 * expired.
 *
 * <p>Separate subkeys are derived for code hashing and for outbox encryption (HMAC-SHA-256 of a
 * fixed label, as in HKDF-Expand with one block), so one key never serves two algorithms.
 */
public final class ServerSecret {

    static final int MIN_KEY_BYTES = 16;

    private final List<byte[]> keys;

    private ServerSecret(List<byte[]> keys) {
        this.keys = keys;
    }

    /** Keys newest first; each at least 16 bytes. */
    public static ServerSecret of(List<byte[]> keys) {
        Objects.requireNonNull(keys, "keys");
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("at least one secret key is required");
        }
        for (byte[] key : keys) {
            if (key.length < MIN_KEY_BYTES) {
                throw new IllegalArgumentException("each secret key must be at least " + MIN_KEY_BYTES + " bytes");
            }
        }
        return new ServerSecret(keys.stream().map(byte[]::clone).toList());
    }

    /**
     * Subkeys for one purpose, in the same order as the keys: the first signs, all verify. Each
     * purpose uses its own {@code label}, so a value made for one purpose is never valid for another.
     */
    public List<byte[]> derive(String label) {
        return keys.stream()
                .map(key -> hmac(key, label.getBytes(StandardCharsets.UTF_8)))
                .toList();
    }

    static byte[] hmac(byte[] key, byte[] message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(message);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JDK", e);
        }
    }

    @Override
    public String toString() {
        return "ServerSecret[" + keys.size() + " key(s), hidden]";
    }
}
