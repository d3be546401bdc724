package io.otpgate.server.pages;

import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.SameSite;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Cross-site request forgery protection for the hosted pages' forms: a signed double submit.
 *
 * <p>The browser holds a random value in an HttpOnly, SameSite=Strict cookie; each form carries
 * the HMAC of that value under a key derived from the server secret. A forged form has neither
 * the cookie (SameSite) nor, lacking the key, a field that matches a cookie an attacker could
 * plant from a sibling subdomain. A cross-site {@code Origin} or {@code Sec-Fetch-Site} is refused
 * before anything else. Nothing is stored on the server, so any instance accepts any form.
 */
public final class PageCsrf {

    static final String COOKIE = "otpgate_csrf";
    static final String FIELD = "csrf";
    private static final String ATTRIBUTE = "otpgate.csrfCookie";
    private static final Pattern VALUE = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private final List<byte[]> keys;
    private final SecureRandom random;
    private final boolean secureCookies;

    /**
     * @param keys newest first: the first signs, all verify (secret rotation)
     * @param secureCookies whether the cookie is {@code Secure} even on a plain-HTTP request
     */
    public PageCsrf(List<byte[]> keys, SecureRandom random, boolean secureCookies) {
        this.keys = List.copyOf(keys);
        this.random = random;
        this.secureCookies = secureCookies;
    }

    /**
     * The value for a form's hidden field, setting the cookie when the browser has none yet (or
     * one this server did not make).
     */
    String field(Context ctx) {
        String cookie = ctx.attribute(ATTRIBUTE);
        if (cookie == null) {
            cookie = Optional.ofNullable(ctx.cookie(COOKIE))
                    .filter(v -> VALUE.matcher(v).matches())
                    .orElse(null);
        }
        if (cookie == null) {
            byte[] bytes = new byte[32];
            random.nextBytes(bytes);
            cookie = BASE64URL.encodeToString(bytes);
            ctx.cookie(new Cookie(
                    COOKIE, cookie, "/", -1, PageLocale.secure(ctx, secureCookies), true, null, SameSite.STRICT));
        }
        ctx.attribute(ATTRIBUTE, cookie);
        return sign(keys.get(0), cookie);
    }

    /** Whether this POST came from one of our own forms in this browser. */
    boolean accepts(Context ctx) {
        if (crossSite(ctx)) {
            return false;
        }
        String cookie = ctx.cookie(COOKIE);
        String field = ctx.formParam(FIELD);
        if (cookie == null || field == null || !VALUE.matcher(cookie).matches() || field.length() > 64) {
            return false;
        }
        byte[] presented = field.getBytes(StandardCharsets.US_ASCII);
        boolean match = false;
        for (byte[] key : keys) {
            // Constant time, and every key tried, so the comparison says nothing about the secret.
            match |= MessageDigest.isEqual(sign(key, cookie).getBytes(StandardCharsets.US_ASCII), presented);
        }
        return match;
    }

    private static boolean crossSite(Context ctx) {
        String fetchSite = ctx.header("Sec-Fetch-Site");
        if (fetchSite != null && !fetchSite.equals("same-origin") && !fetchSite.equals("none")) {
            return true;
        }
        String origin = ctx.header("Origin");
        if (origin == null) {
            return false; // old browsers and non-browser clients; the cookie and field still decide
        }
        String host = ctx.header("Host");
        try {
            URI uri = new URI(origin);
            String authority = uri.getRawAuthority();
            return authority == null || host == null || !authority.equalsIgnoreCase(host);
        } catch (java.net.URISyntaxException e) {
            return true; // includes "null", sent by sandboxed frames and some redirects
        }
    }

    private static String sign(byte[] key, String cookie) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return BASE64URL.encodeToString(mac.doFinal(cookie.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JDK", e);
        }
    }
}
