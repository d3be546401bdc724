-- Portable SQL: runs on PostgreSQL 14+ and on H2 2.3 in PostgreSQL mode.
-- What the scheduled purge needs: a lease so that one instance purges at a time, an index to find
-- verifications decided long ago, and the time of each address's last wrong check.

-- One row per maintenance job. The holder owns the job until lease_until; another instance takes it
-- over with one conditional UPDATE once that time has passed.
CREATE TABLE maintenance_leases (
    name        VARCHAR(64) PRIMARY KEY,
    owner       VARCHAR(64),
    lease_until TIMESTAMP WITH TIME ZONE NOT NULL
);

-- Old verifications are found by expires_at (indexed in V1) or by decided_at.
CREATE INDEX verifications_by_decision ON verifications (decided_at);

-- A failure count may be forgotten only once its address has been quiet for the retention.
-- Counts from before this column start their clock at the upgrade.
ALTER TABLE recipient_failures ADD COLUMN last_failed_at TIMESTAMP WITH TIME ZONE;
UPDATE recipient_failures SET last_failed_at = CURRENT_TIMESTAMP;
ALTER TABLE recipient_failures ALTER COLUMN last_failed_at SET NOT NULL;
