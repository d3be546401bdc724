package io.otpgate.jdbc;

/** {@link DatabaseTest} on embedded PostgreSQL. */
class DatabaseOnPostgresTest extends DatabaseTest {
    DatabaseOnPostgresTest() {
        super(DatabaseKind.POSTGRESQL);
    }
}
