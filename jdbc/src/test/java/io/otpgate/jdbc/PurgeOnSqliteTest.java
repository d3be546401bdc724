package io.otpgate.jdbc;

/** {@link PurgeTest} on the embedded SQLite file. */
class PurgeOnSqliteTest extends PurgeTest {
    PurgeOnSqliteTest() {
        super(DatabaseKind.SQLITE);
    }
}
