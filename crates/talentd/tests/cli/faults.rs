//! `kill -9` in the middle of the slow parts of a recording's pipeline: one process
//! killed while it downloads a `media_url`, the next killed while it transcribes, and a
//! third finishes both interviews. Nothing is lost and nothing is announced twice.

use super::cluster::{fresh_database, psql};
use super::{Server, run_json};
use serde_json::{Value, json};
use std::path::Path;
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const TURNS: [(&str, &str); 4] = [
    ("en-us+m3", "Tell me about a project you led."),
    (
        "en-gb+f4",
        "Last year I led the migration of our billing system. I organised a team of five engineers and split the work into two week milestones. We shipped a month early and cut invoice errors by forty percent.",
    ),
    ("en-us+m3", "How do you handle pressure?"),
    (
        "en-gb+f4",
        "During an outage I stayed calm and assigned one person to customer updates. I found the faulty change and rolled it back. We restored service in forty minutes.",
    ),
];

fn run(cmd: &mut Command) {
    let out = cmd.output().unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
    assert!(
        out.status.success(),
        "{cmd:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A two-voice interview as a 16 kHz WAV (espeak-ng and ffmpeg).
fn interview_wav(dir: &Path) -> Vec<u8> {
    let mut list = String::new();
    for (i, (voice, text)) in TURNS.iter().enumerate() {
        let raw = dir.join(format!("t{i}.raw.wav"));
        let part = dir.join(format!("t{i}.wav"));
        run(Command::new("espeak-ng")
            .args(["-v", voice, "-s", "150", "-w"])
            .arg(&raw)
            .arg(text));
        run(Command::new("ffmpeg")
            .args(["-y", "-loglevel", "error", "-i"])
            .arg(&raw)
            .args(["-af", "apad=pad_dur=0.8", "-ar", "16000", "-ac", "1"])
            .arg(&part));
        list.push_str(&format!("file '{}'\n", part.display()));
    }
    std::fs::write(dir.join("list.txt"), list).unwrap();
    let wav = dir.join("interview.wav");
    run(Command::new("ffmpeg")
        .args([
            "-y",
            "-loglevel",
            "error",
            "-f",
            "concat",
            "-safe",
            "0",
            "-i",
        ])
        .arg(dir.join("list.txt"))
        .args(["-c", "pcm_s16le"])
        .arg(&wav));
    std::fs::read(&wav).unwrap()
}

/// Serves the recording over plain HTTP. The first request for `/stall.wav` gets half
/// the bytes and then nothing (a download in progress); every other request gets all.
struct FileServer {
    url: String,
    stalled: Arc<AtomicBool>,
    requests: Arc<AtomicUsize>,
}

async fn file_server(body: Vec<u8>) -> FileServer {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let stalled = Arc::new(AtomicBool::new(false));
    let requests = Arc::new(AtomicUsize::new(0));
    let body = Arc::new(body);
    let (s, r) = (stalled.clone(), requests.clone());
    tokio::spawn(async move {
        while let Ok((mut sock, _)) = listener.accept().await {
            let (body, stalled, requests) = (body.clone(), s.clone(), r.clone());
            tokio::spawn(async move {
                let mut buf = vec![0u8; 4096];
                let n = sock.read(&mut buf).await.unwrap_or(0);
                let head = String::from_utf8_lossy(&buf[..n]).into_owned();
                let stall = head.starts_with("GET /stall.wav")
                    && requests.fetch_add(1, Ordering::SeqCst) == 0;
                let header = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: audio/wav\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    body.len()
                );
                let _ = sock.write_all(header.as_bytes()).await;
                if stall {
                    let _ = sock.write_all(&body[..body.len() / 2]).await;
                    let _ = sock.flush().await;
                    stalled.store(true, Ordering::SeqCst);
                    // Hold the connection open, as a slow server would.
                    tokio::time::sleep(Duration::from_secs(600)).await;
                } else {
                    let _ = sock.write_all(&body).await;
                }
            });
        }
    });
    FileServer {
        url,
        stalled,
        requests,
    }
}

async fn submit(base: &str, key: &str, candidate: &str, url: &str) -> String {
    let r = reqwest::Client::new()
        .post(format!("{base}/v1/interviews"))
        .bearer_auth(key)
        .json(&json!({"candidate_id": candidate, "vacancy_id": "faults", "media_url": url, "language": "en"}))
        .send()
        .await
        .unwrap();
    let status = r.status();
    let body: Value = r.json().await.unwrap();
    assert!(status.is_success(), "{status}: {body}");
    body["id"].as_str().unwrap().to_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn processes_killed_mid_download_and_mid_transcription_lose_nothing() {
    let db = fresh_database();
    let dir = tempfile::tempdir().unwrap();
    let wav = interview_wav(dir.path());
    let files = file_server(wav).await;
    let org = run_json(&[
        "orgs",
        "create",
        "--name",
        "Faults",
        "--plan",
        "unlimited",
        "--database-url",
        &db,
        "--data-dir",
        dir.path().to_str().unwrap(),
    ]);
    let key = org["api_key"].as_str().unwrap().to_owned();
    let models = std::env::var("TALENTD_MODELS_DIR")
        .unwrap_or_else(|_| format!("{}/../../models", env!("CARGO_MANIFEST_DIR")));
    let env = [
        ("DATABASE_URL", db.as_str()),
        ("TALENTD_MODELS_DIR", models.as_str()),
        ("TALENTD_ALLOW_PRIVATE_URLS", "true"),
        ("TALENTD_JOB_LEASE_SECS", "3"),
        ("TALENTD_STT_MODEL", "tiny.en"),
    ];
    let data = dir.path().join("data");

    // 1. Killed while downloading: the first download stalls half-way.
    let mut a = Server::start_env(&data, false, &env);
    let x = submit(&a.base, &key, "cand_x", &format!("{}/stall.wav", files.url)).await;
    let deadline = Instant::now() + Duration::from_secs(120);
    while !files.stalled.load(Ordering::SeqCst) {
        assert!(Instant::now() < deadline, "the download never started");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    a.child.kill().expect("SIGKILL");
    let _ = a.child.wait();

    // 2. Killed while transcribing: the next process takes the download again after the
    // lease, and a second interview besides.
    let mut b = Server::start_env(&data, false, &env);
    let y = submit(&b.base, &key, "cand_y", &format!("{}/full.wav", files.url)).await;
    let stage_of = |id: &str| {
        psql(
            &db,
            &format!("SELECT COALESCE(stage, status) FROM interviews WHERE id = '{id}'"),
        )
    };
    let killed_at = loop {
        let stages = (stage_of(&x), stage_of(&y));
        if stages.0 == "transcribing" || stages.1 == "transcribing" {
            break stages;
        }
        assert!(Instant::now() < deadline, "never transcribing: {stages:?}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    b.child.kill().expect("SIGKILL");
    let _ = b.child.wait();

    // 3. A survivor finishes both.
    let c = Server::start_env(&data, false, &env);
    let done = |id: &str| {
        psql(
            &db,
            &format!("SELECT status FROM interviews WHERE id = '{id}'"),
        )
    };
    let deadline = Instant::now() + Duration::from_secs(300);
    while done(&x) == "processing" || done(&y) == "processing" {
        assert!(
            Instant::now() < deadline,
            "x {} y {}",
            stage_of(&x),
            stage_of(&y)
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert_eq!(
        (done(&x), done(&y)),
        ("completed".to_owned(), "completed".to_owned())
    );
    let attempts = psql(
        &db,
        &format!(
            "SELECT string_agg(attempts::text, ',' ORDER BY subject_id) FROM jobs WHERE subject_id IN ('{x}', '{y}')"
        ),
    );
    assert_eq!(
        psql(&db, "SELECT COUNT(*) FROM jobs WHERE status <> 'done'"),
        "0"
    );
    assert_eq!(
        psql(
            &db,
            "SELECT COUNT(*), COUNT(DISTINCT data::json->>'id') FROM events WHERE type = 'interview.completed'"
        ),
        "2|2",
        "one completion event per interview"
    );
    let total: u32 = psql(&db, "SELECT SUM(attempts) FROM jobs").parse().unwrap();
    assert!(
        total >= 4,
        "each kill left a job to take again: attempts {attempts}"
    );
    assert!(files.requests.load(Ordering::SeqCst) >= 1);
    let _ = c.terminate();
    eprintln!(
        "faults: killed mid-download, then mid-transcription (stages {killed_at:?}); both \
         interviews completed; job attempts {attempts}; one completion event each"
    );
}
