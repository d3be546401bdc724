package io.otpgate.jdbc;

/** {@link DurabilityTest} on embedded PostgreSQL. */
class DurabilityOnPostgresTest extends DurabilityTest {
    DurabilityOnPostgresTest() {
        super(DatabaseKind.POSTGRESQL);
    }
}
