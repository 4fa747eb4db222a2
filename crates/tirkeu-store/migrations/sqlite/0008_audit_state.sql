-- State hashes in the audit log (issue 11): each entry of a change to an application or an
-- arrival carries a hash of the row as written (`row-v1:` + hex, see tirkeu_store::audit),
-- and `tirkeu audit verify` checks every row against the last hash the chain recorded for
-- it. SQL cannot compute those hashes portably, so entries written before this migration
-- have none: `audit_state.hashed_after` keeps the last entry written before it, and the
-- verifier counts (and skips) rows whose history has no hashed entry only when such older
-- entries exist. Keep in step with the other backend's 0008_audit_state.sql.
ALTER TABLE audit_log ADD COLUMN state_hash TEXT;
CREATE TABLE audit_state (
    id           INTEGER PRIMARY KEY CHECK (id = 1),
    hashed_after BIGINT  NOT NULL
);
INSERT INTO audit_state (id, hashed_after) SELECT 1, seq FROM audit_head WHERE id = 1;
