package io.otpgate.cli;

import io.otpgate.jdbc.DatabaseKind;

/** {@link WebhookDeliveryTest} on an SQLite file. */
class WebhookDeliveryOnSqliteTest extends WebhookDeliveryTest {
    WebhookDeliveryOnSqliteTest() {
        super(DatabaseKind.SQLITE);
    }
}
