//! A load generator for `bench/load.sh`: authenticated `GET /v1/projects` spread over
//! one or more replicas, then a burst of one rate-limited key across all of them.
//!
//! ```text
//! load --targets http://127.0.0.1:8081,http://127.0.0.1:8082 --key tk_live_... \
//!      --seconds 10 --concurrency 32 [--limited-key tk_live_... --limit 300]
//! ```
//!
//! Prints one line of JSON: requests, requests/s, p50/p99 in ms, errors, and for the
//! burst the requests allowed against the limit.

use std::time::{Duration, Instant};

struct Args {
    targets: Vec<String>,
    key: String,
    seconds: u64,
    concurrency: usize,
    limited: Option<(String, u64)>,
}

fn args() -> Result<Args, String> {
    let mut a = std::env::args().skip(1);
    let (mut targets, mut key, mut seconds, mut concurrency) = (Vec::new(), None, 10, 32);
    let (mut limited_key, mut limit) = (None, None);
    while let Some(flag) = a.next() {
        let mut value = || a.next().ok_or(format!("{flag} needs a value"));
        match flag.as_str() {
            "--targets" => targets = value()?.split(',').map(str::to_owned).collect(),
            "--key" => key = Some(value()?),
            "--seconds" => seconds = value()?.parse().map_err(|e| format!("{e}"))?,
            "--concurrency" => concurrency = value()?.parse().map_err(|e| format!("{e}"))?,
            "--limited-key" => limited_key = Some(value()?),
            "--limit" => limit = Some(value()?.parse::<u64>().map_err(|e| format!("{e}"))?),
            other => return Err(format!("unknown flag {other}")),
        }
    }
    if targets.is_empty() {
        return Err("--targets is required".into());
    }
    Ok(Args {
        targets,
        key: key.ok_or("--key is required")?,
        seconds,
        concurrency,
        limited: limited_key.zip(limit),
    })
}

fn percentile(sorted: &[u32], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    f64::from(sorted[i]) / 1000.0
}

#[tokio::main]
async fn main() {
    let args = match args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("load: {e}");
            std::process::exit(2);
        }
    };
    let client = reqwest::Client::builder()
        .no_proxy()
        .pool_max_idle_per_host(args.concurrency)
        .build()
        .unwrap_or_else(|e| panic!("client: {e}"));

    // Phase 1: throughput over every replica.
    let deadline = Instant::now() + Duration::from_secs(args.seconds);
    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for worker in 0..args.concurrency {
        let (client, key) = (client.clone(), args.key.clone());
        let urls: Vec<String> = args
            .targets
            .iter()
            .map(|t| format!("{t}/v1/projects"))
            .collect();
        tasks.spawn(async move {
            let (mut lat, mut errors, mut i) = (Vec::new(), 0u64, worker);
            while Instant::now() < deadline {
                let t = Instant::now();
                match client
                    .get(&urls[i % urls.len()])
                    .bearer_auth(&key)
                    .send()
                    .await
                {
                    Ok(r) if r.status().is_success() => {
                        let _ = r.bytes().await;
                        lat.push(t.elapsed().as_micros().min(u128::from(u32::MAX)) as u32);
                    }
                    _ => errors += 1,
                }
                i += 1;
            }
            (lat, errors)
        });
    }
    let (mut latencies, mut errors) = (Vec::new(), 0);
    while let Some(done) = tasks.join_next().await {
        if let Ok((lat, err)) = done {
            latencies.extend(lat);
            errors += err;
        }
    }
    let elapsed = started.elapsed().as_secs_f64();
    latencies.sort_unstable();

    // Phase 2: a burst of three times the limit, spread over the replicas, inside one
    // minute window: exactly `limit` may pass.
    let mut burst = serde_json::Value::Null;
    if let Some((key, limit)) = &args.limited {
        let into_minute = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs() % 60)
            .unwrap_or(0);
        if into_minute > 45 {
            tokio::time::sleep(Duration::from_secs(61 - into_minute)).await;
        }
        let mut sends = tokio::task::JoinSet::new();
        for i in 0..(limit * 3) as usize {
            let url = format!("{}/v1/projects", args.targets[i % args.targets.len()]);
            let (client, key) = (client.clone(), key.clone());
            sends.spawn(async move {
                client
                    .get(url)
                    .bearer_auth(key)
                    .send()
                    .await
                    .map(|r| r.status().as_u16())
                    .unwrap_or(0)
            });
        }
        let (mut allowed, mut refused, mut other) = (0u64, 0u64, 0u64);
        while let Some(s) = sends.join_next().await {
            match s.unwrap_or(0) {
                200 => allowed += 1,
                429 => refused += 1,
                _ => other += 1,
            }
        }
        burst = serde_json::json!({
            "sent": limit * 3, "limit": limit, "allowed": allowed,
            "refused": refused, "other": other, "exact": allowed == *limit,
        });
    }

    println!(
        "{}",
        serde_json::json!({
            "replicas": args.targets.len(),
            "requests": latencies.len(),
            "errors": errors,
            "seconds": (elapsed * 10.0).round() / 10.0,
            "rps": (latencies.len() as f64 / elapsed).round(),
            "p50_ms": percentile(&latencies, 0.50),
            "p99_ms": percentile(&latencies, 0.99),
            "burst": burst,
        })
    );
}
