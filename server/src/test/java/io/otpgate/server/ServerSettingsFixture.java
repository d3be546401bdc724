package io.otpgate.server;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * {@link ServerSettings} for tests: the settings the services under test run with, and copies with
 * one thing changed. (The application builds its settings whole, from the configuration.)
 */
final class ServerSettingsFixture {

    private ServerSettingsFixture() {}

    /**
     * Loopback on a free port, 30 starts per IP, no limit per API key, no redirect URIs, the hosted
     * pages on and {@code /metrics} open.
     */
    static ServerSettings defaults() {
        return new ServerSettings(
                "127.0.0.1",
                0,
                List.of(),
                List.of(),
                30,
                Optional.empty(),
                "OTPGate",
                List.of(),
                ServerSettings.DEFAULT_IP_CHECK_LIMIT,
                false,
                true,
                Optional.empty());
    }

    static ServerSettings withKeyStartLimit(ServerSettings s, int max) {
        return copy(s, c -> c.keyStartLimit = Optional.of(max));
    }

    static ServerSettings withRedirectUris(ServerSettings s, List<String> uris) {
        return copy(s, c -> c.redirectUris = uris);
    }

    static ServerSettings withTrustedProxies(ServerSettings s, List<String> proxies) {
        return copy(s, c -> c.trustedProxies = proxies);
    }

    static ServerSettings withIpLimits(ServerSettings s, int starts, int checks) {
        return copy(s, c -> {
            c.ipStartLimit = starts;
            c.ipCheckLimit = checks;
        });
    }

    static ServerSettings withSecureCookies(ServerSettings s, boolean secure) {
        return copy(s, c -> c.secureCookies = secure);
    }

    static ServerSettings withPages(ServerSettings s, boolean on) {
        return copy(s, c -> c.pages = on);
    }

    static ServerSettings withMetricsToken(ServerSettings s, MetricsToken token) {
        return copy(s, c -> c.metricsToken = Optional.of(token));
    }

    private static ServerSettings copy(ServerSettings s, Consumer<Copy> change) {
        Copy copy = new Copy(s);
        change.accept(copy);
        return copy.settings();
    }

    /** The fields of a {@link ServerSettings}, to change before building it again. */
    private static final class Copy {
        final String host;
        final int port;
        final List<String> corsOrigins;
        List<String> trustedProxies;
        int ipStartLimit;
        Optional<Integer> keyStartLimit;
        final String brand;
        List<String> redirectUris;
        int ipCheckLimit;
        boolean secureCookies;
        boolean pages;
        Optional<MetricsToken> metricsToken;

        Copy(ServerSettings s) {
            host = s.host();
            port = s.port();
            corsOrigins = s.corsOrigins();
            trustedProxies = s.trustedProxies();
            ipStartLimit = s.ipStartLimit();
            keyStartLimit = s.keyStartLimit();
            brand = s.brand();
            redirectUris = s.redirectUris();
            ipCheckLimit = s.ipCheckLimit();
            secureCookies = s.secureCookies();
            pages = s.pages();
            metricsToken = s.metricsToken();
        }

        ServerSettings settings() {
            return new ServerSettings(
                    host,
                    port,
                    corsOrigins,
                    trustedProxies,
                    ipStartLimit,
                    keyStartLimit,
                    brand,
                    redirectUris,
                    ipCheckLimit,
                    secureCookies,
                    pages,
                    metricsToken);
        }
    }
}
