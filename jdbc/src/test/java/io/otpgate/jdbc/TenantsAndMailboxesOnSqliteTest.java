package io.otpgate.jdbc;

/** {@link TenantsAndMailboxesTest} on the embedded SQLite file. */
class TenantsAndMailboxesOnSqliteTest extends TenantsAndMailboxesTest {
    TenantsAndMailboxesOnSqliteTest() {
        super(DatabaseKind.SQLITE);
    }
}
