use crate::support::TestApp;
use reqwest::StatusCode;
use talentd_core::Plan;
use time::Duration;

#[tokio::test]
async fn free_plan_refuses_the_eleventh_request_in_a_minute() {
    let app = TestApp::spawn().await;
    let key = app.org(Plan::Free).await;
    for i in 0..10u64 {
        let r = app.get(&key, "/v1/projects").await;
        assert_eq!(r.status, StatusCode::OK, "request {}", i + 1);
        assert_eq!(r.header("x-ratelimit-limit"), Some("10"));
        assert_eq!(
            r.header("x-ratelimit-remaining"),
            Some((9 - i).to_string().as_str())
        );
        // 09:00:00 + 60 s, as Unix seconds.
        assert_eq!(r.header("x-ratelimit-reset"), Some("1781341260"));
        assert!(
            r.header("ratelimit-policy")
                .unwrap()
                .contains("\"minute\";q=10;w=60")
        );
        assert!(r.header("ratelimit").is_some());
    }
    app.clock.advance(Duration::seconds(45));
    let r = app.get(&key, "/v1/projects").await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(r.error_code(), "rate_limited");
    assert_eq!(r.header("retry-after"), Some("15"));
    assert_eq!(r.header("x-ratelimit-remaining"), Some("0"));

    // Refused requests do not count: the next minute has its full ten.
    app.clock.advance(Duration::seconds(15));
    let r = app.get(&key, "/v1/projects").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.header("x-ratelimit-remaining"), Some("9"));
}

#[tokio::test]
async fn the_hour_window_holds_when_minutes_have_room() {
    let app = TestApp::spawn().await;
    let key = app.org(Plan::Free).await;
    for minute in 0..10 {
        for _ in 0..10 {
            assert_eq!(
                app.get(&key, "/v1/projects").await.status,
                StatusCode::OK,
                "minute {minute}"
            );
        }
        app.clock.advance(Duration::minutes(1));
    }
    // 09:10: a fresh minute, but the hour's 100 are spent.
    let r = app.get(&key, "/v1/projects").await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(r.header("x-ratelimit-limit"), Some("100"));
    assert_eq!(r.header("x-ratelimit-remaining"), Some("0"));
    assert_eq!(r.header("retry-after"), Some("3000"));

    app.clock.advance(Duration::minutes(50));
    assert_eq!(app.get(&key, "/v1/projects").await.status, StatusCode::OK);
}

#[tokio::test]
async fn limits_belong_to_the_organisation_and_follow_its_plan() {
    let app = TestApp::spawn().await;
    let free = app.org(Plan::Free).await;
    let other = app.org(Plan::Free).await;
    for _ in 0..10 {
        app.get(&free, "/v1/projects").await;
    }
    assert_eq!(
        app.get(&free, "/v1/projects").await.status,
        StatusCode::TOO_MANY_REQUESTS
    );
    assert_eq!(app.get(&other, "/v1/projects").await.status, StatusCode::OK);

    // A second key of the same organisation shares its budget.
    let pro = app.org(Plan::Pro).await;
    let r = app.get(&pro, "/v1/projects").await;
    assert_eq!(r.header("x-ratelimit-limit"), Some("60"));
    let ent = app.org(Plan::Enterprise).await;
    let r = app.get(&ent, "/v1/projects").await;
    assert_eq!(r.header("x-ratelimit-limit"), Some("300"));

    // Error responses of authenticated requests carry the headers too.
    let r = app.get(&pro, "/v1/projects/prj_missing").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.header("x-ratelimit-remaining"), Some("58"));
}

#[tokio::test]
async fn keys_of_one_organisation_share_its_budget() {
    let app = TestApp::spawn().await;
    let first = app.org(Plan::Free).await;
    let second = app
        .post(&first, "/v1/api-keys", serde_json::json!({"name": "ci"}))
        .await;
    let second = second.body["api_key"].as_str().unwrap().to_owned();
    for _ in 0..9 {
        assert_eq!(
            app.get(&second, "/v1/projects").await.status,
            StatusCode::OK
        );
    }
    assert_eq!(
        app.get(&first, "/v1/projects").await.status,
        StatusCode::TOO_MANY_REQUESTS
    );
}

#[tokio::test]
async fn unlimited_plan_is_not_limited() {
    let app = TestApp::spawn().await;
    let key = app.org(Plan::Unlimited).await;
    for _ in 0..150 {
        let r = app.get(&key, "/v1/projects").await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.header("x-ratelimit-limit").is_none());
    }
}
