-- Expected arrivals (issue 10): a host records a guest before the arrival and confirms it
-- when the guest comes; until then the arrival has no notification instant, and the worker
-- reminds the host before the deadline and flags it late when the deadline passes. Keep in
-- step with the other backend's 0006_expected_arrivals.sql (which rebuilds the table).
ALTER TABLE arrivals
    ADD COLUMN status TEXT NOT NULL DEFAULT 'notified' CHECK (status IN ('expected', 'notified'));
-- NULL while the arrival is expected.
ALTER TABLE arrivals ALTER COLUMN notified_at DROP NOT NULL;
-- Notified exactly when there is a notification instant.
ALTER TABLE arrivals ADD CONSTRAINT arrivals_notified_instant
    CHECK ((status = 'notified') = (notified_at IS NOT NULL));

-- The worker's two rules read expected arrivals not yet flagged late by deadline: those
-- whose deadline is near (reminder) and those whose deadline has passed (flag late). Flagged
-- ones leave the range, so a run reads only what it may act on.
CREATE INDEX arrivals_due ON arrivals (status, late, deadline_at);
-- A host's expected guests, soonest deadline first (the portal's list).
CREATE INDEX arrivals_host_expected ON arrivals (host_id, deadline_at) WHERE status = 'expected';
