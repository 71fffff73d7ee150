//! What an operator relies on: JSON logs that never hold a key, Prometheus metrics, and
//! the media retention sweep deleting old recordings and nothing else.

use super::Server;
use super::faults::run;
use serde_json::Value;
use std::process::Command;
use std::time::{Duration, Instant};

#[tokio::test(flavor = "multi_thread")]
async fn operations_json_logs_metrics_and_media_retention() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let media = data.join("media");
    std::fs::create_dir_all(media.join("answers")).unwrap();
    std::fs::write(media.join("int_old.media"), b"old recording").unwrap();
    std::fs::write(media.join("int_new.media"), b"new recording").unwrap();
    std::fs::write(media.join("answers/old.webm"), b"not a recording").unwrap();
    for old in ["int_old.media", "answers/old.webm"] {
        run(Command::new("touch")
            .args(["-d", "3 days ago"])
            .arg(media.join(old)));
    }
    let models = super::browser::models_dir();
    let mut server = Server::start_env(
        &data,
        true,
        &[
            ("TALENTD_MODELS_DIR", models.as_str()),
            ("TALENTD_LOG_FORMAT", "json"),
            ("TALENTD_MEDIA_RETENTION_DAYS", "2"),
        ],
    );
    let key = server.demo_key();
    let http = reqwest::Client::new();
    let r = http
        .get(format!("{}/v1/projects", server.base))
        .bearer_auth(&key)
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success());
    let metrics = http
        .get(format!("{}/metrics", server.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        metrics.contains(
            "talentd_http_requests_total{method=\"GET\",route=\"/v1/projects\",status=\"200\"} 1"
        ),
        "{metrics}"
    );
    // The retention sweep runs at start: the old recording goes, the new one and other
    // files stay.
    let deadline = Instant::now() + Duration::from_secs(30);
    while media.join("int_old.media").exists() {
        assert!(Instant::now() < deadline, "the old recording was kept");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(media.join("int_new.media").exists());
    assert!(media.join("answers/old.webm").exists());
    let stderr = server.stderr.clone();
    let (status, _) = server.terminate();
    assert!(status.success());
    let logs = stderr.lock().unwrap().clone();
    let lines: Vec<&str> = logs.lines().filter(|l| !l.trim().is_empty()).collect();
    assert!(lines.len() >= 3, "{logs}");
    for line in &lines {
        let v: Value =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"));
        assert!(v["level"].is_string() && v["fields"].is_object(), "{line}");
    }
    assert!(
        logs.contains("recordings past their retention deleted"),
        "{logs}"
    );
    assert!(!logs.contains(&key), "the API key was logged");
}
