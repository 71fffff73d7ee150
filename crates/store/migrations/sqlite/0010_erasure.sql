-- Candidate erasure. A request marks the candidate and its interviews with the id of
-- its receipt (`erasure_id`), which hides them from every read at once; a job then
-- deletes the recordings and every row about them. The receipt stays, naming the
-- candidate only by a pseudonym. `retention_days` erases candidates whose newest
-- interview is older (NULL keeps them until deleted).

ALTER TABLE orgs ADD COLUMN retention_days BIGINT;
ALTER TABLE candidates ADD COLUMN erasure_id TEXT;
ALTER TABLE interviews ADD COLUMN erasure_id TEXT;
CREATE INDEX candidates_by_erasure ON candidates (erasure_id) WHERE erasure_id IS NOT NULL;

CREATE TABLE erasures (
    id            TEXT PRIMARY KEY,
    org_id        TEXT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    subject       TEXT NOT NULL,
    requested_by  TEXT NOT NULL,
    status        TEXT NOT NULL,
    erased        TEXT NOT NULL,
    requested_at  BIGINT NOT NULL,
    purge_by      BIGINT NOT NULL,
    completed_at  BIGINT
);
CREATE INDEX erasures_by_org ON erasures (org_id, requested_at);
