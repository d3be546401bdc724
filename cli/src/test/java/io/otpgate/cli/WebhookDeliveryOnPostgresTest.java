package io.otpgate.cli;

import io.otpgate.jdbc.DatabaseKind;

/** {@link WebhookDeliveryTest} on embedded PostgreSQL. */
class WebhookDeliveryOnPostgresTest extends WebhookDeliveryTest {
    WebhookDeliveryOnPostgresTest() {
        super(DatabaseKind.POSTGRESQL);
    }
}
