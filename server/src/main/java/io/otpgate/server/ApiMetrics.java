package io.otpgate.server;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.otpgate.core.analytics.AnalyticsReader;
import io.otpgate.core.analytics.Counts;
import io.otpgate.core.delivery.DeliveryHealth;
import io.otpgate.core.delivery.DeliveryListener;
import io.otpgate.core.delivery.DeliveryStatus;
import io.otpgate.core.delivery.Outbox;
import io.otpgate.core.stats.OutboxBacklog;
import io.otpgate.core.stats.StatsReader;
import io.otpgate.core.tenant.Tenant;
import io.otpgate.core.verification.CheckResult;
import io.otpgate.core.verification.StartResult;
import io.otpgate.core.webhook.WebhookListener;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * What the service counts, for Prometheus: verifications started and checked by outcome, emails
 * by delivery outcome, the outbox backlog, and HTTP latency per route.
 */
public final class ApiMetrics {

    /** The backlog is read at most this often, however often Prometheus scrapes. */
    private static final Duration BACKLOG_CACHE = Duration.ofSeconds(1);

    /** The route label of a request no route matched. */
    static final String UNMATCHED = "unmatched";

    /** Case-sensitive, as RFC 9110 says: {@code get} is not {@code GET}. */
    private static final Set<String> METHODS =
            Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH");

    /** What this service answers with; any other status is counted by its class ({@code 4xx}). */
    private static final Set<Integer> STATUSES =
            Set.of(200, 201, 204, 301, 302, 303, 304, 400, 401, 403, 404, 405, 409, 410, 413, 415, 422, 429, 500, 503);

    private final PrometheusMeterRegistry registry;
    private final StatsReader stats;
    private final AnalyticsReader analytics;
    private final AtomicReference<Cached<Map<Tenant, Counts>>> funnel = new AtomicReference<>();
    private final Outbox outbox;
    private final Clock clock;
    private final AtomicReference<Cached<OutboxBacklog>> backlog = new AtomicReference<>();
    private final AtomicReference<Cached<DeliveryHealth>> health = new AtomicReference<>();

    private record Cached<T>(T value, long readAtMillis) {}

    public ApiMetrics(
            PrometheusMeterRegistry registry,
            StatsReader stats,
            AnalyticsReader analytics,
            Outbox outbox,
            Clock clock) {
        this.registry = registry;
        this.stats = stats;
        this.analytics = analytics;
        this.outbox = outbox;
        this.clock = clock;
        Gauge.builder("otpgate.outbox.depth", this, m -> m.backlog().depth())
                .description("Emails queued, retrying or being sent")
                .register(registry);
        Gauge.builder(
                        "otpgate.outbox.oldest.age",
                        this,
                        m -> m.backlog()
                                .oldestAge()
                                .map(d -> d.toMillis() / 1000.0)
                                .orElse(0.0))
                .description("Seconds the oldest unsent email has waited")
                .baseUnit("seconds")
                .register(registry);
        // What to alert on (README, Operations): an email that could be sent now and is not.
        Gauge.builder(
                        "otpgate.outbox.oldest.due.age",
                        this,
                        m -> m.health()
                                .oldestDueAge()
                                .map(d -> d.toMillis() / 1000.0)
                                .orElse(0.0))
                .description("Seconds the oldest email that could be sent now has waited (queued, due for a"
                        + " retry, or held by a dispatcher whose lease ran out)")
                .baseUnit("seconds")
                .register(registry);
        for (DeliveryStatus state : List.of(DeliveryStatus.QUEUED, DeliveryStatus.SENDING, DeliveryStatus.RETRYING)) {
            Gauge.builder(
                            "otpgate.outbox.rows",
                            this,
                            m -> m.health().unsettled().getOrDefault(state, 0L))
                    .description("Emails not yet in a final state, by state, across every instance")
                    .tag("state", state.wireName())
                    .register(registry);
        }
        Gauge.builder(
                        "otpgate.delivery.failing",
                        this,
                        m -> m.health().lastFailure().isPresent() ? 1 : 0)
                .description("1 while the newest delivery attempt failed for a reason not about its recipient")
                .register(registry);
    }

    /** Feeds email outcomes from the outbox dispatcher into {@code otpgate_emails_total}. */
    public DeliveryListener deliveryListener() {
        return (email, status, reply) -> count("otpgate.emails", "Emails by delivery outcome", status.wireName());
    }

    /** Counts webhook delivery attempts by what each came to: {@code otpgate_webhook_attempts_total{outcome}}. */
    public WebhookListener webhookListener() {
        return (delivery, outcome) ->
                count("otpgate.webhook.attempts", "Webhook delivery attempts by outcome", outcome.wireName());
    }

    /** Everything registered, in the Prometheus text format. */
    String scrape() {
        registerFunnel();
        return registry.scrape();
    }

    /** The funnel's failure reasons, the {@code reason} label of {@code otpgate_funnel_failed_total}. */
    private static final Map<String, ToDoubleFunction<Counts>> FAILURES = Map.of(
            "wrong_code", Counts::wrongCodes,
            "expired", Counts::expired,
            "attempts_exhausted", Counts::exhausted,
            "canceled", Counts::canceled,
            "undeliverable", Counts::undeliverable);

    /**
     * The funnel counters, per tenant, read from the analytics rollup (so they count the hosted
     * pages, the CLI and the expiry sweeper too, and agree with the dashboard). They are the same on
     * every instance, being the database's: aggregate them with {@code max}, not {@code sum}. The
     * tenant label is bounded: tenants are made by the operator (keys, commands), never named by a
     * caller; recipient domains, which are, stay out of metrics (the dashboard has them).
     */
    private void registerFunnel() {
        for (Tenant tenant : funnel().keySet()) {
            funnelCounter("otpgate.funnel.started", "Verifications started", tenant, Counts::started);
            funnelCounter(
                    "otpgate.funnel.delivered",
                    "Verifications whose email a mail server accepted",
                    tenant,
                    Counts::delivered);
            funnelCounter("otpgate.funnel.approved", "Verifications approved", tenant, Counts::approved);
            FAILURES.forEach((reason, value) -> FunctionCounter.builder(
                            "otpgate.funnel.failed", this, m -> value.applyAsDouble(m.counts(tenant)))
                    .description("Wrong codes entered, and verifications expired, out of attempts, canceled or"
                            + " undeliverable")
                    .tags("tenant", tenant.name(), "reason", reason)
                    .register(registry));
        }
    }

    private void funnelCounter(String name, String description, Tenant tenant, ToDoubleFunction<Counts> value) {
        FunctionCounter.builder(name, this, m -> value.applyAsDouble(m.counts(tenant)))
                .description(description + ", by cohort of start hour (from the analytics rollup)")
                .tag("tenant", tenant.name())
                .register(registry);
    }

    private Counts counts(Tenant tenant) {
        return funnel().getOrDefault(tenant, Counts.ZERO);
    }

    private Map<Tenant, Counts> funnel() {
        try {
            return cached(funnel, analytics::totals);
        } catch (RuntimeException e) {
            // The database is away: /metrics still answers, as its gauges do, with the last figures
            // read (counters must not drop to nothing and back), or none before any was read.
            Cached<Map<Tenant, Counts>> last = funnel.get();
            return last == null ? Map.of() : last.value();
        }
    }

    public void started(StartResult result) {
        count(
                "otpgate.verifications.started",
                "Verification starts by outcome",
                result.kind().wireName());
    }

    public void checked(CheckResult result) {
        count(
                "otpgate.verifications.checked",
                "Code checks by outcome",
                result.kind().wireName());
    }

    /**
     * Times one request. Every label comes from a closed set, never from what a client sent: each
     * label value is a series kept for the life of the process (with a histogram of ~70 buckets),
     * so one made-up method or path per request would grow memory without bound. (Before this,
     * 23,000 requests with invented methods made the server answer 500 with OutOfMemoryError.)
     *
     * @param method the request's method; anything outside RFC 9110's methods and PATCH is {@code OTHER}
     * @param route the matched route's template, or {@link #UNMATCHED}: never the request's path
     * @param status the response status; outside the statuses this service answers with, its class
     */
    void request(String method, String route, int status, long nanos) {
        Timer.builder("http.server.requests")
                .description("HTTP request latency")
                .tags("method", methodLabel(method), "route", route, "status", statusLabel(status))
                .publishPercentileHistogram()
                .register(registry)
                .record(Duration.ofNanos(nanos));
    }

    static String methodLabel(String method) {
        return METHODS.contains(method) ? method : "OTHER";
    }

    static String statusLabel(int status) {
        return STATUSES.contains(status) ? Integer.toString(status) : status / 100 + "xx";
    }

    private void count(String name, String description, String outcome) {
        Counter.builder(name)
                .description(description)
                .tag("outcome", outcome)
                .register(registry)
                .increment();
    }

    private OutboxBacklog backlog() {
        return cached(backlog, () -> stats.backlog(clock.instant()));
    }

    private DeliveryHealth health() {
        return cached(health, () -> outbox.health(clock.instant()));
    }

    private <T> T cached(AtomicReference<Cached<T>> reference, Supplier<T> read) {
        long now = clock.millis();
        Cached<T> cached = reference.get();
        if (cached == null || now - cached.readAtMillis() > BACKLOG_CACHE.toMillis()) {
            cached = new Cached<>(read.get(), now);
            reference.set(cached);
        }
        return cached.value();
    }
}
