use crate::support::TestApp;
use reqwest::StatusCode;
use serde_json::json;
use talentd_core::Plan;

#[tokio::test]
async fn built_in_templates_are_listed_with_their_competencies() {
    let app = TestApp::spawn().await;
    let key = app.org(Plan::Pro).await;
    let r = app.get(&key, "/v1/templates").await;
    assert_eq!(r.status, StatusCode::OK);
    let items = r.body["items"].as_array().unwrap();
    assert!(items.len() >= 4);
    let ids: Vec<&str> = items.iter().map(|t| t["id"].as_str().unwrap()).collect();
    for id in [
        "tpl_software_engineer",
        "tpl_sales",
        "tpl_customer_support",
        "tpl_project_manager",
    ] {
        assert!(ids.contains(&id), "{id}");
    }
    for t in items {
        assert_eq!(t["builtin"], true);
        for q in t["questions"].as_array().unwrap() {
            assert!(!q["text"].as_str().unwrap().is_empty());
            assert!(!q["competencies"].as_array().unwrap().is_empty());
        }
    }
    let one = app.get(&key, "/v1/templates/tpl_sales").await;
    assert_eq!(one.status, StatusCode::OK);
    assert_eq!(one.body["name"], "Sales");
}

#[tokio::test]
async fn an_organisation_manages_its_own_templates() {
    let app = TestApp::spawn().await;
    let key = app.org(Plan::Pro).await;
    let other = app.org(Plan::Pro).await;
    let r = app
        .post(
            &key,
            "/v1/templates",
            json!({
                "name": "Data analyst",
                "description": "Analysis",
                "questions": [
                    {"text": "Tell me about an analysis that changed a decision.", "competencies": ["logic", "communication", "logic"]},
                    {"text": "How do you plan work to a deadline?", "competencies": ["planning"]}
                ]
            }),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.body["id"].as_str().unwrap().to_owned();
    assert!(id.starts_with("tpl_"));
    assert_eq!(r.body["builtin"], false);
    assert_eq!(
        r.body["questions"][0]["competencies"],
        json!(["communication", "logic"])
    );

    let list = app.get(&key, "/v1/templates").await;
    assert_eq!(list.body["total"], 5);
    assert_eq!(app.get(&other, "/v1/templates").await.body["total"], 4);
    assert_eq!(
        app.get(&key, &format!("/v1/templates/{id}")).await.status,
        StatusCode::OK
    );
    assert_eq!(
        app.get(&other, &format!("/v1/templates/{id}")).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.delete(&other, &format!("/v1/templates/{id}"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    // In use by a project: 409 until the project lets go of it.
    let p = app
        .post(
            &key,
            "/v1/projects",
            json!({"project_name": "a", "instructions": "b", "template_id": id}),
        )
        .await;
    let r = app.delete(&key, &format!("/v1/templates/{id}")).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    app.patch(
        &key,
        &format!("/v1/projects/{}", p.body["id"].as_str().unwrap()),
        json!({"template_id": null}),
    )
    .await;
    let r = app.delete(&key, &format!("/v1/templates/{id}")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        app.get(&key, &format!("/v1/templates/{id}")).await.status,
        StatusCode::NOT_FOUND
    );

    let r = app.delete(&key, "/v1/templates/tpl_sales").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(r.error_code(), "forbidden");
}

#[tokio::test]
async fn invalid_templates_are_400_naming_the_field() {
    let app = TestApp::spawn().await;
    let key = app.org(Plan::Pro).await;
    let cases = [
        (
            json!({"questions": [{"text": "q", "competencies": ["logic"]}]}),
            "name",
        ),
        (json!({"name": "t", "questions": []}), "questions"),
        (
            json!({"name": "t", "questions": [{"text": " ", "competencies": ["logic"]}]}),
            "questions[0].text",
        ),
        (
            json!({"name": "t", "questions": [{"text": "q", "competencies": []}]}),
            "questions[0].competencies",
        ),
        (
            json!({"name": "t", "questions": [{"text": "q", "competencies": ["charm"]}]}),
            "questions[0].competencies[0]",
        ),
    ];
    for (body, param) in cases {
        let r = app.post(&key, "/v1/templates", body.clone()).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(r.param(), Some(param), "{body}");
    }
}
