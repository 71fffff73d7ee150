//! `kill -9` in the middle of the slow parts of a recording's pipeline: one process
//! killed while it downloads a `media_url`, the next killed while it transcribes, and a
//! third finishes both interviews. Nothing is lost and nothing is announced twice.

use super::Server;
use super::cluster::{completed_interviews, fresh_database, psql, unlimited_org};
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

pub(super) fn run(cmd: &mut Command) {
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
    let key = unlimited_org(&db, "Faults");
    let models = super::browser::models_dir();
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

/// A PostgreSQL server of this test's own (initdb into a temporary folder, a free
/// port), so that restarting it disturbs no other test. Stopped when dropped.
struct OwnPostgres {
    bin: std::path::PathBuf,
    data: std::path::PathBuf,
    port: u16,
}

impl OwnPostgres {
    fn as_postgres(&self, program: &str) -> Command {
        let path = self.bin.join(program);
        // initdb and postgres refuse to run as root.
        if unsafe_is_root() {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(path);
            c
        } else {
            Command::new(path)
        }
    }

    fn start(dir: &Path) -> Self {
        let bin = std::fs::read_dir("/usr/lib/postgresql")
            .expect("PostgreSQL server binaries (scripts/postgres.sh installs them)")
            .filter_map(|e| e.ok().map(|e| e.path().join("bin")))
            .filter(|p| p.join("initdb").is_file())
            .max()
            .expect("initdb");
        let data = dir.join("pg");
        std::fs::create_dir_all(&data).unwrap();
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .unwrap();
        let pg = OwnPostgres { bin, data, port };
        if unsafe_is_root() {
            run(Command::new("chown")
                .args(["-R", "postgres:postgres"])
                .arg(dir));
        }
        run(pg
            .as_postgres("initdb")
            .args(["-A", "trust", "-U", "postgres", "-D"])
            .arg(&pg.data));
        pg.ctl("start");
        pg
    }

    fn ctl(&self, action: &str) {
        let opts = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=off",
            self.port,
            self.data.display()
        );
        run(self
            .as_postgres("pg_ctl")
            .args(["-w", "-m", "fast", "-D"])
            .arg(&self.data)
            .args(["-l"])
            .arg(self.data.join("log"))
            .args(["-o", &opts, action]));
    }

    fn url(&self, db: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{db}", self.port)
    }
}

impl Drop for OwnPostgres {
    fn drop(&mut self) {
        let _ = self
            .as_postgres("pg_ctl")
            .args(["-w", "-m", "immediate", "-D"])
            .arg(&self.data)
            .arg("stop")
            .output();
    }
}

fn unsafe_is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_database_restart_under_load_loses_no_accepted_interview() {
    let dir = tempfile::tempdir().unwrap();
    let pg = OwnPostgres::start(dir.path());
    psql(&pg.url("postgres"), "CREATE DATABASE talentd");
    let db = pg.url("talentd");
    let key = unlimited_org(&db, "Restart");
    let models = super::browser::models_dir();
    let env = [
        ("DATABASE_URL", db.as_str()),
        ("TALENTD_MODELS_DIR", models.as_str()),
    ];
    let server = Server::start_env(&dir.path().join("data"), false, &env);
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();

    // Submissions at a steady pace for six seconds; the database restarts after two.
    let submitting = {
        let (http, key, url) = (
            http.clone(),
            key.clone(),
            format!("{}/v1/interviews", server.base),
        );
        tokio::spawn(async move {
            let (mut accepted, mut refused, mut statuses) =
                (Vec::new(), 0u32, std::collections::BTreeMap::new());
            let until = Instant::now() + Duration::from_secs(6);
            let mut i = 0;
            while Instant::now() < until {
                let transcript = format!(
                    "Interviewer: Tell me about a project you led.\nCandidate: I led the migration of our billing system with five engineers, planned two-week milestones and shipped early, cutting invoice errors by forty percent. (case {i})\n"
                );
                let r = http
                    .post(&url)
                    .bearer_auth(&key)
                    .json(&json!({"candidate_id": format!("c{i}"), "vacancy_id": "restart", "transcript": transcript}))
                    .send()
                    .await;
                match r {
                    Ok(r) if r.status().is_success() => {
                        let body: Value = r.json().await.unwrap();
                        accepted.push(body["id"].as_str().unwrap().to_owned());
                    }
                    Ok(r) => {
                        refused += 1;
                        let status = r.status().as_u16();
                        let body: Value = r.json().await.unwrap_or(Value::Null);
                        // Every refusal is the JSON error body, and says to retry.
                        assert_eq!(body["success"], false, "{status}: {body}");
                        assert_eq!(status, 503, "{body}");
                        *statuses.entry(status).or_insert(0u32) += 1;
                    }
                    Err(e) => panic!("no answer from talentd: {e}"),
                }
                i += 1;
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            (accepted, refused, statuses)
        })
    };
    tokio::time::sleep(Duration::from_secs(2)).await;
    let restart = Instant::now();
    pg.ctl("restart");
    let restart_took = restart.elapsed();
    let (accepted, refused, statuses) = submitting.await.unwrap();

    let completed = || completed_interviews(&db);
    let deadline = Instant::now() + Duration::from_secs(180);
    while completed() < accepted.len() {
        assert!(
            Instant::now() < deadline,
            "{} of {} completed",
            completed(),
            accepted.len()
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert_eq!(
        completed(),
        accepted.len(),
        "only accepted interviews exist"
    );
    for id in &accepted {
        let r = http
            .get(format!("{}/v1/interviews/{id}", server.base))
            .bearer_auth(&key)
            .send()
            .await
            .unwrap();
        assert!(r.status().is_success());
    }
    assert_eq!(
        psql(
            &db,
            "SELECT COUNT(*), COUNT(DISTINCT data::json->>'id') FROM events WHERE type = 'interview.completed'"
        ),
        format!("{}|{}", accepted.len(), accepted.len())
    );
    let ready = http
        .get(format!("{}/readyz", server.base))
        .send()
        .await
        .unwrap();
    assert!(ready.status().is_success());
    let _ = server.terminate();
    eprintln!(
        "restart: database restarted in {:.1} s under load; {} interviews accepted, all \
         completed and announced once; {refused} refused during the restart {statuses:?}",
        restart_took.as_secs_f64(),
        accepted.len()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_stopping_process_gives_its_unfinished_job_back_at_once() {
    let db = fresh_database();
    let dir = tempfile::tempdir().unwrap();
    let files = file_server(interview_wav(dir.path())).await;
    let key = unlimited_org(&db, "Drain");
    let models = super::browser::models_dir();
    // A lease far longer than the test: only a release lets another worker in early.
    let env = [
        ("DATABASE_URL", db.as_str()),
        ("TALENTD_MODELS_DIR", models.as_str()),
        ("TALENTD_ALLOW_PRIVATE_URLS", "true"),
        ("TALENTD_JOB_LEASE_SECS", "600"),
        ("TALENTD_DRAIN_SECS", "1"),
    ];
    let data = dir.path().join("data");
    let a = Server::start_env(&data, false, &env);
    let id = submit(&a.base, &key, "cand_d", &format!("{}/full.wav", files.url)).await;
    let stage = || {
        psql(
            &db,
            &format!("SELECT COALESCE(stage, status) FROM interviews WHERE id = '{id}'"),
        )
    };
    let deadline = Instant::now() + Duration::from_secs(120);
    while stage() != "transcribing" {
        assert!(Instant::now() < deadline, "never transcribing: {}", stage());
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // SIGTERM mid-transcription: the process stops within its drain time and gives
    // the job back.
    let stopped = Instant::now();
    let (status, _) = a.terminate();
    assert!(status.success(), "{status}");
    let stop_took = stopped.elapsed();
    assert_eq!(
        psql(
            &db,
            &format!("SELECT status || ',' || attempts FROM jobs WHERE subject_id = '{id}'")
        ),
        "queued,1",
        "given back to the queue"
    );
    let b = Server::start_env(&data, false, &env);
    let started = Instant::now();
    while psql(
        &db,
        &format!("SELECT status FROM interviews WHERE id = '{id}'"),
    ) == "processing"
    {
        assert!(
            Instant::now() < deadline + Duration::from_secs(120),
            "not finished: {}",
            stage()
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert_eq!(
        psql(
            &db,
            &format!("SELECT status FROM interviews WHERE id = '{id}'")
        ),
        "completed"
    );
    let _ = b.terminate();
    eprintln!(
        "drain: stopped {:.1} s after SIGTERM mid-transcription; the job, given back, was \
         finished by the next process in {:.1} s (lease 600 s)",
        stop_took.as_secs_f64(),
        started.elapsed().as_secs_f64()
    );
}
