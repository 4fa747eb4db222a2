-- Expected arrivals (issue 10): a host records a guest before the arrival and confirms it
-- when the guest comes; until then the arrival has no notification instant, and the worker
-- reminds the host before the deadline and flags it late when the deadline passes. Keep in
-- step with the other backend's 0006_expected_arrivals.sql.
--
-- SQLite cannot drop a NOT NULL constraint or add a table constraint in place: the table is
-- rebuilt (create, copy, drop, rename) and its indexes made again. Nothing refers to
-- arrivals, so the drop checks no foreign key. New columns go last, where PostgreSQL's
-- ADD COLUMN puts them.
CREATE TABLE arrivals_rebuilt (
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
    -- NULL while the arrival is expected.
    notified_at         BIGINT,
    deadline_at         BIGINT  NOT NULL,
    late                BOOLEAN NOT NULL,
    fine_kzt            BIGINT,
    status              TEXT    NOT NULL DEFAULT 'notified' CHECK (status IN ('expected', 'notified')),
    -- Notified exactly when there is a notification instant.
    CONSTRAINT arrivals_notified_instant CHECK ((status = 'notified') = (notified_at IS NOT NULL))
);
INSERT INTO arrivals_rebuilt (id, confirmation_number, host_id, surname, given_names,
    passport_number, passport_lookup, nationality, birth_date, address_city, address_line,
    arrived_at, notified_at, deadline_at, late, fine_kzt, status)
SELECT id, confirmation_number, host_id, surname, given_names, passport_number,
    passport_lookup, nationality, birth_date, address_city, address_line, arrived_at,
    notified_at, deadline_at, late, fine_kzt, 'notified'
FROM arrivals;
DROP TABLE arrivals;
ALTER TABLE arrivals_rebuilt RENAME TO arrivals;

-- The indexes the table had (0001, 0002).
CREATE INDEX arrivals_host ON arrivals (host_id, id);
CREATE INDEX arrivals_passport ON arrivals (passport_lookup);
CREATE INDEX arrivals_notified ON arrivals (notified_at, late);

-- The worker's two rules read expected arrivals not yet flagged late by deadline: those
-- whose deadline is near (reminder) and those whose deadline has passed (flag late). Flagged
-- ones leave the range, so a run reads only what it may act on.
CREATE INDEX arrivals_due ON arrivals (status, late, deadline_at);
-- A host's expected guests, soonest deadline first (the portal's list).
CREATE INDEX arrivals_host_expected ON arrivals (host_id, deadline_at) WHERE status = 'expected';
