package io.otpgate.server;

import io.javalin.http.Context;
import java.util.Optional;

/**
 * The hosted pages' content security policy: their script and style come from {@code /assets/}
 * only, nothing is fetched from anywhere else, and forms post to this service (and, when a
 * {@code redirect_uri} was accepted, lead on to that app, which the browser checks too).
 */
final class PageHeaders {

  private PageHeaders() {}

  static void apply(Context ctx, Optional<String> redirectOrigin) {
    ctx.header("Content-Security-Policy", "default-src 'none'; style-src 'self'; script-src 'self'; "
        + "img-src 'self' data:; form-action 'self'" + redirectOrigin.map(o -> " " + o).orElse("")
        + "; frame-ancestors 'none'; base-uri 'none'");
    ctx.header("Cache-Control", "no-store");
  }
}
