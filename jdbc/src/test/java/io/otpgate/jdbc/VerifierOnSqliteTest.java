package io.otpgate.jdbc;

/** {@link VerifierTest} on the embedded SQLite file. */
class VerifierOnSqliteTest extends VerifierTest {
    VerifierOnSqliteTest() {
        super(DatabaseKind.SQLITE);
    }
}
