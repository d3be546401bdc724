-- Portable SQL: runs on PostgreSQL 14+ and on H2 2.3 in PostgreSQL mode.
-- The first start made under each idempotency key, per tenant, for 24 hours (JdbcPurge forgets
-- older keys). Written in the transaction that stores the verification, so a key is never
-- remembered for a start that did not happen, nor a start made without its key. No foreign key:
-- a replay only reads the verification, and the purge removes either without the other.
CREATE TABLE idempotency_keys (
    tenant          VARCHAR(32)  NOT NULL,
    idem_key        VARCHAR(320) NOT NULL,
    fingerprint     VARCHAR(64)  NOT NULL,
    verification_id VARCHAR(30)  NOT NULL,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (tenant, idem_key)
);

CREATE INDEX idempotency_keys_by_age ON idempotency_keys (created_at);
