//! Webhooks as integrators use them: managed by API, verified by challenge, signed to
//! the Standard Webhooks scheme (checked by an independent implementation), delivered
//! with retries, and debuggable through the deliveries API.

use crate::fixtures;
use crate::receiver::{Answer, Receiver, fail};
use crate::support::TestApp;
use reqwest::StatusCode;
use serde_json::{Value, json};
use talentd_core::{Clock, Plan};
use talentd_jobs::DeliveryOutcome;
use time::Duration;

async fn create(app: &TestApp, key: &str, url: &str, events: Value) -> Value {
    let r = app
        .post(key, "/v1/webhooks", json!({"url": url, "events": events}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.body
}

async fn deliveries(app: &TestApp, key: &str, id: &str) -> Value {
    let r = app.get(key, &format!("/v1/webhooks/{id}/deliveries")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.body
}

/// A verified endpoint subscribed to `events`, and its secret.
async fn verified(app: &TestApp, key: &str, rx: &Receiver, events: Value) -> (String, String) {
    let b = create(app, key, &rx.url(), events).await;
    app.deliver().await;
    let id = b["id"].as_str().unwrap().to_owned();
    let w = app.get(key, &format!("/v1/webhooks/{id}")).await;
    assert_eq!(w.body["status"], "active", "{}", w.body);
    (id, b["secret"].as_str().unwrap().to_owned())
}

#[tokio::test]
async fn endpoints_are_managed_as_the_documents_show() {
    let app = TestApp::spawn().await;
    let key = app.org(Plan::Pro).await;
    let rx = Receiver::start().await;
    let b = create(
        &app,
        &key,
        &rx.url(),
        json!(["interview.completed", "report.ready"]),
    )
    .await;
    assert_eq!(b["success"], true);
    let id = b["id"].as_str().unwrap().to_owned();
    assert!(id.starts_with("wh_"), "{b}");
    assert_eq!(b["url"], rx.url());
    assert_eq!(b["events"], json!(["interview.completed", "report.ready"]));
    assert!(b["secret"].as_str().unwrap().starts_with("whsec_"));
    assert_eq!(b["status"], "pending_verification");

    // The list has the document's shape, and never the secret.
    let l = app.get(&key, "/v1/webhooks").await;
    assert_eq!(l.body["success"], true);
    assert_eq!(l.body["items"][0]["id"], id.as_str());
    assert_eq!(l.body["items"][0]["url"], rx.url());
    assert_eq!(l.body["items"][0]["events"], b["events"]);
    assert!(l.body["items"][0].get("secret").is_none());
    let one = app.get(&key, &format!("/v1/webhooks/{id}")).await;
    assert_eq!(one.body["id"], id.as_str());
    assert!(one.body.get("secret").is_none());

    // Another organisation sees nothing of it.
    let other = app.org(Plan::Pro).await;
    assert_eq!(
        app.get(&other, &format!("/v1/webhooks/{id}")).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get(&other, "/v1/webhooks").await.body["items"],
        json!([])
    );
    assert_eq!(
        app.delete(&other, &format!("/v1/webhooks/{id}"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    // PATCH changes only what is given.
    let p = app
        .patch(
            &key,
            &format!("/v1/webhooks/{id}"),
            json!({"events": ["candidate.scored"]}),
        )
        .await;
    assert_eq!(p.status, StatusCode::OK, "{}", p.body);
    assert_eq!(p.body["events"], json!(["candidate.scored"]));
    assert_eq!(p.body["url"], rx.url());
    let p = app
        .patch(
            &key,
            &format!("/v1/webhooks/{id}"),
            json!({"enabled": false}),
        )
        .await;
    assert_eq!(p.body["status"], "disabled");
    assert_eq!(p.body["enabled"], false);

    let d = app.delete(&key, &format!("/v1/webhooks/{id}")).await;
    assert_eq!(d.status, StatusCode::OK);
    assert_eq!(d.body, json!({"success": true, "deleted": true}));
    assert_eq!(
        app.get(&key, &format!("/v1/webhooks/{id}")).await.status,
        StatusCode::NOT_FOUND
    );
    let again = app.delete(&key, &format!("/v1/webhooks/{id}")).await;
    assert_eq!(again.status, StatusCode::NOT_FOUND);
    assert_eq!(again.error_code(), "not_found");
}

#[tokio::test]
async fn bad_endpoints_are_400_naming_the_field() {
    let app = TestApp::spawn_with(|c| c.allow_private_urls = false).await;
    let key = app.org(Plan::Pro).await;
    let ok = "https://hooks.example.com/talentd";
    let cases = [
        (
            json!({"url": ok, "events": ["interview.finished"]}),
            "events",
        ),
        (json!({"url": ok, "events": []}), "events"),
        (
            json!({"url": "ftp://hooks.example.com/x", "events": ["report.ready"]}),
            "url",
        ),
        (
            json!({"url": "not a url", "events": ["report.ready"]}),
            "url",
        ),
        (
            json!({"url": "https://user:pw@hooks.example.com/", "events": ["report.ready"]}),
            "url",
        ),
        (
            json!({"url": "http://127.0.0.1:8080/hook", "events": ["report.ready"]}),
            "url",
        ),
        (
            json!({"url": "http://10.0.0.1/hook", "events": ["report.ready"]}),
            "url",
        ),
        (
            json!({"url": "http://169.254.169.254/latest", "events": ["report.ready"]}),
            "url",
        ),
        (
            json!({"url": "http://[::1]/hook", "events": ["report.ready"]}),
            "url",
        ),
        (
            json!({"url": "http://localhost:9000/hook", "events": ["report.ready"]}),
            "url",
        ),
        (json!({"events": ["report.ready"]}), "url"),
    ];
    for (body, param) in cases {
        let r = app.post(&key, "/v1/webhooks", body.clone()).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{body}: {}", r.body);
        assert_eq!(r.param(), Some(param), "{body}: {}", r.body);
    }
    assert_eq!(app.get(&key, "/v1/webhooks").await.body["items"], json!([]));
}

#[tokio::test]
async fn an_endpoint_gets_events_only_after_answering_its_challenge() {
    let app = TestApp::spawn().await;
    let key = app.org(Plan::Pro).await;
    let rx = Receiver::start().await;
    rx.answer_challenges(false);
    let b = create(&app, &key, &rx.url(), json!(["project.created"])).await;
    let id = b["id"].as_str().unwrap();
    let secret = b["secret"].as_str().unwrap();

    // An event while pending is not sent.
    app.project(&key, "Backend engineer").await;
    let out = app.deliver().await;
    assert_eq!(out.len(), 1, "{out:?}");
    let challenge = rx.of_kind("webhook.verification");
    assert_eq!(challenge.len(), 1);
    assert!(challenge[0].signed_by(secret));
    assert_eq!(challenge[0].body["data"]["webhook_id"], id);
    assert!(
        challenge[0].body["data"]["challenge"]
            .as_str()
            .unwrap()
            .len()
            >= 32
    );
    // "ok" is not the challenge: still pending, retried on the schedule.
    assert!(
        matches!(out[0], DeliveryOutcome::Retrying { .. }),
        "{out:?}"
    );
    let w = app.get(&key, &format!("/v1/webhooks/{id}")).await;
    assert_eq!(w.body["status"], "pending_verification");
    assert!(rx.of_kind("project.created").is_empty());

    // The receiver learns to answer; the retry verifies it.
    rx.answer_challenges(true);
    app.clock.advance(Duration::seconds(2));
    app.deliver().await;
    let w = app.get(&key, &format!("/v1/webhooks/{id}")).await;
    assert_eq!(w.body["status"], "active", "{}", w.body);
    // The same challenge both times, under the same event id.
    let c = rx.of_kind("webhook.verification");
    assert_eq!(c.len(), 2);
    assert_eq!(c[0].id, c[1].id);
    assert_eq!(
        c[0].body["data"]["challenge"],
        c[1].body["data"]["challenge"]
    );

    app.project(&key, "Designer").await;
    app.deliver().await;
    let got = rx.of_kind("project.created");
    assert_eq!(got.len(), 1);
    assert_eq!(
        got[0].body["data"]["project_name"], "Designer",
        "{:?}",
        got[0].body
    );

    // Re-verification sends a fresh challenge; an endpoint that never answers stays
    // pending once the attempts are used up.
    rx.answer_challenges(false);
    let v = app
        .post(&key, &format!("/v1/webhooks/{id}/verify"), json!({}))
        .await;
    assert_eq!(v.status, StatusCode::OK, "{}", v.body);
    assert_eq!(v.body["status"], "pending_verification");
    for _ in 0..3 {
        app.deliver().await;
        app.clock.advance(Duration::seconds(3));
    }
    let c = rx.of_kind("webhook.verification");
    assert_eq!(c.len(), 5, "two earlier, three for the new challenge");
    assert_ne!(
        c[2].body["data"]["challenge"],
        c[1].body["data"]["challenge"]
    );
    let w = app.get(&key, &format!("/v1/webhooks/{id}")).await;
    assert_eq!(w.body["status"], "pending_verification");
    let ds = deliveries(&app, &key, id).await;
    let last = ds
        .body_items()
        .iter()
        .find(|d| d["payload"]["data"]["challenge"] == c[2].body["data"]["challenge"])
        .expect("the last challenge");
    assert_eq!(last["status"], "failed", "{ds}");
    assert_eq!(last["attempts"].as_array().unwrap().len(), 3);
}

trait Items {
    fn body_items(&self) -> &Vec<Value>;
}

impl Items for Value {
    fn body_items(&self) -> &Vec<Value> {
        self["items"].as_array().expect("items")
    }
}

#[tokio::test]
async fn events_are_signed_and_carry_the_results() {
    let app = TestApp::spawn().await;
    let key = app.org(Plan::Pro).await;
    let rx = Receiver::start().await;
    let (_, secret) = verified(
        &app,
        &key,
        &rx,
        json!([
            "project.created",
            "interview.completed",
            "report.ready",
            "candidate.scored"
        ]),
    )
    .await;

    let project = app.project(&key, "Backend engineer").await;
    let id = app
        .interview(&key, "cand_4f21", "backend", fixtures::strong())
        .await;
    app.run_jobs().await;
    let out = app.deliver().await;
    assert_eq!(out.len(), 4, "{out:?}");
    assert!(
        out.iter()
            .all(|o| matches!(o, DeliveryOutcome::Delivered { status: 200, .. }))
    );

    let now = app.clock.now().unix_timestamp();
    for r in rx.received() {
        assert!(r.signed_by(&secret), "{r:?}");
        assert!(!r.signed_by(&talentd_core::webhook::new_secret()));
        assert_eq!(r.timestamp, now);
        assert_eq!(r.body["id"], r.id.as_str(), "webhook-id is the event id");
        assert!(r.id.starts_with("evt_"));
        assert!(r.body["created_at"].is_string());
    }
    let p = &rx.of_kind("project.created")[0];
    assert_eq!(p.body["data"]["id"], project["id"]);
    let c = &rx.of_kind("interview.completed")[0];
    assert_eq!(c.body["data"]["id"], id.as_str());
    assert_eq!(c.body["data"]["status"], "completed");
    assert!(c.body["data"]["match"].is_number(), "{}", c.body);
    assert!(
        c.body["data"]["scores"]["leadership"].is_number(),
        "{}",
        c.body
    );
    assert!(
        c.body["data"]["report_url"]
            .as_str()
            .unwrap()
            .contains("/r/")
    );
    let s = &rx.of_kind("candidate.scored")[0];
    assert_eq!(s.body["data"]["candidate_id"], "cand_4f21");
    let r = &rx.of_kind("report.ready")[0];
    assert_eq!(r.body["data"]["report_url"], c.body["data"]["report_url"]);

    // Nothing is sent twice, and each event went to its subscriber only once.
    assert!(app.deliver().await.is_empty());
    let mut ids: Vec<_> = rx.received().iter().map(|r| r.id.clone()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), rx.received().len());

    // The same events from the event log.
    let log = app.get(&key, "/v1/events").await;
    assert_eq!(log.status, StatusCode::OK, "{}", log.body);
}

#[tokio::test]
async fn failures_are_retried_on_the_schedule_and_recorded() {
    let app = TestApp::spawn().await;
    let key = app.org(Plan::Pro).await;
    let rx = Receiver::start().await;
    let (id, _) = verified(&app, &key, &rx, json!(["project.created"])).await;

    // 500, then a redirect (a failure too), then 200.
    rx.script([fail(500), fail(302)]);
    app.project(&key, "Backend engineer").await;
    let first = app.deliver().await;
    let Some(DeliveryOutcome::Retrying { at, .. }) = first.first() else {
        panic!("{first:?}");
    };
    let now = talentd_core::timefmt::to_millis(app.clock.now());
    // The schedule says 1 s, with up to 10% jitter.
    assert!((now + 900..=now + 1100).contains(at), "{at} vs {now}");
    assert!(app.deliver().await.is_empty(), "not before its time");
    app.clock.advance(Duration::milliseconds(1100));
    assert!(matches!(
        app.deliver().await[..],
        [DeliveryOutcome::Retrying { .. }]
    ));
    app.clock.advance(Duration::milliseconds(2200));
    assert!(matches!(
        app.deliver().await[..],
        [DeliveryOutcome::Delivered { .. }]
    ));

    let ds = deliveries(&app, &key, &id).await;
    let d = ds
        .body_items()
        .iter()
        .find(|d| d["event_type"] == "project.created")
        .expect("delivery");
    assert_eq!(d["status"], "delivered");
    let attempts = d["attempts"].as_array().unwrap();
    let codes: Vec<_> = attempts.iter().map(|a| a["status_code"].clone()).collect();
    assert_eq!(codes, vec![json!(500), json!(302), json!(200)]);
    assert_eq!(attempts[0]["response"], "scripted answer");
    assert!(attempts[0]["latency_ms"].is_number());
    assert!(attempts[0]["error"].as_str().unwrap().contains("500"));
    assert_eq!(d["payload"]["type"], "project.created");
    // All three carried one event id.
    let sent = rx.of_kind("project.created");
    assert_eq!(sent.len(), 3);
    assert!(sent.iter().all(|r| r.id == sent[0].id));

    // Attempts used up: failed; a manual retry sends it once more.
    rx.script([fail(500), fail(500), fail(500)]);
    app.project(&key, "Designer").await;
    for _ in 0..3 {
        app.deliver().await;
        app.clock.advance(Duration::seconds(3));
    }
    let ds = deliveries(&app, &key, &id).await;
    let failed = ds
        .body_items()
        .iter()
        .find(|d| d["payload"]["data"]["project_name"] == "Designer")
        .expect("the delivery");
    assert_eq!(failed["status"], "failed", "{failed}");
    assert!(failed["next_attempt_at"].is_null());
    let dlv = failed["id"].as_str().unwrap();
    let r = app
        .post(
            &key,
            &format!("/v1/webhooks/{id}/deliveries/{dlv}/retry"),
            json!({}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(matches!(
        app.deliver().await[..],
        [DeliveryOutcome::Delivered { .. }]
    ));
    let missing = app
        .post(
            &key,
            &format!("/v1/webhooks/{id}/deliveries/dlv_nothing/retry"),
            json!({}),
        )
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn retry_after_is_honoured_and_410_disables_the_endpoint() {
    let app = TestApp::spawn().await;
    let key = app.org(Plan::Pro).await;
    let rx = Receiver::start().await;
    let (id, _) = verified(&app, &key, &rx, json!(["project.created"])).await;

    rx.script([Answer {
        status: 429,
        retry_after: Some("120"),
    }]);
    app.project(&key, "One").await;
    let out = app.deliver().await;
    let now = talentd_core::timefmt::to_millis(app.clock.now());
    assert!(
        matches!(out[..], [DeliveryOutcome::Retrying { at, .. }] if at == now + 120_000),
        "{out:?}"
    );
    app.clock.advance(Duration::seconds(60));
    assert!(app.deliver().await.is_empty());
    app.clock.advance(Duration::seconds(61));
    assert!(matches!(
        app.deliver().await[..],
        [DeliveryOutcome::Delivered { .. }]
    ));

    rx.script([fail(410)]);
    app.project(&key, "Two").await;
    app.project(&key, "Three").await;
    let out = app.deliver().await;
    assert!(matches!(out[0], DeliveryOutcome::Failed { .. }), "{out:?}");
    let w = app.get(&key, &format!("/v1/webhooks/{id}")).await;
    assert_eq!(w.body["status"], "disabled");
    assert!(w.body["disabled_reason"].as_str().unwrap().contains("410"));
    // The other pending delivery failed with it; nothing more is sent.
    assert!(app.deliver().await.is_empty());
    assert_eq!(rx.of_kind("project.created").len(), 3);
    // Enabled again (already verified): events flow.
    let p = app
        .patch(
            &key,
            &format!("/v1/webhooks/{id}"),
            json!({"enabled": true}),
        )
        .await;
    assert_eq!(p.body["status"], "active", "{}", p.body);
    app.project(&key, "Four").await;
    assert!(matches!(
        app.deliver().await[..],
        [DeliveryOutcome::Delivered { .. }]
    ));
}

#[tokio::test]
async fn an_endpoint_failing_for_five_days_is_disabled() {
    let app = TestApp::spawn().await;
    let key = app.org(Plan::Pro).await;
    let rx = Receiver::start().await;
    let (id, _) = verified(&app, &key, &rx, json!(["project.created"])).await;
    rx.script((0..20).map(|_| fail(503)));
    app.project(&key, "One").await;
    app.deliver().await;
    app.clock.advance(Duration::days(5));
    app.project(&key, "Two").await;
    app.deliver().await;
    let w = app.get(&key, &format!("/v1/webhooks/{id}")).await;
    assert_eq!(w.body["status"], "disabled", "{}", w.body);
    assert!(
        w.body["disabled_reason"]
            .as_str()
            .unwrap()
            .contains("5 days")
    );
}

#[tokio::test]
async fn a_rotated_secret_signs_beside_the_new_one_for_a_day() {
    let app = TestApp::spawn().await;
    let key = app.org(Plan::Pro).await;
    let rx = Receiver::start().await;
    let (id, old) = verified(&app, &key, &rx, json!(["project.created"])).await;
    let r = app
        .post(&key, &format!("/v1/webhooks/{id}/rotate-secret"), json!({}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let new = r.body["secret"].as_str().unwrap().to_owned();
    assert_ne!(new, old);

    app.project(&key, "One").await;
    app.deliver().await;
    let got = rx.of_kind("project.created");
    assert_eq!(got[0].signatures.len(), 2);
    assert!(got[0].signed_by(&old) && got[0].signed_by(&new));

    app.clock.advance(Duration::hours(25));
    app.project(&key, "Two").await;
    app.deliver().await;
    let got = rx.of_kind("project.created");
    assert_eq!(got[1].signatures.len(), 1);
    assert!(got[1].signed_by(&new) && !got[1].signed_by(&old));
}

#[tokio::test]
async fn test_events_and_the_verification_setting() {
    let app = TestApp::spawn().await;
    let key = app.org(Plan::Pro).await;
    let s = app.get(&key, "/v1/settings").await;
    assert_eq!(s.body["webhook_verification"], true, "{}", s.body);
    let s = app
        .patch(&key, "/v1/settings", json!({"webhook_verification": false}))
        .await;
    assert_eq!(s.body["webhook_verification"], false);

    // Without verification an endpoint is active at once and gets no challenge.
    let rx = Receiver::start().await;
    rx.answer_challenges(false);
    let b = create(&app, &key, &rx.url(), json!(["report.ready"])).await;
    assert_eq!(b["status"], "active");
    let id = b["id"].as_str().unwrap();
    let t = app
        .post(&key, &format!("/v1/webhooks/{id}/test"), json!({}))
        .await;
    assert_eq!(t.status, StatusCode::OK, "{}", t.body);
    assert!(matches!(
        app.deliver().await[..],
        [DeliveryOutcome::Delivered { .. }]
    ));
    let got = rx.received();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].kind(), "webhook.test");
    assert_eq!(got[0].id, t.body["event_id"].as_str().unwrap());
    assert!(got[0].signed_by(b["secret"].as_str().unwrap()));

    // A disabled endpoint takes no test.
    app.patch(
        &key,
        &format!("/v1/webhooks/{id}"),
        json!({"enabled": false}),
    )
    .await;
    let t = app
        .post(&key, &format!("/v1/webhooks/{id}/test"), json!({}))
        .await;
    assert_eq!(t.status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn a_failed_interview_is_reported_as_completed_with_its_error() {
    let app = TestApp::spawn().await;
    let key = app.org(Plan::Pro).await;
    let rx = Receiver::start().await;
    let (_, secret) = verified(&app, &key, &rx, json!(["interview.completed"])).await;
    let r = app
        .post(
            &key,
            "/v1/interviews",
            json!({"candidate_id": "cand_1", "vacancy_id": "v", "media_url": "http://169.254.169.254/latest/a.mp3"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    TestApp::run_jobs_of(&app.recording_worker(false)).await;
    app.deliver().await;
    let got = rx.of_kind("interview.completed");
    assert_eq!(got.len(), 1);
    assert!(got[0].signed_by(&secret));
    let data = &got[0].body["data"];
    assert_eq!(data["id"], r.body["id"]);
    assert_eq!(data["status"], "failed");
    assert_eq!(data["error"]["code"], "media_url_forbidden", "{data}");
}

#[tokio::test]
async fn the_openapi_document_describes_endpoints_and_every_event() {
    let app = TestApp::spawn().await;
    let doc = app
        .client
        .get(app.url("/v1/openapi.json"))
        .send()
        .await
        .unwrap();
    let doc: Value = doc.json().await.unwrap();
    for path in [
        "/v1/webhooks",
        "/v1/webhooks/{id}",
        "/v1/webhooks/{id}/rotate-secret",
        "/v1/webhooks/{id}/verify",
        "/v1/webhooks/{id}/test",
        "/v1/webhooks/{id}/deliveries",
        "/v1/webhooks/{id}/deliveries/{delivery_id}/retry",
        "/v1/settings",
    ] {
        assert!(doc["paths"][path].is_object(), "{path} missing");
    }
    assert!(doc["components"]["schemas"]["EventOut"].is_object());
    for kind in talentd_core::webhook::SUBSCRIBABLE
        .iter()
        .chain(&["webhook.test", "webhook.verification"])
    {
        let op = &doc["webhooks"][kind]["post"];
        let example = &op["requestBody"]["content"]["application/json"]["example"];
        assert_eq!(example["type"], *kind, "{op}");
        assert!(example["data"].is_object());
        assert!(
            op["description"]
                .as_str()
                .unwrap()
                .contains("webhook-signature")
        );
    }
}
