package io.otpgate.server;

import io.javalin.http.Context;
import io.otpgate.core.stats.Stats;
import io.otpgate.core.stats.StatsReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Health, metrics, statistics and the API description: what operators and tools read. */
final class Operations {

    private final StatsReader stats;
    private final ApiMetrics metrics;
    private final Clock clock;
    private final Optional<MetricsToken> metricsToken;
    private final byte[] openApi;

    Operations(StatsReader stats, ApiMetrics metrics, Clock clock, Optional<MetricsToken> metricsToken) {
        this.stats = stats;
        this.metrics = metrics;
        this.clock = clock;
        this.metricsToken = metricsToken;
        this.openApi = resource("openapi.json");
    }

    void live(Context ctx) {
        Http.json(ctx, Map.of("status", "up"));
    }

    /** Ready means the database answers: a load balancer should not send traffic otherwise. */
    void ready(Context ctx) {
        boolean up = stats.reachable();
        ctx.status(up ? 200 : 503);
        Http.json(ctx, Map.of("status", up ? "up" : "down", "database", up ? "up" : "down"));
    }

    void metrics(Context ctx) {
        if (metricsToken.isPresent() && !metricsToken.get().admits(ctx.header("Authorization"))) {
            ctx.header("WWW-Authenticate", "Bearer");
            throw new ApiProblem(
                    401,
                    "unauthorized",
                    "Unauthorized",
                    "send the metrics token (OTPGATE_METRICS_TOKEN) as Authorization: Bearer <token>",
                    Optional.empty());
        }
        ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape());
    }

    void openApi(Context ctx) {
        ctx.contentType(Http.JSON).result(openApi);
    }

    void stats(Context ctx) {
        Stats s = stats.stats(clock.instant());
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("verifications", wireNames(s.verifications()));
        json.put("deliveries", wireNames(s.deliveries()));
        json.put("approval_rate", s.approvalRate().orElse(null));
        json.put(
                "median_seconds_to_approve",
                s.medianTimeToApprove().map(d -> d.toMillis() / 1000.0).orElse(null));
        Http.json(ctx, json);
    }

    private static Map<String, Long> wireNames(Map<? extends Enum<?>, Long> counts) {
        Map<String, Long> named = new TreeMap<>();
        counts.forEach((k, v) -> named.put(k.name().toLowerCase(java.util.Locale.ROOT), v));
        return named;
    }

    private static byte[] resource(String name) {
        try (InputStream in = Operations.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
