package io.otpgate.jdbc;

/** {@link DurabilityTest} on H2 file. */
class DurabilityOnH2Test extends DurabilityTest {
    DurabilityOnH2Test() {
        super(DatabaseKind.H2);
    }
}
