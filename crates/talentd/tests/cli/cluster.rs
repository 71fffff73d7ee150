//! Two `talentd serve` processes on one PostgreSQL, as a deployment with several
//! machines runs: 200 interviews submitted across both, one process killed with
//! SIGKILL mid-run, and the survivor finishes everything. Each interview is analysed
//! and announced exactly once; the webhook receiver sees every event.

use super::{Server, client, run_json};
use axum::Router;
use axum::extract::State;
use axum::http::HeaderMap;
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const INTERVIEWS: usize = 200;

/// The admin URL of the test PostgreSQL (scripts/test.sh exports it).
pub(super) fn pg_admin_url() -> String {
    std::env::var("TALENTD_TEST_PG_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned())
}

pub(super) fn psql(url: &str, sql: &str) -> String {
    let out = Command::new("psql")
        .args([url, "-Atqc", sql])
        .output()
        .expect("psql (scripts/postgres.sh installs PostgreSQL)");
    assert!(
        out.status.success(),
        "psql {sql}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

/// A throwaway database, named so that scripts/test.sh drops it afterwards.
pub(super) fn fresh_database() -> String {
    let admin = pg_admin_url();
    let name = format!(
        "talentd_t_cluster_{}",
        std::process::id() as u64 * 1000 + u64::from(rand_suffix())
    );
    psql(&admin, &format!("CREATE DATABASE {name}"));
    match admin.rsplit_once('/') {
        Some((base, _)) => format!("{base}/{name}"),
        None => panic!("admin URL without a database: {admin}"),
    }
}

/// How many interviews in the database at `db` are completed.
pub(super) fn completed_interviews(db: &str) -> usize {
    psql(
        db,
        "SELECT COUNT(*) FROM interviews WHERE status = 'completed'",
    )
    .parse()
    .expect("a count")
}

/// A new organisation on the unlimited plan in the database at `db`; its API key.
pub(super) fn unlimited_org(db: &str, name: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let org = run_json(&[
        "orgs",
        "create",
        "--name",
        name,
        "--plan",
        "unlimited",
        "--database-url",
        db,
        "--data-dir",
        dir.path().to_str().unwrap(),
    ]);
    org["api_key"].as_str().expect("api_key").to_owned()
}

fn rand_suffix() -> u16 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    (nanos % 1000) as u16
}

type Seen = Arc<Mutex<Vec<(String, String)>>>;

/// Records (webhook-id, interview id) of every delivery and answers 200.
async fn receiver() -> (String, Seen) {
    async fn receive(State(seen): State<Seen>, headers: HeaderMap, body: String) -> &'static str {
        let id = headers
            .get("webhook-id")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        let v: Value = serde_json::from_str(&body).unwrap_or(Value::Null);
        let interview = v["data"]["id"].as_str().unwrap_or_default().to_owned();
        seen.lock().unwrap().push((id, interview));
        "ok"
    }
    let seen: Seen = Arc::default();
    let app = Router::new()
        .route("/hook", axum::routing::post(receive))
        .with_state(seen.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    (format!("http://{addr}/hook"), seen)
}

const ANSWER: &str = "Candidate: Last year I led the migration of our billing system. I organised a team of five engineers, split the work into two-week milestones and ran a weekly review with finance. We shipped a week early and cut invoice errors by forty percent.";

#[tokio::test(flavor = "multi_thread")]
async fn two_processes_on_one_postgres_lose_nothing_when_one_is_killed() {
    let db = fresh_database();
    let dir = tempfile::tempdir().unwrap();
    let key = unlimited_org(&db, "Scale");
    let models = super::browser::models_dir();
    let env = [
        ("DATABASE_URL", db.as_str()),
        ("TALENTD_MODELS_DIR", models.as_str()),
        ("TALENTD_ALLOW_PRIVATE_URLS", "true"),
        // A killed worker's job is taken again after its lease.
        ("TALENTD_JOB_LEASE_SECS", "3"),
    ];
    let a_dir = dir.path().join("a");
    let b_dir = dir.path().join("b");
    let a = Server::start_env(&a_dir, false, &env);
    let b = Server::start_env(&b_dir, false, &env);
    let http = client();

    let (hook, seen) = receiver().await;
    let r = http
        .patch(a.url("/v1/settings"))
        .bearer_auth(&key)
        .json(&json!({"webhook_verification": false}))
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "{}", r.text().await.unwrap());
    let r = http
        .post(b.url("/v1/webhooks"))
        .bearer_auth(&key)
        .json(&json!({"url": hook, "events": ["interview.completed"]}))
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "{}", r.text().await.unwrap());

    // 200 interviews at once, alternating between the two processes, so that a queue
    // builds up for the kill below to land in.
    let started = Instant::now();
    let mut sends = tokio::task::JoinSet::new();
    for i in 0..INTERVIEWS {
        let url = if i % 2 == 0 {
            a.url("/v1/interviews")
        } else {
            b.url("/v1/interviews")
        };
        let (http, key) = (http.clone(), key.clone());
        let transcript =
            format!("Interviewer: Tell me about a project you led.\n{ANSWER} (case {i})\n");
        sends.spawn(async move {
            let r = http
                .post(url)
                .bearer_auth(&key)
                .json(&json!({"candidate_id": format!("c{i}"), "vacancy_id": "scale", "transcript": transcript}))
                .send()
                .await
                .expect("submit");
            let status = r.status();
            let body: Value = r.json().await.expect("json");
            assert!(status.is_success(), "{status}: {body}");
            body["id"].as_str().expect("id").to_owned()
        });
    }
    let mut ids = BTreeSet::new();
    while let Some(id) = sends.join_next().await {
        ids.insert(id.expect("submission task"));
    }
    assert_eq!(ids.len(), INTERVIEWS);
    let submitted = started.elapsed();

    let completed = || completed_interviews(&db);
    // Kill one process while both are working through the queue.
    let deadline = Instant::now() + Duration::from_secs(600);
    while completed() < 3 {
        assert!(Instant::now() < deadline, "the queue does not move");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let at_kill = completed();
    let mut a = a;
    a.child.kill().expect("SIGKILL");
    let _ = a.child.wait();
    while completed() < INTERVIEWS {
        assert!(
            Instant::now() < deadline,
            "only {} of {INTERVIEWS} completed",
            completed()
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let all_done = started.elapsed();

    // Nothing lost, nothing analysed twice.
    assert_eq!(
        psql(
            &db,
            "SELECT COUNT(*) FROM interviews WHERE status <> 'completed'"
        ),
        "0"
    );
    assert_eq!(
        psql(
            &db,
            "SELECT COUNT(*) FROM (SELECT subject_id FROM jobs GROUP BY subject_id HAVING COUNT(*) > 1) d"
        ),
        "0",
        "one job per interview"
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
        format!("{INTERVIEWS}|{INTERVIEWS}"),
        "one completion event per interview"
    );
    let retaken: usize = psql(&db, "SELECT COUNT(*) FROM jobs WHERE attempts > 1")
        .parse()
        .unwrap();

    // Every event reaches the receiver: all 200, each interview under one event id.
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let distinct: BTreeSet<String> = seen
            .lock()
            .unwrap()
            .iter()
            .map(|(e, _)| e.clone())
            .collect();
        if distinct.len() >= INTERVIEWS {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "{} of {INTERVIEWS} events delivered",
            distinct.len()
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let received = seen.lock().unwrap().clone();
    let mut events_of: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (event, interview) in &received {
        events_of
            .entry(interview.clone())
            .or_default()
            .insert(event.clone());
    }
    assert_eq!(events_of.keys().cloned().collect::<BTreeSet<_>>(), ids);
    assert!(events_of.values().all(|e| e.len() == 1));
    // At-least-once: an attempt in flight on the killed process may be made again.
    let redelivered = received.len() - INTERVIEWS;
    assert!(redelivered <= 16, "{redelivered} redeliveries");

    let _ = b.terminate();
    eprintln!(
        "cluster: {INTERVIEWS} interviews submitted in {:.1} s over two processes; one killed \
         at {at_kill} completed; all completed after {:.1} s; {retaken} job(s) retaken after \
         the kill; {} deliveries for {INTERVIEWS} events",
        submitted.as_secs_f64(),
        all_done.as_secs_f64(),
        received.len()
    );
}
