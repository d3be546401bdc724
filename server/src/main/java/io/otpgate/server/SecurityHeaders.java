package io.otpgate.server;

import io.javalin.http.Context;

/**
 * Headers on every response. The API returns JSON nobody should frame, sniff or cache; the few
 * HTML pages use inline styles only, so the content security policy can forbid everything else.
 */
final class SecurityHeaders {

    private SecurityHeaders() {}

    static void apply(Context ctx) {
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("Cross-Origin-Opener-Policy", "same-origin");
        ctx.header(
                "Content-Security-Policy",
                "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
        ctx.header("Cache-Control", "no-store");
    }
}
