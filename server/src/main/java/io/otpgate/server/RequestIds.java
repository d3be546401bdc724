package io.otpgate.server;

import java.util.UUID;
import java.util.regex.Pattern;

/** Request ids: a caller's own id is kept when it is safe to echo and log, else a new one is made. */
final class RequestIds {

  private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  private RequestIds() {}

  static String accept(String offered) {
    return offered != null && SAFE.matcher(offered).matches() ? offered : "req_" + UUID.randomUUID().toString().replace("-", "");
  }
}
