package io.otpgate.core.limit;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Counts events against rate limits on their own, outside a verification's transaction: for
 * callers that limit something the engine does not count, such as code checks per client IP on
 * the hosted pages (a port; the JDBC adapter implements it in the shared database).
 */
public interface RateLimiter {

    /**
     * Takes one event from every limit, or, when one of them is full, takes none and says which and
     * until when.
     */
    Optional<Limited> take(List<RateLimit> limits, Instant now);
}
