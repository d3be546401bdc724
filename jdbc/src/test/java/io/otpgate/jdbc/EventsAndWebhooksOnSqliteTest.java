package io.otpgate.jdbc;

/** {@link EventsAndWebhooksTest} on an SQLite file. */
class EventsAndWebhooksOnSqliteTest extends EventsAndWebhooksTest {
    EventsAndWebhooksOnSqliteTest() {
        super(DatabaseKind.SQLITE);
    }
}
