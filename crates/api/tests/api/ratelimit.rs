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

/// Sends `n` requests of `key` at once, alternating between `replicas`; returns how
/// many were allowed.
async fn burst(app: &TestApp, replicas: &[std::net::SocketAddr], key: &str, n: usize) -> usize {
    let sends = (0..n).map(|i| {
        let url = format!("http://{}/v1/projects", replicas[i % replicas.len()]);
        app.client.get(url).bearer_auth(key).send()
    });
    let mut allowed = 0;
    for r in futures_util::future::join_all(sends).await {
        let r = r.expect("request");
        match r.status() {
            StatusCode::OK => allowed += 1,
            StatusCode::TOO_MANY_REQUESTS => {}
            other => panic!("unexpected {other}"),
        }
    }
    allowed
}

#[tokio::test]
async fn limits_hold_exactly_across_replicas_sharing_the_database() {
    let app = TestApp::spawn().await;
    let key = app.org(Plan::Free).await;
    let mut replicas = Vec::new();
    for _ in 0..3 {
        let limiter = talentd_api::DatabaseRateLimiter::new(app.store.clone());
        replicas.push(app.replica(std::sync::Arc::new(limiter)).await);
    }
    // Free: 10 a minute. 40 requests at once over three replicas: exactly 10 pass.
    assert_eq!(burst(&app, &replicas, &key, 40).await, 10);
    app.clock.advance(Duration::minutes(1));
    assert_eq!(burst(&app, &replicas, &key, 25).await, 10);

    // Separate memory counters, by contrast, let each replica grant its own ten.
    let mut isolated = Vec::new();
    for _ in 0..3 {
        isolated.push(
            app.replica(std::sync::Arc::new(
                talentd_api::MemoryRateLimiter::default(),
            ))
            .await,
        );
    }
    let other = app.org(Plan::Free).await;
    assert_eq!(burst(&app, &isolated, &other, 40).await, 30);
}

#[tokio::test]
async fn limits_hold_exactly_across_replicas_sharing_redis() {
    let url = std::env::var("TALENTD_TEST_REDIS_URL")
        .unwrap_or_else(|_| "redis://127.0.0.1:6379".to_owned());
    let app = TestApp::spawn().await;
    let key = app.org(Plan::Free).await;
    // A prefix of its own, so that runs never see each other's counts.
    let prefix = format!("talentd-test:{}:", talentd_core::id::random_token(12));
    let mut replicas = Vec::new();
    for _ in 0..3 {
        let limiter = talentd_api::RedisRateLimiter::connect(&url, &prefix)
            .await
            .unwrap_or_else(|e| panic!("Redis at {url} (scripts/redis.sh starts one): {e}"));
        replicas.push(app.replica(std::sync::Arc::new(limiter)).await);
    }
    assert_eq!(burst(&app, &replicas, &key, 40).await, 10);
    let r = app
        .send(
            app.client
                .get(format!("http://{}/v1/projects", replicas[0]))
                .bearer_auth(&key),
        )
        .await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(r.header("retry-after"), Some("60"));
    app.clock.advance(Duration::minutes(1));
    assert_eq!(burst(&app, &replicas, &key, 25).await, 10);
}
