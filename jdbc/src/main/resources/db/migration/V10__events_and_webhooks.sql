-- Each verification's history (GET /v1/verifications/{id}/events), written in the transaction that
-- causes it and deleted with the verification; and the webhooks that carry it to a tenant's
-- endpoints, through a delivery queue of their own that outlives the verifications.

CREATE TABLE verification_events (
    id              BIGSERIAL    PRIMARY KEY,
    verification_id VARCHAR(64)  NOT NULL REFERENCES verifications (id) ON DELETE CASCADE,
    type            VARCHAR(32)  NOT NULL,
    occurred_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    -- A small JSON object (an SMTP reply, attempts remaining); never a code.
    data            TEXT         NOT NULL
);

CREATE INDEX verification_events_by_verification ON verification_events (verification_id, id);

CREATE TABLE webhooks (
    id              VARCHAR(64)   PRIMARY KEY,
    tenant          VARCHAR(64)   NOT NULL,
    url             VARCHAR(2048) NOT NULL,
    -- Comma-separated event types; empty for every type.
    events          VARCHAR(1024) NOT NULL,
    -- The whsec_ signing secret, sealed (AES-GCM) under a key derived from the server secret.
    sealed_secret   BYTEA         NOT NULL,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    disabled_at     TIMESTAMP WITH TIME ZONE,
    disabled_reason VARCHAR(1000)
);

CREATE INDEX webhooks_by_tenant ON webhooks (tenant);

-- Not tied to verifications: a delivery is kept (and retried) after its verification is purged.
CREATE TABLE webhook_deliveries (
    id              VARCHAR(64)  PRIMARY KEY,
    webhook_id      VARCHAR(64)  NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    event_type      VARCHAR(32)  NOT NULL,
    payload         TEXT         NOT NULL,
    status          VARCHAR(16)  NOT NULL,
    attempts        INTEGER      NOT NULL,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    next_attempt_at TIMESTAMP WITH TIME ZONE NOT NULL,
    attempted_at    TIMESTAMP WITH TIME ZONE,
    lease_owner     VARCHAR(64),
    lease_until     TIMESTAMP WITH TIME ZONE,
    claim           BIGINT       NOT NULL DEFAULT 0,
    response_status INTEGER,
    last_error      VARCHAR(1000)
);

CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at, id);
CREATE INDEX webhook_deliveries_by_webhook ON webhook_deliveries (webhook_id, created_at);
CREATE INDEX webhook_deliveries_by_owner ON webhook_deliveries (lease_owner);
CREATE INDEX webhook_deliveries_by_age ON webhook_deliveries (created_at);

-- The expiry sweeper's question, answered from the few pending rows rather than every expired one.
CREATE INDEX verifications_pending_by_expiry ON verifications (expires_at) WHERE status = 'pending';
