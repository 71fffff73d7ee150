use crate::support::TestApp;
use reqwest::StatusCode;
use talentd_core::Plan;

#[tokio::test]
async fn requests_without_a_valid_key_are_401_with_the_error_body() {
    let app = TestApp::spawn().await;
    let key = app.org(Plan::Pro).await;

    let none = app.send(app.client.get(app.url("/v1/projects"))).await;
    assert_eq!(none.status, StatusCode::UNAUTHORIZED);
    assert_eq!(none.error_code(), "unauthorized");

    for header in [
        "Basic dXNlcjpwYXNz",
        "Bearer",
        "Bearer not-a-key",
        "Token abc",
    ] {
        let r = app
            .send(
                app.client
                    .get(app.url("/v1/projects"))
                    .header("authorization", header),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{header}");
        assert_eq!(r.error_code(), "unauthorized");
    }

    // Well-formed and checksummed, but unknown.
    let stranger = talentd_core::apikey::generate().secret;
    let r = app.get(&stranger, "/v1/projects").await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);

    // A typo in a real key fails the checksum.
    let mut typo = key.clone().into_bytes();
    let i = typo.len() - 10;
    typo[i] = if typo[i] == b'a' { b'b' } else { b'a' };
    let r = app
        .get(&String::from_utf8(typo).unwrap(), "/v1/projects")
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);

    let ok = app.get(&key, "/v1/projects").await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
    // The scheme is case-insensitive.
    let r = app
        .send(
            app.client
                .get(app.url("/v1/projects"))
                .header("authorization", format!("bearer {key}")),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
}

#[tokio::test]
async fn the_openapi_document_and_docs_page_are_public_and_offline() {
    let app = TestApp::spawn().await;
    let doc = app.send(app.client.get(app.url("/v1/openapi.json"))).await;
    assert_eq!(doc.status, StatusCode::OK);
    assert!(doc.body["openapi"].as_str().unwrap().starts_with("3.1"));
    for path in [
        "/v1/projects",
        "/v1/projects/{id}",
        "/v1/templates",
        "/v1/templates/{id}",
        "/v1/api-keys",
        "/v1/api-keys/{id}",
        "/v1/api-keys/{id}/rotate",
        "/v1/events",
    ] {
        assert!(
            doc.body["paths"].get(path).is_some(),
            "{path} missing from the document"
        );
    }
    assert!(doc.body["components"]["securitySchemes"]["bearer"].is_object());
    // Handler doc comments become the operation text.
    let create = &doc.body["paths"]["/v1/projects"]["post"];
    assert!(
        create["summary"]
            .as_str()
            .unwrap()
            .contains("Create a project")
    );

    let page = app.client.get(app.url("/docs/")).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(html.contains("swagger-ui"));
    assert!(
        !html.contains("cdn"),
        "the docs page must not load assets from a CDN"
    );
    let js = app
        .client
        .get(app.url("/docs/swagger-ui-bundle.js"))
        .send()
        .await
        .unwrap();
    assert_eq!(js.status(), StatusCode::OK);
    assert!(js.bytes().await.unwrap().len() > 100_000);
}

#[tokio::test]
async fn health_and_readiness() {
    let app = TestApp::spawn().await;
    let h = app.send(app.client.get(app.url("/healthz"))).await;
    assert_eq!(h.status, StatusCode::OK);
    assert_eq!(h.body["status"], "ok");
    let r = app.send(app.client.get(app.url("/readyz"))).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.body["checks"]["database"], "ok");
}

#[tokio::test]
async fn another_organisations_ids_are_404_never_data() {
    let app = TestApp::spawn().await;
    let alice = app.org(Plan::Pro).await;
    let bob = app.org(Plan::Pro).await;
    let project = app.project(&alice, "Alice's project").await;
    let id = project["id"].as_str().unwrap();

    let r = app.get(&bob, &format!("/v1/projects/{id}")).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.error_code(), "not_found");
    let r = app
        .patch(
            &bob,
            &format!("/v1/projects/{id}"),
            serde_json::json!({"instructions": "x"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = app.delete(&bob, &format!("/v1/projects/{id}")).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let list = app.get(&bob, "/v1/projects").await;
    assert_eq!(list.body["total"], 0);
    let events = app.get(&bob, "/v1/events").await;
    assert_eq!(events.body["total"], 0);

    // Untouched for its owner.
    let r = app.get(&alice, &format!("/v1/projects/{id}")).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.body["instructions"], "Ask about teamwork.");
}
