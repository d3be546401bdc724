package io.otpgate.core.analytics;

import io.otpgate.core.Validated;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The periods the figures are asked for, each with the width of one point of its "over time"
 * series. The rollup is hourly, so a period covers the whole hours it touches: {@code 1h} at 10:20
 * reads the hours from 09:00 to 11:00.
 */
public enum Period {
    HOUR("1h", Duration.ofHours(1), Duration.ofHours(1)),
    DAY("24h", Duration.ofHours(24), Duration.ofHours(1)),
    WEEK("7d", Duration.ofDays(7), Duration.ofHours(6)),
    MONTH("30d", Duration.ofDays(30), Duration.ofDays(1));

    private final String wireName;
    private final Duration length;
    private final Duration step;

    Period(String wireName, Duration length, Duration step) {
        this.wireName = wireName;
        this.length = length;
        this.step = step;
    }

    public String wireName() {
        return wireName;
    }

    public Duration length() {
        return length;
    }

    /** The width of one point of the series over time: a whole number of hours. */
    public Duration step() {
        return step;
    }

    /** The first hour read at {@code now}: the hour that holds {@code now - length}. */
    public Instant from(Instant now) {
        return now.minus(length).truncatedTo(ChronoUnit.HOURS);
    }

    /** The end of the hours read at {@code now}: the end of the current hour. */
    public static Instant until(Instant now) {
        return now.truncatedTo(ChronoUnit.HOURS).plus(Duration.ofHours(1));
    }

    public static Validated<Period> parse(String text) {
        for (Period p : values()) {
            if (p.wireName.equals(text)) {
                return Validated.valid(p);
            }
        }
        return Validated.invalid("since must be one of " + names());
    }

    /** The wire names, for messages: {@code 1h, 24h, 7d, 30d}. */
    public static String names() {
        return Arrays.stream(values()).map(Period::wireName).collect(Collectors.joining(", "));
    }
}
