package io.otpgate.server;

import io.otpgate.core.analytics.Analytics;
import io.otpgate.core.analytics.Counts;
import io.otpgate.core.analytics.Histogram;
import java.time.Duration;
import java.util.List;

/**
 * {@link Analytics} as the JSON of {@code GET /v1/stats?since=} (schema {@code Analytics} in the
 * OpenAPI document; names in snake case by the API's mapper). Percentiles are the upper bounds of
 * the histogram buckets they fall in, in seconds: "p90 is at most 30 s".
 */
record AnalyticsJson(
        String since,
        String from,
        String until,
        Funnel funnel,
        Double conversion,
        List<Point> overTime,
        TimeToVerify timeToVerifySeconds,
        DeliveryLatency deliveryLatencySeconds,
        Failures failures,
        List<Domain> domains,
        List<Language> languages) {

    record Funnel(long started, long delivered, long approved, long mailboxesStarted, long mailboxesApproved) {}

    record Point(String from, long started, long approved, Double conversion) {}

    record TimeToVerify(long count, Double p50, Double p90) {}

    record DeliveryLatency(long count, Double p50, Double p99) {}

    record Failures(long wrongCode, long expired, long attemptsExhausted, long canceled, long undeliverable) {}

    record Domain(String domain, long started, long delivered, long undeliverable, long approved, Double conversion) {}

    record Language(
            String language, long started, long delivered, long undeliverable, long approved, Double conversion) {}

    static AnalyticsJson of(Analytics a) {
        Counts t = a.total();
        return new AnalyticsJson(
                a.period().wireName(),
                Json.time(a.from()),
                Json.time(a.until()),
                new Funnel(t.started(), t.delivered(), t.approved(), t.mailboxes(), t.mailboxesApproved()),
                t.conversion().orElse(null),
                a.overTime().stream()
                        .map(p -> new Point(
                                Json.time(p.from()),
                                p.counts().started(),
                                p.counts().approved(),
                                p.counts().conversion().orElse(null)))
                        .toList(),
                new TimeToVerify(
                        a.timeToVerify().total(), seconds(a.timeToVerify(), 0.5), seconds(a.timeToVerify(), 0.9)),
                new DeliveryLatency(
                        a.deliveryLatency().total(),
                        seconds(a.deliveryLatency(), 0.5),
                        seconds(a.deliveryLatency(), 0.99)),
                new Failures(t.wrongCodes(), t.expired(), t.exhausted(), t.canceled(), t.undeliverable()),
                a.domains().stream()
                        .map(s -> new Domain(
                                s.name(),
                                s.counts().started(),
                                s.counts().delivered(),
                                s.counts().undeliverable(),
                                s.counts().approved(),
                                s.counts().conversion().orElse(null)))
                        .toList(),
                a.languages().stream()
                        .map(s -> new Language(
                                s.name(),
                                s.counts().started(),
                                s.counts().delivered(),
                                s.counts().undeliverable(),
                                s.counts().approved(),
                                s.counts().conversion().orElse(null)))
                        .toList());
    }

    private static Double seconds(Histogram h, double q) {
        return h.percentile(q).map(Duration::toMillis).map(ms -> ms / 1000.0).orElse(null);
    }
}
