use crate::support::TestApp;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
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

#[tokio::test]
async fn an_array_is_not_read_as_an_object_by_position() {
    let app = TestApp::spawn().await;
    let key = app.org(Plan::Pro).await;
    let send = |method: Method, path: &'static str, body: &'static str| {
        app.request(method, &key, path)
            .header("content-type", "application/json")
            .body(body)
    };

    // serde reads a struct from an array by position: `[null, null]` was a vacancy.
    let r = app
        .send(send(Method::PUT, "/v1/vacancies/backend", "[null, null]"))
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
    assert_eq!(r.error_code(), "invalid_request");
    assert_eq!(
        app.get(&key, "/v1/vacancies/backend").await.status,
        StatusCode::NOT_FOUND
    );
    let r = app
        .send(send(Method::PATCH, "/v1/settings", " [true]"))
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
    let r = app
        .send(send(Method::POST, "/v1/api-keys", "[\"ci\"]"))
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);

    // A transcript's segment is an object too.
    let r = app
        .post(
            &key,
            "/v1/interviews",
            json!({
                "candidate_id": "c1",
                "vacancy_id": "backend",
                "transcript": [["interviewer", "Why us?"], ["candidate", "The team."]],
            }),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
    assert_eq!(r.param(), Some("transcript[0]"));
}

#[tokio::test]
async fn the_openapi_document_describes_what_bad_input_gets() {
    let app = TestApp::spawn().await;
    let doc = app
        .send(app.client.get(app.url("/v1/openapi.json")))
        .await
        .body;
    let op = |path: &str, method: &str| doc["paths"][path][method].clone();
    let schema = |v: &Value| {
        let name = v["$ref"].as_str().unwrap_or_default();
        doc["components"]["schemas"][name.trim_start_matches("#/components/schemas/")].clone()
    };

    // Every operation that takes a query or a body answers a malformed one with 400.
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let query = op["parameters"]
                .as_array()
                .is_some_and(|ps| ps.iter().any(|p| p["in"] == "query"));
            if query || op.get("requestBody").is_some() {
                assert!(op["responses"]["400"].is_object(), "{method} {path}");
            }
        }
    }

    // A body whose fields are all optional may be left out: an empty body reads as {}.
    for (path, method) in [
        ("/v1/api-keys", "post"),
        ("/v1/candidates/{id}", "patch"),
        ("/v1/culture/profile", "put"),
        ("/v1/projects/{id}", "patch"),
        ("/v1/settings", "patch"),
        ("/v1/vacancies/{id}", "put"),
        ("/v1/webhooks/{id}", "patch"),
    ] {
        let body = &op(path, method)["requestBody"];
        assert_eq!(body["required"], false, "{method} {path}");
        // Left out, not null: the schema is the object's alone.
        let schema = &body["content"]["application/json"]["schema"];
        assert!(schema["$ref"].is_string(), "{method} {path}: {schema}");
    }
    assert_eq!(op("/v1/projects", "post")["requestBody"]["required"], true);

    // A webhook's deletion answers without an `id`, unlike a project's: two schemas.
    let deleted = &op("/v1/webhooks/{id}", "delete")["responses"]["200"]["content"]["application/json"]
        ["schema"];
    assert_eq!(schema(deleted)["required"], json!(["success", "deleted"]));
    let deleted = &op("/v1/projects/{id}", "delete")["responses"]["200"]["content"]["application/json"]
        ["schema"];
    assert_eq!(
        schema(deleted)["required"],
        json!(["success", "id", "deleted"])
    );

    // `candidate_channel` is 0 or 1, `left` or `right`; `transcript` segments or text.
    let input = &doc["components"]["schemas"]["InterviewIn"]["properties"];
    let types = |v: &Value| {
        v["oneOf"]
            .as_array()
            .map(|a| a.iter().map(|s| s["type"].clone()).collect::<Vec<_>>())
            .unwrap_or_default()
    };
    assert_eq!(
        types(&input["candidate_channel"]),
        [json!("integer"), json!("string"), json!("null")]
    );
    assert_eq!(
        types(&input["transcript"]),
        [json!("array"), json!("string"), json!("null")]
    );

    // A voice answer's body is the recording's bytes, not an array of numbers.
    let audio = &op("/v1/public/sessions/{id}/audio", "post")["requestBody"]["content"]["audio/webm"]
        ["schema"];
    let audio = schema(audio);
    assert_eq!(
        (&audio["type"], &audio["format"]),
        (&json!("string"), &json!("binary"))
    );

    // The candidate side's own limits are documented where they apply.
    for (path, method) in [
        ("/v1/public/links/{token}", "get"),
        ("/v1/public/sessions/{id}", "get"),
        ("/v1/public/sessions/{id}/signals", "post"),
        ("/v1/public/sessions/{id}/audio", "post"),
    ] {
        assert!(
            op(path, method)["responses"]["429"].is_object(),
            "{method} {path}"
        );
    }
}
