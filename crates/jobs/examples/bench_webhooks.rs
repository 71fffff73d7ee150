//! Webhook delivery speed: events per second and the time from a change to its delivery,
//! against a receiver on loopback, on a SQLite database.
//!
//! ```sh
//! cargo run --release -p talentd-jobs --example bench_webhooks
//! BENCH_EVENTS=5000 cargo run --release -p talentd-jobs --example bench_webhooks
//! ```
//!
//! Three measurements in one run, each over the same number of events:
//! 1. baseline: the same signed POSTs sent by a bare reqwest client, as many at once as
//!    the deliverer runs, with no database (the ceiling of the receiver and loopback);
//! 2. queued: that many events recorded while no deliverer runs, then one deliverer
//!    started: events delivered per second until the queue is empty;
//! 3. live: events recorded one after another while the deliverer runs: the time from
//!    each event's transaction to its arrival at the receiver (p50, p99, max).

use axum::extract::State;
use axum::http::HeaderMap;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use talentd_core::event::{Event, EventType};
use talentd_core::webhook;
use talentd_core::{ApiKeyId, Clock, OrgId, Plan, SystemClock, WebhookId, timefmt::to_millis};
use talentd_jobs::{Deliverer, DeliveryConfig};
use talentd_store::{NewApiKey, OrgRow, Store, WebhookRow, webhook_status};

type Arrivals = Arc<Mutex<HashMap<String, Instant>>>;

async fn receive(
    State(arrivals): State<Arrivals>,
    headers: HeaderMap,
    _body: String,
) -> &'static str {
    let id = headers
        .get("webhook-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    if let Ok(mut a) = arrivals.lock() {
        a.entry(id).or_insert_with(Instant::now);
    }
    "ok"
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

async fn wait_for(arrivals: &Arrivals, ids: &[String], limit: Duration) -> Result<(), String> {
    let started = Instant::now();
    loop {
        let done = {
            let a = arrivals.lock().map_err(|_| "poisoned")?;
            ids.iter().all(|id| a.contains_key(id))
        };
        if done {
            return Ok(());
        }
        if started.elapsed() > limit {
            return Err(format!("not every event arrived within {limit:?}"));
        }
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
}

fn event(org: &OrgId, i: usize, clock: &dyn Clock) -> Event {
    Event::new(
        org.clone(),
        EventType::ProjectCreated,
        serde_json::json!({"id": format!("prj_bench{i}"), "project_name": format!("Project {i}"), "status": "active"}),
        to_millis(clock.now()),
    )
}

#[tokio::main(flavor = "multi_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let n: usize = std::env::var("BENCH_EVENTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1000);
    let concurrency = 16;

    // The receiver.
    let arrivals: Arrivals = Arc::default();
    let app = axum::Router::new()
        .route("/hook", axum::routing::post(receive))
        .with_state(arrivals.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}/hook", listener.local_addr()?);
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });

    // The database, an organisation and one active endpoint.
    let dir = tempfile::tempdir()?;
    let store: Arc<dyn Store> = talentd_store::connect(&format!(
        "sqlite://{}?mode=rwc",
        dir.path().join("bench.db").display()
    ))
    .await?;
    store.migrate().await?;
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let now = to_millis(clock.now());
    let org = OrgId::generate();
    store
        .create_org(
            &OrgRow {
                id: org.clone(),
                name: "Bench".into(),
                plan: Plan::Unlimited,
                created_at: now,
            },
            &NewApiKey {
                id: ApiKeyId::generate(),
                org_id: org.clone(),
                name: "bench".into(),
                prefix: "tk_live_bench".into(),
                key_hash: "0".repeat(64),
                created_at: now,
            },
        )
        .await?;
    let secret = webhook::new_secret();
    store
        .create_webhook(
            &WebhookRow {
                id: WebhookId::generate(),
                org_id: org.clone(),
                url: url.clone(),
                events: vec!["project.created".into()],
                secret: secret.clone(),
                old_secret: None,
                old_secret_until: None,
                status: webhook_status::ACTIVE.into(),
                disabled_reason: None,
                challenge: None,
                verify_until: None,
                failing_since: None,
                created_at: now,
                updated_at: now,
            },
            None,
        )
        .await?;

    // 1. Baseline: the same signed requests, no database.
    let client = reqwest::Client::new();
    let events: Vec<Event> = (0..n).map(|i| event(&org, i, &*clock)).collect();
    let started = Instant::now();
    let chunks: Vec<Vec<Event>> = events
        .chunks(n.div_ceil(concurrency))
        .map(<[Event]>::to_vec)
        .collect();
    let mut tasks = tokio::task::JoinSet::new();
    for chunk in chunks {
        let client = client.clone();
        let url = url.clone();
        let secret = secret.clone();
        tasks.spawn(async move {
            for e in chunk {
                let body = e.envelope().to_string();
                let ts = to_millis(SystemClock.now()) / 1000;
                let sig =
                    webhook::sign(&secret, e.id.as_str(), ts, body.as_bytes()).unwrap_or_default();
                let _ = client
                    .post(&url)
                    .header("content-type", "application/json")
                    .header("webhook-id", e.id.as_str())
                    .header("webhook-timestamp", ts.to_string())
                    .header("webhook-signature", sig)
                    .body(body)
                    .send()
                    .await;
            }
        });
    }
    while tasks.join_next().await.is_some() {}
    let baseline_secs = started.elapsed().as_secs_f64();
    let ids: Vec<String> = events.iter().map(|e| e.id.to_string()).collect();
    wait_for(&arrivals, &ids, Duration::from_secs(60)).await?;

    // 2. Queued: record every event, then deliver them all.
    let events: Vec<Event> = (0..n).map(|i| event(&org, i, &*clock)).collect();
    for e in &events {
        store.record_event(e).await?;
    }
    let ids: Vec<String> = events.iter().map(|e| e.id.to_string()).collect();
    let config = DeliveryConfig {
        allow_private: true,
        concurrency,
        ..DeliveryConfig::default()
    };
    let wake = Arc::new(tokio::sync::Notify::new());
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let deliverer = Deliverer::new(store.clone(), clock.clone(), config)?;
    let started = Instant::now();
    let running = tokio::spawn(deliverer.run(stop_rx, Some(wake.clone())));
    wait_for(&arrivals, &ids, Duration::from_secs(600)).await?;
    let queued_secs = started.elapsed().as_secs_f64();

    // 3. Live: one event after another while the deliverer runs.
    let mut created = HashMap::new();
    let mut live_ids = Vec::new();
    let started = Instant::now();
    for i in 0..n {
        let e = event(&org, i, &*clock);
        store.record_event(&e).await?;
        created.insert(e.id.to_string(), Instant::now());
        wake.notify_waiters();
        live_ids.push(e.id.to_string());
    }
    let record_secs = started.elapsed().as_secs_f64();
    wait_for(&arrivals, &live_ids, Duration::from_secs(600)).await?;
    let mut latencies: Vec<f64> = {
        let a = arrivals.lock().map_err(|_| "poisoned")?;
        live_ids
            .iter()
            .filter_map(|id| {
                Some(a.get(id)?.duration_since(*created.get(id)?).as_secs_f64() * 1000.0)
            })
            .collect()
    };
    latencies.sort_by(f64::total_cmp);
    let _ = stop_tx.send(true);
    let _ = running.await;

    println!("webhook delivery, {n} events, {concurrency} at a time, SQLite, receiver on loopback");
    println!();
    println!("| measurement | events/s |");
    println!("|---|---|");
    println!(
        "| baseline: bare reqwest POSTs, no database | {:.0} |",
        n as f64 / baseline_secs
    );
    println!(
        "| talentd: {n} queued events delivered | {:.0} |",
        n as f64 / queued_secs
    );
    println!(
        "| talentd: events recorded live (one transaction each) | {:.0} |",
        n as f64 / record_secs
    );
    println!();
    println!(
        "queued delivery / baseline: {:.2}",
        baseline_secs / queued_secs
    );
    println!(
        "change to delivery, live: p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        percentile(&latencies, 0.5),
        percentile(&latencies, 0.99),
        latencies.last().copied().unwrap_or(f64::NAN)
    );
    Ok(())
}
