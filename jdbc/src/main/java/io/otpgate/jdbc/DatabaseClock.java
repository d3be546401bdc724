package io.otpgate.jdbc;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The database's clock, for every time a process judges: a code's expiry, a cooldown, a retry's due
 * time, the Date of an email. Leases are judged in SQL by the same clock, so instances whose own
 * clocks disagree still agree on when a code dies; an instance whose wall clock is stepped forward
 * two minutes no longer refuses right codes as expired.
 *
 * <p>Reading the database on every call would put a round trip in front of every request. The
 * clock is read once at open and then every {@code resync} on a background thread, and carried
 * forward between readings by {@link System#nanoTime()}: the monotonic clock, which a step of the
 * wall clock does not move (NTP slews it, so it drifts from the database's by parts per million).
 *
 * <p>A reading is taken as of the middle of its round trip, so it is off by at most half of it; a
 * reading whose round trip took longer than {@link #SLOW_READING} is thrown away, the clock keeping
 * the last one (the first, at open, is kept whatever its round trip: there is no other yet). A
 * reading a little behind the time already given out (within {@link #HOLD_BACK}) does not turn the
 * clock back: the clock holds until the reading catches up, so times one process stamps never
 * decrease. A database clock stepped back further than that is followed, and logged.
 * While the database cannot be read, time goes on from the last reading.
 */
final class DatabaseClock extends Clock implements AutoCloseable {

    /** How often the database's clock is read again. */
    static final Duration RESYNC = Duration.ofMinutes(1);

    /** The longest round trip whose reading is believed: half of it is the reading's error. */
    static final Duration SLOW_READING = Duration.ofMillis(500);

    /** How far behind a reading may be for the clock to hold rather than turn back. */
    static final Duration HOLD_BACK = Duration.ofSeconds(1);

    private static final Logger log = LoggerFactory.getLogger(DatabaseClock.class);

    /** One round trip to the database: its clock, and the monotonic time around the query. */
    record Reading(Instant databaseTime, long nanosBefore, long nanosAfter) {}

    /** Reads the database's clock; an exception means it could not be read this time. */
    interface Source {
        Reading read();
    }

    /**
     * Where the clock stands: {@code base} at monotonic time {@code baseNanos}, and never less than
     * {@code floorMicros} (the time given out when a reading behind it came in).
     */
    private record State(long baseMicros, long baseNanos, long floorMicros) {
        long micros(long nanos) {
            return Math.max(floorMicros, baseMicros + (nanos - baseNanos) / 1_000);
        }
    }

    private final Source source;
    private final LongSupplier nanoTime;
    private volatile State state;
    private volatile boolean unreadable;
    private ScheduledExecutorService resyncs;

    /** A clock on {@code source}, read once now; {@link #start} reads it again every {@code resync}. */
    DatabaseClock(Source source, LongSupplier nanoTime) {
        this.source = Objects.requireNonNull(source, "source");
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
        Reading first = source.read();
        this.state = new State(micros(first.databaseTime()), midpoint(first), Long.MIN_VALUE);
    }

    /** Reads the database again every {@code interval}, on a daemon thread, until {@link #close}. */
    DatabaseClock start(Duration interval) {
        resyncs = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "otpgate-database-clock");
            thread.setDaemon(true);
            return thread;
        });
        long millis = interval.toMillis();
        resyncs.scheduleWithFixedDelay(this::resync, millis, millis, TimeUnit.MILLISECONDS);
        return this;
    }

    /** Takes a new reading, if the database answers in time; the time between is never lost. */
    void resync() {
        Reading reading;
        try {
            reading = source.read();
        } catch (RuntimeException e) {
            if (!unreadable) {
                log.warn("cannot read the database's clock, keeping time from the last reading: {}", e.toString());
            }
            unreadable = true;
            return;
        }
        if (unreadable) {
            log.info("reading the database's clock again");
            unreadable = false;
        }
        if (reading.nanosAfter() - reading.nanosBefore() > SLOW_READING.toNanos()) {
            return;
        }
        long at = midpoint(reading);
        long given = state.micros(at);
        long read = micros(reading.databaseTime());
        long behind = given - read;
        if (behind > HOLD_BACK.toNanos() / 1_000) {
            log.warn("the database's clock went back {} ms; following it", behind / 1_000);
        }
        long floor = behind > 0 && behind <= HOLD_BACK.toNanos() / 1_000 ? given : Long.MIN_VALUE;
        state = new State(read, at, floor);
    }

    @Override
    public Instant instant() {
        long micros = state.micros(nanoTime.getAsLong());
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000), Math.floorMod(micros, 1_000_000) * 1_000L);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    /** Only UTC: every time OTPGate handles is an instant, and a zone would be a second clock. */
    @Override
    public Clock withZone(ZoneId zone) {
        if (!ZoneOffset.UTC.equals(zone)) {
            throw new UnsupportedOperationException("the database's clock is in UTC only");
        }
        return this;
    }

    @Override
    public void close() {
        if (resyncs != null) {
            resyncs.shutdownNow();
        }
    }

    private static long midpoint(Reading reading) {
        return reading.nanosBefore() + (reading.nanosAfter() - reading.nanosBefore()) / 2;
    }

    private static long micros(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000), instant.getNano() / 1_000);
    }
}
