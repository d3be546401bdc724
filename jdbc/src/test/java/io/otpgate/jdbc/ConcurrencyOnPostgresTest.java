package io.otpgate.jdbc;

/** {@link ConcurrencyTest} on embedded PostgreSQL. */
class ConcurrencyOnPostgresTest extends ConcurrencyTest {
    ConcurrencyOnPostgresTest() {
        super(DatabaseKind.POSTGRESQL);
    }
}
