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
 * @param ipStartLimit starts per end-user IP per 10 minutes, counted when the caller passes {@code client_ip}
 * @param keyStartLimit starts per API key per minute; empty means unlimited
 * @param brand the product name on the pages
 */
public record ServerSettings(
    String host,
    int port,
    List<String> corsOrigins,
    List<String> trustedProxies,
    int ipStartLimit,
    Optional<Integer> keyStartLimit,
    String brand) {

  /** RFC 9457 bodies and JSON requests above this are refused with 413. */
  public static final long MAX_BODY_BYTES = 1024 * 1024;

  public ServerSettings {
    Objects.requireNonNull(host, "host");
    corsOrigins = List.copyOf(corsOrigins);
    trustedProxies = List.copyOf(trustedProxies);
    Objects.requireNonNull(keyStartLimit, "keyStartLimit");
    Objects.requireNonNull(brand, "brand");
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port must be between 0 and 65535");
    }
    if (ipStartLimit < 1) {
      throw new IllegalArgumentException("the per-IP start limit must be at least 1");
    }
  }
}
