package io.otpgate.cli;

import io.otpgate.jdbc.DatabaseKind;

/** {@link DeadWorkerDeliveryTest} on an H2 file. */
class DeadWorkerDeliveryOnH2Test extends DeadWorkerDeliveryTest {
    DeadWorkerDeliveryOnH2Test() {
        super(DatabaseKind.H2);
    }
}
