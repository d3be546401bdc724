package io.otpgate.jdbc;

/** {@link VerificationStateMachineTest} on Postgres. */
class VerificationStateMachineOnPostgresTest extends VerificationStateMachineTest {
    VerificationStateMachineOnPostgresTest() {
        super(DatabaseKind.POSTGRESQL);
    }
}
