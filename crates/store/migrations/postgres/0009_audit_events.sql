-- The audit log: who (an API key, a dashboard user, a candidate's pseudonym, talentd
-- itself) did what and when, for every write. Append-only: the triggers below refuse
-- every UPDATE, DELETE and TRUNCATE. Never a request body, a query string, a key or a
-- candidate id: candidate targets are pseudonyms (`cand#...`).
--
-- Organisations are never deleted, so the reference to orgs has no ON DELETE CASCADE:
-- a future deletion of an organisation must decide the fate of its log explicitly
-- rather than have it vanish through a cascade the triggers would refuse anyway.

CREATE TABLE audit_events (
    id           TEXT PRIMARY KEY,
    org_id       TEXT NOT NULL REFERENCES orgs(id),
    actor_type   TEXT NOT NULL,
    actor_id     TEXT NOT NULL,
    actor_label  TEXT NOT NULL,
    action       TEXT NOT NULL,
    method       TEXT,
    route        TEXT,
    target_id    TEXT,
    status       BIGINT,
    request_id   TEXT,
    created_at   BIGINT NOT NULL
);
CREATE INDEX audit_events_by_org ON audit_events (org_id, created_at);

CREATE FUNCTION audit_events_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_events is append-only' USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER audit_events_no_change BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();

CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();
