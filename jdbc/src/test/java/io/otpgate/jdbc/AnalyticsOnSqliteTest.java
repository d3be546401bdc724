package io.otpgate.jdbc;

/** {@link AnalyticsTest} on the embedded SQLite file. */
class AnalyticsOnSqliteTest extends AnalyticsTest {
    AnalyticsOnSqliteTest() {
        super(DatabaseKind.SQLITE);
    }
}
