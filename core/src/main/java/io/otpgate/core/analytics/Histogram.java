package io.otpgate.core.analytics;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Durations counted in fixed buckets, so that hours add up and a percentile can be read from any
 * sum of them. A percentile is the upper bound of the bucket it falls in: "p90 ≤ 30 s". The last
 * bucket holds everything longer than the bound before it (a code lives at most 24 h).
 */
public record Histogram(long[] counts) {

    /** The upper bounds of the buckets; the last one also takes anything longer. */
    public static final List<Duration> BOUNDS = List.of(
            Duration.ofMillis(100),
            Duration.ofMillis(250),
            Duration.ofMillis(500),
            Duration.ofSeconds(1),
            Duration.ofSeconds(2),
            Duration.ofSeconds(5),
            Duration.ofSeconds(10),
            Duration.ofSeconds(20),
            Duration.ofSeconds(30),
            Duration.ofMinutes(1),
            Duration.ofMinutes(2),
            Duration.ofMinutes(5),
            Duration.ofMinutes(10),
            Duration.ofMinutes(30),
            Duration.ofHours(1),
            Duration.ofHours(6),
            Duration.ofHours(24));

    public Histogram {
        if (counts.length != BOUNDS.size()) {
            throw new IllegalArgumentException("a histogram has " + BOUNDS.size() + " buckets");
        }
        counts = counts.clone();
    }

    public static Histogram empty() {
        return new Histogram(new long[BOUNDS.size()]);
    }

    /** The bucket a duration falls in: the first whose bound it does not exceed, else the last. */
    public static int bucketOf(Duration d) {
        for (int i = 0; i < BOUNDS.size(); i++) {
            if (d.compareTo(BOUNDS.get(i)) <= 0) {
                return i;
            }
        }
        return BOUNDS.size() - 1;
    }

    @Override
    public long[] counts() {
        return counts.clone();
    }

    public long count(int bucket) {
        return counts[bucket];
    }

    public long total() {
        return Arrays.stream(counts).sum();
    }

    public Histogram plus(int bucket, long n) {
        long[] next = counts.clone();
        next[bucket] += n;
        return new Histogram(next);
    }

    /**
     * The bound of the bucket holding the {@code q}-quantile (0 < q ≤ 1): the smallest bound that
     * at least {@code q} of the durations do not exceed. Empty when nothing was counted.
     */
    public Optional<Duration> percentile(double q) {
        if (!(q > 0 && q <= 1)) {
            throw new IllegalArgumentException("a quantile is in (0, 1]");
        }
        long total = total();
        if (total == 0) {
            return Optional.empty();
        }
        long rank = (long) Math.ceil(q * total);
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return Optional.of(BOUNDS.get(i));
            }
        }
        return Optional.of(BOUNDS.get(BOUNDS.size() - 1));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Histogram h && Arrays.equals(counts, h.counts);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(counts);
    }

    @Override
    public String toString() {
        return "Histogram" + Arrays.toString(counts);
    }
}
