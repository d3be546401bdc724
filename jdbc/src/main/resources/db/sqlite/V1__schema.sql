-- The embedded store's schema: the PostgreSQL schema of migrations V1 to V8 (db/migration) in
-- SQLite's terms. Times are INTEGER milliseconds since the epoch (UTC); codes and hashes BLOB.
-- The two schemas evolve together: a change to one is a migration in both.

CREATE TABLE verifications (
    id                  TEXT    PRIMARY KEY,
    tenant              TEXT    NOT NULL,
    email               TEXT    NOT NULL,
    mailbox_key         TEXT    NOT NULL,
    name                TEXT,
    purpose             TEXT    NOT NULL,
    locale              TEXT    NOT NULL,
    status              TEXT    NOT NULL,
    code_hash           BLOB    NOT NULL,
    created_at          INTEGER NOT NULL,
    expires_at          INTEGER NOT NULL,
    attempts_used       INTEGER NOT NULL,
    max_attempts        INTEGER NOT NULL,
    sends               INTEGER NOT NULL,
    max_sends           INTEGER NOT NULL,
    resend_available_at INTEGER NOT NULL,
    decided_at          INTEGER,
    outbox_id           TEXT    NOT NULL,
    -- The API key that started it (its public id); empty for the pages, the CLI and older rows.
    key_id              TEXT,
    -- A tenant that may read a pages verification: the one its redirect URI names.
    reader_tenant       TEXT,
    -- One pending verification per (tenant, mailbox key, purpose): the unique index below.
    pending_mailbox     TEXT GENERATED ALWAYS AS (CASE WHEN status = 'pending' THEN mailbox_key END) VIRTUAL
) WITHOUT ROWID;

CREATE UNIQUE INDEX verifications_one_pending ON verifications (pending_mailbox, tenant, purpose);
CREATE INDEX verifications_by_expiry ON verifications (expires_at);
CREATE INDEX verifications_by_decision ON verifications (decided_at);
CREATE INDEX verifications_by_tenant ON verifications (tenant, created_at);

CREATE TABLE outbox (
    id               TEXT    PRIMARY KEY,
    verification_id  TEXT    NOT NULL REFERENCES verifications (id) ON DELETE CASCADE,
    recipient        TEXT    NOT NULL,
    name             TEXT,
    locale           TEXT    NOT NULL,
    purpose          TEXT    NOT NULL,
    sealed_code      BLOB,
    status           TEXT    NOT NULL,
    attempts         INTEGER NOT NULL,
    created_at       INTEGER NOT NULL,
    expires_at       INTEGER NOT NULL,
    next_attempt_at  INTEGER NOT NULL,
    lease_owner      TEXT,
    lease_until      INTEGER,
    last_reply       TEXT,
    sent_at          INTEGER,
    claim            INTEGER NOT NULL DEFAULT 0,
    attempted_at     INTEGER,
    failure          TEXT
) WITHOUT ROWID;

CREATE INDEX outbox_due_id ON outbox (status, next_attempt_at, id);
CREATE INDEX outbox_by_verification ON outbox (verification_id);
CREATE INDEX outbox_by_owner ON outbox (lease_owner);
CREATE INDEX outbox_by_attempt ON outbox (attempted_at);

CREATE TABLE rate_buckets (
    bucket       TEXT    PRIMARY KEY,
    window_start INTEGER NOT NULL,
    hits         INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE mailbox_failures (
    mailbox        TEXT    PRIMARY KEY,
    consecutive    INTEGER NOT NULL,
    locked_until   INTEGER,
    last_failed_at INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE api_keys (
    id         TEXT    PRIMARY KEY,
    tenant     TEXT    NOT NULL,
    name       TEXT    NOT NULL,
    key_hash   BLOB    NOT NULL,
    created_at INTEGER NOT NULL,
    revoked_at INTEGER
) WITHOUT ROWID;

CREATE TABLE maintenance_leases (
    name        TEXT    PRIMARY KEY,
    owner       TEXT,
    lease_until INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE dev_mailbox (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    to_address  TEXT    NOT NULL,
    subject     TEXT    NOT NULL,
    text_body   TEXT    NOT NULL,
    html_body   TEXT    NOT NULL,
    received_at INTEGER NOT NULL
);

CREATE TABLE idempotency_keys (
    tenant          TEXT    NOT NULL,
    idem_key        TEXT    NOT NULL,
    fingerprint     TEXT    NOT NULL,
    verification_id TEXT    NOT NULL,
    created_at      INTEGER NOT NULL,
    PRIMARY KEY (tenant, idem_key)
) WITHOUT ROWID;

CREATE INDEX idempotency_keys_by_age ON idempotency_keys (created_at);
