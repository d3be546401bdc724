package io.otpgate.server;

import io.otpgate.core.analytics.Analytics;
import io.otpgate.core.analytics.Counts;
import io.otpgate.core.analytics.Histogram;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link Analytics} as the JSON of {@code GET /v1/stats?since=} (schema {@code Analytics} in the
 * OpenAPI document). Percentiles are the upper bounds of the histogram buckets they fall in, in
 * seconds: "p90 is at most 30 s".
 */
final class AnalyticsJson {

    private AnalyticsJson() {}

    static Map<String, Object> of(Analytics a) {
        Counts total = a.total();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("since", a.period().wireName());
        json.put("from", a.from().toString());
        json.put("until", a.until().toString());
        json.put("funnel", funnel(total));
        json.put("conversion", total.conversion().orElse(null));
        json.put("over_time", a.overTime().stream().map(AnalyticsJson::point).toList());
        json.put("time_to_verify_seconds", percentiles(a.timeToVerify(), "p50", 0.5, "p90", 0.9));
        json.put("delivery_latency_seconds", percentiles(a.deliveryLatency(), "p50", 0.5, "p99", 0.99));
        json.put("failures", failures(total));
        json.put("domains", slices(a.domains(), "domain"));
        json.put("languages", slices(a.languages(), "language"));
        return json;
    }

    private static Map<String, Object> funnel(Counts c) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("started", c.started());
        json.put("delivered", c.delivered());
        json.put("approved", c.approved());
        json.put("mailboxes_started", c.mailboxes());
        json.put("mailboxes_approved", c.mailboxesApproved());
        return json;
    }

    private static Map<String, Object> point(Analytics.Point p) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("from", p.from().toString());
        json.put("started", p.counts().started());
        json.put("approved", p.counts().approved());
        json.put("conversion", p.counts().conversion().orElse(null));
        return json;
    }

    private static Map<String, Object> percentiles(Histogram h, String low, double lowQ, String high, double highQ) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("count", h.total());
        json.put(low, h.percentile(lowQ).map(AnalyticsJson::seconds).orElse(null));
        json.put(high, h.percentile(highQ).map(AnalyticsJson::seconds).orElse(null));
        return json;
    }

    private static double seconds(Duration d) {
        return d.toMillis() / 1000.0;
    }

    private static Map<String, Object> failures(Counts c) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("wrong_code", c.wrongCodes());
        json.put("expired", c.expired());
        json.put("attempts_exhausted", c.exhausted());
        json.put("canceled", c.canceled());
        json.put("undeliverable", c.undeliverable());
        return json;
    }

    private static List<Map<String, Object>> slices(List<Analytics.Slice> slices, String key) {
        return slices.stream()
                .map(s -> {
                    Map<String, Object> json = new LinkedHashMap<>();
                    json.put(key, s.name());
                    json.put("started", s.counts().started());
                    json.put("delivered", s.counts().delivered());
                    json.put("undeliverable", s.counts().undeliverable());
                    json.put("approved", s.counts().approved());
                    json.put("conversion", s.counts().conversion().orElse(null));
                    return json;
                })
                .toList();
    }
}
