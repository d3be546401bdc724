package io.otpgate.server;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.otpgate.core.delivery.DeliveryListener;
import io.otpgate.core.stats.OutboxBacklog;
import io.otpgate.core.stats.StatsReader;
import io.otpgate.core.verification.CheckResult;
import io.otpgate.core.verification.StartResult;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What the service counts, for Prometheus: verifications started and checked by outcome, emails
 * by delivery outcome, the outbox backlog, and HTTP latency per route.
 */
public final class ApiMetrics {

    /** The backlog is read at most this often, however often Prometheus scrapes. */
    private static final Duration BACKLOG_CACHE = Duration.ofSeconds(1);

    private final PrometheusMeterRegistry registry;
    private final StatsReader stats;
    private final Clock clock;
    private final AtomicReference<Cached> backlog = new AtomicReference<>();

    private record Cached(OutboxBacklog value, long readAtMillis) {}

    public ApiMetrics(PrometheusMeterRegistry registry, StatsReader stats, Clock clock) {
        this.registry = registry;
        this.stats = stats;
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
    }

    /** Feeds email outcomes from the outbox dispatcher into {@code otpgate_emails_total}. */
    public DeliveryListener deliveryListener() {
        return (email, status, reply) -> count("otpgate.emails", "Emails by delivery outcome", status.wireName());
    }

    /** Everything registered, in the Prometheus text format. */
    String scrape() {
        return registry.scrape();
    }

    void started(StartResult result) {
        count("otpgate.verifications.started", "Verification starts by outcome", outcome(result.getClass()));
    }

    void checked(CheckResult result) {
        count("otpgate.verifications.checked", "Code checks by outcome", outcome(result.getClass()));
    }

    void request(String method, String route, int status, long nanos) {
        Timer.builder("http.server.requests")
                .description("HTTP request latency")
                .tags("method", method, "route", route, "status", Integer.toString(status))
                .publishPercentileHistogram()
                .register(registry)
                .record(Duration.ofNanos(nanos));
    }

    private void count(String name, String description, String outcome) {
        Counter.builder(name)
                .description(description)
                .tag("outcome", outcome)
                .register(registry)
                .increment();
    }

    /** {@code RecipientLocked} becomes {@code recipient_locked}. */
    private static String outcome(Class<?> type) {
        return type.getSimpleName().replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
    }

    private OutboxBacklog backlog() {
        long now = clock.millis();
        Cached cached = backlog.get();
        if (cached == null || now - cached.readAtMillis() > BACKLOG_CACHE.toMillis()) {
            cached = new Cached(stats.backlog(clock.instant()), now);
            backlog.set(cached);
        }
        return cached.value();
    }
}
