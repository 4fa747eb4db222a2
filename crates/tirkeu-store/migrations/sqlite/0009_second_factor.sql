-- A second factor for staff (issue 11): a TOTP secret (RFC 6238) per account, the last time
-- step a code was accepted for (a code is never accepted twice), single-use recovery codes
-- stored as hashes, and a scope per session: `full`, or one that only finishes a sign-in
-- (`code`: the password was right, the code is still to come) or only sets up the second
-- factor (`enrol`: an account that must have one and has none yet). Keep in step with the
-- other backend's 0009_second_factor.sql.
ALTER TABLE users ADD COLUMN totp_secret TEXT;
ALTER TABLE users ADD COLUMN totp_pending TEXT;
ALTER TABLE users ADD COLUMN totp_last_step BIGINT;
CREATE TABLE recovery_codes (
    user_id   BIGINT NOT NULL REFERENCES users (id),
    code_hash TEXT   NOT NULL,
    used_at   BIGINT,
    PRIMARY KEY (user_id, code_hash)
);
ALTER TABLE sessions ADD COLUMN scope TEXT NOT NULL DEFAULT 'full'
    CHECK (scope IN ('full', 'code', 'enrol'));
