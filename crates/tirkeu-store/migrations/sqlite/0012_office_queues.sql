-- The officers' queues scoped to one office (every officer's view), on a backlog of any size.
-- Measured on 1,000,000 seeded cases: the overdue count had no index with the office, so
-- PostgreSQL read the table until it had found 1,001 overdue cases of one office (76 ms warm,
-- 667 ms when there were fewer); SQLite sorted an office's every overdue case for the first
-- page (61 ms) and read the table for the "information received" count (18 ms). Each now
-- reads one office's range of a small partial index (0.3-0.7 ms). The predicates are the very
-- texts of backend::OPEN_STATES and backend::INFO_RECEIVED, so that both databases prove the
-- indexes apply; the state in the last index is there so that SQLite prefers it to
-- applications_office_queue. Keep in step with the other backend's 0012_office_queues.sql.
CREATE INDEX applications_office_overdue ON applications (office, due_at)
    WHERE state IN ('draft', 'submitted', 'in_review', 'info_requested', 'approved', 'ready_for_collection');
CREATE INDEX applications_office_open_queue ON applications (office, queued_at, id, due_at)
    WHERE state IN ('draft', 'submitted', 'in_review', 'info_requested', 'approved', 'ready_for_collection');
CREATE INDEX applications_office_info_received ON applications (office, state, queued_at, id)
    WHERE state = 'in_review' AND reason IS NOT NULL;
