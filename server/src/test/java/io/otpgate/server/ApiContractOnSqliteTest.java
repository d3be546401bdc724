package io.otpgate.server;

import io.otpgate.jdbc.DatabaseKind;

/** {@link ApiContractTest} on the embedded SQLite file. */
class ApiContractOnSqliteTest extends ApiContractTest {
    ApiContractOnSqliteTest() {
        super(DatabaseKind.SQLITE);
    }
}
