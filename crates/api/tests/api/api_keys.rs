use crate::support::TestApp;
use reqwest::StatusCode;
use serde_json::json;
use talentd_core::Plan;
use time::Duration;

#[tokio::test]
async fn a_created_key_is_shown_once_and_works() {
    let app = TestApp::spawn().await;
    let key = app.org(Plan::Pro).await;
    let r = app
        .post(&key, "/v1/api-keys", json!({"name": "ATS integration"}))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let secret = r.body["api_key"].as_str().unwrap().to_owned();
    assert!(secret.starts_with("tk_live_"));
    assert!(talentd_core::apikey::is_well_formed(&secret));
    assert!(r.body["id"].as_str().unwrap().starts_with("key_"));
    assert_eq!(r.body["name"], "ATS integration");
    assert_eq!(r.body["status"], "active");
    assert!(secret.starts_with(r.body["prefix"].as_str().unwrap()));

    assert_eq!(
        app.get(&secret, "/v1/projects").await.status,
        StatusCode::OK
    );

    let list = app.get(&key, "/v1/api-keys").await;
    assert_eq!(list.body["total"], 2);
    let text = list.body.to_string();
    assert!(
        !text.contains(&secret),
        "a listing must never show a secret"
    );
    assert!(!text.contains(&key));
    // An empty body is fine: every field is optional.
    let r = app
        .send(app.request(reqwest::Method::POST, &key, "/v1/api-keys"))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.body["name"], "unnamed");
}

#[tokio::test]
async fn last_used_at_is_kept() {
    let app = TestApp::spawn().await;
    let key = app.org(Plan::Pro).await;
    let created = app.post(&key, "/v1/api-keys", json!({})).await;
    let secret = created.body["api_key"].as_str().unwrap().to_owned();
    let id = created.body["id"].as_str().unwrap().to_owned();
    assert!(created.body["last_used_at"].is_null());

    app.clock.advance(Duration::minutes(5));
    app.get(&secret, "/v1/projects").await;
    let list = app.get(&key, "/v1/api-keys").await;
    let row = list.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["id"] == id)
        .unwrap()
        .clone();
    assert_eq!(row["last_used_at"], "2026-06-13T09:05:00Z");
}

#[tokio::test]
async fn a_revoked_key_stops_working_at_once() {
    let app = TestApp::spawn().await;
    let admin = app.org(Plan::Pro).await;
    let created = app
        .post(&admin, "/v1/api-keys", json!({"name": "leaked"}))
        .await;
    let secret = created.body["api_key"].as_str().unwrap().to_owned();
    let id = created.body["id"].as_str().unwrap().to_owned();
    assert_eq!(
        app.get(&secret, "/v1/projects").await.status,
        StatusCode::OK
    );

    let r = app.delete(&admin, &format!("/v1/api-keys/{id}")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["status"], "revoked");
    assert!(r.body["revoked_at"].is_string());

    let r = app.get(&secret, "/v1/projects").await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(r.error_code(), "unauthorized");
    // Revoking again changes nothing; unknown and foreign ids are 404.
    assert_eq!(
        app.delete(&admin, &format!("/v1/api-keys/{id}"))
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        app.delete(&admin, "/v1/api-keys/key_nothere").await.status,
        StatusCode::NOT_FOUND
    );
    let other = app.org(Plan::Pro).await;
    let foreign = app.post(&other, "/v1/api-keys", json!({})).await;
    let foreign_id = foreign.body["id"].as_str().unwrap();
    assert_eq!(
        app.delete(&admin, &format!("/v1/api-keys/{foreign_id}"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let foreign_secret = foreign.body["api_key"].as_str().unwrap();
    assert_eq!(
        app.get(foreign_secret, "/v1/projects").await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn rotation_issues_a_new_key_and_revokes_the_old() {
    let app = TestApp::spawn().await;
    let admin = app.org(Plan::Pro).await;
    let created = app
        .post(&admin, "/v1/api-keys", json!({"name": "ats"}))
        .await;
    let old_secret = created.body["api_key"].as_str().unwrap().to_owned();
    let old_id = created.body["id"].as_str().unwrap().to_owned();

    let r = app
        .post(&admin, &format!("/v1/api-keys/{old_id}/rotate"), json!({}))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let new_secret = r.body["api_key"].as_str().unwrap().to_owned();
    let new_id = r.body["id"].as_str().unwrap().to_owned();
    assert_ne!(new_id, old_id);
    assert_eq!(r.body["name"], "ats");

    assert_eq!(
        app.get(&old_secret, "/v1/projects").await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.get(&new_secret, "/v1/projects").await.status,
        StatusCode::OK
    );

    let list = app.get(&admin, "/v1/api-keys").await;
    let old = list.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["id"] == old_id.as_str())
        .unwrap()
        .clone();
    assert_eq!(old["status"], "revoked");
    assert_eq!(old["replaced_by"], new_id.as_str());

    let again = app
        .post(&admin, &format!("/v1/api-keys/{old_id}/rotate"), json!({}))
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert_eq!(again.error_code(), "key_revoked");
    let missing = app
        .post(&admin, "/v1/api-keys/key_nothere/rotate", json!({}))
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
}
