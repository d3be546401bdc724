package io.otpgate.jdbc;

/** {@link StatsTest} on H2 file. */
class StatsOnH2Test extends StatsTest {
    StatsOnH2Test() {
        super(DatabaseKind.H2);
    }
}
