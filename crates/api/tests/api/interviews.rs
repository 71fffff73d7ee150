use crate::fixtures;
use crate::support::{PUBLIC_URL, TestApp};
use reqwest::StatusCode;
use serde_json::json;
use talentd_core::Plan;

const SKILLS: [&str; 6] = [
    "leadership",
    "communication",
    "empathy",
    "logic",
    "planning",
    "stress_tolerance",
];

#[tokio::test]
async fn a_transcript_is_analysed_with_scores_evidence_and_a_report() {
    let app = TestApp::spawn().await;
    let key = app.org(Plan::Pro).await;
    let r = app
        .post(
            &key,
            "/v1/interviews",
            json!({"candidate_id": "cand_4f21", "vacancy_id": "ui-engineer", "transcript": fixtures::strong(),
                   "candidate_name": "Dmitry Sokolov", "candidate_email": "d.sokolov@example.com"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["success"], true);
    assert_eq!(r.body["status"], "processing");
    assert_eq!(r.body["created_at"], "2026-06-13T09:00:00Z");
    let id = r.body["id"].as_str().unwrap().to_owned();
    assert!(id.starts_with("int_"));

    let before = app.get(&key, &format!("/v1/interviews/{id}")).await;
    assert_eq!(before.body["status"], "processing");
    assert!(before.body["match"].is_null());
    assert!(before.body["scores"].is_null());

    assert_eq!(app.run_jobs().await, 1);
    let i = app.get(&key, &format!("/v1/interviews/{id}")).await;
    assert_eq!(i.status, StatusCode::OK);
    let b = &i.body;
    assert_eq!(b["status"], "completed", "{b}");
    assert_eq!(b["candidate_id"], "cand_4f21");
    assert_eq!(b["vacancy_id"], "ui-engineer");
    let m = b["match"].as_f64().unwrap();
    assert!((0.0..=1.0).contains(&m));
    for s in SKILLS {
        let v = b["scores"][s].as_f64().unwrap_or(-1.0);
        assert!((0.0..=1.0).contains(&v), "{s}: {v}");
        assert_eq!((v * 100.0).round() / 100.0, v, "two decimals");
        let skill = &b["analysis"]["skills"][s];
        assert!(skill["confidence"].as_f64().is_some());
    }
    let evidence = b["analysis"]["skills"]["leadership"]["evidence"]
        .as_array()
        .unwrap();
    assert!(!evidence.is_empty());
    let e = &evidence[0];
    assert!(e["quote"].as_str().unwrap().len() > 10);
    assert!(e["anchor"].as_str().is_some());
    assert!(matches!(
        e["direction"].as_str(),
        Some("raised" | "lowered")
    ));
    assert!(
        e["start"].as_f64().is_some(),
        "segment times carried to evidence"
    );
    let risks = b["analysis"]["risks"].as_array().unwrap();
    let kinds: Vec<&str> = risks.iter().filter_map(|r| r["kind"].as_str()).collect();
    assert!(kinds.contains(&"salary_expectations"), "{kinds:?}");
    assert!(kinds.contains(&"notice_period"), "{kinds:?}");
    assert!(
        b["analysis"]["model_version"]
            .as_str()
            .unwrap()
            .contains("MiniLM")
    );
    assert!(b["analysis"]["rubric_version"].as_str().is_some());
    let url = b["report_url"].as_str().unwrap();
    assert!(url.starts_with(&format!("{PUBLIC_URL}/r/")));
    assert!(b.get("transcript").is_none());

    let with = app
        .get(&key, &format!("/v1/interviews/{id}?include=transcript"))
        .await;
    assert_eq!(with.body["transcript"].as_array().unwrap().len(), 8);

    let events = app.get(&key, "/v1/events").await;
    let types: Vec<&str> = events.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["type"].as_str())
        .collect();
    for t in ["interview.completed", "report.ready", "candidate.scored"] {
        assert!(types.contains(&t), "{t} in {types:?}");
    }
    let completed = events.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["type"] == "interview.completed")
        .unwrap();
    assert_eq!(completed["data"]["id"], id.as_str());
    assert_eq!(completed["data"]["match"], b["match"]);
    assert_eq!(completed["data"]["report_url"], url);

    // The same transcript again: byte-identical scores.
    let again = app
        .interview(&key, "cand_4f21", "ui-engineer", fixtures::strong())
        .await;
    app.run_jobs().await;
    let j = app.get(&key, &format!("/v1/interviews/{again}")).await;
    assert_eq!(j.body["scores"], b["scores"]);
    assert_eq!(j.body["analysis"]["skills"], b["analysis"]["skills"]);
}

#[tokio::test]
async fn transcripts_come_as_text_webvtt_srt_or_a_multipart_file() {
    let app = TestApp::spawn().await;
    let key = app.org(Plan::Pro).await;
    let text = app
        .interview(&key, "c1", "v", json!(fixtures::strong_text()))
        .await;
    let vtt = "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v Interviewer>Tell me about a project you led.</v>\n\n00:00:05.000 --> 00:00:30.000\n<v Candidate>Last year I led the migration of our billing system. I organised a team of five engineers, planned two-week milestones and we shipped a month early with forty percent fewer invoice errors. I listened to both sides when the team disagreed and we agreed on a design within a day.</v>\n";
    let vtt_id = app.interview(&key, "c2", "v", json!(vtt)).await;

    let form = reqwest::multipart::Form::new()
        .text("candidate_id", "c3")
        .text("vacancy_id", "v")
        .part(
            "transcript",
            reqwest::multipart::Part::text(vtt.to_owned()).file_name("interview.vtt"),
        );
    let r = app
        .send(
            app.request(reqwest::Method::POST, &key, "/v1/interviews")
                .multipart(form),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let multi = r.body["id"].as_str().unwrap().to_owned();

    assert_eq!(app.run_jobs().await, 3);
    for id in [&text, &vtt_id, &multi] {
        let i = app
            .get(&key, &format!("/v1/interviews/{id}?include=transcript"))
            .await;
        assert_eq!(i.body["status"], "completed", "{}", i.body);
    }
    let v = app
        .get(&key, &format!("/v1/interviews/{vtt_id}?include=transcript"))
        .await;
    assert_eq!(v.body["transcript"][1]["speaker"], "candidate");
    assert_eq!(v.body["transcript"][1]["start"], 5.0);
}

#[tokio::test]
async fn malformed_submissions_are_400_naming_the_field() {
    let app = TestApp::spawn().await;
    let key = app.org(Plan::Pro).await;
    let t = fixtures::strong();
    let cases = [
        (json!({"vacancy_id": "v", "transcript": t}), "candidate_id"),
        (json!({"candidate_id": "c", "transcript": t}), "vacancy_id"),
        (json!({"candidate_id": "c", "vacancy_id": "v"}), "media_url"),
        (
            json!({"candidate_id": "c", "vacancy_id": "v", "transcript": t, "media_url": "https://x.io/a.mp4"}),
            "transcript",
        ),
        (
            json!({"candidate_id": "c", "vacancy_id": "v", "media_url": "ftp://x.io/a.mp4"}),
            "media_url",
        ),
        (
            json!({"candidate_id": "c", "vacancy_id": "v", "media_url": "not a url"}),
            "media_url",
        ),
        (
            json!({"candidate_id": "bad id!", "vacancy_id": "v", "transcript": t}),
            "candidate_id",
        ),
        (
            json!({"candidate_id": "c", "vacancy_id": "v", "transcript": [{"speaker": "robot", "text": "x"}]}),
            "transcript[0].speaker",
        ),
        (
            json!({"candidate_id": "c", "vacancy_id": "v", "transcript": [{"speaker": "candidate"}]}),
            "transcript[0].text",
        ),
        (
            json!({"candidate_id": "c", "vacancy_id": "v", "transcript": "no speakers here at all"}),
            "transcript",
        ),
        (
            json!({"candidate_id": "c", "vacancy_id": "v", "transcript": 42}),
            "transcript",
        ),
        (
            json!({"candidate_id": "c", "vacancy_id": "v", "transcript": t, "candidate_email": "nope"}),
            "candidate_email",
        ),
    ];
    for (body, param) in cases {
        let r = app.post(&key, "/v1/interviews", body.clone()).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{body}");
        assert!(
            r.param().unwrap_or_default().starts_with(param),
            "{body}: {:?}",
            r.param()
        );
    }
    assert_eq!(app.get(&key, "/v1/interviews").await.body["total"], 0);
    assert_eq!(app.run_jobs().await, 0);
}

#[tokio::test]
async fn a_recording_waits_for_a_missing_speech_model_and_says_why() {
    let app = TestApp::spawn().await;
    let key = app.org(Plan::Pro).await;
    let r = app
        .post(&key, "/v1/interviews", json!({"candidate_id": "cand_4f21", "vacancy_id": "ui-engineer", "media_url": "https://cdn.acme.io/int-204.mp4"}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let id = r.body["id"].as_str().unwrap();
    let i = app.get(&key, &format!("/v1/interviews/{id}")).await;
    assert_eq!(i.body["stage"], "queued");
    assert_eq!(i.body["progress"], 0.0);
    // The test app's worker has no Whisper model: the job is kept for a retry.
    match app.worker.run_once().await.unwrap() {
        Some(talentd_jobs::JobOutcome::Retrying { error, .. }) => {
            assert!(error.contains("speech-to-text model"), "{error}")
        }
        other => panic!("expected a retry, got {other:?}"),
    }
    let i = app.get(&key, &format!("/v1/interviews/{id}")).await;
    assert_eq!(i.body["status"], "processing");
}

#[tokio::test]
async fn too_little_candidate_speech_gives_no_confident_number() {
    let app = TestApp::spawn().await;
    let key = app.org(Plan::Pro).await;
    let id = app.interview(&key, "quiet", "v", fixtures::tiny()).await;
    app.run_jobs().await;
    let i = app.get(&key, &format!("/v1/interviews/{id}")).await;
    assert_eq!(i.body["status"], "completed");
    assert!(i.body["match"].is_null());
    assert!(i.body["scores"].is_null());
    assert_eq!(i.body["analysis"]["outcome"], "insufficient_evidence");
    assert!(
        i.body["analysis"]["reason"]
            .as_str()
            .is_some_and(|r| !r.is_empty())
    );
}

#[tokio::test]
async fn list_filters_by_status_and_other_orgs_see_nothing() {
    let app = TestApp::spawn().await;
    let key = app.org(Plan::Pro).await;
    let other = app.org(Plan::Pro).await;
    let a = app.interview(&key, "c1", "v", fixtures::strong()).await;
    app.run_jobs().await;
    app.interview(&key, "c2", "v", fixtures::weak()).await;
    let all = app.get(&key, "/v1/interviews").await;
    assert_eq!(all.body["total"], 2);
    let done = app.get(&key, "/v1/interviews?status=completed").await;
    assert_eq!(done.body["total"], 1);
    assert_eq!(done.body["items"][0]["id"], a.as_str());
    assert!(done.body["items"][0]["match"].as_f64().is_some());
    let processing = app
        .get(&key, "/v1/interviews?status=processing&limit=1")
        .await;
    assert_eq!(
        processing.body["items"][0]["match"],
        serde_json::Value::Null
    );
    for bad in ["status=done", "limit=101", "offset=x"] {
        assert_eq!(
            app.get(&key, &format!("/v1/interviews?{bad}")).await.status,
            StatusCode::BAD_REQUEST
        );
    }
    assert_eq!(
        app.get(&other, &format!("/v1/interviews/{a}")).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(app.get(&other, "/v1/interviews").await.body["total"], 0);
    assert_eq!(
        app.get(&other, "/v1/candidates/c1").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn the_report_page_is_public_by_its_token_and_self_contained() {
    let app = TestApp::spawn().await;
    let key = app.org(Plan::Pro).await;
    let r = app
        .post(&key, "/v1/interviews", json!({"candidate_id": "c1", "vacancy_id": "v", "transcript": fixtures::strong(), "candidate_name": "Dmitry Sokolov"}))
        .await;
    let id = r.body["id"].as_str().unwrap();
    app.run_jobs().await;
    let i = app.get(&key, &format!("/v1/interviews/{id}")).await;
    let path = i.body["report_url"]
        .as_str()
        .unwrap()
        .strip_prefix(PUBLIC_URL)
        .unwrap()
        .to_owned();
    let page = app.client.get(app.url(&path)).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    assert!(
        page.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    let html = page.text().await.unwrap();
    assert!(html.contains("Dmitry Sokolov"));
    assert!(html.contains("Leadership"));
    let quote = i.body["analysis"]["skills"]["leadership"]["evidence"][0]["quote"]
        .as_str()
        .unwrap();
    assert!(
        html.contains(&quote[..20.min(quote.len())]),
        "evidence quotes on the page"
    );
    assert!(
        !html.contains("http://") && !html.contains("https://"),
        "no external assets"
    );

    let missing = app
        .client
        .get(app.url("/r/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
}
