package io.otpgate.core.code;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Stores codes as HMAC-SHA-256 under the server secret, bound to the verification id and purpose.
 *
 * <p>Without a key, a 6-digit code's hash is reversed in a million tries by anyone who reads the
 * database (OWASP ASVS 5.0 §6.5.2); with the key outside the database it cannot be. Binding the
 * id and purpose means a code can never be replayed against another verification. Comparison is
 * {@link MessageDigest#isEqual}, which takes the same time wherever the first difference is.
 */
public final class CodeHasher {

    private static final String LABEL = "otpgate/code-hmac/v1";

    private final List<byte[]> keys;

    public CodeHasher(ServerSecret secret) {
        this.keys = secret.derive(LABEL);
    }

    /** The value to store: HMAC with the newest key. */
    public byte[] hash(String verificationId, String purpose, OneTimeCode code) {
        return mac(keys.get(0), verificationId, purpose, code);
    }

    /** True when the code matches the stored hash under any configured key. */
    public boolean matches(String verificationId, String purpose, OneTimeCode code, byte[] stored) {
        boolean matched = false;
        // Every key is tried even after a match so the time does not tell which key signed.
        for (byte[] key : keys) {
            matched |= MessageDigest.isEqual(mac(key, verificationId, purpose, code), stored);
        }
        return matched;
    }

    private static byte[] mac(byte[] key, String verificationId, String purpose, OneTimeCode code) {
        char[] symbols = code.chars();
        ByteBuffer codeBytes = StandardCharsets.UTF_8.encode(CharBuffer.wrap(symbols));
        Arrays.fill(symbols, '\0');
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            // Length-prefixed fields: no two (id, purpose, code) triples share an input.
            field(mac, verificationId.getBytes(StandardCharsets.UTF_8));
            field(mac, purpose.getBytes(StandardCharsets.UTF_8));
            byte[] raw = new byte[codeBytes.remaining()];
            codeBytes.get(raw);
            field(mac, raw);
            Arrays.fill(raw, (byte) 0);
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JDK", e);
        } finally {
            if (codeBytes.hasArray()) {
                Arrays.fill(codeBytes.array(), (byte) 0);
            }
        }
    }

    private static void field(Mac mac, byte[] bytes) {
        mac.update(ByteBuffer.allocate(4).putInt(bytes.length).array());
        mac.update(bytes);
    }
}
