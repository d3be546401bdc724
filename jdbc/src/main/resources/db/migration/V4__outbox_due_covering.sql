-- Portable SQL: runs on PostgreSQL 14+ and on H2 2.3 in PostgreSQL mode.
-- The claim (JdbcOutbox.DUE) picks candidate ids WHERE status = ? AND next_attempt_at <= ?
-- ORDER BY status, next_attempt_at. With the id in the index, both databases can answer that inner
-- query from the index alone instead of reading each candidate's row (BENCHMARKS.md, delivery).
-- It replaces outbox_due, whose columns are its prefix.
CREATE INDEX outbox_due_id ON outbox (status, next_attempt_at, id);
DROP INDEX outbox_due;
