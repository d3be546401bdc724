package io.otpgate.jdbc;

/** {@link VerifierTest} on H2 file. */
class VerifierOnH2Test extends VerifierTest {
    VerifierOnH2Test() {
        super(DatabaseKind.H2);
    }
}
