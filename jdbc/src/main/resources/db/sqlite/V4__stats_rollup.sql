-- PostgreSQL's V11: the analytics rollup per tenant and hour of start, which outlives the
-- verifications (OTPGATE_STATS_RETENTION), recomputed by the rollup job; see db/migration.

CREATE TABLE stats_hourly (
    tenant             TEXT    NOT NULL,
    dimension          TEXT    NOT NULL,
    hour               INTEGER NOT NULL,
    value              TEXT    NOT NULL,
    started            INTEGER NOT NULL,
    delivered          INTEGER NOT NULL,
    undeliverable      INTEGER NOT NULL,
    approved           INTEGER NOT NULL,
    expired            INTEGER NOT NULL,
    exhausted          INTEGER NOT NULL,
    canceled           INTEGER NOT NULL,
    wrong_codes        INTEGER NOT NULL,
    mailboxes          INTEGER NOT NULL,
    mailboxes_approved INTEGER NOT NULL,
    PRIMARY KEY (tenant, dimension, hour, value)
) WITHOUT ROWID;

CREATE INDEX stats_hourly_by_hour ON stats_hourly (hour);

CREATE TABLE stats_latency (
    tenant  TEXT    NOT NULL,
    metric  TEXT    NOT NULL,
    hour    INTEGER NOT NULL,
    bucket  INTEGER NOT NULL,
    count   INTEGER NOT NULL,
    PRIMARY KEY (tenant, metric, hour, bucket)
) WITHOUT ROWID;

CREATE INDEX stats_latency_by_hour ON stats_latency (hour);

CREATE TABLE stats_rollup_progress (
    name         TEXT    PRIMARY KEY,
    rolled_until INTEGER NOT NULL
) WITHOUT ROWID;

CREATE INDEX verification_events_by_time ON verification_events (occurred_at);

-- A key's scope: 'full' (every key before scopes) or 'read' (GET /v1/stats and the dashboard only).
ALTER TABLE api_keys ADD COLUMN scope TEXT NOT NULL DEFAULT 'full';
