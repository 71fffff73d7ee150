use crate::support::TestApp;
use reqwest::{Method, StatusCode};
use talentd_core::Plan;

#[tokio::test]
async fn unknown_routes_and_wrong_methods_have_the_error_body() {
    let app = TestApp::spawn().await;
    let key = app.org(Plan::Pro).await;

    let r = app.send(app.client.get(app.url("/nowhere"))).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.error_code(), "not_found");

    let r = app.get(&key, "/v1/nowhere").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.error_code(), "not_found");

    let r = app
        .send(app.request(Method::PUT, &key, "/v1/projects"))
        .await;
    assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(r.error_code(), "method_not_allowed");
    assert!(r.header("allow").unwrap().contains("POST"));
}

#[tokio::test]
async fn malformed_bodies_are_400_415_or_413_naming_the_problem() {
    let app = TestApp::spawn().await;
    let key = app.org(Plan::Pro).await;
    let post = |body: &'static str, ct: &'static str| {
        app.request(Method::POST, &key, "/v1/projects")
            .header("content-type", ct)
            .body(body)
    };

    let r = app
        .send(post("{\"project_name\": ", "application/json"))
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.error_code(), "invalid_json");

    let r = app
        .send(post(
            "{\"project_name\": \"a\", \"instructions\": \"b\"}",
            "text/plain",
        ))
        .await;
    assert_eq!(r.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(r.error_code(), "unsupported_media_type");

    let r = app
        .send(post(
            "{\"project_name\": 42, \"instructions\": \"b\"}",
            "application/json",
        ))
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.error_code(), "invalid_request");
    assert_eq!(r.param(), Some("project_name"));

    let r = app
        .send(post(
            "{\"project_name\": \"a\", \"instructions\": \"b\", \"colour\": \"red\"}",
            "application/json",
        ))
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.param(), Some("colour"));

    let r = app
        .send(post("{\"instructions\": \"b\"}", "application/json"))
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.param(), Some("project_name"));

    let huge = format!(
        "{{\"project_name\": \"a\", \"instructions\": \"{}\"}}",
        "x".repeat(2 * 1024 * 1024)
    );
    let r = app
        .send(
            app.request(Method::POST, &key, "/v1/projects")
                .header("content-type", "application/json")
                .body(huge),
        )
        .await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(r.error_code(), "payload_too_large");

    // Nothing was created by any of these.
    assert_eq!(app.get(&key, "/v1/projects").await.body["total"], 0);
}

#[tokio::test]
async fn every_response_carries_a_request_id() {
    let app = TestApp::spawn().await;
    let key = app.org(Plan::Pro).await;
    let a = app.get(&key, "/v1/projects").await;
    let b = app.send(app.client.get(app.url("/healthz"))).await;
    let (a, b) = (
        a.header("x-request-id").unwrap(),
        b.header("x-request-id").unwrap(),
    );
    assert!(a.starts_with("req_") && b.starts_with("req_"));
    assert_ne!(a, b);
}
