use crate::support::TestApp;
use reqwest::StatusCode;
use serde_json::json;
use talentd_core::Plan;
use time::Duration;

#[tokio::test]
async fn create_a_project_as_the_talentobot_document_shows() {
    let app = TestApp::spawn().await;
    let key = app.org(Plan::Pro).await;
    let r = app
        .post(
            &key,
            "/v1/projects",
            json!({
                "project_name": "Senior Frontend Developer",
                "instructions": "Focus on React and teamwork.",
                "template_id": "tpl_software_engineer",
                "company_name": "Acme Inc"
            }),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let b = &r.body;
    assert_eq!(b["success"], true);
    assert!(b["id"].as_str().unwrap().starts_with("prj_"));
    assert_eq!(b["project_name"], "Senior Frontend Developer");
    assert_eq!(b["instructions"], "Focus on React and teamwork.");
    assert_eq!(b["template_id"], "tpl_software_engineer");
    assert_eq!(b["company_name"], "Acme Inc");
    assert_eq!(b["status"], "active");
    assert_eq!(b["created_at"], "2026-06-13T09:00:00Z");
    // Weights follow the template's questions (logic is probed by three of them).
    assert_eq!(b["competency_weights"]["logic"], 3.0);
    assert_eq!(b["competency_weights"]["communication"], 3.0);
    let url = b["interview_url"].as_str().unwrap();
    let token = url
        .strip_prefix("https://talent.example.test/i/")
        .expect("link under the public URL");
    assert!(token.len() >= 32 && token.chars().all(|c| c.is_ascii_alphanumeric()));

    let other = app.project(&key, "Another").await;
    assert_ne!(other["interview_url"], b["interview_url"]);

    let got = app
        .get(&key, &format!("/v1/projects/{}", b["id"].as_str().unwrap()))
        .await;
    assert_eq!(got.status, StatusCode::OK);
    assert_eq!(got.body, r.body);
}

#[tokio::test]
async fn invalid_projects_are_400_naming_the_field() {
    let app = TestApp::spawn().await;
    let key = app.org(Plan::Pro).await;
    let cases = [
        (json!({"instructions": "x"}), "project_name"),
        (json!({"project_name": "x"}), "instructions"),
        (
            json!({"project_name": "  ", "instructions": "x"}),
            "project_name",
        ),
        (
            json!({"project_name": "x", "instructions": ""}),
            "instructions",
        ),
        (
            json!({"project_name": "x".repeat(201), "instructions": "x"}),
            "project_name",
        ),
        (
            json!({"project_name": "x", "instructions": "x", "expires_at": "tomorrow"}),
            "expires_at",
        ),
        (
            json!({"project_name": "x", "instructions": "x", "expires_at": "2020-01-01T00:00:00Z"}),
            "expires_at",
        ),
        (
            json!({"project_name": "x", "instructions": "x", "max_sessions": 0}),
            "max_sessions",
        ),
        (
            json!({"project_name": "x", "instructions": "x", "competency_weights": {"logic": -1}}),
            "competency_weights",
        ),
        (
            json!({"project_name": "x", "instructions": "x", "competency_weights": {"charisma": 1}}),
            "competency_weights",
        ),
    ];
    for (body, param) in cases {
        let r = app.post(&key, "/v1/projects", body.clone()).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(r.error_code(), "invalid_request", "{body}");
        assert!(
            r.param().unwrap_or_default().starts_with(param),
            "{body}: {:?}",
            r.param()
        );
    }
    let r = app
        .post(
            &key,
            "/v1/projects",
            json!({"project_name": "x", "instructions": "x", "template_id": "tpl_nope"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.error_code(), "unknown_template");
    assert_eq!(r.param(), Some("template_id"));
    assert_eq!(app.get(&key, "/v1/projects").await.body["total"], 0);
}

#[tokio::test]
async fn templates_of_another_organisation_cannot_be_used() {
    let app = TestApp::spawn().await;
    let alice = app.org(Plan::Pro).await;
    let bob = app.org(Plan::Pro).await;
    let t = app
        .post(
            &alice,
            "/v1/templates",
            json!({"name": "Mine", "questions": [{"text": "Why?", "competencies": ["logic"]}]}),
        )
        .await;
    let tid = t.body["id"].as_str().unwrap();
    let mine = app
        .post(
            &alice,
            "/v1/projects",
            json!({"project_name": "a", "instructions": "b", "template_id": tid}),
        )
        .await;
    assert_eq!(mine.status, StatusCode::CREATED);
    let theirs = app
        .post(
            &bob,
            "/v1/projects",
            json!({"project_name": "a", "instructions": "b", "template_id": tid}),
        )
        .await;
    assert_eq!(theirs.status, StatusCode::BAD_REQUEST);
    assert_eq!(theirs.param(), Some("template_id"));
}

#[tokio::test]
async fn list_pages_and_filters_by_status() {
    let app = TestApp::spawn().await;
    let key = app.org(Plan::Enterprise).await;
    let mut ids = Vec::new();
    for i in 0..25 {
        ids.push(
            app.project(&key, &format!("Project {i}")).await["id"]
                .as_str()
                .unwrap()
                .to_owned(),
        );
        app.clock.advance(Duration::seconds(1));
    }
    let first = app.get(&key, "/v1/projects").await;
    assert_eq!(first.status, StatusCode::OK);
    assert_eq!(first.body["success"], true);
    assert_eq!(first.body["total"], 25);
    let items = first.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 20);
    assert_eq!(items[0]["id"], ids[24].as_str(), "newest first");
    let second = app.get(&key, "/v1/projects?limit=20&offset=20").await;
    assert_eq!(second.body["items"].as_array().unwrap().len(), 5);
    let all = app.get(&key, "/v1/projects?limit=100").await;
    assert_eq!(all.body["items"].as_array().unwrap().len(), 25);

    for bad in [
        "limit=101",
        "limit=0",
        "limit=ten",
        "offset=-1",
        "status=archived",
    ] {
        let r = app.get(&key, &format!("/v1/projects?{bad}")).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{bad}");
        assert_eq!(r.param(), Some(bad.split('=').next().unwrap()));
    }

    // One closed, one expiring in an hour.
    let closed = app
        .patch(
            &key,
            &format!("/v1/projects/{}", ids[0]),
            json!({"status": "completed"}),
        )
        .await;
    assert_eq!(closed.body["status"], "completed");
    let expiring = app
        .patch(
            &key,
            &format!("/v1/projects/{}", ids[1]),
            json!({"expires_at": "2026-06-13T10:00:00Z"}),
        )
        .await;
    assert_eq!(expiring.status, StatusCode::OK, "{}", expiring.body);
    assert_eq!(expiring.body["status"], "active");

    let count = |status: &'static str| {
        let app = &app;
        let key = &key;
        async move {
            app.get(key, &format!("/v1/projects?status={status}"))
                .await
                .body["total"]
                .clone()
        }
    };
    assert_eq!(count("active").await, 24);
    assert_eq!(count("completed").await, 1);
    assert_eq!(count("expired").await, 0);

    app.clock.advance(Duration::hours(1));
    assert_eq!(count("active").await, 23);
    assert_eq!(count("expired").await, 1);
    let expired = app.get(&key, &format!("/v1/projects/{}", ids[1])).await;
    assert_eq!(expired.body["status"], "expired");
}

#[tokio::test]
async fn update_changes_only_what_is_given() {
    let app = TestApp::spawn().await;
    let key = app.org(Plan::Pro).await;
    let p = app
        .post(
            &key,
            "/v1/projects",
            json!({"project_name": "PM", "instructions": "Old", "company_name": "Acme", "max_sessions": 10}),
        )
        .await
        .body;
    let path = format!("/v1/projects/{}", p["id"].as_str().unwrap());
    app.clock.advance(Duration::minutes(1));

    let r = app
        .patch(&key, &path, json!({"instructions": "New instructions"}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["instructions"], "New instructions");
    assert_eq!(r.body["company_name"], "Acme");
    assert_eq!(r.body["max_sessions"], 10);
    assert_eq!(r.body["interview_url"], p["interview_url"]);
    assert_eq!(r.body["created_at"], p["created_at"]);
    assert_eq!(r.body["updated_at"], "2026-06-13T09:01:00Z");

    let r = app
        .patch(&key, &path, json!({"company_name": null, "max_sessions": null, "competency_weights": {"empathy": 3}}))
        .await;
    assert!(r.body["company_name"].is_null());
    assert!(r.body["max_sessions"].is_null());
    assert_eq!(r.body["competency_weights"]["empathy"], 3.0);
    assert_eq!(r.body["competency_weights"]["logic"], 0.0);

    for (body, param) in [
        (json!({"status": "paused"}), "status"),
        (json!({"instructions": " "}), "instructions"),
        (json!({"expires_at": "2020-01-01T00:00:00Z"}), "expires_at"),
        (json!({"template_id": "tpl_unknown"}), "template_id"),
        (json!({"interview_url": "x"}), "interview_url"),
    ] {
        let r = app.patch(&key, &path, body.clone()).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(r.param(), Some(param), "{body}");
    }

    // An expired project reopens only with a new expiry.
    app.patch(&key, &path, json!({"expires_at": "2026-06-13T09:30:00Z"}))
        .await;
    app.clock.advance(Duration::hours(1));
    let r = app.patch(&key, &path, json!({"status": "active"})).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.param(), Some("status"));
    let r = app
        .patch(
            &key,
            &path,
            json!({"status": "active", "expires_at": "2026-07-01T00:00:00Z"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["status"], "active");
}

#[tokio::test]
async fn delete_is_irreversible() {
    let app = TestApp::spawn().await;
    let key = app.org(Plan::Pro).await;
    let p = app.project(&key, "Short-lived").await;
    let path = format!("/v1/projects/{}", p["id"].as_str().unwrap());
    assert_eq!(app.get(&key, &path).await.status, StatusCode::OK);
    let r = app.delete(&key, &path).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.body["deleted"], true);
    assert_eq!(app.get(&key, &path).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.delete(&key, &path).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        app.get(&key, "/v1/projects/not-an-id").await.status,
        StatusCode::NOT_FOUND
    );
}
