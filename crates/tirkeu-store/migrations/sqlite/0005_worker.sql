-- The worker (issue 10): deadlines that act, messages that are sent, retention. Keep in step
-- with the other backend's 0005_worker.sql.

-- By when an information request must be answered (decided by the core at request_info), and
-- when a closed case's personal data were purged.
ALTER TABLE applications ADD COLUMN respond_by BIGINT;
ALTER TABLE applications ADD COLUMN purged_at BIGINT;
-- One partial index per timer, so each rule reads only the cases it acts on.
CREATE INDEX applications_drafts ON applications (created_at, id) WHERE state = 'draft';
CREATE INDEX applications_info_due ON applications (respond_by, id) WHERE state = 'info_requested';
CREATE INDEX applications_valid_until ON applications (valid_until, id) WHERE state = 'issued';
CREATE INDEX applications_closed ON applications (updated_at, id)
    WHERE purged_at IS NULL AND state IN ('rejected', 'withdrawn', 'abandoned', 'expired', 'revoked');

-- A draft blocks nobody: at most one application per passport and card type once submitted
-- and while it is pursued (State::blocks_duplicates; a test checks the list). Anyone who knows
-- a passport number could otherwise create a draft to block its holder, and learn that an
-- open application exists.
DROP INDEX applications_one_open;
CREATE UNIQUE INDEX applications_one_pursued ON applications (passport_lookup, permit_type)
    WHERE state IN ('submitted', 'in_review', 'info_requested', 'approved', 'ready_for_collection');

-- Staff and hosts can be written to (hosts get reminders of their arrival deadlines).
ALTER TABLE users ADD COLUMN email TEXT;
ALTER TABLE users ADD COLUMN language TEXT;

-- The outbox: how each message ended, with which template version, and a key that makes a
-- reminder queued by two workers (or two runs) one message.
ALTER TABLE outbox ADD COLUMN dedupe_key TEXT;
ALTER TABLE outbox ADD COLUMN outcome TEXT CHECK (outcome IN ('sent', 'no_recipient', 'failed'));
ALTER TABLE outbox ADD COLUMN finished_at BIGINT;
ALTER TABLE outbox ADD COLUMN first_tried_at BIGINT;
ALTER TABLE outbox ADD COLUMN template_version TEXT;
ALTER TABLE outbox ADD COLUMN purged_at BIGINT;
UPDATE outbox SET outcome = 'sent', finished_at = sent_at WHERE sent_at IS NOT NULL;
CREATE UNIQUE INDEX outbox_dedupe ON outbox (dedupe_key);
DROP INDEX outbox_pending;
CREATE INDEX outbox_due ON outbox (available_at, id) WHERE finished_at IS NULL;
CREATE INDEX outbox_failed ON outbox (finished_at, id) WHERE outcome = 'failed';
CREATE INDEX outbox_finished ON outbox (finished_at, id) WHERE purged_at IS NULL;
-- Retention deletes a case's documents and then the stored file of each one no other case
-- refers to (documents are stored once per content).
CREATE INDEX documents_sha256 ON documents (sha256);
