package io.otpgate.server;

import io.otpgate.jdbc.DatabaseKind;

/** {@link HostedPagesTest} on the embedded SQLite file. */
class HostedPagesOnSqliteTest extends HostedPagesTest {
    HostedPagesOnSqliteTest() {
        super(DatabaseKind.SQLITE);
    }
}
