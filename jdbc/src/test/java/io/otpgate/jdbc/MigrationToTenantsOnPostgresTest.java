package io.otpgate.jdbc;

/** {@link MigrationToTenantsTest} on Postgres. */
class MigrationToTenantsOnPostgresTest extends MigrationToTenantsTest {
    MigrationToTenantsOnPostgresTest() {
        super(DatabaseKind.POSTGRESQL);
    }
}
