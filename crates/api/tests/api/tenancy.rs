//! The cross-tenant sweep: every route of the served OpenAPI document that takes an id
//! is called by another organisation with the first one's ids. Each answers 404 with
//! the common error body, says nothing of what it found, and changes nothing. A new
//! id-taking route fails this test until the sweep knows what id to give it.

use crate::fixtures;
use crate::support::TestApp;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use talentd_core::Plan;

/// What the owner made, by the path parameter that names it.
struct Owned {
    ids: BTreeMap<&'static str, String>,
    /// Strings that must never appear in an answer to the intruder.
    secrets: Vec<String>,
}

async fn make_owned(app: &TestApp, key: &str) -> Owned {
    let mut ids = BTreeMap::new();
    let project = app
        .post(
            key,
            "/v1/projects",
            json!({"project_name": "Secret project", "company_name": "Owner Co",
                   "instructions": "Ask: Tell me about a project you led."}),
        )
        .await;
    assert_eq!(project.status, StatusCode::CREATED, "{}", project.body);
    let link = project.body["interview_url"]
        .as_str()
        .and_then(|u| u.rsplit('/').next())
        .expect("link")
        .to_owned();
    ids.insert("project", project.body["id"].as_str().unwrap().to_owned());

    let template = app
        .post(
            key,
            "/v1/templates",
            json!({"name": "Secret template", "questions": [
                {"text": "Tell me about a plan you made.", "competencies": ["planning"]}]}),
        )
        .await;
    assert_eq!(template.status, StatusCode::CREATED, "{}", template.body);
    ids.insert("template", template.body["id"].as_str().unwrap().to_owned());

    let api_key = app
        .post(key, "/v1/api-keys", json!({"name": "owner ats"}))
        .await;
    assert!(api_key.status.is_success(), "{}", api_key.body);
    ids.insert("api_key", api_key.body["id"].as_str().unwrap().to_owned());

    let receiver = crate::receiver::Receiver::start().await;
    let hook = app
        .post(
            key,
            "/v1/webhooks",
            json!({"url": receiver.url(), "events": ["interview.completed"]}),
        )
        .await;
    assert!(hook.status.is_success(), "{}", hook.body);
    let hook_id = hook.body["id"].as_str().unwrap().to_owned();
    app.deliver().await;
    let deliveries = app
        .get(key, &format!("/v1/webhooks/{hook_id}/deliveries"))
        .await;
    let delivery = deliveries.body["items"][0]["id"]
        .as_str()
        .expect("the verification delivery")
        .to_owned();
    ids.insert("webhook", hook_id);
    ids.insert("delivery", delivery);

    let interview = app
        .interview(key, "cand_owner", "vac_owner", fixtures::strong())
        .await;
    app.run_jobs().await;
    ids.insert("interview", interview);
    ids.insert("candidate", "cand_owner".to_owned());
    app.interview(key, "cand_owner_erased", "vac_owner", fixtures::strong())
        .await;
    let erasure = app.delete(key, "/v1/candidates/cand_owner_erased").await;
    assert_eq!(erasure.status, StatusCode::ACCEPTED, "{}", erasure.body);
    ids.insert("erasure", erasure.body["id"].as_str().unwrap().to_owned());
    ids.insert("vacancy", "vac_owner".to_owned());

    let session = app
        .send(
            app.client
                .post(app.url(&format!("/v1/public/links/{link}/sessions")))
                .json(&json!({"candidate_name": "Owner Candidate", "consent": true})),
        )
        .await;
    assert_eq!(session.status, StatusCode::CREATED, "{}", session.body);
    ids.insert(
        "session",
        session.body["session_id"].as_str().unwrap().to_owned(),
    );
    let request = app
        .send(
            app.client
                .post(app.url(&format!("/v1/public/sessions/{}/requests", ids["session"])))
                .bearer_auth(session.body["session_token"].as_str().unwrap())
                .json(&json!({"kind": "human_alternative", "email": "owner@example.com"})),
        )
        .await;
    assert_eq!(request.status, StatusCode::CREATED, "{}", request.body);
    ids.insert(
        "candidate_request",
        request.body["id"].as_str().unwrap().to_owned(),
    );

    let secrets = vec![
        "Secret project".to_owned(),
        "Secret template".to_owned(),
        "Owner Co".to_owned(),
        "Owner Candidate".to_owned(),
        "owner ats".to_owned(),
        "owner@example.com".to_owned(),
        receiver.url(),
    ];
    Owned { ids, secrets }
}

/// The owned id a route's parameter names, from the route's resource.
fn id_for<'a>(owned: &'a Owned, path: &str, param: &str) -> &'a str {
    let resource = path
        .trim_start_matches("/v1/")
        .split('/')
        .next()
        .unwrap_or_default();
    let resource = if path.starts_with("/v1/public/sessions/") {
        "sessions"
    } else {
        resource
    };
    let kind = match (resource, param) {
        (_, "delivery_id") => "delivery",
        ("projects", _) => "project",
        ("templates", _) => "template",
        ("api-keys", _) => "api_key",
        ("webhooks", _) => "webhook",
        ("interviews", _) => "interview",
        ("candidates", _) => "candidate",
        ("vacancies", _) => "vacancy",
        ("sessions", _) => "session",
        ("candidate-requests", _) => "candidate_request",
        ("erasures", _) => "erasure",
        other => panic!("the sweep does not know the id of {path} {other:?}: add it"),
    };
    &owned.ids[kind]
}

#[tokio::test]
async fn another_organisation_gets_404_from_every_route_that_takes_an_id() {
    let app = TestApp::spawn().await;
    let owner = app.org(Plan::Unlimited).await;
    let intruder = app.org(Plan::Unlimited).await;
    let owned = make_owned(&app, &owner).await;
    // A session of the intruder's own, whose token it then uses on the owner's session.
    let (_, their_link) = {
        let r = app
            .post(&intruder, "/v1/projects", json!({"project_name": "Theirs", "instructions": "Ask: Tell me about a plan you made."}))
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let url = r.body["interview_url"].as_str().unwrap().to_owned();
        ((), url.rsplit('/').next().unwrap().to_owned())
    };
    let their_session = app
        .send(
            app.client
                .post(app.url(&format!("/v1/public/links/{their_link}/sessions")))
                .json(&json!({"candidate_name": "Intruder", "consent": true})),
        )
        .await;
    let their_token = their_session.body["session_token"]
        .as_str()
        .expect("session token")
        .to_owned();

    let doc = app
        .send(app.client.get(app.url("/v1/openapi.json")))
        .await
        .body;
    let paths = doc["paths"].as_object().expect("paths");
    let mut swept = 0;
    for (path, item) in paths {
        if !path.starts_with("/v1/") || !path.contains('{') || path.starts_with("/v1/public/links/")
        {
            continue;
        }
        for (method, _) in item.as_object().expect("path item") {
            let Ok(method) = method.to_uppercase().parse::<Method>() else {
                continue;
            };
            if !matches!(
                method,
                Method::GET | Method::POST | Method::PUT | Method::PATCH | Method::DELETE
            ) {
                continue;
            }
            let mut url = path.clone();
            for param in ["id", "delivery_id"] {
                let placeholder = format!("{{{param}}}");
                if url.contains(&placeholder) {
                    url = url.replace(&placeholder, id_for(&owned, path, param));
                }
            }
            assert!(!url.contains('{'), "unfilled parameter in {path}");
            // Public session routes take the session token; all others the API key.
            let token = if path.starts_with("/v1/public/") {
                &their_token
            } else {
                &intruder
            };
            let mut req = app
                .client
                .request(method.clone(), app.url(&url))
                .bearer_auth(token);
            if method != Method::GET && method != Method::DELETE {
                req = req.json(&body_for(path));
            }
            let r = app.send(req).await;
            // PUT /v1/vacancies/{id} is an upsert of the caller's own vacancy, whose id
            // the caller chooses: it may create the intruder's own, never touch theirs.
            let own_upsert = method == Method::PUT && path.starts_with("/v1/vacancies/");
            if own_upsert {
                assert!(
                    r.status.is_success(),
                    "{method} {path}: {} {}",
                    r.status,
                    r.body
                );
            } else if path.starts_with("/v1/public/sessions/") {
                // Session routes authenticate by the session's own token: another's is
                // refused exactly as for a session that does not exist.
                assert_eq!(
                    r.status,
                    StatusCode::UNAUTHORIZED,
                    "{method} {path}: {}",
                    r.body
                );
                let absent = url.replace(&owned.ids["session"], "ses_00000000000000000000000000");
                let mut probe = app
                    .client
                    .request(method.clone(), app.url(&absent))
                    .bearer_auth(token);
                if method != Method::GET && method != Method::DELETE {
                    probe = probe.json(&body_for(path));
                }
                let probe = app.send(probe).await;
                assert_eq!(
                    (probe.status, &probe.body["error"]["message"]),
                    (r.status, &r.body["error"]["message"]),
                    "{method} {path}: an oracle for session ids"
                );
            } else {
                assert_eq!(
                    r.status,
                    StatusCode::NOT_FOUND,
                    "{method} {path}: {}",
                    r.body
                );
                assert_eq!(r.error_code(), "not_found", "{method} {path}");
            }
            let text = r.body.to_string();
            for secret in &owned.secrets {
                assert!(
                    !text.contains(secret.as_str()),
                    "{method} {path} leaks {secret}: {text}"
                );
            }
            swept += 1;
        }
    }
    assert!(swept >= 25, "only {swept} routes swept");

    // Nothing of the owner's changed.
    for path in [
        format!("/v1/projects/{}", owned.ids["project"]),
        format!("/v1/templates/{}", owned.ids["template"]),
        format!("/v1/webhooks/{}", owned.ids["webhook"]),
        format!("/v1/interviews/{}", owned.ids["interview"]),
        format!("/v1/candidates/{}", owned.ids["candidate"]),
        format!("/v1/sessions/{}", owned.ids["session"]),
    ] {
        let r = app.get(&owner, &path).await;
        assert_eq!(r.status, StatusCode::OK, "{path}: {}", r.body);
    }
    let vacancy = app
        .get(&owner, &format!("/v1/vacancies/{}", owned.ids["vacancy"]))
        .await;
    assert_eq!(vacancy.status, StatusCode::OK);
    assert_ne!(vacancy.body["title"], "Intruder's title");
    let keys = app.get(&owner, "/v1/api-keys").await;
    assert!(keys.body.to_string().contains(&owned.ids["api_key"]));
    assert_eq!(
        app.get(&owner, &format!("/v1/projects/{}", owned.ids["project"]))
            .await
            .body["project_name"],
        "Secret project"
    );
    eprintln!("cross-tenant sweep: {swept} id-taking routes, all refused");
}

/// A body each write route accepts, so that the answer is about the id, not the body.
fn body_for(path: &str) -> Value {
    if path.starts_with("/v1/vacancies/") {
        json!({"title": "Intruder's title"})
    } else if path.starts_with("/v1/projects/") {
        json!({"project_name": "Taken over"})
    } else if path.starts_with("/v1/webhooks/") {
        json!({"enabled": false})
    } else if path.starts_with("/v1/candidates/") {
        json!({"name": "Taken over"})
    } else if path.starts_with("/v1/public/sessions/") {
        json!({"text": "hello", "turn": 0, "kind": "focus_lost"})
    } else {
        json!({})
    }
}
