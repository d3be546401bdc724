package io.otpgate.jdbc;

/** {@link CapturedEmailsTest} on H2. */
class CapturedEmailsOnH2Test extends CapturedEmailsTest {
    CapturedEmailsOnH2Test() {
        super(DatabaseKind.H2);
    }
}
