package io.otpgate.cli;

import io.otpgate.jdbc.DatabaseKind;

/** {@link DeadWorkerDeliveryTest} on the embedded SQLite file. */
class DeadWorkerDeliveryOnSqliteTest extends DeadWorkerDeliveryTest {
    DeadWorkerDeliveryOnSqliteTest() {
        super(DatabaseKind.SQLITE);
    }
}
