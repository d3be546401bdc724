package io.otpgate.jdbc;

/** {@link CapturedEmailsTest} on Postgres. */
class CapturedEmailsOnPostgresTest extends CapturedEmailsTest {
    CapturedEmailsOnPostgresTest() {
        super(DatabaseKind.POSTGRESQL);
    }
}
