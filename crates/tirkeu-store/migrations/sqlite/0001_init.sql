-- tirkeu schema, SQLite. Keep in step with ../postgres/0001_init.sql: a test migrates both
-- and compares tables, columns (by type family), indexes and constraints.
-- Instants are BIGINT microseconds since the Unix epoch (UTC); civil dates are TEXT YYYY-MM-DD.

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    username      TEXT    NOT NULL UNIQUE,
    role          TEXT    NOT NULL CHECK (role IN ('officer', 'supervisor', 'admin', 'host')),
    password_hash TEXT    NOT NULL,
    host_kind     TEXT,
    office        TEXT,
    disabled      BOOLEAN NOT NULL DEFAULT FALSE,
    created_at    BIGINT  NOT NULL
);

CREATE TABLE sessions (
    token_hash TEXT   PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users (id),
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_keys (
    id         INTEGER PRIMARY KEY,
    user_id    BIGINT  NOT NULL REFERENCES users (id),
    key_hash   TEXT    NOT NULL UNIQUE,
    label      TEXT    NOT NULL,
    created_at BIGINT  NOT NULL,
    revoked_at BIGINT
);
CREATE INDEX api_keys_user ON api_keys (user_id);

CREATE TABLE applications (
    id                INTEGER PRIMARY KEY,
    number            TEXT    NOT NULL UNIQUE,
    access_code_hash  TEXT    NOT NULL,
    permit_type       TEXT    NOT NULL,
    language          TEXT    NOT NULL,
    state             TEXT    NOT NULL,
    version           BIGINT  NOT NULL,
    surname           TEXT    NOT NULL,
    given_names       TEXT    NOT NULL,
    passport_number   TEXT    NOT NULL,
    passport_lookup   TEXT    NOT NULL,
    nationality       TEXT    NOT NULL,
    birth_date        TEXT    NOT NULL,
    sex               TEXT    NOT NULL,
    passport_expiry   TEXT    NOT NULL,
    email             TEXT,
    phone             TEXT,
    address_city      TEXT    NOT NULL,
    address_line      TEXT    NOT NULL,
    arrival_date      TEXT,
    office            TEXT    NOT NULL,
    assigned_officer  BIGINT  REFERENCES users (id),
    queued_at         BIGINT  NOT NULL,
    created_at        BIGINT  NOT NULL,
    updated_at        BIGINT  NOT NULL,
    submitted_at      BIGINT,
    due_at            BIGINT,
    reason            TEXT,
    valid_from        TEXT,
    valid_until       TEXT,
    collection_at     BIGINT,
    collection_place  TEXT,
    card_number       TEXT    UNIQUE,
    verify_token_hash TEXT    UNIQUE
);
-- The officers' queue is ordered by (queued_at, id) and filtered by state, type, office or
-- officer: each filter has an index ending in the sort key so a keyset page reads only its rows.
CREATE INDEX applications_queue ON applications (queued_at, id);
CREATE INDEX applications_state_queue ON applications (state, queued_at, id);
CREATE INDEX applications_type_queue ON applications (permit_type, state, queued_at, id);
CREATE INDEX applications_office_queue ON applications (office, state, queued_at, id);
CREATE INDEX applications_officer_queue ON applications (assigned_officer, state, queued_at, id);
CREATE INDEX applications_due ON applications (state, due_at);
-- At most one open application per passport and card type (the open states of
-- tirkeu_core::lifecycle::State::is_open; a store test checks every state).
CREATE UNIQUE INDEX applications_one_open ON applications (passport_lookup, permit_type)
    WHERE state IN ('draft', 'submitted', 'in_review', 'info_requested', 'approved', 'ready_for_collection');

CREATE TABLE documents (
    id             INTEGER PRIMARY KEY,
    application_id BIGINT  NOT NULL REFERENCES applications (id),
    kind           TEXT    NOT NULL,
    sha256         TEXT    NOT NULL,
    size           BIGINT  NOT NULL,
    content_type   TEXT    NOT NULL,
    created_at     BIGINT  NOT NULL
);
CREATE INDEX documents_application ON documents (application_id, kind);

CREATE TABLE arrivals (
    id                  INTEGER PRIMARY KEY,
    confirmation_number TEXT    NOT NULL UNIQUE,
    host_id             BIGINT  NOT NULL REFERENCES users (id),
    surname             TEXT    NOT NULL,
    given_names         TEXT    NOT NULL,
    passport_number     TEXT    NOT NULL,
    passport_lookup     TEXT    NOT NULL,
    nationality         TEXT    NOT NULL,
    birth_date          TEXT    NOT NULL,
    address_city        TEXT    NOT NULL,
    address_line        TEXT    NOT NULL,
    arrived_at          BIGINT  NOT NULL,
    notified_at         BIGINT  NOT NULL,
    deadline_at         BIGINT  NOT NULL,
    late                BOOLEAN NOT NULL,
    fine_kzt            BIGINT
);
CREATE INDEX arrivals_host ON arrivals (host_id, id);
CREATE INDEX arrivals_passport ON arrivals (passport_lookup);

-- Append-only and hash-chained; audit_head holds the last link so that appends serialise
-- on one row (gapless sequence numbers with several writers).
CREATE TABLE audit_log (
    seq       BIGINT PRIMARY KEY,
    at        BIGINT NOT NULL,
    actor     TEXT   NOT NULL,
    action    TEXT   NOT NULL,
    object    TEXT   NOT NULL,
    payload   TEXT   NOT NULL,
    prev_hash TEXT   NOT NULL,
    hash      TEXT   NOT NULL
);
CREATE TABLE audit_head (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    seq  BIGINT  NOT NULL,
    hash TEXT    NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

CREATE TABLE outbox (
    id           INTEGER PRIMARY KEY,
    kind         TEXT    NOT NULL,
    payload      TEXT    NOT NULL,
    created_at   BIGINT  NOT NULL,
    available_at BIGINT  NOT NULL,
    attempts     BIGINT  NOT NULL DEFAULT 0,
    locked_until BIGINT,
    locked_by    TEXT,
    sent_at      BIGINT,
    last_error   TEXT
);
CREATE INDEX outbox_pending ON outbox (sent_at, available_at, id);
