package io.otpgate.jdbc;

/** {@link IdempotencyTest} on the embedded SQLite file. */
class IdempotencyOnSqliteTest extends IdempotencyTest {
    IdempotencyOnSqliteTest() {
        super(DatabaseKind.SQLITE);
    }
}
