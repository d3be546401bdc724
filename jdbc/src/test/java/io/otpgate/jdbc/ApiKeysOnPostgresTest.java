package io.otpgate.jdbc;

/** {@link ApiKeysTest} on embedded PostgreSQL. */
class ApiKeysOnPostgresTest extends ApiKeysTest {
    ApiKeysOnPostgresTest() {
        super(DatabaseKind.POSTGRESQL);
    }
}
