package io.otpgate.server.pages;

import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.SameSite;
import io.otpgate.core.tenant.Tenant;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The dashboard's session: after a sign-in with a read-only key, a cookie that names the key (its
 * public id, never the key), its tenant and when the session ends, signed with a key derived from
 * the server secret. Nothing is stored on the server, so any instance accepts it; a cookie changed
 * in any byte, or past its end, is refused.
 *
 * <p>HttpOnly (no script reads it), SameSite=Strict (no other site sends it), Secure on HTTPS (or
 * always, with secure cookies configured), and scoped to {@code /dashboard}.
 */
public final class DashboardSession {

    public static final String COOKIE = "otpgate_dashboard";
    public static final Duration LIFETIME = Duration.ofHours(8);
    private static final String PATH = "/dashboard";
    private static final Base64.Encoder ENCODE = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODE = Base64.getUrlDecoder();

    /** Who is signed in: the read-only key's public id and its tenant. */
    record Session(String keyId, Tenant tenant) {}

    private final List<byte[]> keys;
    private final Clock clock;
    private final boolean secureCookies;

    /** @param keys newest first: the first signs, all verify (secret rotation) */
    public DashboardSession(List<byte[]> keys, Clock clock, boolean secureCookies) {
        this.keys = List.copyOf(keys);
        this.clock = clock;
        this.secureCookies = secureCookies;
    }

    void start(Context ctx, Session session) {
        long until = clock.instant().plus(LIFETIME).getEpochSecond();
        String payload = ENCODE.encodeToString(
                (session.keyId() + "\n" + session.tenant().name() + "\n" + until).getBytes(StandardCharsets.UTF_8));
        set(ctx, payload + "." + sign(keys.get(0), payload), (int) LIFETIME.toSeconds());
    }

    void end(Context ctx) {
        set(ctx, "", 0);
    }

    /** The session the request's cookie holds, if it is ours, untouched and not yet ended. */
    Optional<Session> of(Context ctx) {
        String cookie = ctx.cookie(COOKIE);
        if (cookie == null || cookie.length() > 512) {
            return Optional.empty();
        }
        int dot = cookie.indexOf('.');
        if (dot < 0) {
            return Optional.empty();
        }
        String payload = cookie.substring(0, dot);
        byte[] presented = cookie.substring(dot + 1).getBytes(StandardCharsets.US_ASCII);
        boolean match = false;
        for (byte[] key : keys) {
            // Constant time, and every key tried, so the comparison says nothing about the secret.
            match |= MessageDigest.isEqual(sign(key, payload).getBytes(StandardCharsets.US_ASCII), presented);
        }
        if (!match) {
            return Optional.empty();
        }
        String[] parts;
        try {
            parts = new String(DECODE.decode(payload), StandardCharsets.UTF_8).split("\n", -1);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (parts.length != 3
                || !Tenant.parse(parts[1]).isValid()
                || !clock.instant().isBefore(Instant.ofEpochSecond(Long.parseLong(parts[2])))) {
            return Optional.empty();
        }
        return Optional.of(new Session(parts[0], new Tenant(parts[1])));
    }

    private void set(Context ctx, String value, int maxAge) {
        ctx.cookie(new Cookie(
                COOKIE, value, PATH, maxAge, PageLocale.secure(ctx, secureCookies), true, null, SameSite.STRICT));
    }

    private static String sign(byte[] key, String payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return ENCODE.encodeToString(mac.doFinal(payload.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JDK", e);
        }
    }
}
