package io.otpgate.jdbc;

/** {@link StatsTest} on the embedded SQLite file. */
class StatsOnSqliteTest extends StatsTest {
    StatsOnSqliteTest() {
        super(DatabaseKind.SQLITE);
    }
}
