package io.otpgate.jdbc;

/** {@link OutboxTest} on the embedded SQLite file. */
class OutboxOnSqliteTest extends OutboxTest {
    OutboxOnSqliteTest() {
        super(DatabaseKind.SQLITE);
    }
}
