-- Failed attempts shared by every server instance (issue 12): the status lookup's budget of
-- failures per application number and the sign-in throttle per account and per client, so
-- that N instances behind a load balancer give the budget once, not N times. The key (a
-- number, a username, a client address) is never stored, only its keyed hash (see the store's
-- attempts.rs); `at` is the attempt's instant in microseconds. Rows older than the window
-- are pruned every minute. Keep in step with the other backend's 0010_failed_attempts.sql.
CREATE TABLE failed_attempts (
    id       INTEGER PRIMARY KEY,
    kind     TEXT    NOT NULL CHECK (kind IN ('status_number', 'login_user', 'login_client')),
    key_hash TEXT    NOT NULL,
    at       BIGINT  NOT NULL
);
-- "How many against this key since t": a range of one key's entries.
CREATE INDEX failed_attempts_recent ON failed_attempts (kind, key_hash, at);
-- The pruning of expired rows.
CREATE INDEX failed_attempts_at ON failed_attempts (at);
