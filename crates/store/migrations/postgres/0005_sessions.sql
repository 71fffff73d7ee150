-- Live interviews with Tami: the dialogue state of a session in progress, the hash of
-- the candidate's session token, and a version for optimistic concurrency.

ALTER TABLE interviews ADD COLUMN session TEXT;
ALTER TABLE interviews ADD COLUMN session_token_hash TEXT;
ALTER TABLE interviews ADD COLUMN session_version BIGINT NOT NULL DEFAULT 0;

CREATE INDEX interviews_by_project ON interviews (project_id, created_at);
CREATE INDEX interviews_by_status ON interviews (status, updated_at);
