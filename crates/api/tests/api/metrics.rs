//! `/metrics`: Prometheus text with requests by route template, the job queue by kind,
//! and job outcomes.

use crate::fixtures;
use crate::support::TestApp;
use reqwest::StatusCode;
use talentd_core::Plan;

/// The value of the sample whose line starts with `series` (name and labels).
fn sample(text: &str, series: &str) -> Option<f64> {
    text.lines()
        .find(|l| l.starts_with(series))
        .and_then(|l| l.rsplit(' ').next())
        .and_then(|v| v.parse().ok())
}

/// `/metrics` as text, checked to be Prometheus's content type.
pub async fn scrape(app: &TestApp) -> String {
    let r = app
        .client
        .get(app.url("/metrics"))
        .send()
        .await
        .expect("metrics");
    assert_eq!(r.status(), StatusCode::OK);
    let ct = r.headers()["content-type"]
        .to_str()
        .unwrap_or_default()
        .to_owned();
    assert!(ct.starts_with("text/plain"), "{ct}");
    r.text().await.expect("body")
}

#[tokio::test]
async fn metrics_count_requests_by_route_and_show_the_queue() {
    let app = TestApp::spawn().await;
    let key = app.org(Plan::Pro).await;
    let id = app.interview(&key, "c1", "v", fixtures::strong()).await;
    let before = scrape(&app).await;
    // Queued and not yet run: the queue shows it.
    assert!(
        sample(
            &before,
            "talentd_jobs{kind=\"analyze_interview\",status=\"queued\"}"
        )
        .is_some_and(|n| n >= 1.0),
        "{before}"
    );
    let ok =
        "talentd_http_requests_total{method=\"GET\",route=\"/v1/interviews/{id}\",status=\"200\"}";
    let missing =
        "talentd_http_requests_total{method=\"GET\",route=\"/v1/interviews/{id}\",status=\"404\"}";
    let ok_before = sample(&before, ok).unwrap_or(0.0);
    let missing_before = sample(&before, missing).unwrap_or(0.0);

    app.run_jobs().await;
    assert_eq!(
        app.get(&key, &format!("/v1/interviews/{id}")).await.status,
        StatusCode::OK
    );
    assert_eq!(
        app.get(&key, &format!("/v1/interviews/{id}")).await.status,
        StatusCode::OK
    );
    assert_eq!(
        app.get(&key, "/v1/interviews/int_doesnotexist")
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let after = scrape(&app).await;
    // Other tests in this binary share the recorder: compare, never expect exact totals.
    assert!(
        sample(&after, ok).unwrap_or(0.0) >= ok_before + 2.0,
        "{after}"
    );
    assert!(
        sample(&after, missing).unwrap_or(0.0) >= missing_before + 1.0,
        "{after}"
    );
    // Route templates only: no id ever becomes a label.
    assert!(!after.contains(&id), "an id leaked into a label");
    assert!(after.contains("talentd_http_request_duration_seconds_bucket{"));
    assert!(
        sample(
            &after,
            "talentd_jobs_processed_total{kind=\"analyze_interview\",outcome=\"done\"}"
        )
        .is_some_and(|n| n >= 1.0),
        "{after}"
    );
    assert!(after.contains("talentd_job_duration_seconds_bucket{kind=\"analyze_interview\""));
    assert_eq!(sample(&after, "talentd_database_up"), Some(1.0));
}
