package io.otpgate.jdbc;

/** {@link StatsTest} on embedded PostgreSQL. */
class StatsOnPostgresTest extends StatsTest {
    StatsOnPostgresTest() {
        super(DatabaseKind.POSTGRESQL);
    }
}
