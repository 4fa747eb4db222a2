-- Audit entries written but not yet chained (issue 12): used by PostgreSQL, where audited
-- transactions commit without locking the chain's head and a chaining step moves their
-- entries onto the chain. SQLite appends under its one writer and leaves this table empty; it
-- exists so that both schemas stay one. Keep in step with the other backend's
-- 0011_audit_pending.sql.
CREATE TABLE audit_pending (
    id         INTEGER PRIMARY KEY,
    at         BIGINT NOT NULL,
    actor      TEXT   NOT NULL,
    action     TEXT   NOT NULL,
    object     TEXT   NOT NULL,
    payload    TEXT   NOT NULL,
    state_hash TEXT
);
CREATE TRIGGER audit_pending_no_update BEFORE UPDATE ON audit_pending
BEGIN
    SELECT RAISE(ABORT, 'audit_pending entries are not changed, only chained');
END;
