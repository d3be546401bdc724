package io.otpgate.jdbc;

/** {@link AnalyticsTest} on embedded PostgreSQL. */
class AnalyticsOnPostgresTest extends AnalyticsTest {
    AnalyticsOnPostgresTest() {
        super(DatabaseKind.POSTGRESQL);
    }
}
