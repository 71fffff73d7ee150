//! The `talentd` binary run as a process: `orgs create`, `keys create`, `serve` with
//! its demo organisation, authentication over HTTP, and graceful shutdown on SIGTERM.

use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Output, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use serde_json::Value;

#[path = "cli/browser.rs"]
mod browser;
#[path = "cli/cluster.rs"]
mod cluster;
#[path = "cli/faults.rs"]
mod faults;
#[path = "cli/operations.rs"]
mod operations;

const BIN: &str = env!("CARGO_BIN_EXE_talentd");
/// How long `serve` may take to print its listening line.
const START_TIMEOUT: Duration = Duration::from_secs(30);
/// How long `serve` may take to exit after SIGTERM.
const STOP_TIMEOUT: Duration = Duration::from_secs(10);
const LISTENING: &str = "talentd is listening on http://";

/// The binary with an environment that the outer one cannot steer.
fn talentd() -> Command {
    let mut cmd = Command::new(BIN);
    for var in [
        "DATABASE_URL",
        "TALENTD_DATA_DIR",
        "TALENTD_LISTEN",
        "TALENTD_ROLE",
        "TALENTD_PUBLIC_URL",
        "TALENTD_DEMO",
        "TALENTD_MAX_BODY_BYTES",
        "TALENTD_LOG_FORMAT",
        "TALENTD_MODELS_DIR",
        "TALENTD_JOB_LEASE_SECS",
        "TALENTD_WORKERS",
        "TALENTD_DRAIN_SECS",
        "TALENTD_REDIS_URL",
        "TALENTD_MEDIA_URL",
        "TALENTD_MEDIA_RETENTION_DAYS",
        "TALENTD_STT_MODEL",
        "TALENTD_ALLOW_PRIVATE_URLS",
    ] {
        cmd.env_remove(var);
    }
    cmd.stdin(Stdio::null());
    cmd
}

/// Runs a short command to its end.
fn run(args: &[&str]) -> Output {
    talentd()
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {BIN}: {e}"))
}

/// Runs a command that must succeed and print one JSON object on stdout.
fn run_json(args: &[&str]) -> Value {
    let out = run(args);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "talentd {args:?} failed with {}\nstdout:\n{stdout}\nstderr:\n{stderr}",
        out.status
    );
    let lines: Vec<&str> = stdout.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(
        lines.len(),
        1,
        "talentd {args:?} must print exactly one line on stdout, printed:\n{stdout}"
    );
    let v: Value = serde_json::from_str(lines[0])
        .unwrap_or_else(|e| panic!("stdout of talentd {args:?} is not JSON ({e}): {stdout}"));
    assert!(v.is_object(), "not a JSON object: {v}");
    v
}

fn create_org(dir: &Path, name: &str, plan: &str) -> (String, String) {
    let v = run_json(&[
        "orgs",
        "create",
        "--name",
        name,
        "--plan",
        plan,
        "--data-dir",
        dir.to_str().unwrap(),
    ]);
    let org_id = v["org_id"].as_str().expect("org_id").to_owned();
    let api_key = v["api_key"].as_str().expect("api_key").to_owned();
    assert!(org_id.starts_with("org_"), "org_id: {org_id}");
    assert!(api_key.starts_with("tk_live_"), "api_key: {api_key}");
    (org_id, api_key)
}

/// A running `talentd serve`, killed when dropped so that a failing test leaves no
/// process behind.
struct Server {
    child: Child,
    lines: Receiver<String>,
    stdout_seen: Vec<String>,
    stdout_reader: Option<JoinHandle<()>>,
    stderr: Arc<Mutex<String>>,
    base: String,
}

impl Server {
    /// Starts `serve` on a free loopback port and waits for its listening line.
    fn start(dir: &Path, demo: bool) -> Self {
        Self::start_env(dir, demo, &[])
    }

    /// Like `start`, with more environment.
    fn start_env(dir: &Path, demo: bool, env: &[(&str, &str)]) -> Self {
        let mut child = talentd()
            .args(["serve", "--listen", "127.0.0.1:0", "--data-dir"])
            .arg(dir)
            .env("TALENTD_DEMO", if demo { "true" } else { "false" })
            .envs(env.iter().copied())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {BIN}: {e}"));

        // Both pipes are drained to their end by threads, so the server never blocks
        // on a full pipe and its output is at hand when an assertion fails.
        let (tx, lines) = channel();
        let stdout = child.stdout.take().unwrap();
        let stdout_reader = std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                let _ = tx.send(line);
            }
        });
        let stderr = Arc::new(Mutex::new(String::new()));
        let mut err_pipe = child.stderr.take().unwrap();
        let sink = stderr.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = err_pipe.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock()
                    .unwrap()
                    .push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        });

        let mut server = Server {
            child,
            lines,
            stdout_seen: Vec::new(),
            stdout_reader: Some(stdout_reader),
            stderr,
            base: String::new(),
        };
        let first = server.next_line(START_TIMEOUT);
        let rest = first.strip_prefix(LISTENING).unwrap_or_else(|| {
            server.fail(&format!(
                "the first stdout line is not `{LISTENING}...`: {first:?}"
            ))
        });
        let addr = rest.split_whitespace().next().unwrap_or_default();
        assert!(
            rest.ends_with("(role: all)"),
            "unexpected listening line: {first:?}"
        );
        assert!(addr.starts_with("127.0.0.1:"), "unexpected address: {addr}");
        let port: u16 = addr["127.0.0.1:".len()..]
            .parse()
            .unwrap_or_else(|_| server.fail(&format!("no port in {first:?}")));
        assert_ne!(port, 0);
        server.base = format!("http://{addr}");
        server
    }

    /// The next stdout line, failing the test past `timeout` or at the end of output.
    fn next_line(&mut self, timeout: Duration) -> String {
        match self.lines.recv_timeout(timeout) {
            Ok(line) => {
                self.stdout_seen.push(line.clone());
                line
            }
            Err(RecvTimeoutError::Timeout) => {
                self.fail(&format!("no stdout line within {timeout:?}"))
            }
            Err(RecvTimeoutError::Disconnected) => {
                let status = self.child.wait().ok();
                self.fail(&format!("stdout closed; the server exited with {status:?}"))
            }
        }
    }

    /// The demo key: the stdout line after the listening line that is only a key.
    fn demo_key(&mut self) -> String {
        let deadline = Instant::now() + START_TIMEOUT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let line = self.next_line(left);
            let line = line.trim();
            if line.starts_with("tk_live_") {
                return line.to_owned();
            }
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Sends SIGTERM and waits for the exit; returns the status and every stdout line.
    fn terminate(mut self) -> (ExitStatus, Vec<String>) {
        let pid = self.child.id().to_string();
        let kill = Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .expect("cannot run kill");
        assert!(kill.success(), "kill -TERM {pid} failed: {kill}");
        let deadline = Instant::now() + STOP_TIMEOUT;
        let status = loop {
            match self.child.try_wait().expect("cannot wait for the server") {
                Some(status) => break status,
                None if Instant::now() >= deadline => {
                    self.fail(&format!("still running {STOP_TIMEOUT:?} after SIGTERM"))
                }
                None => std::thread::sleep(Duration::from_millis(50)),
            }
        };
        if let Some(reader) = self.stdout_reader.take() {
            let _ = reader.join();
        }
        while let Ok(line) = self.lines.try_recv() {
            self.stdout_seen.push(line);
        }
        (status, std::mem::take(&mut self.stdout_seen))
    }

    /// Fails the test with the server's output so far.
    fn fail(&self, why: &str) -> ! {
        panic!(
            "talentd serve: {why}\nstdout so far:\n{}\nstderr so far:\n{}",
            self.stdout_seen.join("\n"),
            self.stderr.lock().unwrap()
        )
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap()
}

/// `GET path` with an optional bearer key: the status and the JSON body.
async fn get(
    server: &Server,
    http: &reqwest::Client,
    path: &str,
    key: Option<&str>,
) -> (u16, Value) {
    let mut req = http.get(server.url(path));
    if let Some(key) = key {
        req = req.bearer_auth(key);
    }
    let resp = req
        .send()
        .await
        .unwrap_or_else(|e| server.fail(&format!("GET {path}: {e}")));
    let status = resp.status().as_u16();
    let text = resp.text().await.unwrap();
    let body = serde_json::from_str(&text)
        .unwrap_or_else(|e| server.fail(&format!("GET {path}: body is not JSON ({e}): {text}")));
    (status, body)
}

async fn assert_key_works(server: &Server, http: &reqwest::Client, key: &str) {
    let (status, body) = get(server, http, "/v1/projects", Some(key)).await;
    assert_eq!(status, 200, "GET /v1/projects with a key: {body}");
    assert_eq!(body["success"], true, "{body}");
    assert!(body["items"].is_array(), "{body}");
}

async fn assert_unauthorized(server: &Server, http: &reqwest::Client, key: Option<&str>) {
    let (status, body) = get(server, http, "/v1/projects", key).await;
    assert_eq!(status, 401, "GET /v1/projects with {key:?}: {body}");
    assert_eq!(body["success"], false, "{body}");
    assert_eq!(body["error"]["code"], "unauthorized", "{body}");
}

fn assert_stopped_cleanly(server: Server) -> Vec<String> {
    let (status, stdout) = server.terminate();
    assert!(
        status.success(),
        "serve must exit 0 after SIGTERM, exited with {status}"
    );
    stdout
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn orgs_create_then_serve_authenticates_and_stops_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let (_org_id, key) = create_org(dir.path(), "Acme", "free");

    let server = Server::start(dir.path(), false);
    let http = client();
    assert_key_works(&server, &http, &key).await;
    assert_unauthorized(&server, &http, None).await;
    assert_unauthorized(&server, &http, Some("tk_live_not_a_real_key")).await;

    // The client still holds an idle keep-alive connection: shutdown must not wait on it.
    let stdout = assert_stopped_cleanly(server);
    assert!(
        !stdout.iter().any(|l| l.contains("tk_live_")),
        "no demo key with TALENTD_DEMO=false and an existing organisation: {stdout:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn keys_create_prints_a_key_that_works() {
    let dir = tempfile::tempdir().unwrap();
    let (org_id, first) = create_org(dir.path(), "Acme", "pro");
    let v = run_json(&[
        "keys",
        "create",
        "--org",
        &org_id,
        "--data-dir",
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(v["org_id"], org_id.as_str(), "{v}");
    let second = v["api_key"].as_str().expect("api_key").to_owned();
    assert!(second.starts_with("tk_live_"), "{v}");
    assert_ne!(second, first);

    let server = Server::start(dir.path(), false);
    let http = client();
    assert_key_works(&server, &http, &first).await;
    assert_key_works(&server, &http, &second).await;
    assert_stopped_cleanly(server);
}

#[test]
fn keys_create_for_an_unknown_org_fails() {
    let dir = tempfile::tempdir().unwrap();
    create_org(dir.path(), "Acme", "free");
    let data_dir = dir.path().to_str().unwrap();
    let out = run(&[
        "keys",
        "create",
        "--org",
        "org_nope",
        "--data-dir",
        data_dir,
    ]);
    assert!(!out.status.success(), "{out:?}");
    assert!(out.stdout.is_empty(), "{out:?}");
}

/// Signs in to the dashboard over HTTP; returns the status of the form's answer.
async fn dashboard_sign_in(server: &Server, email: &str, password: &str) -> reqwest::StatusCode {
    let http = reqwest::Client::builder()
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let page = http
        .get(server.url("/dashboard/sign-in"))
        .send()
        .await
        .unwrap();
    let cookie = page
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("talentd_signin="))
        .map(|v| v.split(';').next().unwrap().to_owned())
        .expect("sign-in cookie");
    let html = page.text().await.unwrap();
    let at = html.find("name=\"csrf\" value=\"").unwrap() + 19;
    let csrf = &html[at..at + html[at..].find('"').unwrap()];
    http.post(server.url("/dashboard/sign-in"))
        .header("cookie", cookie)
        .form(&[("csrf", csrf), ("email", email), ("password", password)])
        .send()
        .await
        .unwrap()
        .status()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn users_create_prints_a_one_time_password_or_takes_one_on_stdin() {
    let dir = tempfile::tempdir().unwrap();
    let data_dir = dir.path().to_str().unwrap();
    let (org_id, _) = create_org(dir.path(), "Acme", "pro");
    let v = run_json(&[
        "users",
        "create",
        "--org",
        &org_id,
        "--email",
        "Ana@Example.com",
        "--data-dir",
        data_dir,
    ]);
    assert!(v["user_id"].as_str().unwrap().starts_with("usr_"), "{v}");
    assert_eq!(v["email"], "ana@example.com");
    assert_eq!(v["role"], "admin");
    let one_time = v["password"]
        .as_str()
        .expect("one-time password")
        .to_owned();
    assert!(one_time.len() >= 12);

    let mut child = talentd()
        .args([
            "users",
            "create",
            "--org",
            &org_id,
            "--email",
            "bo@example.com",
            "--role",
            "recruiter",
            "--password-stdin",
            "--data-dir",
            data_dir,
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"my own long password\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{out:?}");
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["role"], "recruiter");
    assert!(
        v.get("password").is_none(),
        "a given password is never printed: {v}"
    );

    // A taken email, a short password and an unknown organisation fail without output.
    for args in [
        vec![
            "users",
            "create",
            "--org",
            &org_id,
            "--email",
            "ANA@example.com",
        ],
        vec![
            "users",
            "create",
            "--org",
            "org_nope",
            "--email",
            "cy@example.com",
        ],
        vec![
            "users",
            "create",
            "--org",
            &org_id,
            "--email",
            "not-an-email",
        ],
    ] {
        let mut args = args;
        args.extend(["--data-dir", data_dir]);
        let out = run(&args);
        assert!(!out.status.success(), "{args:?}: {out:?}");
        assert!(out.stdout.is_empty(), "{out:?}");
    }

    let server = Server::start(dir.path(), false);
    assert_eq!(
        dashboard_sign_in(&server, "ana@example.com", &one_time).await,
        reqwest::StatusCode::SEE_OTHER
    );
    assert_eq!(
        dashboard_sign_in(&server, "bo@example.com", "my own long password").await,
        reqwest::StatusCode::SEE_OTHER
    );
    assert_eq!(
        dashboard_sign_in(&server, "bo@example.com", "wrong password here").await,
        reqwest::StatusCode::UNAUTHORIZED
    );
    assert_stopped_cleanly(server);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_creates_a_demo_org_once() {
    let dir = tempfile::tempdir().unwrap();

    let mut server = Server::start(dir.path(), true);
    let key = server.demo_key();
    let http = client();
    assert_key_works(&server, &http, &key).await;
    assert_unauthorized(&server, &http, None).await;
    // The demo's dashboard user can sign in with the password printed once.
    let line = server.next_line(START_TIMEOUT);
    let line = if line.contains("Try: curl") {
        server.next_line(START_TIMEOUT)
    } else {
        line
    };
    let rest = line
        .split_once("admin@demo.talentd.local with the password ")
        .unwrap_or_else(|| panic!("no demo sign-in line: {line:?}"))
        .1;
    let password = rest.split_whitespace().next().unwrap().to_owned();
    assert_eq!(
        dashboard_sign_in(&server, "admin@demo.talentd.local", &password).await,
        reqwest::StatusCode::SEE_OTHER
    );
    assert_stopped_cleanly(server);

    let server = Server::start(dir.path(), true);
    assert_key_works(&server, &http, &key).await;
    let stdout = assert_stopped_cleanly(server);
    assert!(
        !stdout.iter().any(|l| l.contains("tk_live_")),
        "the demo key must be printed only on the first start: {stdout:?}"
    );
}

#[test]
fn orgs_create_rejects_an_unknown_plan() {
    let dir = tempfile::tempdir().unwrap();
    let data_dir = dir.path().to_str().unwrap();
    let out = run(&[
        "orgs",
        "create",
        "--name",
        "X",
        "--plan",
        "bogus",
        "--data-dir",
        data_dir,
    ]);
    assert!(!out.status.success(), "{out:?}");
    assert!(out.stdout.is_empty(), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("bogus"),
        "stderr should name the bad value: {stderr}"
    );
}

#[test]
fn orgs_create_rejects_a_blank_name() {
    let dir = tempfile::tempdir().unwrap();
    let data_dir = dir.path().to_str().unwrap();
    let out = run(&["orgs", "create", "--name", "  ", "--data-dir", data_dir]);
    assert!(!out.status.success(), "{out:?}");
    assert!(out.stdout.is_empty(), "{out:?}");
}

/// Where the tests find the fetched models.
fn models_dir() -> String {
    std::env::var("TALENTD_MODELS_DIR").unwrap_or_else(|_| {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../models")
            .to_string_lossy()
            .into_owned()
    })
}

/// A long interview: its analysis takes long enough to be interrupted.
fn long_transcript() -> Value {
    let answers = [
        "Last year I led the migration of our billing system to a new platform. I organised a team of five engineers, split the work into two-week milestones and set up a weekly review with finance.",
        "When two people disagreed about the data model, I brought them together, listened to both and we agreed on a design within a day.",
        "During a production outage I stayed calm, assigned one person to customer updates and focused on the logs myself. We restored service in forty minutes.",
        "I start from what the listener needs to decide, use a concrete example and check that they understood by asking them to restate the trade-off.",
    ];
    let mut segments = Vec::new();
    for i in 0..150 {
        segments.push(serde_json::json!({"speaker": "interviewer", "text": format!("Question number {i}: tell me more.")}));
        segments.push(serde_json::json!({"speaker": "candidate", "text": format!("{} In round {i} I also measured the result and wrote it down for the team.", answers[i % answers.len()])}));
    }
    Value::Array(segments)
}

async fn post_json(
    server: &Server,
    http: &reqwest::Client,
    path: &str,
    key: &str,
    body: Value,
) -> (u16, Value) {
    let resp = http
        .post(server.url(path))
        .bearer_auth(key)
        .json(&body)
        .send()
        .await
        .unwrap_or_else(|e| server.fail(&format!("POST {path}: {e}")));
    let status = resp.status().as_u16();
    let body = resp.json().await.unwrap_or(Value::Null);
    (status, body)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_job_cut_short_by_kill_9_is_finished_after_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    // Unlimited: polling a slow analysis must not meet the plan's rate limit.
    let (_org, key) = create_org(dir.path(), "Acme", "unlimited");
    let models = models_dir();
    let env = [
        ("TALENTD_MODELS_DIR", models.as_str()),
        ("TALENTD_JOB_LEASE_SECS", "2"),
    ];
    let http = client();

    let mut server = Server::start_env(dir.path(), false, &env);
    let (status, body) = post_json(
        &server,
        &http,
        "/v1/interviews",
        &key,
        serde_json::json!({"candidate_id": "c1", "vacancy_id": "v", "transcript": long_transcript()}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let id = body["id"].as_str().unwrap().to_owned();
    // Let the worker claim it and start, then kill the process without warning.
    tokio::time::sleep(Duration::from_millis(400)).await;
    server.child.kill().expect("SIGKILL");
    let _ = server.child.wait();
    drop(server);

    let server = Server::start_env(dir.path(), false, &env);
    let deadline = Instant::now() + Duration::from_secs(240);
    loop {
        let (status, body) = get(&server, &http, &format!("/v1/interviews/{id}"), Some(&key)).await;
        assert_eq!(status, 200, "{body}");
        match body["status"].as_str() {
            Some("completed") => {
                assert!(body["match"].as_f64().is_some(), "{body}");
                break;
            }
            Some("processing") if Instant::now() < deadline => {
                tokio::time::sleep(Duration::from_millis(250)).await;
            }
            other => server.fail(&format!("interview ended {other:?}: {body}")),
        }
    }
    assert_stopped_cleanly(server);
}

#[test]
fn analyze_prints_the_report_of_a_transcript_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("interview.txt");
    let text = long_transcript()
        .as_array()
        .unwrap()
        .iter()
        .take(8)
        .map(|s| {
            let who = if s["speaker"] == "candidate" {
                "Candidate"
            } else {
                "Interviewer"
            };
            format!("{who}: {}", s["text"].as_str().unwrap())
        })
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(&file, text).unwrap();
    let out = run(&[
        "analyze",
        file.to_str().unwrap(),
        "--models-dir",
        &models_dir(),
    ]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_str(&stdout).expect("JSON on stdout");
    assert_eq!(v["status"], "completed");
    assert!(v["match"].as_f64().is_some(), "{v}");
    assert!(v["scores"]["leadership"].as_f64().is_some(), "{v}");
    assert!(v["analysis"]["skills"]["leadership"]["evidence"].is_array());

    let missing = run(&["analyze", "/nonexistent/file.txt"]);
    assert!(!missing.status.success());
    let audio = dir.path().join("a.mp3");
    std::fs::write(&audio, b"ID3").unwrap();
    let out = run(&["analyze", audio.to_str().unwrap()]);
    assert!(!out.status.success());
}

/// `talentd analyze call.mp3`: a stereo call recording (interviewer left, candidate
/// right) is decoded, transcribed and scored offline; the output says how.
#[test]
fn analyze_transcribes_and_scores_a_recording() {
    const TURNS: [(bool, &str); 6] = [
        (false, "Tell me about a project you led."),
        (
            true,
            "Last year I led the migration of our billing system to a new platform. I organised a team of five engineers and split the work into two week milestones. When two people disagreed about the data model, I brought them together and listened to both. We shipped a month early.",
        ),
        (false, "How do you handle pressure?"),
        (
            true,
            "During a production outage I stayed calm and wrote down what we knew. I assigned one person to customer updates and focused on the logs myself. We restored service in forty minutes, and I wrote the review the next morning.",
        ),
        (false, "How do you explain technical ideas?"),
        (
            true,
            "I start from what the listener needs to decide and use a concrete example. Then I check that they understood by asking them to restate the trade off. When a junior colleague felt lost, I paired with her every morning for two weeks.",
        ),
    ];
    let dir = tempfile::tempdir().unwrap();
    let tool = |cmd: &mut Command| {
        let out = cmd
            .output()
            .unwrap_or_else(|e| panic!("{cmd:?}: {e} (scripts/system-packages.sh --tests)"));
        assert!(
            out.status.success(),
            "{cmd:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    // Each side on its own channel: while one speaks, the other's channel is silent.
    let mut parts = Vec::new();
    for (i, (candidate, text)) in TURNS.iter().enumerate() {
        let raw = dir.path().join(format!("t{i}.wav"));
        let voice = if *candidate { "en-gb+f4" } else { "en-us+m3" };
        tool(
            Command::new("espeak-ng")
                .args(["-v", voice, "-s", "150", "-w"])
                .arg(&raw)
                .arg(text),
        );
        let pan = if *candidate {
            "pan=stereo|c0=0*c0|c1=c0"
        } else {
            "pan=stereo|c0=c0|c1=0*c0"
        };
        let part = dir.path().join(format!("s{i}.wav"));
        tool(
            Command::new("ffmpeg")
                .args(["-y", "-loglevel", "error", "-i"])
                .arg(&raw)
                .args(["-af", &format!("{pan},apad=pad_dur=0.6"), "-ar", "16000"])
                .arg(&part),
        );
        parts.push(part);
    }
    let list = dir.path().join("list.txt");
    let lines: String = parts
        .iter()
        .map(|p| format!("file '{}'\n", p.display()))
        .collect();
    std::fs::write(&list, lines).unwrap();
    let mp3 = dir.path().join("call.mp3");
    tool(
        Command::new("ffmpeg")
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
            .arg(&list)
            .args(["-c:a", "libmp3lame", "-b:a", "96k"])
            .arg(&mp3),
    );

    let out = run(&[
        "analyze",
        mp3.to_str().unwrap(),
        "--models-dir",
        &models_dir(),
        "--stt-model",
        "tiny.en",
    ]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_str(&stdout).expect("JSON on stdout");
    assert_eq!(v["status"], "completed", "{v}");
    assert_eq!(v["speech"]["model"], "whisper-tiny.en", "{v}");
    assert_eq!(v["speech"]["channels"], 2, "{v}");
    assert_eq!(v["speech"]["attribution"], "channels", "{v}");
    assert!(v["match"].as_f64().is_some(), "{v}");
    // Questions went to the interviewer, the answers to the candidate.
    let segments = v["transcript"].as_array().expect("transcript");
    let side = |speaker: &str| -> String {
        segments
            .iter()
            .filter(|s| s["speaker"] == speaker)
            .filter_map(|s| s["text"].as_str())
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
    };
    let (interviewer, candidate) = (side("interviewer"), side("candidate"));
    for word in ["project", "pressure", "explain"] {
        assert!(interviewer.contains(word), "{interviewer:?}");
        assert!(!candidate.contains(word), "{candidate:?}");
    }
    for word in ["migration", "restored", "listener"] {
        assert!(candidate.contains(word), "{candidate:?}");
        assert!(!interviewer.contains(word), "{interviewer:?}");
    }
}

/// What the webhook receiver of the kill test saw: each request's event id and type,
/// and the ids it answered with 200.
#[derive(Default)]
struct Seen {
    requests: Vec<(String, String)>,
    answered: Vec<String>,
    /// While true, event deliveries are held open and never answered.
    hang: bool,
}

async fn hook(
    axum::extract::State(seen): axum::extract::State<Arc<Mutex<Seen>>>,
    headers: axum::http::HeaderMap,
    body: String,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let v: Value = serde_json::from_str(&body).unwrap_or(Value::Null);
    let id = headers
        .get("webhook-id")
        .and_then(|h| h.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let kind = v["type"].as_str().unwrap_or_default().to_owned();
    let hang = {
        let mut s = seen.lock().unwrap();
        s.requests.push((id.clone(), kind.clone()));
        s.hang && kind != "webhook.verification"
    };
    if hang {
        std::future::pending::<()>().await;
    }
    seen.lock().unwrap().answered.push(id);
    if kind == "webhook.verification" {
        return axum::Json(serde_json::json!({"challenge": v["data"]["challenge"]}))
            .into_response();
    }
    "ok".into_response()
}

/// An event whose delivery is in flight when talentd is killed with SIGKILL is
/// delivered after the restart: the receiver, de-duplicating by `webhook-id`, sees it
/// exactly once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_webhook_delivery_cut_short_by_kill_9_is_sent_after_a_restart() {
    let seen = Arc::new(Mutex::new(Seen::default()));
    let app = axum::Router::new()
        .route("/hook", axum::routing::post(hook))
        .with_state(seen.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let hook_url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });

    let dir = tempfile::tempdir().unwrap();
    let (_org, key) = create_org(dir.path(), "Acme", "unlimited");
    let models = models_dir();
    let env = [
        ("TALENTD_MODELS_DIR", models.as_str()),
        ("TALENTD_JOB_LEASE_SECS", "2"),
        ("TALENTD_ALLOW_PRIVATE_URLS", "true"),
        ("TALENTD_WEBHOOK_RETRY_SCHEDULE", "0,1,1,1,1"),
    ];
    let http = client();
    let mut server = Server::start_env(dir.path(), false, &env);
    let (status, body) = post_json(
        &server,
        &http,
        "/v1/webhooks",
        &key,
        serde_json::json!({"url": hook_url, "events": ["project.created"]}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let webhook = body["id"].as_str().unwrap().to_owned();
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let (_, w) = get(
            &server,
            &http,
            &format!("/v1/webhooks/{webhook}"),
            Some(&key),
        )
        .await;
        if w["status"] == "active" {
            break;
        }
        if Instant::now() > deadline {
            server.fail(&format!("the endpoint was not verified: {w}"));
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    seen.lock().unwrap().hang = true;
    let (status, body) = post_json(
        &server,
        &http,
        "/v1/projects",
        &key,
        serde_json::json!({"project_name": "Backend engineer", "instructions": "Ask about teamwork."}),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    // Wait until the delivery is in flight, then kill talentd without warning.
    let deadline = Instant::now() + Duration::from_secs(30);
    let event = loop {
        let got = seen
            .lock()
            .unwrap()
            .requests
            .iter()
            .find(|(_, k)| k == "project.created")
            .map(|(id, _)| id.clone());
        if let Some(id) = got {
            break id;
        }
        if Instant::now() > deadline {
            server.fail("the event was never sent");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    server.child.kill().expect("SIGKILL");
    let _ = server.child.wait();
    drop(server);

    seen.lock().unwrap().hang = false;
    let server = Server::start_env(dir.path(), false, &env);
    // The claim of the killed process runs out after the attempt timeout (15 s) and a
    // margin; then the delivery is sent again.
    let deadline = Instant::now() + Duration::from_secs(90);
    while !seen.lock().unwrap().answered.contains(&event) {
        if Instant::now() > deadline {
            server.fail("the event was not delivered after the restart");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // Delivered: nothing more is sent for it, and de-duplicated by id the receiver has
    // exactly one project.created.
    tokio::time::sleep(Duration::from_secs(2)).await;
    {
        let s = seen.lock().unwrap();
        let mut ids: Vec<&String> = s
            .requests
            .iter()
            .filter(|(_, k)| k == "project.created")
            .map(|(id, _)| id)
            .collect();
        let sends = ids.len();
        ids.dedup();
        assert_eq!(ids, vec![&event]);
        assert_eq!(s.answered.iter().filter(|a| **a == event).count(), 1);
        assert!(sends >= 2, "sent once before the kill and again after");
    }
    let (_, d) = get(
        &server,
        &http,
        &format!("/v1/webhooks/{webhook}/deliveries"),
        Some(&key),
    )
    .await;
    let delivered = d["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["event_id"] == event.as_str())
        .unwrap_or_else(|| server.fail(&format!("no delivery: {d}")));
    assert_eq!(delivered["status"], "delivered", "{d}");
    assert_stopped_cleanly(server);
}
