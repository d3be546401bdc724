package io.otpgate.core.webhook;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * When to try a failed webhook delivery again: the schedule Standard Webhooks suggests, each delay
 * shortened by up to {@code jitter} of itself at random so that the deliveries of an endpoint that
 * was down for a while do not all come back in the same second.
 *
 * @param delays the wait after the first, second, … failed attempt; attempts stop after the last
 */
public record WebhookRetries(List<Duration> delays, double jitter) {

    public WebhookRetries {
        delays = List.copyOf(delays);
        if (jitter < 0 || jitter > 1 || delays.stream().anyMatch(Duration::isNegative)) {
            throw new IllegalArgumentException("invalid webhook retry schedule");
        }
    }

    /** 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h: eight attempts over about 27 hours. */
    public static WebhookRetries defaults() {
        return new WebhookRetries(
                List.of(
                        Duration.ofSeconds(5),
                        Duration.ofMinutes(5),
                        Duration.ofMinutes(30),
                        Duration.ofHours(2),
                        Duration.ofHours(5),
                        Duration.ofHours(10),
                        Duration.ofHours(10)),
                0.1);
    }

    /** When to try again after {@code attemptsMade} failed attempts, or empty to give up. */
    public Optional<Instant> next(int attemptsMade, Instant now, RandomGenerator random) {
        if (attemptsMade < 1 || attemptsMade > delays.size()) {
            return Optional.empty();
        }
        long millis = delays.get(attemptsMade - 1).toMillis();
        return Optional.of(now.plusMillis(Math.round(millis * (1 - jitter * random.nextDouble()))));
    }
}
