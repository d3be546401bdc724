package io.otpgate.jdbc;

/** {@link EventsAndWebhooksTest} on embedded PostgreSQL. */
class EventsAndWebhooksOnPostgresTest extends EventsAndWebhooksTest {
    EventsAndWebhooksOnPostgresTest() {
        super(DatabaseKind.POSTGRESQL);
    }
}
