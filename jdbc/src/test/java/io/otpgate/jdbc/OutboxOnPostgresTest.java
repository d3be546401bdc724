package io.otpgate.jdbc;

/** {@link OutboxTest} on embedded PostgreSQL. */
class OutboxOnPostgresTest extends OutboxTest {
    OutboxOnPostgresTest() {
        super(DatabaseKind.POSTGRESQL);
    }
}
