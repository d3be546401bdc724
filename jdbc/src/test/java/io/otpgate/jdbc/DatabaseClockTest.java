package io.otpgate.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.otpgate.core.StoreUnavailableException;
import java.time.Duration;
import java.time.Instant;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.state.Action;
import net.jqwik.api.state.ActionChain;
import net.jqwik.api.state.Transformer;

/**
 * The clock's logic against a database whose clock the test steers, which no real database lets a
 * test do (its clock is the host's): random sequences of time passing, readings with round trips of
 * every length (the query evaluated anywhere inside it), readings that fail, and the database's
 * clock stepped back or forward. After every step the clock is within half the longest believable
 * round trip of the database's time, and it never went back unless the database's clock did, by more
 * than {@link DatabaseClock#HOLD_BACK} less the two readings' errors. {@code DatabaseOn…Test} checks it against real databases.
 */
class DatabaseClockTest {

    private static final long MILLI = 1_000_000L;
    private static final long ERROR_MICROS = DatabaseClock.SLOW_READING.toNanos() / 2 / 1_000;

    @Property(tries = 300)
    void theClockStaysWithinTheReadingErrorOfTheDatabaseAndNeverGoesBackOnItsOwn(
            @ForAll("chains") ActionChain<World> chain) {
        chain.withInvariant("within the reading error of the database's clock", World::checkError)
                .withInvariant("never back unless the database went back", World::checkMonotonic)
                .run();
    }

    @Provide
    Arbitrary<ActionChain<World>> chains() {
        return ActionChain.startWith(World::new)
                .withAction(4, new Pass())
                .withAction(4, new Read())
                .withAction(1, new SlowRead())
                .withAction(1, new FailedRead())
                .withAction(1, new DatabaseSteps())
                .withMaxTransformations(60);
    }

    /**
     * A database clock {@code offset} ahead of this process's monotonic clock, a clock on it, and
     * what the clock said last. The next reading answers as the transformer set it up.
     */
    static final class World {
        long nanos = 5_000 * MILLI;
        long offsetMicros = Instant.parse("2026-12-05T12:00:00Z").toEpochMilli() * 1_000;
        long roundTrip = 3 * MILLI;
        double evaluatedAt = 0.5;
        boolean fails;
        long lastMicros;
        boolean wentBack;
        final DatabaseClock clock;

        World() {
            clock = new DatabaseClock(this::read, () -> nanos);
            lastMicros = micros(clock.instant());
        }

        long truthMicros() {
            return offsetMicros + nanos / 1_000;
        }

        private DatabaseClock.Reading read() {
            if (fails) {
                throw new StoreUnavailableException("connection refused", null);
            }
            long before = nanos;
            long evaluated = before + (long) (roundTrip * evaluatedAt);
            nanos += roundTrip;
            long micros = offsetMicros + evaluated / 1_000;
            return new DatabaseClock.Reading(
                    Instant.ofEpochSecond(micros / 1_000_000, micros % 1_000_000 * 1_000), before, nanos);
        }

        void resync(long roundTrip, double evaluatedAt, boolean fails) {
            this.roundTrip = roundTrip;
            this.evaluatedAt = evaluatedAt;
            this.fails = fails;
            clock.resync();
        }

        void checkError() {
            assertThat(Math.abs(micros(clock.instant()) - truthMicros()))
                    .as("distance from the database's clock, in µs")
                    .isLessThanOrEqualTo(ERROR_MICROS);
        }

        void checkMonotonic() {
            long now = micros(clock.instant());
            if (!wentBack) {
                assertThat(now).as("the clock, in µs").isGreaterThanOrEqualTo(lastMicros);
            }
            lastMicros = now;
            wentBack = false;
        }

        private static long micros(Instant instant) {
            return instant.getEpochSecond() * 1_000_000 + instant.getNano() / 1_000;
        }
    }

    /** Time passes on both clocks alike: from a microsecond to two minutes. */
    static final class Pass implements Action.Independent<World> {
        @Override
        public Arbitrary<Transformer<World>> transformer() {
            return Arbitraries.longs()
                    .between(1_000, 120_000 * MILLI)
                    .map(n -> Transformer.mutate("pass " + n / 1_000 + " µs", world -> world.nanos += n));
        }
    }

    /** A believable reading: a round trip under the limit, the query evaluated anywhere in it. */
    static final class Read implements Action.Independent<World> {
        @Override
        public Arbitrary<Transformer<World>> transformer() {
            return Combinators.combine(
                            Arbitraries.longs().between(0, DatabaseClock.SLOW_READING.toNanos()),
                            Arbitraries.doubles().between(0, 1))
                    .as((rtt, at) -> Transformer.mutate(
                            "read, round trip " + rtt / 1_000 + " µs, evaluated at " + at,
                            world -> world.resync(rtt, at, false)));
        }
    }

    /** A reading whose round trip is too long to believe: it must change nothing. */
    static final class SlowRead implements Action.Independent<World> {
        @Override
        public Arbitrary<Transformer<World>> transformer() {
            return Combinators.combine(
                            Arbitraries.longs().between(DatabaseClock.SLOW_READING.toNanos() + 1, 30_000 * MILLI),
                            Arbitraries.doubles().between(0, 1))
                    .as((rtt, at) -> Transformer.mutate(
                            "slow read, round trip " + rtt / MILLI + " ms", world -> world.resync(rtt, at, false)));
        }
    }

    /** The database cannot be reached: time goes on from the last reading. */
    static final class FailedRead implements Action.Independent<World> {
        @Override
        public Arbitrary<Transformer<World>> transformer() {
            return Arbitraries.just(Transformer.mutate("failed read", world -> world.resync(0, 0, true)));
        }
    }

    /**
     * The database's clock is stepped (an operator, a failover to a server with another clock), and
     * the next reading sees it: the clock follows within the reading error, forward at once, back
     * at once when the step is larger than the hold-back, and by holding still when it is smaller.
     */
    static final class DatabaseSteps implements Action.Independent<World> {
        @Override
        public Arbitrary<Transformer<World>> transformer() {
            return Combinators.combine(
                            Arbitraries.longs()
                                    .between(
                                            -Duration.ofHours(1).toMillis(),
                                            Duration.ofHours(1).toMillis()),
                            Arbitraries.longs().between(0, DatabaseClock.SLOW_READING.toNanos()))
                    .as((stepMillis, rtt) -> Transformer.mutate("database steps " + stepMillis + " ms", world -> {
                        world.offsetMicros += stepMillis * 1_000;
                        long back = -stepMillis * 1_000;
                        long holdBack = DatabaseClock.HOLD_BACK.toMillis() * 1_000;
                        // Measured through two readings, a step is known to within their errors:
                        // near the hold-back, the clock may hold or follow.
                        world.wentBack = back > holdBack - 2 * ERROR_MICROS;
                        world.resync(rtt, 0.5, false);
                        if (back > 0 && back <= holdBack + 2 * ERROR_MICROS) {
                            // Held, it stands still until the database catches up with it.
                            world.nanos += back * 1_000;
                        }
                    }));
        }
    }
}
