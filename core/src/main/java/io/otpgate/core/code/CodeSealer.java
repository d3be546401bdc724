package io.otpgate.core.code;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts a code for the outbox with AES-256-GCM under a key derived from the server secret.
 *
 * <p>The outbox must hold the code until the email is sent, possibly after a restart; encrypting
 * it means a database dump alone reveals nothing, and erasing it at a terminal state (done by the
 * outbox) means an old dump reveals nothing either. The outbox row id is the associated data, so
 * a sealed code copied into another row does not open.
 */
public final class CodeSealer {

    private static final String OUTBOX_LABEL = "otpgate/outbox-aes-gcm/v1";
    private static final String WEBHOOK_LABEL = "otpgate/webhook-secret-aes-gcm/v1";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final byte VERSION = 1;

    private final List<byte[]> keys;
    private final SecureRandom random;

    public CodeSealer(ServerSecret secret, SecureRandom random) {
        this(secret, random, OUTBOX_LABEL);
    }

    /** A sealer whose keys are derived under another label, so its output never opens as outbox data. */
    CodeSealer(ServerSecret secret, SecureRandom random, String label) {
        this.keys = secret.derive(label);
        this.random = Objects.requireNonNull(random, "random");
    }

    /** The sealer of webhook signing secrets: keys of their own, so neither kind opens as the other. */
    public static CodeSealer forWebhookSecrets(ServerSecret secret, SecureRandom random) {
        return new CodeSealer(secret, random, WEBHOOK_LABEL);
    }

    /** Seals bytes other than a code (a webhook secret) the same way, bound to {@code rowId}. */
    public byte[] sealBytes(String rowId, byte[] clear) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            byte[] sealed =
                    cipher(Cipher.ENCRYPT_MODE, keys.get(0), nonce, rowId).doFinal(clear);
            return ByteBuffer.allocate(1 + NONCE_BYTES + sealed.length)
                    .put(VERSION)
                    .put(nonce)
                    .put(sealed)
                    .array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available in this JDK", e);
        }
    }

    /**
     * Opens what {@link #sealBytes} sealed.
     *
     * @throws IllegalStateException when no configured key opens it (wrong secret or tampering)
     */
    public byte[] openBytes(String rowId, byte[] sealed) {
        if (wellFormed(sealed)) {
            byte[] nonce = Arrays.copyOfRange(sealed, 1, 1 + NONCE_BYTES);
            byte[] body = Arrays.copyOfRange(sealed, 1 + NONCE_BYTES, sealed.length);
            for (byte[] key : keys) {
                try {
                    return cipher(Cipher.DECRYPT_MODE, key, nonce, rowId).doFinal(body);
                } catch (AEADBadTagException wrongKey) {
                    // try the next key
                } catch (GeneralSecurityException e) {
                    throw new IllegalStateException("AES-GCM is not available in this JDK", e);
                }
            }
        }
        throw new IllegalStateException("no configured secret opens this sealed value; was OTPGATE_SECRET changed?");
    }

    /**
     * {@code version || nonce || ciphertext+tag}. The version byte and the row id are authenticated
     * as associated data; which key sealed it is found by trying each, so no key index is stored.
     */
    public byte[] seal(String rowId, OneTimeCode code) {
        char[] symbols = code.chars();
        ByteBuffer plain = StandardCharsets.UTF_8.encode(CharBuffer.wrap(symbols));
        Arrays.fill(symbols, '\0');
        byte[] clear = new byte[plain.remaining()];
        plain.get(clear);
        if (plain.hasArray()) {
            Arrays.fill(plain.array(), (byte) 0);
        }
        try {
            return sealBytes(rowId, clear);
        } finally {
            Arrays.fill(clear, (byte) 0);
        }
    }

    /**
     * Opens a sealed code. Each configured key is tried, so rows sealed before a rotation still
     * open while their key is configured.
     *
     * @throws IllegalStateException when no configured key opens it (wrong secret or tampering)
     */
    public OneTimeCode open(String rowId, byte[] sealed) {
        if (!wellFormed(sealed)) {
            throw new IllegalStateException("sealed code has an unknown format or is truncated");
        }
        return tryOpen(rowId, sealed)
                .orElseThrow(() -> new IllegalStateException(
                        "no configured secret opens this outbox row; was OTPGATE_SECRET changed?"));
    }

    /** Like {@link #open}, but empty when the data is malformed, tampered with or sealed elsewhere. */
    Optional<OneTimeCode> tryOpen(String rowId, byte[] sealed) {
        if (!wellFormed(sealed)) {
            return Optional.empty();
        }
        byte[] nonce = Arrays.copyOfRange(sealed, 1, 1 + NONCE_BYTES);
        byte[] body = Arrays.copyOfRange(sealed, 1 + NONCE_BYTES, sealed.length);
        for (byte[] key : keys) {
            byte[] clear = null;
            try {
                clear = cipher(Cipher.DECRYPT_MODE, key, nonce, rowId).doFinal(body);
                CharBuffer chars = StandardCharsets.UTF_8.decode(ByteBuffer.wrap(clear));
                char[] symbols = new char[chars.remaining()];
                chars.get(symbols);
                OneTimeCode code = new OneTimeCode(symbols);
                Arrays.fill(symbols, '\0');
                return Optional.of(code);
            } catch (AEADBadTagException wrongKey) {
                // try the next key
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("AES-GCM is not available in this JDK", e);
            } finally {
                if (clear != null) {
                    Arrays.fill(clear, (byte) 0);
                }
            }
        }
        return Optional.empty();
    }

    private static boolean wellFormed(byte[] sealed) {
        return sealed.length >= 1 + NONCE_BYTES + TAG_BITS / 8 && sealed[0] == VERSION;
    }

    private static Cipher cipher(int mode, byte[] key, byte[] nonce, String rowId) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, nonce));
        cipher.updateAAD(new byte[] {VERSION});
        cipher.updateAAD(rowId.getBytes(StandardCharsets.UTF_8));
        return cipher;
    }
}
