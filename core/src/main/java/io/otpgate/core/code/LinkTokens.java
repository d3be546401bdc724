package io.otpgate.core.code;

import io.otpgate.core.id.VerificationId;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The token in an email's confirm link: the code sealed with AES-256-GCM under a key of its own,
 * with the verification id as associated data.
 *
 * <p>A link must approve exactly what typing the code would approve, so it carries the code
 * itself, encrypted: opening the link's confirm page and pressing the button runs the same
 * atomic check as typing the code, with the same attempts, expiry and single use, and a resend
 * retires the old link with the old code. The server keeps nothing extra, the code never appears
 * in a URL in clear, and a token copied to another verification does not open. Keys are derived
 * from the server secret under their own label, so a token is never valid outbox data or the
 * reverse. Thread-safe.
 */
public final class LinkTokens {

    private static final String LABEL = "otpgate/link-aes-gcm/v1";

    /** base64url without padding; a sealed code of up to 16 symbols is well under 128 characters. */
    private static final Pattern FORMAT = Pattern.compile("[A-Za-z0-9_-]{40,128}");

    private final CodeSealer sealer;

    public LinkTokens(ServerSecret secret, SecureRandom random) {
        this.sealer = new CodeSealer(secret, random, LABEL);
    }

    /** A URL-safe token (base64url, no padding) for the link to {@code id}'s confirm page. */
    public String issue(VerificationId id, OneTimeCode code) {
        Objects.requireNonNull(id, "id");
        return Base64.getUrlEncoder().withoutPadding().encodeToString(sealer.seal(id.value(), code));
    }

    /**
     * The code in {@code token}, or empty when the token is malformed, tampered with, issued for
     * another verification or under a secret no longer configured. Untrusted input is welcome.
     */
    public Optional<OneTimeCode> open(VerificationId id, String token) {
        Objects.requireNonNull(id, "id");
        if (token == null || !FORMAT.matcher(token).matches()) {
            return Optional.empty();
        }
        return sealer.tryOpen(id.value(), Base64.getUrlDecoder().decode(token));
    }
}
