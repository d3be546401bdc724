package io.otpgate.jdbc;

/** {@link ApiKeysTest} on the embedded SQLite file. */
class ApiKeysOnSqliteTest extends ApiKeysTest {
    ApiKeysOnSqliteTest() {
        super(DatabaseKind.SQLITE);
    }
}
