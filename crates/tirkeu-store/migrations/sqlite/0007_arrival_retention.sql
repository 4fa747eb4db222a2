-- Retention of arrival notifications (issue 10): the personal data of an arrival whose
-- notification deadline passed longer ago than the policy's retention period are erased by
-- the worker; the row stays for the statistics (nationality, city, dates, late, fine). Keep
-- in step with the other backend's 0007_arrival_retention.sql.
ALTER TABLE arrivals ADD COLUMN purged_at BIGINT;
CREATE INDEX arrivals_unpurged ON arrivals (deadline_at, id) WHERE purged_at IS NULL;
