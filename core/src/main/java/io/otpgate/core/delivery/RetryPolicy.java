package io.otpgate.core.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * When to try a temporarily failed email again: exponential backoff with jitter, a cap on the
 * delay and a cap on attempts.
 *
 * <p>The jitter spreads the retries of many messages that failed together (a mail server restart)
 * so they do not all come back in the same second. An OTP is useless after it expires, so the
 * dispatcher never sends past expiry whatever this policy says (RFC 5321's days-long retry horizon
 * is for ordinary mail).
 *
 * @param maxAttempts attempts in all, the first included
 * @param base the delay after the first failure
 * @param cap the longest delay
 * @param jitter the fraction of each delay that is random, 0 to 1
 */
public record RetryPolicy(int maxAttempts, Duration base, Duration cap, double jitter) {

    public RetryPolicy {
        Objects.requireNonNull(base, "base");
        Objects.requireNonNull(cap, "cap");
        if (maxAttempts < 1 || base.isNegative() || cap.compareTo(base) < 0 || jitter < 0 || jitter > 1) {
            throw new IllegalArgumentException("invalid retry policy");
        }
    }

    /** 8 attempts, 2 s doubling to at most 60 s, 20 % jitter: about 3 minutes of retries. */
    public static RetryPolicy defaults() {
        return new RetryPolicy(8, Duration.ofSeconds(2), Duration.ofSeconds(60), 0.2);
    }

    /** When to try again after {@code attemptsMade} failed attempts, or empty to give up. */
    public Optional<Instant> next(int attemptsMade, Instant now, RandomGenerator random) {
        if (attemptsMade >= maxAttempts) {
            return Optional.empty();
        }
        long capMillis = cap.toMillis();
        long delay = base.toMillis();
        // Doubling stops at the cap, so no attempt count can overflow it.
        for (int i = 1; i < attemptsMade && delay < capMillis; i++) {
            delay *= 2;
        }
        long exponential = Math.min(capMillis, delay);
        long jittered = Math.round(exponential * (1 - jitter * random.nextDouble()));
        return Optional.of(now.plusMillis(Math.max(0, jittered)));
    }
}
