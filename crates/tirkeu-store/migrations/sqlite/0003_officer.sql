-- The officers' back office: search by passport, a case's history, the "information
-- received" queue. Keep in step with the other backend's 0003_officer.sql.

-- Every application of one passport (search, duplicate warnings); the partial
-- applications_one_open covers open ones only.
CREATE INDEX applications_passport ON applications (passport_lookup, queued_at, id);

-- A case's history: its audit entries in chain order.
CREATE INDEX audit_log_object ON audit_log (object, seq);

-- Cases back in review after an answered information request (in_review with a reason), in
-- queue order. The query writes backend::INFO_RECEIVED as literals, so that both databases
-- prove the index applies; SQLite picks it over applications_state_queue.
CREATE INDEX applications_info_received ON applications (state, queued_at, id)
    WHERE reason IS NOT NULL;
