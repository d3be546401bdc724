package io.otpgate.core.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    private static final Instant NOW = Instant.parse("2025-01-01T12:00:00Z");

    @Test
    void delaysDoubleFromTheBaseUntilTheCap() {
        // given no jitter
        RetryPolicy policy = new RetryPolicy(8, Duration.ofSeconds(2), Duration.ofSeconds(60), 0);

        // when
        List<Long> delays = new ArrayList<>();
        for (int attempts = 1; attempts < 8; attempts++) {
            delays.add(delayAfter(policy, attempts, new SplittableRandom(1)).getSeconds());
        }

        // then
        assertThat(delays).containsExactly(2L, 4L, 8L, 16L, 32L, 60L, 60L);
    }

    @Test
    void delayNeverExceedsTheCap() {
        // given
        RetryPolicy policy = new RetryPolicy(60, Duration.ofSeconds(2), Duration.ofSeconds(60), 0.2);
        SplittableRandom random = new SplittableRandom(20250101L);

        for (int attempts = 1; attempts < 60; attempts++) {
            for (int draw = 0; draw < 100; draw++) {
                // when
                Duration delay = delayAfter(policy, attempts, random);

                // then
                assertThat(delay).isLessThanOrEqualTo(Duration.ofSeconds(60)).isPositive();
            }
        }
    }

    @Test
    void jitterStaysWithinItsFraction() {
        // given 20 % jitter
        RetryPolicy policy = RetryPolicy.defaults();
        SplittableRandom random = new SplittableRandom(42);

        for (int attempts = 1; attempts < policy.maxAttempts(); attempts++) {
            long full = Math.min(60_000, 2_000L << (attempts - 1));
            for (int draw = 0; draw < 1_000; draw++) {
                // when
                long millis = delayAfter(policy, attempts, random).toMillis();

                // then: between 80 % (less a rounding millisecond) and 100 % of the un-jittered delay
                assertThat(millis).isBetween(Math.round(full * 0.8) - 1, full);
            }
        }
    }

    @Test
    void jitterSpreadsRetriesOfMessagesThatFailedTogether() {
        // given
        RetryPolicy policy = RetryPolicy.defaults();
        SplittableRandom random = new SplittableRandom(7);

        // when a thousand messages fail for the sixth time at once
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (int message = 0; message < 1_000; message++) {
            long millis = delayAfter(policy, 6, random).toMillis();
            min = Math.min(min, millis);
            max = Math.max(max, millis);
        }

        // then their retries are spread over most of the 12 s jitter window
        assertThat(max - min).isGreaterThan(10_000);
    }

    @Test
    void givesUpAfterMaxAttempts() {
        RetryPolicy policy = RetryPolicy.defaults();

        assertThat(policy.next(policy.maxAttempts(), NOW, new SplittableRandom(1)))
                .isEmpty();
        assertThat(policy.next(policy.maxAttempts() + 1, NOW, new SplittableRandom(1)))
                .isEmpty();
    }

    @Test
    void retriesUntilTheLastAttempt() {
        RetryPolicy policy = RetryPolicy.defaults();

        assertThat(policy.next(policy.maxAttempts() - 1, NOW, new SplittableRandom(1)))
                .isPresent();
    }

    @Test
    void singleAttemptPolicyNeverRetries() {
        RetryPolicy policy = new RetryPolicy(1, Duration.ofSeconds(2), Duration.ofSeconds(60), 0.2);

        assertThat(policy.next(1, NOW, new SplittableRandom(1))).isEmpty();
    }

    @Test
    void defaultsRetryForAboutFourMinutes() {
        RetryPolicy policy = RetryPolicy.defaults();

        Duration total = Duration.ZERO;
        for (int attempts = 1; attempts < policy.maxAttempts(); attempts++) {
            total = total.plus(delayAfter(policy, attempts, new SplittableRandom(attempts)));
        }

        assertThat(total).isBetween(Duration.ofMinutes(2), Duration.ofMinutes(4));
    }

    @Test
    void capBelowTheBaseIsRefused() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new RetryPolicy(3, Duration.ofSeconds(10), Duration.ofSeconds(5), 0.2));
    }

    @Test
    void jitterAboveOneIsRefused() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new RetryPolicy(3, Duration.ofSeconds(1), Duration.ofSeconds(5), 1.5));
    }

    private static Duration delayAfter(RetryPolicy policy, int attempts, SplittableRandom random) {
        Instant next = policy.next(attempts, NOW, random).orElseThrow();
        return Duration.between(NOW, next);
    }
}
