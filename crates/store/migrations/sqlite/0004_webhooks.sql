-- Webhook endpoints, their deliveries (one per event and endpoint, queued and retried
-- durably) and every attempt's outcome; an organisation setting for verification.

ALTER TABLE orgs ADD COLUMN webhook_verification INTEGER NOT NULL DEFAULT 1;

CREATE TABLE webhooks (
    id                   TEXT PRIMARY KEY,
    org_id               TEXT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    url                  TEXT NOT NULL,
    events               TEXT NOT NULL,
    secret               TEXT NOT NULL,
    old_secret           TEXT,
    old_secret_until     INTEGER,
    status               TEXT NOT NULL,
    disabled_reason      TEXT,
    challenge            TEXT,
    verify_until         INTEGER,
    failing_since        INTEGER,
    created_at           INTEGER NOT NULL,
    updated_at           INTEGER NOT NULL
);
CREATE INDEX webhooks_by_org ON webhooks (org_id, created_at);

CREATE TABLE webhook_deliveries (
    id             TEXT PRIMARY KEY,
    webhook_id     TEXT NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,
    org_id         TEXT NOT NULL,
    event_id       TEXT NOT NULL,
    event_type     TEXT NOT NULL,
    payload        TEXT NOT NULL,
    status         TEXT NOT NULL,
    attempts       INTEGER NOT NULL,
    next_attempt_at INTEGER,
    locked_until   INTEGER,
    locked_by      TEXT,
    last_status    INTEGER,
    last_error     TEXT,
    event_at       INTEGER NOT NULL,
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL,
    delivered_at   INTEGER
);
CREATE INDEX deliveries_due ON webhook_deliveries (status, next_attempt_at);
CREATE INDEX deliveries_by_webhook ON webhook_deliveries (webhook_id, created_at);

CREATE TABLE webhook_attempts (
    id             TEXT PRIMARY KEY,
    delivery_id    TEXT NOT NULL REFERENCES webhook_deliveries(id) ON DELETE CASCADE,
    webhook_id     TEXT NOT NULL,
    attempted_at   INTEGER NOT NULL,
    status_code    INTEGER,
    latency_ms     INTEGER NOT NULL,
    response       TEXT,
    error          TEXT
);
CREATE INDEX attempts_by_delivery ON webhook_attempts (delivery_id, attempted_at);
