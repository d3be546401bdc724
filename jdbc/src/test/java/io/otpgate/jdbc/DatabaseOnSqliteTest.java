package io.otpgate.jdbc;

/** {@link DatabaseTest} on the embedded SQLite file. */
class DatabaseOnSqliteTest extends DatabaseTest {
    DatabaseOnSqliteTest() {
        super(DatabaseKind.SQLITE);
    }
}
