-- Candidates, vacancies, interviews (both fronts: uploads and live sessions), the
-- durable job queue, and company culture profiles.

CREATE TABLE candidates (
    org_id      TEXT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    id          TEXT NOT NULL,
    name        TEXT,
    email       TEXT,
    position    TEXT,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL,
    PRIMARY KEY (org_id, id)
);

CREATE TABLE vacancies (
    org_id              TEXT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    id                  TEXT NOT NULL,
    title               TEXT,
    competency_weights  TEXT NOT NULL,
    created_at          BIGINT NOT NULL,
    updated_at          BIGINT NOT NULL,
    PRIMARY KEY (org_id, id)
);

CREATE TABLE interviews (
    id             TEXT PRIMARY KEY,
    org_id         TEXT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    candidate_id   TEXT NOT NULL,
    vacancy_id     TEXT NOT NULL,
    project_id     TEXT,
    source         TEXT NOT NULL,
    status         TEXT NOT NULL,
    media_url      TEXT,
    transcript     TEXT,
    analysis       TEXT,
    match_score    REAL,
    error_code     TEXT,
    error_message  TEXT,
    report_token   TEXT NOT NULL UNIQUE,
    created_at     BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL,
    completed_at   BIGINT,
    FOREIGN KEY (org_id, candidate_id) REFERENCES candidates(org_id, id) ON DELETE CASCADE
);
CREATE INDEX interviews_by_org ON interviews (org_id, created_at);
CREATE INDEX interviews_by_candidate ON interviews (org_id, candidate_id, created_at);

CREATE TABLE jobs (
    id            TEXT PRIMARY KEY,
    kind          TEXT NOT NULL,
    org_id        TEXT,
    subject_id    TEXT NOT NULL,
    status        TEXT NOT NULL,
    attempts      BIGINT NOT NULL,
    max_attempts  BIGINT NOT NULL,
    run_at        BIGINT NOT NULL,
    locked_until  BIGINT,
    locked_by     TEXT,
    last_error    TEXT,
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL
);
CREATE INDEX jobs_due ON jobs (status, run_at);

CREATE TABLE culture_profiles (
    org_id       TEXT PRIMARY KEY REFERENCES orgs(id) ON DELETE CASCADE,
    item_values  TEXT NOT NULL,
    sorts        TEXT NOT NULL,
    raters       BIGINT NOT NULL,
    agreement    REAL,
    updated_at   BIGINT NOT NULL
);
