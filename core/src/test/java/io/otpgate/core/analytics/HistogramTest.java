package io.otpgate.core.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Fixed buckets: a duration's bucket, and percentiles read as the bound of the bucket they fall in. */
class HistogramTest {

    @Test
    void aDurationFallsInTheFirstBucketWhoseBoundItDoesNotExceedAndTheLastTakesTheRest() {
        assertThat(Histogram.bucketOf(Duration.ZERO)).isZero();
        assertThat(Histogram.bucketOf(Duration.ofMillis(100))).isZero();
        assertThat(Histogram.bucketOf(Duration.ofMillis(101))).isEqualTo(1);
        assertThat(Histogram.bucketOf(Duration.ofSeconds(60)))
                .isEqualTo(Histogram.BOUNDS.indexOf(Duration.ofMinutes(1)));
        assertThat(Histogram.bucketOf(Duration.ofDays(3))).isEqualTo(Histogram.BOUNDS.size() - 1);
    }

    @Test
    void percentilesAreTheBoundOfTheBucketHoldingThatRank() {
        Histogram h = Histogram.empty()
                .plus(Histogram.bucketOf(Duration.ofSeconds(3)), 50)
                .plus(Histogram.bucketOf(Duration.ofSeconds(25)), 40)
                .plus(Histogram.bucketOf(Duration.ofMinutes(4)), 10);

        assertThat(h.total()).isEqualTo(100);
        assertThat(h.percentile(0.5)).contains(Duration.ofSeconds(5));
        assertThat(h.percentile(0.51)).contains(Duration.ofSeconds(30));
        assertThat(h.percentile(0.9)).contains(Duration.ofSeconds(30));
        assertThat(h.percentile(0.91)).contains(Duration.ofMinutes(5));
        assertThat(h.percentile(1)).contains(Duration.ofMinutes(5));
    }

    @Test
    void anEmptyHistogramHasNoPercentileAndAQuantileOutsideZeroToOneIsRefused() {
        assertThat(Histogram.empty().percentile(0.5)).isEmpty();
        assertThatThrownBy(() -> Histogram.empty().percentile(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Histogram.empty().percentile(1.5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Histogram(new long[3])).isInstanceOf(IllegalArgumentException.class);
    }
}
