package io.otpgate.jdbc;

/** {@link PurgeTest} on H2 file. */
class PurgeOnH2Test extends PurgeTest {
    PurgeOnH2Test() {
        super(DatabaseKind.H2);
    }
}
