-- Portable SQL: runs on PostgreSQL 14+ and on H2 2.3 in PostgreSQL mode.
-- claim: every claim of a row takes the next number, and recording its outcome must name it, so a
-- worker whose lease ran out and whose row was claimed again (even by a worker of the same name)
-- can neither record nor overwrite the newer claim's outcome.
ALTER TABLE outbox ADD COLUMN claim BIGINT DEFAULT 0 NOT NULL;

-- attempted_at and failure: when the last delivery attempt ended and, if it failed, how
-- ('transient', 'permanent' for the recipient, 'configuration' for the server settings), so that
-- /health/delivery can tell whether delivery is failing now without reading every row.
ALTER TABLE outbox ADD COLUMN attempted_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE outbox ADD COLUMN failure VARCHAR(16);
CREATE INDEX outbox_by_attempt ON outbox (attempted_at);
