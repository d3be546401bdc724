package io.otpgate.jdbc;

import io.otpgate.core.limit.Limited;
import io.otpgate.core.limit.RateLimit;
import io.otpgate.core.limit.RateLimiter;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Rate limits in the shared {@code rate_buckets} table, so they hold across instances. */
final class JdbcRateLimiter implements RateLimiter {

    private final Transactions tx;

    JdbcRateLimiter(Transactions tx) {
        this.tx = tx;
    }

    @Override
    public Optional<Limited> take(List<RateLimit> limits, Instant now) {
        return tx.write(c -> RateBuckets.take(c, limits, now));
    }
}
