package io.otpgate.server;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.javalin.http.Context;
import io.otpgate.core.Validated;
import io.otpgate.core.analytics.AnalyticsReader;
import io.otpgate.core.analytics.Period;
import io.otpgate.core.delivery.DeliveryHealth;
import io.otpgate.core.delivery.DeliveryStatus;
import io.otpgate.core.delivery.Outbox;
import io.otpgate.core.stats.Stats;
import io.otpgate.core.stats.StatsReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Health, metrics, statistics and the API description: what operators and tools read. */
final class Operations {

    private static final Logger log = LoggerFactory.getLogger(Operations.class);

    private final StatsReader stats;
    private final AnalyticsReader analytics;
    private final ApiMetrics metrics;
    private final Clock clock;
    private final Outbox outbox;
    private final Duration alertAge;
    private final Optional<MetricsToken> metricsToken;
    private final byte[] openApi;

    Operations(
            StatsReader stats,
            AnalyticsReader analytics,
            ApiMetrics metrics,
            Clock clock,
            Outbox outbox,
            Duration alertAge,
            Optional<MetricsToken> metricsToken) {
        this.stats = stats;
        this.analytics = analytics;
        this.metrics = metrics;
        this.clock = clock;
        this.outbox = outbox;
        this.alertAge = alertAge;
        this.metricsToken = metricsToken;
        this.openApi = resource("openapi.json");
    }

    void live(Context ctx) {
        ctx.json(new Health("up", null));
    }

    /** Ready means the database answers: a load balancer should not send traffic otherwise. */
    void ready(Context ctx) {
        boolean up = stats.reachable();
        ctx.status(up ? 200 : 503);
        ctx.json(new Health(up ? "up" : "down", up ? "up" : "down"));
    }

    /**
     * Delivery across every instance sharing the outbox: 503 while the newest attempt failed for a
     * reason that is not about its recipient, or while an email that could be sent has waited longer
     * than {@code OTPGATE_DELIVERY_ALERT_AGE}. For an alert, not a load balancer: an SMTP outage is
     * every instance's, and {@link #ready} stays about this instance's own database.
     */
    void delivery(Context ctx) {
        DeliveryHealth health;
        try {
            health = outbox.health(clock.instant());
        } catch (RuntimeException e) {
            log.warn("delivery health unknown: {}", e.toString());
            ctx.status(503);
            ctx.json(new Health("down", "down"));
            return;
        }
        boolean healthy = health.healthy(alertAge);
        Map<String, Long> unsettled = new TreeMap<>();
        for (DeliveryStatus status : List.of(DeliveryStatus.QUEUED, DeliveryStatus.SENDING, DeliveryStatus.RETRYING)) {
            unsettled.put(status.wireName(), health.unsettled().getOrDefault(status, 0L));
        }
        ctx.status(healthy ? 200 : 503);
        ctx.json(new DeliveryHealthJson(
                healthy ? "up" : "down",
                health.lastFailure().isPresent(),
                health.lastFailure().orElse(null),
                health.oldestDueAge().map(Duration::toSeconds).orElse(null),
                alertAge.toSeconds(),
                unsettled));
    }

    void metrics(Context ctx) {
        if (metricsToken.isPresent() && !metricsToken.get().admits(ctx.header("Authorization"))) {
            ctx.header("WWW-Authenticate", "Bearer");
            throw ApiProblem.of(
                    401,
                    "unauthorized",
                    "Unauthorized",
                    "send the metrics token (OTPGATE_METRICS_TOKEN) as Authorization: Bearer <token>");
        }
        ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape());
    }

    void openApi(Context ctx) {
        ctx.contentType(Http.JSON).result(openApi);
    }

    /**
     * The totals over every stored verification; with {@code since}, the analytics of that period
     * from the hourly rollup instead.
     */
    void stats(Context ctx) {
        String since = ctx.queryParam("since");
        if (since != null) {
            Validated<Period> period = Period.parse(since);
            if (period instanceof Validated.Invalid<Period> invalid) {
                throw ApiProblem.invalidRequest(invalid.reason());
            }
            ctx.json(AnalyticsJson.of(analytics.read(Http.tenant(ctx), period.orElseThrow(), clock.instant())));
            return;
        }
        Stats s = stats.stats(Http.tenant(ctx), clock.instant());
        ctx.json(new StatsJson(
                wireNames(s.verifications()),
                wireNames(s.deliveries()),
                s.approvalRate().orElse(null),
                s.medianTimeToApprove().map(d -> d.toMillis() / 1000.0).orElse(null)));
    }

    private static Map<String, Long> wireNames(Map<? extends Enum<?>, Long> counts) {
        Map<String, Long> named = new TreeMap<>();
        counts.forEach((k, v) -> named.put(k.name().toLowerCase(java.util.Locale.ROOT), v));
        return named;
    }

    /** The probes' answer; {@code database} only where the probe asked the database. */
    record Health(
            String status,
            @JsonInclude(JsonInclude.Include.NON_NULL) String database) {}

    record DeliveryHealthJson(
            String status,
            boolean failing,
            String lastError,
            Long oldestDueAgeSeconds,
            long alertAgeSeconds,
            Map<String, Long> emails) {}

    record StatsJson(
            Map<String, Long> verifications,
            Map<String, Long> deliveries,
            Double approvalRate,
            Double medianSecondsToApprove) {}

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
