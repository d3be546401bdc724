package io.otpgate.jdbc;

/** {@link ConcurrencyTest} on H2 file. */
class ConcurrencyOnH2Test extends ConcurrencyTest {
    ConcurrencyOnH2Test() {
        super(DatabaseKind.H2);
    }
}
