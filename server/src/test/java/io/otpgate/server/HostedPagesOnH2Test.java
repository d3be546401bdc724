package io.otpgate.server;

import io.otpgate.jdbc.DatabaseKind;

/** {@link HostedPagesTest} on an H2 file. */
class HostedPagesOnH2Test extends HostedPagesTest {
    HostedPagesOnH2Test() {
        super(DatabaseKind.H2);
    }
}
