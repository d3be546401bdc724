-- The analytics rollup: per tenant and hour of start (cohorts by created_at), the funnel and
-- failure counts in total, by recipient domain and by language, and the time-to-verify and
-- delivery-latency histograms in fixed buckets (Histogram.BOUNDS). Recomputed from the
-- verifications by the rollup job, and kept OTPGATE_STATS_RETENTION (default 400 days), long after
-- the verifications themselves are purged.

CREATE TABLE stats_hourly (
    tenant             VARCHAR(64)  NOT NULL,
    -- 'total' (value ''), 'domain' or 'language'.
    dimension          VARCHAR(16)  NOT NULL,
    hour               TIMESTAMP WITH TIME ZONE NOT NULL,
    value              VARCHAR(255) NOT NULL,
    started            BIGINT       NOT NULL,
    delivered          BIGINT       NOT NULL,
    undeliverable      BIGINT       NOT NULL,
    approved           BIGINT       NOT NULL,
    expired            BIGINT       NOT NULL,
    exhausted          BIGINT       NOT NULL,
    canceled           BIGINT       NOT NULL,
    wrong_codes        BIGINT       NOT NULL,
    mailboxes          BIGINT       NOT NULL,
    mailboxes_approved BIGINT       NOT NULL,
    PRIMARY KEY (tenant, dimension, hour, value)
);

CREATE INDEX stats_hourly_by_hour ON stats_hourly (hour);

CREATE TABLE stats_latency (
    tenant  VARCHAR(64) NOT NULL,
    -- 'verify' (start to approval) or 'delivery' (queued to accepted by the mail server).
    metric  VARCHAR(16) NOT NULL,
    hour    TIMESTAMP WITH TIME ZONE NOT NULL,
    bucket  INTEGER     NOT NULL,
    count   BIGINT      NOT NULL,
    PRIMARY KEY (tenant, metric, hour, bucket)
);

CREATE INDEX stats_latency_by_hour ON stats_latency (hour);

-- How far the rollup has read the events: the next run recomputes the hours of the verifications
-- with an event since then (less a margin for transactions that were in flight).
CREATE TABLE stats_rollup_progress (
    name         VARCHAR(32) PRIMARY KEY,
    rolled_until TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE INDEX verification_events_by_time ON verification_events (occurred_at);

-- A key's scope: 'full' (every key before scopes) or 'read' (GET /v1/stats and the dashboard only,
-- the key that may go into a browser).
ALTER TABLE api_keys ADD COLUMN scope VARCHAR(8) NOT NULL DEFAULT 'full';
