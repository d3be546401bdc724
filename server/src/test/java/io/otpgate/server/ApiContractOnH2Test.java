package io.otpgate.server;

import io.otpgate.jdbc.DatabaseKind;

/** {@link ApiContractTest} on an H2 file. */
class ApiContractOnH2Test extends ApiContractTest {
    ApiContractOnH2Test() {
        super(DatabaseKind.H2);
    }
}
