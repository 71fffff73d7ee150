use crate::support::TestApp;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use talentd_core::Plan;
use time::Duration;

async fn create(app: &TestApp, key: &str, idem: &str, body: Value) -> crate::support::Resp {
    app.send(
        app.request(Method::POST, key, "/v1/projects")
            .header("Idempotency-Key", idem)
            .json(&body),
    )
    .await
}

#[tokio::test]
async fn a_retried_post_replays_the_first_response() {
    let app = TestApp::spawn().await;
    let key = app.org(Plan::Pro).await;
    let body = json!({"project_name": "Once", "instructions": "Only once"});
    let first = create(&app, &key, "order-1", body.clone()).await;
    assert_eq!(first.status, StatusCode::CREATED);
    let again = create(&app, &key, "order-1", body.clone()).await;
    assert_eq!(again.status, StatusCode::CREATED);
    assert_eq!(again.body, first.body);
    assert_eq!(again.header("idempotent-replayed"), Some("true"));
    assert_eq!(app.get(&key, "/v1/projects").await.body["total"], 1);

    // Same key, other body.
    let other = create(
        &app,
        &key,
        "order-1",
        json!({"project_name": "Twice", "instructions": "x"}),
    )
    .await;
    assert_eq!(other.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(other.error_code(), "idempotency_key_reused");

    // Keys are per organisation.
    let stranger = app.org(Plan::Pro).await;
    let theirs = create(&app, &stranger, "order-1", body.clone()).await;
    assert_eq!(theirs.status, StatusCode::CREATED);
    assert_ne!(theirs.body["id"], first.body["id"]);

    // Remembered for 24 hours, then forgotten.
    app.clock.advance(Duration::hours(23));
    assert_eq!(
        create(&app, &key, "order-1", body.clone()).await.body["id"],
        first.body["id"]
    );
    app.clock.advance(Duration::hours(1));
    let later = create(&app, &key, "order-1", body).await;
    assert_eq!(later.status, StatusCode::CREATED);
    assert_ne!(later.body["id"], first.body["id"]);
}

#[tokio::test]
async fn a_failed_request_does_not_burn_its_key() {
    let app = TestApp::spawn().await;
    let key = app.org(Plan::Pro).await;
    let bad = create(&app, &key, "retry-me", json!({"project_name": "x"})).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    let good = create(
        &app,
        &key,
        "retry-me",
        json!({"project_name": "x", "instructions": "y"}),
    )
    .await;
    assert_eq!(good.status, StatusCode::CREATED, "{}", good.body);

    let long = "k".repeat(256);
    let r = create(
        &app,
        &key,
        &long,
        json!({"project_name": "x", "instructions": "y"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.param(), Some("Idempotency-Key"));
}
