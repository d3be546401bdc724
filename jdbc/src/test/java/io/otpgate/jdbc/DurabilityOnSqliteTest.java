package io.otpgate.jdbc;

/** {@link DurabilityTest} on the embedded SQLite file. */
class DurabilityOnSqliteTest extends DurabilityTest {
    DurabilityOnSqliteTest() {
        super(DatabaseKind.SQLITE);
    }
}
