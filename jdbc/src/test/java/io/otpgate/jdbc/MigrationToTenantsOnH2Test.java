package io.otpgate.jdbc;

/** {@link MigrationToTenantsTest} on H2. */
class MigrationToTenantsOnH2Test extends MigrationToTenantsTest {
    MigrationToTenantsOnH2Test() {
        super(DatabaseKind.H2);
    }
}
