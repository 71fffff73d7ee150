use crate::support::TestApp;
use reqwest::StatusCode;
use talentd_core::Plan;

#[tokio::test]
async fn creating_a_project_records_project_created() {
    let app = TestApp::spawn().await;
    let key = app.org(Plan::Pro).await;
    let p = app.project(&key, "Evented").await;
    let r = app.get(&key, "/v1/events").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.body["total"], 1);
    let e = &r.body["items"][0];
    assert!(e["id"].as_str().unwrap().starts_with("evt_"));
    assert_eq!(e["type"], "project.created");
    assert_eq!(e["created_at"], "2026-06-13T09:00:00Z");
    assert_eq!(e["data"]["id"], p["id"]);
    assert_eq!(e["data"]["project_name"], "Evented");
    assert_eq!(e["data"]["interview_url"], p["interview_url"]);

    assert_eq!(
        app.get(&key, "/v1/events?type=project.created").await.body["total"],
        1
    );
    assert_eq!(
        app.get(&key, "/v1/events?type=interview.completed")
            .await
            .body["total"],
        0
    );
    let bad = app.get(&key, "/v1/events?type=nonsense").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert_eq!(bad.param(), Some("type"));

    // A failed creation records nothing.
    app.post(
        &key,
        "/v1/projects",
        serde_json::json!({"project_name": "x"}),
    )
    .await;
    assert_eq!(app.get(&key, "/v1/events").await.body["total"], 1);
}
