//! The store on a real database (SQLite, or PostgreSQL with `TALENTD_TEST_DATABASE_URL`):
//! the parts whose guarantees come from the database itself.

use std::sync::Arc;
use talentd_core::event::{Event, EventType};
use talentd_core::project::{ProjectStatus, default_weights};
use talentd_core::{OrgId, ProjectId};
use talentd_store::{IdempotencyBegin, ProjectRow, Store};

async fn store() -> (Arc<dyn Store>, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let (store, _) = talentd_store::testing::fresh_store(dir.path()).await;
    (store, dir)
}

async fn org(store: &dyn Store) -> OrgId {
    talentd_store::testing::new_org(store).await
}

#[tokio::test]
async fn migrations_run_once_and_are_idempotent() {
    let (store, _dir) = store().await;
    store.migrate().await.unwrap();
    store.ping().await.unwrap();
    assert_eq!(store.count_orgs().await.unwrap(), 0);
}

#[tokio::test]
async fn concurrent_claims_of_one_idempotency_key_start_exactly_one_request() {
    let (store, _dir) = store().await;
    let org = org(&*store).await;
    let tasks: Vec<_> = (0..8)
        .map(|_| {
            let store = store.clone();
            let org = org.clone();
            tokio::spawn(async move {
                store
                    .idempotency_begin(&org, "k1", "h", 1_000)
                    .await
                    .unwrap()
            })
        })
        .collect();
    let mut started = 0;
    for t in tasks {
        match t.await.unwrap() {
            IdempotencyBegin::Started => started += 1,
            IdempotencyBegin::InFlight => {}
            other => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!(started, 1);
    store
        .idempotency_complete(&org, "k1", 201, "{\"ok\":true}")
        .await
        .unwrap();
    assert_eq!(
        store
            .idempotency_begin(&org, "k1", "h", 2_000)
            .await
            .unwrap(),
        IdempotencyBegin::Replay {
            status: 201,
            body: "{\"ok\":true}".into()
        }
    );
    assert_eq!(
        store
            .idempotency_purge(1_000 + 24 * 3600 * 1000)
            .await
            .unwrap(),
        1
    );
}

#[tokio::test]
async fn a_project_and_its_event_are_written_together_or_not_at_all() {
    let (store, _dir) = store().await;
    let org = org(&*store).await;
    let project = ProjectRow {
        id: ProjectId::generate(),
        org_id: org.clone(),
        name: "P".into(),
        instructions: "I".into(),
        template_id: None,
        company_name: None,
        status: ProjectStatus::Active,
        link_token: "tok1".into(),
        expires_at: None,
        max_sessions: None,
        competency_weights: default_weights(),
        created_at: 1,
        updated_at: 1,
    };
    let event = Event::new(
        org.clone(),
        EventType::ProjectCreated,
        serde_json::json!({}),
        1,
    );
    store.create_project(&project, &event).await.unwrap();

    // Same event id again: the insert of the event fails, so the second project must
    // not exist either.
    let mut second = project.clone();
    second.id = ProjectId::generate();
    second.link_token = "tok2".into();
    assert!(store.create_project(&second, &event).await.is_err());
    assert!(store.get_project(&org, &second.id).await.unwrap().is_none());
    let page = store.list_events(&org, None, 10, 0).await.unwrap();
    assert_eq!(page.total, 1);
}

fn job(subject: &str, run_at: i64) -> talentd_store::NewJob {
    talentd_store::NewJob {
        id: talentd_core::JobId::generate(),
        kind: "test".into(),
        org_id: None,
        subject_id: subject.into(),
        max_attempts: 3,
        run_at,
    }
}

/// An interview of candidate `c` submitted at `at`, with its job.
fn new_interview(
    org: &OrgId,
    id: talentd_core::InterviewId,
    job: talentd_store::NewJob,
    at: i64,
    media_url: Option<&str>,
) -> talentd_store::NewInterview {
    use talentd_core::interview::{InterviewSource, InterviewStatus};
    talentd_store::NewInterview {
        candidate: talentd_store::CandidateRow {
            org_id: org.clone(),
            id: "c".into(),
            name: None,
            email: None,
            position: None,
            created_at: at,
            updated_at: at,
        },
        vacancy: None,
        job,
        events: Vec::new(),
        interview: talentd_store::InterviewRow {
            report_token: format!("token_{id}"),
            id,
            org_id: org.clone(),
            candidate_id: "c".into(),
            vacancy_id: "v".into(),
            project_id: None,
            source: InterviewSource::Upload,
            status: InterviewStatus::Processing,
            media_url: media_url.map(str::to_owned),
            transcript: None,
            analysis: None,
            match_score: None,
            error_code: None,
            error_message: None,
            created_at: at,
            updated_at: at,
            completed_at: None,
            stage: None,
            progress: 0.0,
            media: None,
            speech: None,
        },
    }
}

#[tokio::test]
async fn each_job_is_claimed_by_exactly_one_worker() {
    let (store, _dir) = store().await;
    for i in 0..20 {
        store.enqueue_job(&job(&format!("s{i}"), 0)).await.unwrap();
    }
    let tasks: Vec<_> = (0..4)
        .map(|w| {
            let store = store.clone();
            tokio::spawn(async move {
                let mut got = Vec::new();
                while let Some(j) = store.claim_job(&format!("w{w}"), 10, 60_000).await.unwrap() {
                    got.push(j.subject_id);
                }
                got
            })
        })
        .collect();
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await.unwrap());
    }
    all.sort();
    let before = all.len();
    all.dedup();
    assert_eq!(before, 20, "every job claimed once");
    assert_eq!(all.len(), 20, "no job claimed twice");
}

#[tokio::test]
async fn a_lost_lease_lets_another_worker_take_the_job() {
    let (store, _dir) = store().await;
    store.enqueue_job(&job("s", 100)).await.unwrap();
    assert!(
        store.claim_job("w1", 99, 1_000).await.unwrap().is_none(),
        "not due yet"
    );
    let first = store.claim_job("w1", 100, 1_000).await.unwrap().unwrap();
    assert_eq!(first.attempts, 1);
    assert!(
        store.claim_job("w2", 500, 1_000).await.unwrap().is_none(),
        "leased"
    );
    assert!(store.heartbeat_job(&first.id, "w1", 2_000).await.unwrap());
    assert!(
        store.claim_job("w2", 1_500, 1_000).await.unwrap().is_none(),
        "lease extended"
    );
    let second = store.claim_job("w2", 2_000, 1_000).await.unwrap().unwrap();
    assert_eq!(second.id, first.id);
    assert_eq!(second.attempts, 2);
    assert!(
        !store.heartbeat_job(&first.id, "w1", 9_000).await.unwrap(),
        "w1 lost it"
    );
    store
        .retry_job(&second.id, 5_000, "boom", 2_100)
        .await
        .unwrap();
    assert!(
        store.claim_job("w3", 4_999, 1_000).await.unwrap().is_none(),
        "backoff"
    );
    let third = store.claim_job("w3", 5_000, 1_000).await.unwrap().unwrap();
    assert_eq!(third.last_error.as_deref(), Some("boom"));
    assert_eq!(store.queue_depth().await.unwrap().running, 1);
}

/// Regression: sqlx's Any driver declares a NULL f64 parameter as FLOAT4 on PostgreSQL,
/// and the cached statement then refuses the next non-NULL f64.
#[tokio::test]
async fn null_and_real_scores_alternate_on_the_same_statements() {
    use talentd_store::{CultureRow, InterviewResult};
    let (store, _dir) = store().await;
    let org = org(&*store).await;
    for i in 0..24 {
        let id = talentd_core::InterviewId::generate();
        let job = job("s", 0);
        let job_id = job.id.clone();
        store
            .create_interview(&new_interview(
                &org,
                id.clone(),
                job,
                i,
                Some("https://x.test/a.mp4"),
            ))
            .await
            .unwrap();
        let claimed = store
            .claim_job("w", 100 + i, 60_000)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(claimed.id, job_id);
        // NULLs first, on every pooled connection, then real values: the order in which a
        // NULL declared with the wrong type poisons each connection's cached statement.
        let score = (i >= 12).then_some(0.5 + i as f64 / 100.0);
        store
            .complete_interview(&InterviewResult {
                interview_id: id.clone(),
                analysis: serde_json::json!({}),
                match_score: score,
                events: Vec::new(),
                job_id,
                now: 100 + i,
            })
            .await
            .unwrap();
        let got = store.get_interview(&org, &id).await.unwrap().unwrap();
        assert_eq!(got.match_score, score);

        let profile = CultureRow {
            org_id: org.clone(),
            values: vec![5.0; 54],
            sorts: Vec::new(),
            raters: 1,
            agreement: (i >= 12).then_some(0.25),
            updated_at: i,
        };
        store.put_culture_profile(&profile).await.unwrap();
        assert_eq!(
            store
                .get_culture_profile(&org)
                .await
                .unwrap()
                .unwrap()
                .agreement,
            profile.agreement
        );
    }
}

fn webhook(org: &OrgId, status: &str, events: &[&str]) -> talentd_store::WebhookRow {
    talentd_store::WebhookRow {
        id: talentd_core::WebhookId::generate(),
        org_id: org.clone(),
        url: "https://hooks.example.com/x".into(),
        events: events.iter().map(|e| e.to_string()).collect(),
        secret: talentd_core::webhook::new_secret(),
        old_secret: None,
        old_secret_until: None,
        status: status.into(),
        disabled_reason: None,
        challenge: None,
        verify_until: None,
        failing_since: None,
        created_at: 1,
        updated_at: 1,
    }
}

/// Deliveries are queued in the transaction of the event, for active subscribers only,
/// and each is claimed by exactly one of several deliverers.
#[tokio::test]
async fn events_fan_out_to_subscribers_atomically_and_are_claimed_once() {
    let (store, _dir) = store().await;
    let org = org(&*store).await;
    let subscribed = webhook(&org, "active", &["project.created"]);
    let other_type = webhook(&org, "active", &["report.ready"]);
    let pending = webhook(&org, "pending_verification", &["project.created"]);
    for w in [&subscribed, &other_type, &pending] {
        store.create_webhook(w, None).await.unwrap();
    }
    let mut events = Vec::new();
    for i in 0..20 {
        let e = Event::new(
            org.clone(),
            EventType::ProjectCreated,
            serde_json::json!({"n": i}),
            10,
        );
        store.record_event(&e).await.unwrap();
        events.push(e);
    }
    // The same event again fails, and queues nothing.
    assert!(store.record_event(&events[0]).await.is_err());

    let tasks: Vec<_> = (0..4)
        .map(|w| {
            let store = store.clone();
            tokio::spawn(async move {
                let mut got = Vec::new();
                while let Some((d, hook)) = store
                    .claim_delivery(&format!("d{w}"), 10, 60_000)
                    .await
                    .unwrap()
                {
                    got.push((d.event_id, hook.id));
                }
                got
            })
        })
        .collect();
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await.unwrap());
    }
    assert!(all.iter().all(|(_, hook)| *hook == subscribed.id));
    let mut ids: Vec<String> = all.into_iter().map(|(e, _)| e).collect();
    ids.sort();
    let claimed = ids.len();
    ids.dedup();
    assert_eq!(claimed, 20, "one delivery per event, each claimed once");
    assert_eq!(ids.len(), 20);
    let page = store
        .list_deliveries(&org, &subscribed.id, 100, 0)
        .await
        .unwrap();
    assert_eq!(page.total, 20);
    assert!(
        page.items[0]
            .0
            .payload
            .contains("\"type\":\"project.created\"")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn rate_counters_are_exact_under_concurrency_and_reset_with_the_window() {
    use talentd_core::plan::Quota;
    static QUOTAS: [Quota; 2] = [Quota::new("minute", 25, 60), Quota::new("hour", 40, 3600)];
    let (store, _dir) = store().await;
    let t = 1_781_341_200; // on an hour boundary
    // 60 requests at once, as if from many replicas: exactly the minute's 25 pass.
    let hits = (0..60).map(|_| {
        let store = store.clone();
        tokio::spawn(async move { store.rate_hit("org_x", &QUOTAS, t + 5).await.unwrap() })
    });
    let mut allowed = 0;
    for h in hits {
        allowed += u64::from(h.await.unwrap().allowed);
    }
    assert_eq!(allowed, 25);
    // Another subject has its own counts.
    assert!(
        store
            .rate_hit("org_y", &QUOTAS, t + 5)
            .await
            .unwrap()
            .allowed
    );
    // The next minute resets the minute but not the hour: 15 of the hour's 40 are left.
    let mut next = 0;
    for _ in 0..30 {
        next += u64::from(
            store
                .rate_hit("org_x", &QUOTAS, t + 65)
                .await
                .unwrap()
                .allowed,
        );
    }
    assert_eq!(next, 15);
    let refused = store.rate_hit("org_x", &QUOTAS, t + 70).await.unwrap();
    assert!(!refused.allowed);
    assert_eq!(refused.retry_after_secs(), Some(3600 - 70));
    // Windows that began before the cut are purged; later ones stay.
    assert_eq!(store.rate_purge(t + 1).await.unwrap(), 3);
    assert_eq!(store.rate_purge(t + 61).await.unwrap(), 1);
}

#[tokio::test]
async fn a_job_whose_lease_was_lost_is_ended_once() {
    use talentd_core::event::{Event, EventType};
    use talentd_store::InterviewResult;
    let (store, _dir) = store().await;
    let org = org(&*store).await;
    let id = talentd_core::InterviewId::generate();
    let job = job(id.as_str(), 0);
    let job_id = job.id.clone();
    store
        .create_interview(&new_interview(&org, id.clone(), job, 0, None))
        .await
        .unwrap();
    // Worker A claims; its lease runs out while it still works; B takes the job.
    assert!(store.claim_job("a", 10, 1_000).await.unwrap().is_some());
    assert!(store.claim_job("b", 2_000, 60_000).await.unwrap().is_some());
    let result = |now| InterviewResult {
        interview_id: id.clone(),
        analysis: serde_json::json!({"by": now}),
        match_score: Some(0.7),
        events: vec![Event::new(
            org.clone(),
            EventType::InterviewCompleted,
            serde_json::json!({"id": id}),
            now,
        )],
        job_id: job_id.clone(),
        now,
    };
    // Whichever ends it first wins; the other's result and event are not written.
    store.complete_interview(&result(3_000)).await.unwrap();
    match store.complete_interview(&result(4_000)).await {
        Err(talentd_store::StoreError::Conflict(talentd_store::JOB_NOT_HELD)) => {}
        other => panic!("a second ending must conflict: {other:?}"),
    }
    // A late retry of the loser does not queue the finished job again.
    store
        .retry_job(&job_id, 5_000, "late", 5_000)
        .await
        .unwrap();
    assert_eq!(
        store.get_job(&job_id).await.unwrap().unwrap().status,
        "done"
    );
    let got = store.get_interview(&org, &id).await.unwrap().unwrap();
    assert_eq!(got.analysis, Some(serde_json::json!({"by": 3_000})));
    let events = store.list_events(&org, None, 100, 0).await.unwrap();
    assert_eq!(events.total, 1, "one completion event");
}
