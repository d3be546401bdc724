package io.otpgate.server;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The bearer token that {@code /metrics} asks for when {@code OTPGATE_METRICS_TOKEN} is set. Metrics
 * tell an outsider how much traffic the service has and how it fails, so an operator who exposes
 * the port can keep them to the Prometheus scraper.
 *
 * <p>Only a SHA-256 digest of the token is kept, and a presented token is compared digest to
 * digest with {@link MessageDigest#isEqual}: the time taken tells neither the token's length nor
 * how many leading characters matched. {@link #toString} never shows the token.
 */
public final class MetricsToken {

    static final int MIN_LENGTH = 16;
    /** Visible ASCII: a header value carries it as is, and nothing a proxy might fold or re-encode. */
    private static final Pattern VISIBLE_ASCII = Pattern.compile("[\\x21-\\x7e]+");

    private final byte[] digest;

    private MetricsToken(String token) {
        this.digest = sha256(token);
    }

    /**
     * The token from the setting's value.
     *
     * @throws IllegalArgumentException with {@link #problem}'s sentence when the value is not acceptable
     */
    public static MetricsToken of(String token) {
        problem(token).ifPresent(p -> {
            throw new IllegalArgumentException(p);
        });
        return new MetricsToken(token);
    }

    /** Why {@code token} cannot be a metrics token, if it cannot: for configuration errors. */
    public static Optional<String> problem(String token) {
        if (token == null || token.length() < MIN_LENGTH) {
            return Optional.of("must be at least " + MIN_LENGTH + " characters, so it cannot be guessed");
        }
        if (!VISIBLE_ASCII.matcher(token).matches()) {
            return Optional.of("must be visible ASCII characters without spaces, as it travels in an HTTP header");
        }
        return Optional.empty();
    }

    /** Whether an {@code Authorization} header value is {@code Bearer <this token>}. */
    boolean admits(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        return MessageDigest.isEqual(digest, sha256(authorization.substring(7).strip()));
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return "MetricsToken[hidden]";
    }
}
