-- Portable SQL: runs on PostgreSQL 14+ and on H2 2.3 in PostgreSQL mode.
-- API keys are stored only as SHA-256 of the whole key (key_hash); the key itself is shown once,
-- at creation, and never written here. Keys from OTPGATE_API_KEYS are not stored at all.

CREATE TABLE api_keys (
    id         VARCHAR(12)  PRIMARY KEY,
    name       VARCHAR(400) NOT NULL,
    key_hash   BYTEA        NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    revoked_at TIMESTAMP WITH TIME ZONE
);
