package io.otpgate.jdbc;

/** {@link TenantsAndMailboxesTest} on Postgres. */
class TenantsAndMailboxesOnPostgresTest extends TenantsAndMailboxesTest {
    TenantsAndMailboxesOnPostgresTest() {
        super(DatabaseKind.POSTGRESQL);
    }
}
