//! The audit log: every write route of the served OpenAPI document is called once and
//! must leave an entry naming its key, route, method and status (a write route the
//! sweep does not know fails it, so none is added unaudited); dashboard writes name
//! the signed-in user; no other organisation sees an entry; and no key, body, query
//! string or candidate id ever reaches the table.

use crate::fixtures;
use crate::receiver::Receiver;
use crate::support::TestApp;
use crate::web::{PASSWORD, browser, get_html, hidden, session};
use reqwest::header::COOKIE;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use talentd_core::audit::{action_for, candidate_pseudonym};
use talentd_core::user::Role;
use talentd_core::{OrgId, Plan};
use talentd_store::AuditFilter;

/// Candidates whose ids are personal, as clients may choose them.
const CANDIDATE: &str = "ana.lopez@example.com";
const OTHER_CANDIDATE: &str = "cand_two";
const ERASED_CANDIDATE: &str = "bob.smith@example.com";
/// Text that appears only in request bodies and query strings.
const BODY_MARKER: &str = "Body marker 7f3a";
const QUERY_MARKER: &str = "qmarker9d1c";

/// The key a sweep authenticates with: its secret, id and name.
struct Caller {
    key: String,
    id: String,
    name: String,
}

async fn caller(app: &TestApp, key: &str) -> Caller {
    let keys = app.get(key, "/v1/api-keys?limit=100").await;
    let me = keys.body["items"]
        .as_array()
        .expect("keys")
        .iter()
        .find(|k| k["prefix"].as_str().is_some_and(|p| key.starts_with(p)))
        .expect("the caller's key in the list")
        .clone();
    Caller {
        key: key.to_owned(),
        id: me["id"].as_str().unwrap().to_owned(),
        name: me["name"].as_str().unwrap().to_owned(),
    }
}

/// Everything the sweep's calls name, by what it is.
struct Fixtures {
    ids: BTreeMap<&'static str, String>,
    /// API key secrets made along the way: none may reach the log.
    secrets: Vec<String>,
    _receiver: Receiver,
}

impl Fixtures {
    fn id(&self, what: &str) -> &str {
        &self.ids[what]
    }
}

async fn created_id(app: &TestApp, key: &str, path: &str, body: Value) -> String {
    let r = app.post(key, path, body).await;
    assert!(r.status.is_success(), "{path}: {} {}", r.status, r.body);
    r.body["id"].as_str().expect("id").to_owned()
}

async fn make_fixtures(app: &TestApp, key: &str) -> Fixtures {
    let mut ids = BTreeMap::new();
    let mut secrets = Vec::new();
    let project = app.project(key, "Audit project").await;
    ids.insert("project", project["id"].as_str().unwrap().to_owned());
    let link = project["interview_url"]
        .as_str()
        .and_then(|u| u.rsplit('/').next())
        .unwrap()
        .to_owned();
    let spare = app.project(key, "Project to delete").await;
    ids.insert("spare_project", spare["id"].as_str().unwrap().to_owned());
    let template = created_id(
        app,
        key,
        "/v1/templates",
        json!({"name": "Template to delete", "questions": [
            {"text": "Tell me about a plan you made.", "competencies": ["planning"]}]}),
    )
    .await;
    ids.insert("template", template);
    for which in ["key_to_rotate", "key_to_revoke"] {
        let r = app.post(key, "/v1/api-keys", json!({"name": which})).await;
        assert!(r.status.is_success(), "{}", r.body);
        ids.insert(which, r.body["id"].as_str().unwrap().to_owned());
        secrets.push(r.body["key"].as_str().unwrap_or_default().to_owned());
    }

    let receiver = Receiver::start().await;
    let hook = created_id(
        app,
        key,
        "/v1/webhooks",
        json!({"url": receiver.url(), "events": ["interview.completed"]}),
    )
    .await;
    app.deliver().await;
    let deliveries = app
        .get(key, &format!("/v1/webhooks/{hook}/deliveries"))
        .await;
    let delivery = deliveries.body["items"][0]["id"]
        .as_str()
        .expect("the verification delivery")
        .to_owned();
    ids.insert("webhook", hook);
    ids.insert("delivery", delivery);

    let interview = app
        .interview(key, CANDIDATE, "vac_audit", fixtures::strong())
        .await;
    app.interview(key, OTHER_CANDIDATE, "vac_audit", fixtures::strong())
        .await;
    app.interview(key, ERASED_CANDIDATE, "vac_audit", fixtures::strong())
        .await;
    app.run_jobs().await;
    ids.insert("interview", interview);

    let request = app
        .send(
            app.client
                .post(app.url(&format!("/v1/public/links/{link}/requests")))
                .json(&json!({"kind": "deletion", "name": "Ana Lopez", "email": CANDIDATE})),
        )
        .await;
    if request.status.is_success() {
        ids.insert(
            "candidate_request",
            request.body["id"].as_str().unwrap().to_owned(),
        );
    }
    Fixtures {
        ids,
        secrets,
        _receiver: receiver,
    }
}

/// A Q-sort of the 54 OCP items with the forced distribution.
fn q_sort() -> Vec<u8> {
    [2usize, 4, 6, 9, 12, 9, 6, 4, 2]
        .iter()
        .enumerate()
        .flat_map(|(p, n)| std::iter::repeat_n(p as u8 + 1, *n))
        .collect()
}

/// The call the sweep makes for a write route: its path and body. `None` for a route
/// the sweep does not know yet.
fn call_for(fx: &Fixtures, method: &Method, route: &str) -> Option<(String, Option<Value>)> {
    let with = |id: &str| route.replace("{id}", id);
    let body = |v: Value| Some(v);
    Some(match (method.as_str(), route) {
        ("POST", "/v1/projects") => (
            format!("{route}?marker={QUERY_MARKER}"),
            body(json!({"project_name": BODY_MARKER, "instructions": "Ask about teamwork."})),
        ),
        ("PATCH", "/v1/projects/{id}") => (
            with(fx.id("project")),
            body(json!({"company_name": BODY_MARKER})),
        ),
        ("DELETE", "/v1/projects/{id}") => (with(fx.id("spare_project")), None),
        ("POST", "/v1/templates") => (
            route.to_owned(),
            body(json!({"name": BODY_MARKER, "questions": [
                {"text": "Tell me about a plan you made.", "competencies": ["planning"]}]})),
        ),
        ("DELETE", "/v1/templates/{id}") => (with(fx.id("template")), None),
        ("POST", "/v1/api-keys") => (route.to_owned(), body(json!({"name": BODY_MARKER}))),
        ("POST", "/v1/api-keys/{id}/rotate") => (with(fx.id("key_to_rotate")), None),
        ("DELETE", "/v1/api-keys/{id}") => (with(fx.id("key_to_revoke")), None),
        ("POST", "/v1/interviews") => (
            route.to_owned(),
            body(
                json!({"candidate_id": "cand_swept", "vacancy_id": "vac_audit",
                        "candidate_name": BODY_MARKER, "transcript": fixtures::strong()}),
            ),
        ),
        ("POST", "/v1/interviews/{id}/decisions") => (
            with(fx.id("interview")),
            body(json!({"recommendation": "recommended", "reason": BODY_MARKER})),
        ),
        ("PATCH", "/v1/candidates/{id}") => (with(CANDIDATE), body(json!({"name": BODY_MARKER}))),
        ("DELETE", "/v1/candidates/{id}") => (with(ERASED_CANDIDATE), None),
        ("PUT", "/v1/candidates/{id}/demographics") => (
            with(CANDIDATE),
            body(json!({"sex": "prefer_not_to_say", "race_ethnicity": null})),
        ),
        ("POST", "/v1/candidates/compare") => (
            route.to_owned(),
            body(json!({"candidate_ids": [CANDIDATE, OTHER_CANDIDATE]})),
        ),
        ("POST", "/v1/candidate-requests/{id}/resolve") => {
            (with(fx.ids.get("candidate_request")?), None)
        }
        ("PUT", "/v1/vacancies/{id}") => (with("vac_audit"), body(json!({"title": BODY_MARKER}))),
        ("PUT", "/v1/culture/profile") => (route.to_owned(), body(json!({"sorts": [q_sort()]}))),
        ("POST", "/v1/culture/fit") => (route.to_owned(), body(json!({"candidate_id": CANDIDATE}))),
        ("PATCH", "/v1/settings") => (route.to_owned(), body(json!({"retention_days": null}))),
        ("POST", "/v1/webhooks") => (
            route.to_owned(),
            body(
                json!({"url": "https://hooks.example.test/audit", "events": ["interview.completed"]}),
            ),
        ),
        ("PATCH", "/v1/webhooks/{id}") => (
            with(fx.id("webhook")),
            body(json!({"events": ["interview.completed", "report.ready"]})),
        ),
        ("DELETE", "/v1/webhooks/{id}") => (with(fx.id("webhook")), None),
        ("POST", "/v1/webhooks/{id}/rotate-secret")
        | ("POST", "/v1/webhooks/{id}/verify")
        | ("POST", "/v1/webhooks/{id}/test") => (with(fx.id("webhook")), None),
        ("POST", "/v1/webhooks/{id}/deliveries/{delivery_id}/retry") => (
            with(fx.id("webhook")).replace("{delivery_id}", fx.id("delivery")),
            None,
        ),
        _ => return None,
    })
}

/// The write operations of the served document that take an API key: deletions last,
/// so that what the others act on is still there.
async fn write_routes(app: &TestApp) -> Vec<(Method, String)> {
    let doc = app
        .send(app.client.get(app.url("/v1/openapi.json")))
        .await
        .body;
    let mut ops = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        if !path.starts_with("/v1/") {
            continue;
        }
        for (method, op) in item.as_object().expect("path item") {
            let Ok(method) = method.to_uppercase().parse::<Method>() else {
                continue;
            };
            if !matches!(
                method,
                Method::POST | Method::PUT | Method::PATCH | Method::DELETE
            ) {
                continue;
            }
            // `security: [{}]` marks an operation without an API key (the candidate's).
            let keyless = op["security"].as_array().is_some_and(|s| {
                s.iter()
                    .any(|r| r.as_object().is_some_and(|o| o.is_empty()))
            });
            if keyless || path.starts_with("/v1/public/") {
                continue;
            }
            ops.push((method, path.clone()));
        }
    }
    ops.sort_by_key(|(m, _)| *m == Method::DELETE);
    ops
}

/// Every entry of `org`'s log, read from the store (newest first).
async fn all_entries(app: &TestApp, org: &OrgId) -> Vec<talentd_store::AuditRow> {
    let mut out = Vec::new();
    loop {
        let page = app
            .store
            .list_audit_events(org, &AuditFilter::default(), 100, out.len() as i64)
            .await
            .expect("audit page");
        let n = page.items.len();
        out.extend(page.items);
        if n < 100 {
            return out;
        }
    }
}

#[tokio::test]
async fn the_audit_log_records_every_write_route() {
    let app = TestApp::spawn().await;
    let (org, key) = app.org_and_key(Plan::Unlimited).await;
    let me = caller(&app, &key).await;
    let fx = make_fixtures(&app, &key).await;

    let mut unknown = Vec::new();
    let mut swept = Vec::new();
    for (method, route) in write_routes(&app).await {
        let Some((path, body)) = call_for(&fx, &method, &route) else {
            unknown.push(format!("{method} {route}"));
            continue;
        };
        let mut req = app.request(method.clone(), &me.key, &path);
        if let Some(b) = body {
            req = req.json(&b);
        }
        let r = app.send(req).await;
        assert!(
            r.status.is_success() || r.status.is_redirection(),
            "{method} {route}: the sweep's call must succeed: {} {}",
            r.status,
            r.body
        );
        swept.push((
            method,
            route,
            r.status.as_u16(),
            r.header("x-request-id").map(str::to_owned),
        ));
    }
    assert!(
        unknown.is_empty(),
        "write routes the audit sweep does not know (add a call for each): {}",
        unknown.join(", ")
    );
    assert!(swept.len() >= 25, "only {} write routes swept", swept.len());

    for (method, route, status, request_id) in &swept {
        let encoded: String = url::form_urlencoded::byte_serialize(route.as_bytes()).collect();
        let r = app
            .get(
                &me.key,
                &format!("/v1/audit-events?route={encoded}&limit=100"),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let items = r.body["items"].as_array().expect("items");
        let entry = items
            .iter()
            .find(|e| {
                e["method"] == method.as_str() && e["request_id"].as_str() == request_id.as_deref()
            })
            .unwrap_or_else(|| panic!("{method} {route} left no audit entry: {}", r.body));
        assert_eq!(entry["actor_type"], "api_key", "{method} {route}");
        assert_eq!(entry["actor_id"], me.id.as_str(), "{method} {route}");
        assert_eq!(entry["actor_label"], me.name.as_str(), "{method} {route}");
        assert_eq!(entry["status"], *status, "{method} {route}");
        assert_eq!(entry["route"], route.as_str());
        assert_eq!(
            entry["action"],
            action_for(method.as_str(), route),
            "{method} {route}"
        );
        assert!(entry["id"].as_str().unwrap().starts_with("aud_"));
        assert!(entry["created_at"].as_str().unwrap().ends_with('Z'));
        if route.starts_with("/v1/candidates/{id}") {
            let expected = if *method == Method::DELETE {
                ERASED_CANDIDATE
            } else {
                CANDIDATE
            };
            assert_eq!(
                entry["target_id"],
                candidate_pseudonym(&org, expected),
                "{method} {route}"
            );
        }
    }
    eprintln!("audit sweep: {} write routes, each recorded", swept.len());

    // Nothing of what was sent reached the log: no key, body, query string or candidate
    // id, in any column.
    let entries = all_entries(&app, &org).await;
    assert!(entries.len() >= swept.len());
    let text = format!("{entries:?}");
    let mut forbidden = vec![
        key.clone(),
        BODY_MARKER.to_owned(),
        QUERY_MARKER.to_owned(),
        CANDIDATE.to_owned(),
        OTHER_CANDIDATE.to_owned(),
        ERASED_CANDIDATE.to_owned(),
        "ana.lopez".to_owned(),
        "Ana Lopez".to_owned(),
        "tk_live_".to_owned(),
    ];
    forbidden.extend(fx.secrets.iter().filter(|s| !s.is_empty()).cloned());
    for f in &forbidden {
        assert!(!text.contains(f.as_str()), "the audit log holds {f:?}");
    }
    // Reads are not writes.
    assert!(entries.iter().all(|e| e.method.as_deref() != Some("GET")));
}

#[tokio::test]
async fn the_list_filters_and_pages_and_refuses_bad_times() {
    let app = TestApp::spawn().await;
    let (org, key) = app.org_and_key(Plan::Unlimited).await;
    let me = caller(&app, &key).await;
    let p = app.project(&key, "One").await;
    let id = p["id"].as_str().unwrap();
    app.patch(
        &key,
        &format!("/v1/projects/{id}"),
        json!({"company_name": "X"}),
    )
    .await;
    app.interview(&key, CANDIDATE, "vac", fixtures::strong())
        .await;
    app.run_jobs().await;
    let r = app
        .patch(
            &key,
            &format!("/v1/candidates/{CANDIDATE}"),
            json!({"name": "A"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);

    let all = app.get(&key, "/v1/audit-events").await;
    assert_eq!(all.status, StatusCode::OK);
    assert_eq!(all.body["success"], true);
    assert_eq!(all.body["total"], 4, "{}", all.body);
    assert_eq!(
        (all.body["limit"].as_i64(), all.body["offset"].as_i64()),
        (Some(20), Some(0))
    );
    // Newest first.
    let actions: Vec<&str> = all.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        [
            "candidates.update",
            "interviews.create",
            "projects.update",
            "projects.create"
        ]
    );
    let paged = app.get(&key, "/v1/audit-events?limit=1&offset=1").await;
    assert_eq!(paged.body["items"][0]["action"], "interviews.create");

    let by_target = app
        .get(&key, &format!("/v1/audit-events?target_id={id}"))
        .await;
    assert_eq!(by_target.body["total"], 1);
    assert_eq!(by_target.body["items"][0]["action"], "projects.update");
    let by_candidate = app
        .get(&key, &format!("/v1/audit-events?candidate_id={CANDIDATE}"))
        .await;
    assert_eq!(by_candidate.body["total"], 1, "{}", by_candidate.body);
    assert_eq!(
        by_candidate.body["items"][0]["target_id"],
        candidate_pseudonym(&org, CANDIDATE)
    );
    let by_action = app
        .get(&key, "/v1/audit-events?action=projects.create")
        .await;
    assert_eq!(by_action.body["total"], 1);
    let by_actor = app
        .get(&key, &format!("/v1/audit-events?actor_id={}", me.id))
        .await;
    assert_eq!(by_actor.body["total"], 4);
    let window = app
        .get(
            &key,
            "/v1/audit-events?since=2026-06-13T09:00:00Z&until=2026-06-13T09:00:01Z",
        )
        .await;
    assert_eq!(window.body["total"], 4, "{}", window.body);
    let later = app
        .get(&key, "/v1/audit-events?since=2026-06-13T10:00:00%2B00:00")
        .await;
    assert_eq!(later.body["total"], 0, "{}", later.body);

    for (query, param) in [
        ("since=yesterday", "since"),
        ("until=2026-13-01", "until"),
        ("limit=0", "limit"),
    ] {
        let r = app.get(&key, &format!("/v1/audit-events?{query}")).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{query}");
        assert_eq!(r.param(), Some(param), "{query}");
    }

    // A replayed idempotent request did nothing new and is not recorded again.
    let body = json!({"project_name": "Once", "instructions": "Ask about teamwork."});
    for _ in 0..2 {
        let r = app
            .send(
                app.request(Method::POST, &key, "/v1/projects")
                    .header("Idempotency-Key", "audit-once")
                    .json(&body),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED);
    }
    let created = app
        .get(&key, "/v1/audit-events?action=projects.create")
        .await;
    assert_eq!(created.body["total"], 2, "{}", created.body);
    // A refused write changed nothing and is not recorded.
    let r = app
        .post(&key, "/v1/projects", json!({"project_name": ""}))
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let created = app
        .get(&key, "/v1/audit-events?action=projects.create")
        .await;
    assert_eq!(created.body["total"], 2);
}

#[tokio::test]
async fn another_organisation_never_sees_the_log() {
    let app = TestApp::spawn().await;
    let owner = app.org(Plan::Unlimited).await;
    let intruder = app.org(Plan::Unlimited).await;
    let me = caller(&app, &owner).await;
    let p = app.project(&owner, "Owner's project").await;
    let id = p["id"].as_str().unwrap();

    let own = app.get(&owner, "/v1/audit-events").await;
    assert_eq!(own.body["total"], 1);
    for query in [
        String::new(),
        format!("?actor_id={}", me.id),
        format!("?target_id={id}"),
        "?action=projects.create".to_owned(),
    ] {
        let r = app
            .get(&intruder, &format!("/v1/audit-events{query}"))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{query}");
        assert_eq!(r.body["total"], 0, "{query}: {}", r.body);
        assert_eq!(r.body["items"], json!([]));
    }
    let r = app.send(app.client.get(app.url("/v1/audit-events"))).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn dashboard_writes_are_recorded_with_the_user_and_shown_to_admins() {
    let app = TestApp::spawn().await;
    let (org, key) = app.org_and_key(Plan::Pro).await;
    let admin = talentd_api::provision::create_user(
        &*app.store,
        &*app.clock,
        &org,
        "Admin@Example.com",
        Role::Admin,
        Some(PASSWORD),
    )
    .await
    .unwrap();
    talentd_api::provision::create_user(
        &*app.store,
        &*app.clock,
        &org,
        "rec@example.com",
        Role::Recruiter,
        Some(PASSWORD),
    )
    .await
    .unwrap();
    let admin_id = admin.user.id.to_string();
    let cookie = session(&app, "admin@example.com").await;
    let (_, html) = get_html(&app, &cookie, "/dashboard/projects/new").await;
    let csrf = hidden(&html, "csrf");
    let r = browser()
        .post(app.url("/dashboard/projects"))
        .header(COOKIE, &cookie)
        .form(&[
            ("csrf", csrf.as_str()),
            ("project_name", BODY_MARKER),
            ("instructions", "Ask about teamwork."),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    // A forged form and a post without a session change nothing and are not recorded.
    let forged = browser()
        .post(app.url("/dashboard/projects"))
        .header(COOKIE, &cookie)
        .form(&[
            ("csrf", "forged"),
            ("project_name", "X"),
            ("instructions", "Y"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    let anonymous = browser()
        .post(app.url("/dashboard/projects"))
        .form(&[("csrf", "x"), ("project_name", "X"), ("instructions", "Y")])
        .send()
        .await
        .unwrap();
    assert!(anonymous.status().is_redirection());

    let r = app.get(&key, "/v1/audit-events").await;
    let items = r.body["items"].as_array().expect("items");
    assert_eq!(items.len(), 2, "{}", r.body);
    let (created, signed_in) = (&items[0], &items[1]);
    assert_eq!(signed_in["action"], "user.sign_in");
    assert_eq!(signed_in["route"], "/dashboard/sign-in");
    assert_eq!(created["action"], "projects.create");
    assert_eq!(created["route"], "/dashboard/projects");
    assert_eq!(created["method"], "POST");
    assert_eq!(created["status"], 303);
    for e in [created, signed_in] {
        assert_eq!(e["actor_type"], "user", "{e}");
        assert_eq!(e["actor_id"], admin_id.as_str(), "{e}");
        assert_eq!(e["actor_label"], "admin@example.com", "{e}");
    }
    let entries = all_entries(&app, &org).await;
    let text = format!("{entries:?}");
    assert!(!text.contains(BODY_MARKER) && !text.contains(PASSWORD));

    // The page: admins read it, linked from the settings; recruiters may not.
    let (status, settings) = get_html(&app, &cookie, "/dashboard/settings").await;
    assert_eq!(status, StatusCode::OK);
    assert!(settings.contains("href=\"/dashboard/audit\""));
    let (status, page) = get_html(&app, &cookie, "/dashboard/audit").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("id=\"audit-events\""), "{page}");
    assert!(page.contains("projects.create") && page.contains("user.sign_in"));
    assert!(page.contains("admin@example.com"));
    let (_, filtered) =
        get_html(&app, &cookie, &format!("/dashboard/audit?actor={admin_id}")).await;
    assert!(filtered.contains("projects.create"));
    let (_, none) = get_html(&app, &cookie, "/dashboard/audit?actor=key_nobody").await;
    assert!(none.contains("id=\"no-audit-events\""), "{none}");
    let recruiter = session(&app, "rec@example.com").await;
    let (status, _) = get_html(&app, &recruiter, "/dashboard/audit").await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // Another organisation's admin sees none of it.
    let (other_org, _) = app.org_and_key(Plan::Pro).await;
    talentd_api::provision::create_user(
        &*app.store,
        &*app.clock,
        &other_org,
        "else@example.com",
        Role::Admin,
        Some(PASSWORD),
    )
    .await
    .unwrap();
    let other = session(&app, "else@example.com").await;
    let (_, theirs) = get_html(&app, &other, "/dashboard/audit").await;
    assert!(!theirs.contains("projects.create"));
    assert!(!theirs.contains("admin@example.com"));
}
