package io.otpgate.jdbc;

/** {@link VerificationStateMachineTest} on H2. */
class VerificationStateMachineOnH2Test extends VerificationStateMachineTest {
    VerificationStateMachineOnH2Test() {
        super(DatabaseKind.H2);
    }
}
