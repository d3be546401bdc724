package io.otpgate.server;

import io.otpgate.jdbc.DatabaseKind;

/** {@link ApiContractTest} on embedded PostgreSQL. */
class ApiContractOnPostgresTest extends ApiContractTest {
    ApiContractOnPostgresTest() {
        super(DatabaseKind.POSTGRESQL);
    }
}
