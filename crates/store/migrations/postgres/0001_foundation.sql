-- Organisations, API keys, templates, projects, the event outbox and idempotency records.
-- Timestamps are milliseconds since the Unix epoch (BIGINT), identical on every backend.

CREATE TABLE orgs (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    plan        TEXT NOT NULL,
    created_at  BIGINT NOT NULL
);

CREATE TABLE api_keys (
    id            TEXT PRIMARY KEY,
    org_id        TEXT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    name          TEXT NOT NULL,
    prefix        TEXT NOT NULL,
    key_hash      TEXT NOT NULL UNIQUE,
    created_at    BIGINT NOT NULL,
    last_used_at  BIGINT,
    revoked_at    BIGINT,
    replaced_by   TEXT
);
CREATE INDEX api_keys_by_org ON api_keys (org_id, created_at);

CREATE TABLE templates (
    id           TEXT PRIMARY KEY,
    org_id       TEXT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    description  TEXT,
    questions    TEXT NOT NULL,
    created_at   BIGINT NOT NULL
);
CREATE INDEX templates_by_org ON templates (org_id, created_at);

CREATE TABLE projects (
    id                  TEXT PRIMARY KEY,
    org_id              TEXT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    name                TEXT NOT NULL,
    instructions        TEXT NOT NULL,
    template_id         TEXT,
    company_name        TEXT,
    status              TEXT NOT NULL,
    link_token          TEXT NOT NULL UNIQUE,
    expires_at          BIGINT,
    max_sessions        BIGINT,
    competency_weights  TEXT NOT NULL,
    created_at          BIGINT NOT NULL,
    updated_at          BIGINT NOT NULL
);
CREATE INDEX projects_by_org ON projects (org_id, created_at);

CREATE TABLE events (
    id            TEXT PRIMARY KEY,
    org_id        TEXT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    type          TEXT NOT NULL,
    data          TEXT NOT NULL,
    created_at    BIGINT NOT NULL,
    dispatched_at BIGINT
);
CREATE INDEX events_by_org ON events (org_id, created_at);
CREATE INDEX events_undispatched ON events (created_at) WHERE dispatched_at IS NULL;

CREATE TABLE idempotency_keys (
    org_id         TEXT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    key            TEXT NOT NULL,
    request_hash   TEXT NOT NULL,
    status_code    BIGINT,
    response_body  TEXT,
    created_at     BIGINT NOT NULL,
    PRIMARY KEY (org_id, key)
);
CREATE INDEX idempotency_keys_by_age ON idempotency_keys (created_at);
