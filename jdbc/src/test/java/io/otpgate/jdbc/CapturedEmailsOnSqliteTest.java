package io.otpgate.jdbc;

/** {@link CapturedEmailsTest} on the embedded SQLite file. */
class CapturedEmailsOnSqliteTest extends CapturedEmailsTest {
    CapturedEmailsOnSqliteTest() {
        super(DatabaseKind.SQLITE);
    }
}
