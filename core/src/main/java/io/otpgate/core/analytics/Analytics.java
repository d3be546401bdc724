package io.otpgate.core.analytics;

import io.otpgate.core.tenant.Tenant;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One tenant's figures over a period, cohorts by start time (a verification counts in the hour it
 * was started, whatever became of it later).
 *
 * @param from the start of the first hour read
 * @param until the end of the last hour read
 * @param total every verification started in the period
 * @param overTime the period in points of {@link Period#step()}, oldest first, empty ones included
 * @param timeToVerify start to approval, of the approved ones
 * @param deliveryLatency queued to accepted by the mail server, of every email accepted
 * @param domains the recipient domains with most verifications started, at most {@link #TOP_DOMAINS}
 * @param languages the languages of the emails, most verifications first
 */
public record Analytics(
        Tenant tenant,
        Period period,
        Instant from,
        Instant until,
        Counts total,
        List<Point> overTime,
        Histogram timeToVerify,
        Histogram deliveryLatency,
        List<Slice> domains,
        List<Slice> languages) {

    public static final int TOP_DOMAINS = 10;

    public Analytics {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(period, "period");
        overTime = List.copyOf(overTime);
        domains = List.copyOf(domains);
        languages = List.copyOf(languages);
    }

    /** The cohort started in {@code [from, from + period.step())}. */
    public record Point(Instant from, Counts counts) {}

    /** The cohort of one recipient domain or one language. */
    public record Slice(String name, Counts counts) {}
}
