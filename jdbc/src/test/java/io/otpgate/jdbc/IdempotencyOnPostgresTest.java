package io.otpgate.jdbc;

/** {@link IdempotencyTest} on Postgres. */
class IdempotencyOnPostgresTest extends IdempotencyTest {
    IdempotencyOnPostgresTest() {
        super(DatabaseKind.POSTGRESQL);
    }
}
