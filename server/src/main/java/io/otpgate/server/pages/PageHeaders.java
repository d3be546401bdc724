package io.otpgate.server.pages;

import io.javalin.http.Context;
import java.util.Optional;

/**
 * The hosted pages' content security policy: their script and style come from {@code /assets/}
 * only, nothing is fetched from anywhere else, and forms post to this service (and, when a
 * {@code redirect_uri} was accepted, lead on to that app, which the browser checks too); the
 * referrer stays within this service.
 */
final class PageHeaders {

    private PageHeaders() {}

    static void apply(Context ctx, Optional<String> redirectOrigin) {
        ctx.header(
                "Content-Security-Policy",
                "default-src 'none'; style-src 'self'; script-src 'self'; "
                        + "img-src 'self' data:; form-action 'self'"
                        + redirectOrigin.map(o -> " " + o).orElse("")
                        + "; frame-ancestors 'none'; base-uri 'none'");
        ctx.header("Cache-Control", "no-store");
        // With "no-referrer" (the API's policy) Chromium sends "Origin: null" on the pages' own form
        // POSTs, which the CSRF check rightly refuses. "same-origin" gives the real Origin to this
        // service and still sends nothing (no confirm-link token) to any other site.
        ctx.header("Referrer-Policy", "same-origin");
    }
}
