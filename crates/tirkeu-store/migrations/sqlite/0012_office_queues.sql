-- The officers' queues scoped to one office (every officer's view), on a backlog of any size.
-- The overdue count had no index with the office: on 1,000,000 seeded cases PostgreSQL read
-- the table until it had found 1,001 overdue cases of one office (76 ms warm, 667 ms when
-- there were fewer); "information received" read the heap for the office of every such case
-- in the country. Both now read one office's range of a small partial index. The predicates
-- are the very texts of backend::OPEN_STATES and backend::INFO_RECEIVED, so that both
-- databases prove the indexes apply. Keep in step with the other backend's
-- 0012_office_queues.sql.
CREATE INDEX applications_office_overdue ON applications (office, due_at)
    WHERE state IN ('draft', 'submitted', 'in_review', 'info_requested', 'approved', 'ready_for_collection');
CREATE INDEX applications_office_info_received ON applications (office, queued_at, id)
    WHERE state = 'in_review' AND reason IS NOT NULL;
