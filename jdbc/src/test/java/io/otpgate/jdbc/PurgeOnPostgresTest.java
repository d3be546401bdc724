package io.otpgate.jdbc;

/** {@link PurgeTest} on embedded PostgreSQL. */
class PurgeOnPostgresTest extends PurgeTest {
    PurgeOnPostgresTest() {
        super(DatabaseKind.POSTGRESQL);
    }
}
