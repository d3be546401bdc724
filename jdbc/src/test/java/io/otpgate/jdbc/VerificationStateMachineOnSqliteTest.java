package io.otpgate.jdbc;

/** {@link VerificationStateMachineTest} on the embedded SQLite file. */
class VerificationStateMachineOnSqliteTest extends VerificationStateMachineTest {
    VerificationStateMachineOnSqliteTest() {
        super(DatabaseKind.SQLITE);
    }
}
