-- PostgreSQL's V10: each verification's history, written in the transaction that causes it and
-- deleted with the verification; webhooks and their delivery queue, which outlives verifications.

CREATE TABLE verification_events (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    verification_id TEXT    NOT NULL REFERENCES verifications (id) ON DELETE CASCADE,
    type            TEXT    NOT NULL,
    occurred_at     INTEGER NOT NULL,
    data            TEXT    NOT NULL
);

CREATE INDEX verification_events_by_verification ON verification_events (verification_id, id);

CREATE TABLE webhooks (
    id              TEXT    PRIMARY KEY,
    tenant          TEXT    NOT NULL,
    url             TEXT    NOT NULL,
    events          TEXT    NOT NULL,
    sealed_secret   BLOB    NOT NULL,
    created_at      INTEGER NOT NULL,
    disabled_at     INTEGER,
    disabled_reason TEXT
) WITHOUT ROWID;

CREATE INDEX webhooks_by_tenant ON webhooks (tenant);

CREATE TABLE webhook_deliveries (
    id              TEXT    PRIMARY KEY,
    webhook_id      TEXT    NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    event_type      TEXT    NOT NULL,
    payload         TEXT    NOT NULL,
    status          TEXT    NOT NULL,
    attempts        INTEGER NOT NULL,
    created_at      INTEGER NOT NULL,
    next_attempt_at INTEGER NOT NULL,
    attempted_at    INTEGER,
    lease_owner     TEXT,
    lease_until     INTEGER,
    claim           INTEGER NOT NULL DEFAULT 0,
    response_status INTEGER,
    last_error      TEXT
) WITHOUT ROWID;

CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at, id);
CREATE INDEX webhook_deliveries_by_webhook ON webhook_deliveries (webhook_id, created_at);
CREATE INDEX webhook_deliveries_by_owner ON webhook_deliveries (lease_owner);
CREATE INDEX webhook_deliveries_by_age ON webhook_deliveries (created_at);

-- The expiry sweeper's question, answered from the few pending rows rather than every expired one.
CREATE INDEX verifications_pending_by_expiry ON verifications (expires_at) WHERE status = 'pending';
