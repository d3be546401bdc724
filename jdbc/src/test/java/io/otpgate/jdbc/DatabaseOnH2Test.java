package io.otpgate.jdbc;

/** {@link DatabaseTest} on H2 file. */
class DatabaseOnH2Test extends DatabaseTest {
    DatabaseOnH2Test() {
        super(DatabaseKind.H2);
    }
}
