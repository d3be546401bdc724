package io.otpgate.jdbc;

/** {@link VerifierTest} on embedded PostgreSQL. */
class VerifierOnPostgresTest extends VerifierTest {
    VerifierOnPostgresTest() {
        super(DatabaseKind.POSTGRESQL);
    }
}
