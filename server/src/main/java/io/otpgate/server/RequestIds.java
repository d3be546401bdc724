package io.otpgate.server;

import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/** Request ids: a caller's own id is kept when it is safe to echo and log, else a new one is made. */
final class RequestIds {

    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    /**
     * A request id only has to be unique, not secret: a random prefix per process (so instances do
     * not collide) and a counter. {@code UUID.randomUUID()} made every request queue on one shared
     * {@code SecureRandom}; the first benchmark run measured 9 to 26 s of blocked thread time in it
     * during 5 s of {@code /health/live} (BENCHMARKS.md of dc8404e).
     */
    private static final String PREFIX = "req_" + hex16(new SecureRandom().nextLong());

    private static final AtomicLong COUNTER = new AtomicLong();

    private RequestIds() {}

    static String accept(String offered) {
        return offered != null && SAFE.matcher(offered).matches() ? offered : next();
    }

    /** {@code req_} and 32 hex digits, as before: 16 of process prefix, 16 of counter. */
    static String next() {
        return PREFIX + hex16(COUNTER.incrementAndGet());
    }

    private static String hex16(long value) {
        String hex = Long.toHexString(value);
        return "0".repeat(16 - hex.length()) + hex;
    }
}
