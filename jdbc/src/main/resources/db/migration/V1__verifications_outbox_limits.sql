-- Portable SQL: runs on PostgreSQL 14+ and on H2 2.3 in PostgreSQL mode.
-- Timestamps are UTC instants; codes are stored only as HMAC (code_hash) and, in the outbox,
-- only AES-GCM-sealed until the row reaches a terminal state (sealed_code is then NULL).

CREATE TABLE verifications (
    id                  VARCHAR(30)  PRIMARY KEY,
    email               VARCHAR(254) NOT NULL,
    name                VARCHAR(400),
    purpose             VARCHAR(32)  NOT NULL,
    locale              VARCHAR(35)  NOT NULL,
    status              VARCHAR(16)  NOT NULL,
    code_hash           BYTEA        NOT NULL,
    created_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    attempts_used       INTEGER      NOT NULL,
    max_attempts        INTEGER      NOT NULL,
    sends               INTEGER      NOT NULL,
    max_sends           INTEGER      NOT NULL,
    resend_available_at TIMESTAMP WITH TIME ZONE NOT NULL,
    decided_at          TIMESTAMP WITH TIME ZONE,
    outbox_id           VARCHAR(30)  NOT NULL
);

CREATE INDEX verifications_by_address ON verifications (email, purpose, status);
CREATE INDEX verifications_by_expiry ON verifications (expires_at);

CREATE TABLE outbox (
    id               VARCHAR(30)  PRIMARY KEY,
    verification_id  VARCHAR(30)  NOT NULL REFERENCES verifications (id) ON DELETE CASCADE,
    recipient        VARCHAR(254) NOT NULL,
    name             VARCHAR(400),
    locale           VARCHAR(35)  NOT NULL,
    purpose          VARCHAR(32)  NOT NULL,
    sealed_code      BYTEA,
    status           VARCHAR(24)  NOT NULL,
    attempts         INTEGER      NOT NULL,
    created_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    next_attempt_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    lease_owner      VARCHAR(64),
    lease_until      TIMESTAMP WITH TIME ZONE,
    last_reply       VARCHAR(1000),
    sent_at          TIMESTAMP WITH TIME ZONE
);

CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
CREATE INDEX outbox_by_verification ON outbox (verification_id);
CREATE INDEX outbox_by_owner ON outbox (lease_owner);

-- Fixed-window counters for every rate limit (per address, per client IP, per API key).
CREATE TABLE rate_buckets (
    bucket       VARCHAR(400) PRIMARY KEY,
    window_start TIMESTAMP WITH TIME ZONE NOT NULL,
    hits         INTEGER      NOT NULL
);

-- Consecutive wrong checks per address, across verifications; reset by a success.
CREATE TABLE recipient_failures (
    email        VARCHAR(254) PRIMARY KEY,
    consecutive  INTEGER      NOT NULL,
    locked_until TIMESTAMP WITH TIME ZONE
);
