-- A recruiter's decision over the AI's recommendation, with the reason; every change is
-- kept as the audit trail, and the newest one is the current decision.

CREATE TABLE recommendation_overrides (
    id              TEXT PRIMARY KEY,
    org_id          TEXT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    interview_id    TEXT NOT NULL REFERENCES interviews(id) ON DELETE CASCADE,
    user_id         TEXT NOT NULL,
    user_email      TEXT NOT NULL,
    recommendation  TEXT NOT NULL,
    reason          TEXT NOT NULL,
    created_at      BIGINT NOT NULL
);
CREATE INDEX overrides_by_interview ON recommendation_overrides (interview_id, created_at);
