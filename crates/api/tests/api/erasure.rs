//! Candidate erasure: `DELETE /v1/candidates/{id}` hides the candidate at once and a
//! job purges everything about them; afterwards no table of the database (as the schema
//! lists them) and no recording store holds their id, their words or their interviews.
//! And the organisation's retention, which erases candidates the same way.

use crate::fixtures;
use crate::media::recordings;
use crate::support::{self, TestApp};
use crate::web::{PASSWORD, get_html, hidden, post_form_html as post_form};
use reqwest::StatusCode;
use serde_json::{Value, json};
use talentd_core::id::random_token;
use talentd_core::timefmt::parse;
use talentd_core::user::Role;
use talentd_core::{Clock, Plan};

/// The strong transcript with `phrase` said by the candidate.
fn transcript_saying(phrase: &str) -> Value {
    let mut t = fixtures::strong();
    let segments = t.as_array_mut().expect("segments");
    segments.push(
        json!({"speaker": "interviewer", "text": "Anything else?", "start": 113.0, "end": 115.0}),
    );
    segments.push(json!({"speaker": "candidate", "text": format!("Only that my team called me {phrase} after that launch."), "start": 115.5, "end": 121.0}));
    t
}

/// Uploads the test recording for `candidate`; returns the interview id.
async fn upload_recording(app: &TestApp, key: &str, candidate: &str) -> String {
    let form = reqwest::multipart::Form::new()
        .text("candidate_id", candidate.to_owned())
        .text("vacancy_id", "backend")
        .text("language", "en")
        .part(
            "media",
            reqwest::multipart::Part::bytes(std::fs::read(&recordings().m4a).unwrap())
                .file_name("call.m4a"),
        );
    let r = app
        .send(
            app.client
                .post(app.url("/v1/interviews"))
                .bearer_auth(key)
                .multipart(form),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.body["id"].as_str().unwrap().to_owned()
}

/// Every file under `dir`, recursively.
fn files_under(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(files_under(&p));
        } else {
            out.push(p);
        }
    }
    out
}

/// A dashboard user of `org` with `role`, signed in: the session cookie.
async fn signed_in(app: &TestApp, org: &talentd_core::OrgId, email: &str, role: Role) -> String {
    talentd_api::provision::create_user(&*app.store, &*app.clock, org, email, role, Some(PASSWORD))
        .await
        .unwrap();
    crate::web::session(app, email).await
}

/// A POST with an `Idempotency-Key`.
async fn post_once(app: &TestApp, key: &str, path: &str, idem: &str, body: Value) -> Value {
    let r = app
        .send(
            app.request(reqwest::Method::POST, key, path)
                .header("Idempotency-Key", idem)
                .json(&body),
        )
        .await;
    assert!(r.status.is_success(), "{path}: {} {}", r.status, r.body);
    r.body
}

#[tokio::test]
async fn an_erased_candidate_leaves_nothing_behind() {
    let app = TestApp::spawn().await;
    let (org, key) = app.org_and_key(Plan::Unlimited).await;
    let token = random_token(12);
    let candidate = format!("cand-erase-{token}");
    let name = format!("Zora Quill{token}");
    let email = format!("zora.{token}@example.test");
    let phrase = format!("the quiet lighthouse {token}");
    let keep = format!("cand-keep-{token}");

    // A webhook endpoint for the candidate's events, verified.
    let receiver = crate::receiver::Receiver::start().await;
    let hook = app
        .post(
            &key,
            "/v1/webhooks",
            json!({"url": receiver.url(),
                   "events": ["interview.completed", "report.ready", "candidate.scored"]}),
        )
        .await;
    assert!(hook.status.is_success(), "{}", hook.body);
    app.deliver().await;

    // A transcript interview (sent with an idempotency key), scored and announced.
    let accepted = post_once(
        &app,
        &key,
        "/v1/interviews",
        "erase-upload-1",
        json!({"candidate_id": candidate, "vacancy_id": "backend", "candidate_name": name,
               "candidate_email": email, "transcript": transcript_saying(&phrase)}),
    )
    .await;
    let spoken = accepted["id"].as_str().unwrap().to_owned();
    let kept = app
        .interview(&key, &keep, "backend", fixtures::strong())
        .await;
    assert_eq!(app.run_jobs().await, 2);
    let delivered = app.deliver().await;
    assert!(delivered.len() >= 6, "{delivered:?}");
    assert!(
        receiver
            .received()
            .iter()
            .any(|r| r.body.to_string().contains(&candidate))
    );

    // A recording, transcribed; its events are left undelivered.
    let recorded = upload_recording(&app, &key, &candidate).await;
    assert!(app.media_dir.join(format!("{recorded}.media")).is_file());
    TestApp::run_jobs_of(&app.recording_worker(false)).await;
    let r = app.get(&key, &format!("/v1/interviews/{recorded}")).await;
    assert_eq!(r.body["status"], "completed", "{}", r.body);

    // A recruiter's decision, made in the dashboard.
    let cookie = signed_in(
        &app,
        &org,
        &format!("rec.{token}@example.test"),
        Role::Recruiter,
    )
    .await;
    let page = format!("/dashboard/interviews/{spoken}");
    let (status, html) = get_html(&app, &cookie, &page).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(&phrase));
    assert!(html.contains("id=\"erase-candidate\""), "the delete button");
    let csrf = hidden(&html, "csrf");
    let (status, _) = post_form(
        &app,
        &cookie,
        &format!("{page}/decision"),
        &[
            ("csrf", &csrf),
            ("recommendation", "consider"),
            ("reason", &format!("Ask {name} about the lighthouse")),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);

    // A comparison with the other candidate, also with an idempotency key.
    post_once(
        &app,
        &key,
        "/v1/candidates/compare",
        "erase-compare-1",
        json!({"candidate_ids": [candidate, keep]}),
    )
    .await;

    // The voluntary demographics.
    let d = app
        .send(
            app.request(
                reqwest::Method::PUT,
                &key,
                &format!("/v1/candidates/{candidate}/demographics"),
            )
            .json(&json!({"sex": "female"})),
        )
        .await;
    assert_eq!(d.status, StatusCode::OK, "{}", d.body);

    let report = app
        .get(&key, &format!("/v1/interviews/{spoken}"))
        .await
        .body;
    let report_path = report["report_url"]
        .as_str()
        .unwrap()
        .replace(support::PUBLIC_URL, "");
    let report_token = report_path.rsplit('/').next().unwrap().to_owned();
    let recorded_token = app
        .get(&key, &format!("/v1/interviews/{recorded}"))
        .await
        .body["report_url"]
        .as_str()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .to_owned();
    let page = app.send(app.client.get(app.url(&report_path))).await;
    assert_eq!(page.status, StatusCode::OK);
    let needles = vec![
        candidate.clone(),
        name.clone(),
        email.clone(),
        phrase.clone(),
        spoken.clone(),
        recorded.clone(),
        // The interviews' ids without their prefix: their session ids (`ses_`) too.
        spoken["int_".len()..].to_owned(),
        recorded["int_".len()..].to_owned(),
        report_token.clone(),
        recorded_token,
    ];
    let before = talentd_store::testing::find_text(&app.database_url, &needles)
        .await
        .unwrap();
    for table in [
        "candidates.",
        "interviews.",
        "events.",
        "webhook_deliveries.",
        "recommendation_overrides.",
        "demographics.",
        "idempotency_keys.",
        "jobs.",
    ] {
        assert!(
            before.iter().any(|f| f.starts_with(table)),
            "the test must put the candidate in {table}: {before:#?}"
        );
    }

    // The erasure.
    let erased = app
        .delete(&key, &format!("/v1/candidates/{candidate}"))
        .await;
    assert_eq!(erased.status, StatusCode::ACCEPTED, "{}", erased.body);
    let receipt = &erased.body;
    assert_eq!(receipt["success"], true);
    assert_eq!(receipt["status"], "pending");
    let erasure = receipt["id"].as_str().unwrap().to_owned();
    assert!(erasure.starts_with("era_"), "{receipt}");
    let requested = parse(receipt["requested_at"].as_str().unwrap()).unwrap();
    let deadline = parse(receipt["purge_by"].as_str().unwrap()).unwrap();
    assert_eq!(deadline - requested, time::Duration::hours(24));
    assert!(receipt["completed_at"].is_null());
    assert_eq!(
        receipt["subject"],
        talentd_core::audit::candidate_pseudonym(&org, &candidate)
    );
    assert!(
        !receipt.to_string().contains(&candidate),
        "the receipt never names the candidate: {receipt}"
    );

    // At once, the candidate is gone from every read.
    for path in [
        format!("/v1/candidates/{candidate}"),
        format!("/v1/candidates/{candidate}/score"),
        format!("/v1/candidates/{candidate}/report"),
        format!("/v1/interviews/{spoken}"),
        format!("/v1/interviews/{recorded}"),
    ] {
        let r = app.get(&key, &path).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}: {}", r.body);
    }
    let page = app.send(app.client.get(app.url(&report_path))).await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    let (status, _) = get_html(&app, &cookie, &format!("/dashboard/interviews/{spoken}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    for path in ["/v1/interviews", "/v1/events?limit=100"] {
        let r = app.get(&key, path).await;
        assert_eq!(r.status, StatusCode::OK);
        let text = r.body.to_string();
        assert!(
            !text.contains(&candidate) && !text.contains(&spoken),
            "{path}: {text}"
        );
        assert!(text.contains(&keep), "{path} keeps the other candidate");
    }
    let compare = app
        .post(
            &key,
            "/v1/candidates/compare",
            json!({"candidate_ids": [candidate, keep]}),
        )
        .await;
    assert_eq!(compare.status, StatusCode::NOT_FOUND);
    let again = app
        .delete(&key, &format!("/v1/candidates/{candidate}"))
        .await;
    assert_eq!(again.status, StatusCode::NOT_FOUND, "{}", again.body);
    // The idempotent upload is not replayed: it would name an erased interview.
    let replay = app
        .send(
            app.request(reqwest::Method::POST, &key, "/v1/interviews")
                .header("Idempotency-Key", "erase-upload-1")
                .json(&json!({"candidate_id": candidate, "vacancy_id": "backend", "candidate_name": name,
                              "candidate_email": email, "transcript": transcript_saying(&phrase)})),
        )
        .await;
    assert_eq!(replay.status, StatusCode::CONFLICT, "{}", replay.body);
    assert!(replay.header("idempotent-replayed").is_none());
    // Nothing about the candidate is sent after the erasure.
    let heard = receiver.received().len();
    app.deliver().await;
    assert!(
        receiver.received()[heard..]
            .iter()
            .all(|r| !r.body.to_string().contains(&candidate)),
        "an undelivered event about the candidate was sent"
    );
    let pending = app.get(&key, &format!("/v1/erasures/{erasure}")).await;
    assert_eq!(pending.body["status"], "pending");

    // The purge.
    let purged = app.worker.run_once().await.unwrap();
    assert!(
        matches!(purged, Some(talentd_jobs::JobOutcome::Done(_))),
        "{purged:?}"
    );
    let done = app.get(&key, &format!("/v1/erasures/{erasure}")).await;
    assert_eq!(done.status, StatusCode::OK);
    assert_eq!(done.body["status"], "completed", "{}", done.body);
    assert!(done.body["completed_at"].is_string());
    let counts = &done.body["erased"];
    assert_eq!(counts["candidates"], 1, "{counts}");
    assert_eq!(counts["interviews"], 2, "{counts}");
    assert_eq!(counts["transcripts"], 2, "{counts}");
    assert_eq!(counts["reports"], 2, "{counts}");
    assert_eq!(counts["recordings"], 1, "{counts}");
    assert_eq!(counts["overrides"], 1, "{counts}");
    assert_eq!(counts["demographics"], 1, "{counts}");
    assert_eq!(counts["idempotency_keys"], 2, "{counts}");
    for kind in ["events", "webhook_deliveries", "webhook_attempts", "jobs"] {
        assert!(counts[kind].as_i64().unwrap_or(0) >= 2, "{kind}: {counts}");
    }

    // Nothing is left: in any table, any column, or the recordings' folder.
    // The audit log is append-only and names what each write touched: an interview's
    // id, a random id that no longer leads anywhere; candidates only by pseudonym.
    let kept_by_audit: Vec<String> = [&spoken, &recorded]
        .iter()
        .map(|i| format!("audit_events.target_id: {i}"))
        .collect();
    let after: Vec<String> = talentd_store::testing::find_text(&app.database_url, &needles)
        .await
        .unwrap()
        .into_iter()
        .filter(|f| !kept_by_audit.contains(f))
        .collect();
    assert!(after.is_empty(), "left behind: {after:#?}");
    let files = files_under(&app.media_dir);
    assert!(
        files.iter().all(|f| {
            let n = f.to_string_lossy();
            !n.contains(&recorded["int_".len()..]) && !n.ends_with(".media")
        }),
        "{files:?}"
    );
    assert!(!app.media_dir.join(format!("{recorded}.media")).exists());

    // The other candidate is untouched, and the id is free for a new candidate.
    assert_eq!(
        app.get(&key, &format!("/v1/candidates/{keep}"))
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        app.get(&key, &format!("/v1/interviews/{kept}"))
            .await
            .status,
        StatusCode::OK
    );
    let fresh = app
        .interview(&key, &candidate, "backend", fixtures::strong())
        .await;
    let c = app.get(&key, &format!("/v1/candidates/{candidate}")).await;
    assert_eq!(c.status, StatusCode::OK);
    assert_eq!(c.body["interviews"], 1);
    assert!(c.body["name"].is_null(), "nothing of the old candidate");
    assert_ne!(fresh, spoken);
}

#[tokio::test]
async fn another_organisation_can_neither_erase_nor_read_the_receipt() {
    let app = TestApp::spawn().await;
    let owner = app.org(Plan::Unlimited).await;
    let intruder = app.org(Plan::Unlimited).await;
    app.interview(&owner, "cand_1", "backend", fixtures::strong())
        .await;
    app.interview(&owner, "cand_2", "backend", fixtures::strong())
        .await;
    app.run_jobs().await;

    let r = app.delete(&intruder, "/v1/candidates/cand_1").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.error_code(), "not_found");
    assert_eq!(
        app.get(&owner, "/v1/candidates/cand_1").await.status,
        StatusCode::OK
    );
    let unknown = app.delete(&owner, "/v1/candidates/cand_never").await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);

    let receipt = app.delete(&owner, "/v1/candidates/cand_1").await;
    assert_eq!(receipt.status, StatusCode::ACCEPTED);
    let id = receipt.body["id"].as_str().unwrap();
    let theirs = app.get(&intruder, &format!("/v1/erasures/{id}")).await;
    assert_eq!(theirs.status, StatusCode::NOT_FOUND);
    assert_eq!(theirs.error_code(), "not_found");
    for bad in ["era_nothere", "cand_1", "int_x"] {
        let r = app.get(&owner, &format!("/v1/erasures/{bad}")).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{bad}");
    }
    let mine = app.get(&owner, &format!("/v1/erasures/{id}")).await;
    assert_eq!(mine.status, StatusCode::OK);
    // The audit log has the erasure, under the receipt's pseudonym.
    let log = app
        .get(&owner, "/v1/audit-events?action=candidates.delete")
        .await;
    assert_eq!(log.body["total"], 1, "{}", log.body);
    assert_eq!(log.body["items"][0]["target_id"], mine.body["subject"]);
    assert!(
        mine.body["requested_by"]
            .as_str()
            .unwrap()
            .starts_with("key_")
    );
    app.run_jobs().await;
    assert_eq!(
        app.get(&owner, "/v1/candidates/cand_2").await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_purge_cut_short_by_a_crash_is_finished_by_another_worker() {
    let app = TestApp::spawn().await;
    let key = app.org(Plan::Unlimited).await;
    let id = upload_recording(&app, &key, "cand_crash").await;
    app.interview(&key, "cand_crash", "backend", fixtures::strong())
        .await;

    // The process dies right after the request: the recording's analysis never ran,
    // and a worker of the next process picks up the purge (the analysis was cancelled).
    let receipt = app.delete(&key, "/v1/candidates/cand_crash").await;
    assert_eq!(receipt.status, StatusCode::ACCEPTED);
    let erasure = receipt.body["id"].as_str().unwrap().to_owned();
    let media = app.media_dir.join(format!("{id}.media"));
    assert!(media.is_file());

    // A first worker claims the purge, deletes the recording, and dies before the rows.
    let now = talentd_core::timefmt::to_millis(app.clock.now());
    let claimed = app
        .store
        .claim_job("worker_dead", now, 1_000)
        .await
        .unwrap()
        .expect("the purge is due");
    assert_eq!(claimed.kind, talentd_jobs::PURGE_CANDIDATE);
    std::fs::remove_file(&media).unwrap();
    std::fs::write(app.media_dir.join(format!("{id}.part")), b"half a copy").unwrap();
    app.clock.advance(time::Duration::seconds(2));

    let next = talentd_jobs::Worker::new(
        app.store.clone(),
        app.clock.clone(),
        talentd_jobs::Engines {
            analyzer: Some(support::analyzer()),
            whisper: None,
        },
        support::worker_config(app.media_dir.clone(), false),
    );
    let outcome = next.run_once().await.unwrap();
    assert!(
        matches!(outcome, Some(talentd_jobs::JobOutcome::Done(_))),
        "{outcome:?}"
    );
    assert!(next.run_once().await.unwrap().is_none(), "nothing else ran");
    let done = app.get(&key, &format!("/v1/erasures/{erasure}")).await;
    assert_eq!(done.body["status"], "completed", "{}", done.body);
    assert_eq!(done.body["erased"]["interviews"], 2);
    assert_eq!(done.body["erased"]["recordings"], 1);
    assert!(files_under(&app.media_dir).is_empty());

    // The dead worker's late ending is refused: the purge ends once.
    let late = app
        .store
        .purge_erasure(
            &talentd_core::ErasureId::parse(&erasure).unwrap(),
            &claimed.id,
            now,
        )
        .await;
    assert!(
        matches!(late, Err(talentd_store::StoreError::Conflict(_))),
        "{late:?}"
    );
    let found = talentd_store::testing::find_text(
        &app.database_url,
        &["cand_crash".to_owned(), id.clone()],
    )
    .await
    .unwrap();
    assert!(found.is_empty(), "{found:#?}");
}

#[tokio::test]
async fn with_a_bucket_the_recording_is_deleted_from_it() {
    let bucket = support::test_bucket();
    let for_app = bucket.clone();
    let app = TestApp::spawn_with(move |c| c.remote_media = Some(for_app)).await;
    let key = app.org(Plan::Unlimited).await;
    let id = upload_recording(&app, &key, "cand_s3").await;
    let object = talentd_media::MediaStore::name_of(&id);
    assert!(bucket.exists(&object).await.unwrap());

    let elsewhere = tempfile::tempdir().unwrap();
    let mut config = support::worker_config(elsewhere.path().to_owned(), false);
    config.remote_media = Some(bucket.clone());
    let worker = talentd_jobs::Worker::new(
        app.store.clone(),
        app.clock.clone(),
        talentd_jobs::Engines {
            analyzer: Some(support::analyzer()),
            whisper: None,
        },
        config,
    );
    // A worker's copy left behind by a transcription cut short.
    std::fs::write(elsewhere.path().join(format!("{id}.media")), b"copy").unwrap();
    let r = app.delete(&key, "/v1/candidates/cand_s3").await;
    assert_eq!(r.status, StatusCode::ACCEPTED);
    assert_eq!(
        TestApp::run_jobs_of(&worker).await,
        1,
        "only the purge runs"
    );
    assert!(
        !bucket.exists(&object).await.unwrap(),
        "gone from the bucket"
    );
    assert_eq!(
        bucket.purge_before(i64::MAX).await.unwrap(),
        0,
        "no recording left"
    );
    assert!(files_under(elsewhere.path()).is_empty());
    assert!(files_under(&app.media_dir).is_empty());
    let receipt = app
        .get(
            &key,
            &format!("/v1/erasures/{}", r.body["id"].as_str().unwrap()),
        )
        .await;
    assert_eq!(receipt.body["erased"]["recordings"], 1);
}

#[tokio::test]
async fn retention_erases_old_candidates_and_keeps_recent_ones() {
    let app = TestApp::spawn().await;
    let key = app.org(Plan::Unlimited).await;
    let other = app.org(Plan::Unlimited).await;

    for (body, param) in [
        (json!({"retention_days": 0}), "retention_days"),
        (json!({"retention_days": 3651}), "retention_days"),
        (json!({"retention_days": "30"}), "retention_days"),
        (json!({"retention_days": 1.5}), "retention_days"),
    ] {
        let r = app.patch(&key, "/v1/settings", body.clone()).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{body}: {}", r.body);
        assert_eq!(r.param(), Some(param), "{}", r.body);
    }
    let r = app.get(&key, "/v1/settings").await;
    assert!(r.body["retention_days"].is_null(), "{}", r.body);
    let r = app
        .patch(&key, "/v1/settings", json!({"retention_days": 30}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["retention_days"], 30);
    assert_eq!(
        app.get(&key, "/v1/settings").await.body["retention_days"],
        30
    );

    // Old: its newest interview 31 days ago. Recent: one 31 days ago and one 11 days
    // ago. The other organisation keeps everything.
    app.interview(&key, "cand_old", "backend", fixtures::strong())
        .await;
    app.interview(&key, "cand_recent", "backend", fixtures::strong())
        .await;
    app.interview(&other, "cand_theirs", "backend", fixtures::strong())
        .await;
    app.run_jobs().await;
    app.clock.advance(time::Duration::days(20));
    app.interview(&key, "cand_recent", "backend", fixtures::strong())
        .await;
    app.run_jobs().await;
    let sweep = talentd_jobs::RetentionSweep::new(app.store.clone(), app.clock.clone());
    assert!(
        sweep.run_once().await.unwrap().is_empty(),
        "none is 30 days old yet"
    );
    app.clock.advance(time::Duration::days(11));

    let receipts = sweep.run_once().await.unwrap();
    assert_eq!(receipts.len(), 1, "{receipts:?}");
    assert_eq!(receipts[0].requested_by, "system");
    assert_eq!(receipts[0].status, "pending");
    assert!(sweep.run_once().await.unwrap().is_empty(), "erased once");
    let log = app
        .get(&key, "/v1/audit-events?candidate_id=cand_old")
        .await;
    assert_eq!(log.status, StatusCode::OK, "{}", log.body);
    let entry = log.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["actor_type"] == "system")
        .cloned()
        .unwrap_or_else(|| panic!("the sweep's entry: {}", log.body));
    assert_eq!(entry["action"], "candidates.delete");
    assert_eq!(entry["target_id"], receipts[0].subject);
    assert_eq!(app.run_jobs().await, 1);
    let receipt = app
        .get(&key, &format!("/v1/erasures/{}", receipts[0].id))
        .await;
    assert_eq!(receipt.body["status"], "completed", "{}", receipt.body);
    assert_eq!(receipt.body["requested_by"], "system");
    assert_eq!(
        app.get(&key, "/v1/candidates/cand_old").await.status,
        StatusCode::NOT_FOUND
    );
    let recent = app.get(&key, "/v1/candidates/cand_recent").await;
    assert_eq!(recent.status, StatusCode::OK);
    assert_eq!(recent.body["interviews"], 2);
    assert_eq!(
        app.get(&other, "/v1/candidates/cand_theirs").await.status,
        StatusCode::OK
    );

    // Back to keeping candidates until they are deleted.
    let r = app
        .patch(&key, "/v1/settings", json!({"retention_days": null}))
        .await;
    assert!(r.body["retention_days"].is_null());
    app.clock.advance(time::Duration::days(400));
    assert!(sweep.run_once().await.unwrap().is_empty());
}

#[tokio::test]
async fn the_dashboard_deletes_a_candidate_after_confirmation_and_sets_the_retention() {
    let app = TestApp::spawn().await;
    let (org, key) = app.org_and_key(Plan::Unlimited).await;
    let id = app
        .interview(&key, "cand_dash", "backend", fixtures::strong())
        .await;
    app.run_jobs().await;
    let cookie = signed_in(&app, &org, "ana@example.com", Role::Admin).await;
    let (status, html) = get_html(&app, &cookie, &format!("/dashboard/interviews/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("Delete candidate&#39;s data") || html.contains("Delete candidate's data")
    );
    let csrf = hidden(&html, "csrf");
    let action = "/dashboard/candidates/cand_dash/delete";
    assert!(html.contains(action));

    // Not without the box ticked, nor with a forged form, nor for another organisation.
    let (status, _) = post_form(&app, &cookie, action, &[("csrf", &csrf)]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _) = post_form(
        &app,
        &cookie,
        action,
        &[("csrf", "forged"), ("confirm", "yes")],
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (other_org, _) = app.org_and_key(Plan::Pro).await;
    let eve = signed_in(&app, &other_org, "eve@other.example", Role::Admin).await;
    let (_, eve_html) = get_html(&app, &eve, "/dashboard/interviews").await;
    let eve_csrf = hidden(&eve_html, "csrf");
    let (status, _) = post_form(
        &app,
        &eve,
        action,
        &[("csrf", &eve_csrf), ("confirm", "yes")],
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(
        app.get(&key, "/v1/candidates/cand_dash").await.status,
        StatusCode::OK
    );

    let (status, html) = post_form(
        &app,
        &cookie,
        action,
        &[("csrf", &csrf), ("confirm", "yes")],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{html}");
    let receipt = html
        .split("id=\"receipt\">")
        .nth(1)
        .and_then(|s| s.split('<').next())
        .expect("the receipt id")
        .to_owned();
    assert!(receipt.starts_with("era_"));
    assert_eq!(
        app.get(&key, "/v1/candidates/cand_dash").await.status,
        StatusCode::NOT_FOUND
    );
    app.run_jobs().await;
    let r = app.get(&key, &format!("/v1/erasures/{receipt}")).await;
    assert_eq!(r.body["status"], "completed");
    assert!(r.body["requested_by"].as_str().unwrap().starts_with("usr_"));

    // The retention on the settings page.
    let (_, settings) = get_html(&app, &cookie, "/dashboard/settings").await;
    assert!(settings.contains("id=\"retention-days\""));
    let (status, _) = post_form(
        &app,
        &cookie,
        "/dashboard/settings/retention",
        &[("csrf", &csrf), ("retention_days", "0")],
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _) = post_form(
        &app,
        &cookie,
        "/dashboard/settings/retention",
        &[("csrf", &csrf), ("retention_days", "90")],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.get(&key, "/v1/settings").await.body["retention_days"],
        90
    );
    let (_, settings) = get_html(&app, &cookie, "/dashboard/settings").await;
    assert!(settings.contains("value=\"90\""));
}
