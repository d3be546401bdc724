package io.otpgate.jdbc;

/** {@link ConcurrencyTest} on the embedded SQLite file. */
class ConcurrencyOnSqliteTest extends ConcurrencyTest {
    ConcurrencyOnSqliteTest() {
        super(DatabaseKind.SQLITE);
    }
}
