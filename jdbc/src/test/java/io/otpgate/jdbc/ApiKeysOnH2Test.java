package io.otpgate.jdbc;

/** {@link ApiKeysTest} on H2 file. */
class ApiKeysOnH2Test extends ApiKeysTest {
    ApiKeysOnH2Test() {
        super(DatabaseKind.H2);
    }
}
