package io.otpgate.core.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/** A clock tests move by hand instead of sleeping. */
public final class MutableClock extends Clock {

    private final Clock base;
    private final AtomicReference<Duration> moved = new AtomicReference<>(Duration.ZERO);

    public MutableClock(Instant start) {
        this(Clock.fixed(start, ZoneOffset.UTC));
    }

    private MutableClock(Clock base) {
        this.base = base;
    }

    public static MutableClock atNow() {
        return new MutableClock(Instant.now());
    }

    /**
     * A clock that keeps time with the wall clock, for tests whose other party has a clock of its
     * own (a browser's countdown runs on the browser's); {@link #advance} still moves it ahead.
     */
    public static MutableClock ticking() {
        return new MutableClock(Clock.systemUTC());
    }

    public void advance(Duration duration) {
        moved.updateAndGet(d -> d.plus(duration));
    }

    @Override
    public Instant instant() {
        return base.instant().plus(moved.get());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
