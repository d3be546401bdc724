package io.otpgate.server;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How the HTTP server listens and limits.
 *
 * @param port the TCP port; 0 picks a free one
 * @param corsOrigins origins allowed to call the API from a browser; empty means none
 * @param trustedProxies addresses of reverse proxies whose {@code X-Forwarded-For} is believed
 * @param ipStartLimit starts per end-user IP per 10 minutes: on the hosted pages, and through the
 *     API when the caller passes {@code client_ip}
 * @param keyStartLimit starts per API key per minute; empty means unlimited
 * @param brand the product name on the pages
 * @param redirectUris where the hosted pages may send a person back to (see {@link RedirectUris});
 *     empty refuses every {@code redirect_uri}
 * @param ipCheckLimit code checks, link confirmations and resends per client IP per 10 minutes on
 *     the hosted pages
 * @param secureCookies whether the pages' cookies are {@code Secure} even on a plain-HTTP request:
 *     true when the public URL is https, as behind a proxy that ends TLS. (HTTPS requests always
 *     get {@code Secure} cookies.) The request's forwarded scheme is not trusted for this.
 * @param pages whether the hosted pages exist ({@code OTPGATE_PAGES}); without them their routes
 *     answer 404
 * @param metricsToken when present, {@code /metrics} answers only {@code Authorization: Bearer <token>}
 */
public record ServerSettings(
        String host,
        int port,
        List<String> corsOrigins,
        List<String> trustedProxies,
        int ipStartLimit,
        Optional<Integer> keyStartLimit,
        String brand,
        List<String> redirectUris,
        int ipCheckLimit,
        boolean secureCookies,
        boolean pages,
        Optional<MetricsToken> metricsToken) {

    /** RFC 9457 bodies and JSON requests above this are refused with 413. */
    public static final long MAX_BODY_BYTES = 1024 * 1024;

    /** Checks per IP per 10 minutes: a busy office behind one NAT, not a guessing script. */
    public static final int DEFAULT_IP_CHECK_LIMIT = 60;

    public ServerSettings {
        Objects.requireNonNull(host, "host");
        corsOrigins = List.copyOf(corsOrigins);
        trustedProxies = List.copyOf(trustedProxies);
        Objects.requireNonNull(keyStartLimit, "keyStartLimit");
        Objects.requireNonNull(brand, "brand");
        Objects.requireNonNull(metricsToken, "metricsToken");
        redirectUris = List.copyOf(redirectUris);
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be between 0 and 65535");
        }
        if (ipStartLimit < 1) {
            throw new IllegalArgumentException("the per-IP start limit must be at least 1");
        }
        if (ipCheckLimit < 1) {
            throw new IllegalArgumentException("the per-IP check limit must be at least 1");
        }
        RedirectUris.of(redirectUris); // refuses a malformed entry at start, not at first use
    }
}
