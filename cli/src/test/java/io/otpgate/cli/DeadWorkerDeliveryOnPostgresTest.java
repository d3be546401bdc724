package io.otpgate.cli;

import io.otpgate.jdbc.DatabaseKind;

/** {@link DeadWorkerDeliveryTest} on embedded PostgreSQL. */
class DeadWorkerDeliveryOnPostgresTest extends DeadWorkerDeliveryTest {
    DeadWorkerDeliveryOnPostgresTest() {
        super(DatabaseKind.POSTGRESQL);
    }
}
