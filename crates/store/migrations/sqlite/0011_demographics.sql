-- Voluntary self-reported demographics, kept apart from everything a score is made of:
-- no scoring path reads this table; only the adverse-impact report aggregates it.
CREATE TABLE demographics (
    org_id          TEXT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    candidate_id    TEXT NOT NULL,
    sex             TEXT,
    race_ethnicity  TEXT,
    source          TEXT NOT NULL,
    updated_at      BIGINT NOT NULL,
    PRIMARY KEY (org_id, candidate_id)
);

-- Candidates' requests from the interview page: deletion of their data, or an
-- interview with a person instead of the AI.
CREATE TABLE candidate_requests (
    id            TEXT PRIMARY KEY,
    org_id        TEXT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    project_id    TEXT,
    interview_id  TEXT,
    candidate_id  TEXT,
    kind          TEXT NOT NULL,
    name          TEXT,
    email         TEXT,
    message       TEXT,
    status        TEXT NOT NULL,
    created_at    BIGINT NOT NULL,
    resolved_at   BIGINT
);
CREATE INDEX candidate_requests_by_org ON candidate_requests (org_id, created_at);

