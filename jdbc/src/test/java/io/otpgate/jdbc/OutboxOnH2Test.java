package io.otpgate.jdbc;

/** {@link OutboxTest} on H2 file. */
class OutboxOnH2Test extends OutboxTest {
    OutboxOnH2Test() {
        super(DatabaseKind.H2);
    }
}
