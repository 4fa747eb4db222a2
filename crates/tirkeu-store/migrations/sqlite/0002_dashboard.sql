-- The dashboard's processing times: the instant a case was approved or rejected (set by
-- tirkeu_core::case::decide), in microseconds like every other instant.
ALTER TABLE applications ADD COLUMN decided_at BIGINT;

-- Cases decided before this column existed: the instant of their decision's audit entry
-- (object `application:{id}`, action `application.approve` or `application.reject`).
UPDATE applications SET decided_at = d.at
FROM (
    SELECT CAST(substr(object, 13) AS BIGINT) AS id, MAX(at) AS at
    FROM audit_log
    WHERE action IN ('application.approve', 'application.reject') AND object LIKE 'application:%'
    GROUP BY object
) AS d
WHERE applications.id = d.id;

-- Processing times over a window of decision instants: a range of this index, covering the
-- columns the query reads (type, submission and due instants), so no table row is visited.
CREATE INDEX applications_decided ON applications (decided_at, permit_type, submitted_at, due_at);
-- Cards expiring soon: issued cards by the last day of validity.
CREATE INDEX applications_expiry ON applications (state, valid_until, permit_type);
-- Late arrivals by month: a range of notification instants, covering the late flag.
CREATE INDEX arrivals_notified ON arrivals (notified_at, late);
