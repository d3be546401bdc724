package io.otpgate.server;

import io.otpgate.jdbc.DatabaseKind;

/** {@link HostedPagesTest} on embedded PostgreSQL. */
class HostedPagesOnPostgresTest extends HostedPagesTest {
    HostedPagesOnPostgresTest() {
        super(DatabaseKind.POSTGRESQL);
    }
}
