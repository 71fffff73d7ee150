//! Recordings end to end: a media_url fetched from a loopback server, or an upload,
//! decoded, transcribed, attributed and analysed; every failure ends `failed` with a
//! specific code; private addresses are refused unless allowed.

use crate::media::{FileServer, recordings};
use crate::support::{self, TestApp};
use reqwest::StatusCode;
use serde_json::{Value, json};
use talentd_core::Plan;

async fn submit_url(app: &TestApp, key: &str, url: &str) -> String {
    let r = app
        .post(
            key,
            "/v1/interviews",
            json!({"candidate_id": "cand_1", "vacancy_id": "backend", "media_url": url}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.body["id"].as_str().expect("id").to_owned()
}

async fn interview(app: &TestApp, key: &str, id: &str) -> Value {
    app.get(key, &format!("/v1/interviews/{id}?include=transcript"))
        .await
        .body
}

/// Runs the queue with a worker that transcribes; `allow_private` lets it reach loopback.
async fn process(app: &TestApp, allow_private: bool) {
    let worker = app.recording_worker(allow_private);
    TestApp::run_jobs_of(&worker).await;
}

/// What every analysed recording of the test interview shows.
fn assert_transcribed_and_scored(b: &Value) {
    assert_eq!(b["status"], "completed", "{b}");
    assert!(b["stage"].is_null(), "{b}");
    assert_eq!(b["progress"], 1.0);
    let speech = &b["speech"];
    assert_eq!(speech["model"], "whisper-tiny.en", "{speech}");
    assert_eq!(speech["language"], "en");
    let duration = speech["duration_secs"].as_f64().unwrap_or(0.0);
    assert!((40.0..120.0).contains(&duration), "{speech}");

    let segments = b["transcript"].as_array().expect("transcript");
    assert!(segments.len() >= 6, "{segments:?}");
    let mut last = 0.0;
    for s in segments {
        let (start, end) = (s["start"].as_f64().unwrap(), s["end"].as_f64().unwrap());
        assert!(start >= last - 0.5 && end > start, "{s}");
        last = start;
    }
    // The interviewer's questions are not the candidate's.
    for s in segments {
        let text = s["text"].as_str().unwrap().to_lowercase();
        if text.contains("how do you handle pressure") {
            assert_eq!(s["speaker"], "interviewer", "{s}");
        }
        if text.contains("production outage") {
            assert_eq!(s["speaker"], "candidate", "{s}");
        }
    }
    // Scored, with evidence quotes that carry their times in the recording.
    assert!(b["match"].as_f64().is_some(), "{}", b["analysis"]);
    let evidence: Vec<&Value> = b["analysis"]["skills"]
        .as_object()
        .expect("skills")
        .values()
        .flat_map(|s| s["evidence"].as_array().into_iter().flatten())
        .collect();
    assert!(!evidence.is_empty());
    assert!(
        evidence
            .iter()
            .all(|e| e["start"].as_f64().is_some() && e["end"].as_f64().is_some()),
        "{evidence:?}"
    );
}

#[tokio::test]
async fn a_media_url_is_fetched_transcribed_and_scored() {
    let rec = recordings();
    let files = FileServer::start(&rec.dir).await;
    let app = TestApp::spawn().await;
    let key = app.org(Plan::Unlimited).await;
    let id = submit_url(&app, &key, &files.url("/files/interview.mp3")).await;
    let before = interview(&app, &key, &id).await;
    assert_eq!(before["status"], "processing");
    assert_eq!(before["stage"], "queued");

    process(&app, true).await;
    let b = interview(&app, &key, &id).await;
    assert_transcribed_and_scored(&b);
    assert_eq!(files.hits(), 1, "fetched once");

    // The same interview as a video (h264 and AAC): the audio track is found.
    let id = submit_url(&app, &key, &files.url("/files/interview.mp4")).await;
    process(&app, true).await;
    assert_transcribed_and_scored(&interview(&app, &key, &id).await);
}

#[tokio::test]
async fn an_uploaded_recording_is_streamed_to_disk_and_scored() {
    let rec = recordings();
    let app = TestApp::spawn().await;
    let key = app.org(Plan::Unlimited).await;
    let bytes = std::fs::read(&rec.m4a).unwrap();
    let form = reqwest::multipart::Form::new()
        .text("candidate_id", "cand_up")
        .text("vacancy_id", "backend")
        .text("language", "en")
        .part(
            "media",
            reqwest::multipart::Part::bytes(bytes).file_name("call.m4a"),
        );
    let r = app
        .send(
            app.client
                .post(app.url("/v1/interviews"))
                .bearer_auth(&key)
                .multipart(form),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let id = r.body["id"].as_str().unwrap().to_owned();
    assert!(
        app.media_dir.join(format!("{id}.media")).is_file(),
        "kept on disk for the worker"
    );
    process(&app, false).await;
    assert_transcribed_and_scored(&interview(&app, &key, &id).await);
}

#[tokio::test]
async fn uploads_that_are_not_recordings_are_refused_and_leave_nothing() {
    let app = TestApp::spawn().await;
    let key = app.org(Plan::Unlimited).await;
    let cases: Vec<(reqwest::multipart::Form, &str, &str)> = vec![
        (
            reqwest::multipart::Form::new()
                .text("candidate_id", "c")
                .text("vacancy_id", "v")
                .part(
                    "media",
                    reqwest::multipart::Part::bytes(b"<html>hello</html>".to_vec())
                        .file_name("x.mp3"),
                ),
            "unsupported_media",
            "media",
        ),
        (
            reqwest::multipart::Form::new()
                .text("candidate_id", "c")
                .text("vacancy_id", "v")
                .part(
                    "media",
                    reqwest::multipart::Part::bytes(Vec::new()).file_name("x.mp3"),
                ),
            "media_empty",
            "media",
        ),
        (
            reqwest::multipart::Form::new()
                .text("candidate_id", "c")
                .text("vacancy_id", "v")
                .text("candidate_channel", "middle")
                .text("media_url", "https://cdn.example.com/a.mp3"),
            "invalid_request",
            "candidate_channel",
        ),
    ];
    for (form, code, param) in cases {
        let r = app
            .send(
                app.client
                    .post(app.url("/v1/interviews"))
                    .bearer_auth(&key)
                    .multipart(form),
            )
            .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
        assert_eq!(r.error_code(), code, "{}", r.body);
        assert_eq!(r.param(), Some(param), "{}", r.body);
    }
    let left = std::fs::read_dir(&app.media_dir)
        .map(|d| d.count())
        .unwrap_or(0);
    assert_eq!(left, 0, "refused uploads leave no file");
    assert_eq!(app.get(&key, "/v1/interviews").await.body["total"], 0);
}

#[tokio::test]
async fn recording_options_are_checked() {
    let app = TestApp::spawn().await;
    let key = app.org(Plan::Unlimited).await;
    let url = "https://cdn.example.com/a.mp3";
    let cases = [
        (
            json!({"candidate_id": "c", "vacancy_id": "v", "media_url": url, "candidate_channel": 3}),
            "candidate_channel",
        ),
        (
            json!({"candidate_id": "c", "vacancy_id": "v", "media_url": url, "interviewer_segments": [[5, 2]]}),
            "interviewer_segments[0]",
        ),
        (
            json!({"candidate_id": "c", "vacancy_id": "v", "media_url": url, "interviewer_segments": "all"}),
            "interviewer_segments",
        ),
        (
            json!({"candidate_id": "c", "vacancy_id": "v", "media_url": url, "language": "english!"}),
            "language",
        ),
        (
            json!({"candidate_id": "c", "vacancy_id": "v", "transcript": "Candidate: hello", "language": "en"}),
            "language",
        ),
    ];
    for (body, param) in cases {
        let r = app.post(&key, "/v1/interviews", body).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
        assert_eq!(r.param(), Some(param), "{}", r.body);
    }
    let ok = app
        .post(
            &key,
            "/v1/interviews",
            json!({"candidate_id": "c", "vacancy_id": "v", "media_url": url, "candidate_channel": "right",
                   "interviewer_segments": [[0, 4.5], {"start": 30, "end": 33}], "language": "EN"}),
        )
        .await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
}

#[tokio::test]
async fn bad_media_ends_failed_with_a_specific_code() {
    let rec = recordings();
    let dir = tempfile::tempdir().unwrap();
    // A truncated recording: the first tenth of the mp3, under a misleading name.
    let mp3 = std::fs::read(&rec.mp3).unwrap();
    std::fs::write(dir.path().join("cut.mp3"), &mp3[..mp3.len() / 10]).unwrap();
    std::fs::write(dir.path().join("photo.mp3"), b"\x89PNG\r\n\x1a\n0000").unwrap();
    let files = FileServer::start(dir.path()).await;
    let app = TestApp::spawn().await;
    let key = app.org(Plan::Unlimited).await;
    let cases = [
        (files.url("/files/missing.mp3"), "media_not_found"),
        (files.url("/page.html"), "unsupported_media"),
        (files.url("/files/photo.mp3"), "unsupported_media"),
        (files.url("/empty.mp3"), "media_empty"),
    ];
    let mut ids = Vec::new();
    for (url, code) in &cases {
        ids.push((submit_url(&app, &key, url).await, *code));
    }
    process(&app, true).await;
    for (id, code) in ids {
        let b = interview(&app, &key, &id).await;
        assert_eq!(b["status"], "failed", "{b}");
        assert_eq!(b["error"]["code"], code, "{b}");
        assert!(b["match"].is_null());
        assert!(
            b["error"]["message"]
                .as_str()
                .is_some_and(|m| !m.is_empty())
        );
    }
    // Too short once cut: no speech or too little to score, never a crash.
    let id = submit_url(&app, &key, &files.url("/files/cut.mp3")).await;
    process(&app, true).await;
    let b = interview(&app, &key, &id).await;
    match b["status"].as_str() {
        Some("failed") => assert!(b["error"]["code"].is_string(), "{b}"),
        Some("completed") => assert!(b["match"].is_null(), "{b}"),
        other => panic!("{other:?}: {b}"),
    }
}

/// Too large a download and a server that stops sending end `failed` with their own
/// codes; the stalled one after its retries, never hanging the worker.
#[tokio::test]
async fn too_large_and_too_slow_downloads_fail_clearly() {
    let rec = recordings();
    let files = FileServer::start(&rec.dir).await;
    let app = TestApp::spawn().await;
    let key = app.org(Plan::Unlimited).await;
    let mut config = support::worker_config(app.media_dir.clone(), true);
    config.fetch.max_bytes = 64 * 1024;
    config.fetch.read_timeout = std::time::Duration::from_millis(300);
    let worker = talentd_jobs::Worker::new(
        app.store.clone(),
        app.clock.clone(),
        talentd_jobs::Engines {
            analyzer: Some(support::analyzer()),
            whisper: Some(support::whisper()),
        },
        config,
    );

    let big = submit_url(&app, &key, &files.url("/files/interview.mp3")).await;
    let slow = submit_url(&app, &key, &files.url("/stall.mp3")).await;
    let mut retries = 0;
    while let Some(outcome) = worker.run_once().await.expect("worker") {
        if let talentd_jobs::JobOutcome::Retrying { .. } = outcome {
            retries += 1;
            // The next attempt is due after its backoff.
            app.clock.advance(time::Duration::hours(1));
        }
    }
    assert!(retries >= 1, "a timeout is retried before it is final");
    let b = interview(&app, &key, &big).await;
    assert_eq!(b["status"], "failed", "{b}");
    assert_eq!(b["error"]["code"], "media_too_large", "{b}");
    let b = interview(&app, &key, &slow).await;
    assert_eq!(b["status"], "failed", "{b}");
    assert_eq!(b["error"]["code"], "media_timeout", "{b}");
    // No partial download is left behind.
    let left: Vec<_> = std::fs::read_dir(&app.media_dir)
        .map(|d| d.filter_map(Result::ok).map(|e| e.file_name()).collect())
        .unwrap_or_default();
    assert!(left.is_empty(), "{left:?}");
}

#[tokio::test]
async fn private_addresses_are_refused_unless_allowed() {
    let rec = recordings();
    let files = FileServer::start(&rec.dir).await;
    let app = TestApp::spawn().await;
    let key = app.org(Plan::Unlimited).await;
    let port = files.addr.port();
    let urls = [
        files.url("/files/interview.mp3"),
        format!("http://localhost:{port}/files/interview.mp3"),
        format!("http://[::ffff:127.0.0.1]:{port}/files/interview.mp3"),
        "http://10.0.0.1/interview.mp3".to_owned(),
        "http://169.254.169.254/latest/meta-data/".to_owned(),
        "http://[::1]/a.mp3".to_owned(),
        files.url("/moved.mp3"),
    ];
    let mut ids = Vec::new();
    for url in &urls {
        ids.push(submit_url(&app, &key, url).await);
    }
    process(&app, false).await;
    for (id, url) in ids.iter().zip(&urls) {
        let b = interview(&app, &key, id).await;
        assert_eq!(b["status"], "failed", "{url}: {b}");
        assert_eq!(b["error"]["code"], "media_url_forbidden", "{url}: {b}");
    }
    assert_eq!(files.hits(), 0, "no request reached the loopback server");
}

#[tokio::test]
async fn with_a_bucket_an_upload_is_transcribed_by_a_worker_on_another_machine() {
    let rec = recordings();
    let bucket = support::test_bucket();
    let for_app = bucket.clone();
    let app = TestApp::spawn_with(move |c| c.remote_media = Some(for_app)).await;
    let key = app.org(Plan::Unlimited).await;
    let form = reqwest::multipart::Form::new()
        .text("candidate_id", "cand_s3")
        .text("vacancy_id", "backend")
        .text("language", "en")
        .part(
            "media",
            reqwest::multipart::Part::bytes(std::fs::read(&rec.m4a).unwrap()).file_name("call.m4a"),
        );
    let r = app
        .send(
            app.client
                .post(app.url("/v1/interviews"))
                .bearer_auth(&key)
                .multipart(form),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let id = r.body["id"].as_str().unwrap().to_owned();
    let object = talentd_media::MediaStore::name_of(&id);
    // In the bucket before the job could run; nothing left on the API machine.
    assert!(
        bucket.exists(&object).await.unwrap(),
        "uploaded to the bucket"
    );
    let staged = std::fs::read_dir(&app.media_dir)
        .map(|d| d.count())
        .unwrap_or(0);
    assert_eq!(staged, 0, "no local copy on the API machine");

    // A worker with a folder of its own, as on another machine.
    let elsewhere = tempfile::tempdir().unwrap();
    let mut config = support::worker_config(elsewhere.path().to_owned(), false);
    config.remote_media = Some(bucket.clone());
    let worker = talentd_jobs::Worker::new(
        app.store.clone(),
        app.clock.clone(),
        talentd_jobs::Engines {
            analyzer: Some(support::analyzer()),
            whisper: Some(support::whisper()),
        },
        config,
    );
    assert_eq!(TestApp::run_jobs_of(&worker).await, 1);
    assert_transcribed_and_scored(&interview(&app, &key, &id).await);
    // The worker's copy is dropped; the bucket keeps the recording for its retention.
    let left = std::fs::read_dir(elsewhere.path())
        .map(|d| d.count())
        .unwrap_or(0);
    assert_eq!(left, 0, "the worker's working copy is gone");
    assert!(bucket.exists(&object).await.unwrap());
    assert_eq!(bucket.purge_before(i64::MAX).await.unwrap(), 1);
    // Speech-to-text speed is in the metrics.
    let metrics = crate::metrics::scrape(&app).await;
    assert!(
        metrics.contains("talentd_stt_real_time_factor_bucket{model=\"whisper-tiny.en\""),
        "{metrics}"
    );
}

#[tokio::test]
async fn a_bucket_that_refuses_the_recording_gets_503_and_nothing_is_queued() {
    let rec = recordings();
    // The test server has no such bucket: every upload fails.
    let missing = support::bucket_named("talentd-no-such-bucket");
    let app = TestApp::spawn_with(move |c| c.remote_media = Some(missing)).await;
    let key = app.org(Plan::Unlimited).await;
    let form = reqwest::multipart::Form::new()
        .text("candidate_id", "cand_lost")
        .text("vacancy_id", "backend")
        .part(
            "media",
            reqwest::multipart::Part::bytes(std::fs::read(&rec.m4a).unwrap()).file_name("call.m4a"),
        );
    let r = app
        .send(
            app.client
                .post(app.url("/v1/interviews"))
                .bearer_auth(&key)
                .multipart(form),
        )
        .await;
    assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE, "{}", r.body);
    assert_eq!(r.error_code(), "media_storage_unavailable");
    assert_eq!(app.get(&key, "/v1/interviews").await.body["total"], 0);
    assert_eq!(app.run_jobs().await, 0, "nothing queued");
    let staged = std::fs::read_dir(&app.media_dir)
        .map(|d| d.count())
        .unwrap_or(0);
    assert_eq!(staged, 0, "the staged upload is removed");
}
