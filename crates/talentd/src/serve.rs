//! `talentd serve`: open the database, make the demo organisation on first start,
//! listen, and drain in-flight requests on SIGTERM or Ctrl-C.

use crate::cli::{Role, ServeArgs};
use anyhow::Context;
use std::sync::Arc;
use std::time::Duration;
use talentd_api::{
    ApiConfig, AppState, DatabaseRateLimiter, MemoryRateLimiter, ModelsState, RateLimiter,
    RedisRateLimiter, Services,
};
use talentd_core::{Clock, Plan, SystemClock, timefmt::to_millis};
use talentd_jobs::{Engines, Worker, WorkerConfig};
use talentd_store::Store;

pub async fn serve(args: ServeArgs) -> anyhow::Result<()> {
    let store = crate::storage::open(&args.storage).await?;
    let listener = tokio::net::TcpListener::bind(&args.listen)
        .await
        .with_context(|| format!("cannot listen on {}", args.listen))?;
    let addr = listener.local_addr()?;
    let public_url = args
        .public_url
        .clone()
        .unwrap_or_else(|| format!("http://{addr}"));

    let demo = if args.demo && store.count_orgs().await? == 0 {
        let org = talentd_api::provision::create_org(
            &*store,
            &SystemClock,
            "Demo organisation",
            Plan::Pro,
        )
        .await
        .context("cannot create the demo organisation")?;
        let admin = talentd_api::provision::create_user(
            &*store,
            &SystemClock,
            &org.org_id,
            DEMO_ADMIN,
            talentd_core::user::Role::Admin,
            None,
        )
        .await
        .context("cannot create the demo organisation's dashboard user")?;
        Some((org, admin.password.unwrap_or_default()))
    } else {
        None
    };

    let runs_workers = matches!(args.role, Role::Worker | Role::All) && args.workers > 0;
    // The API transcribes candidates' voice answers, the workers recordings.
    let (whisper, speech) = if runs_workers || args.role == Role::Api {
        match crate::models::load_whisper(&args.models_dir, &args.speech.stt_model) {
            Ok(w) => {
                tracing::info!(model = w.name(), "speech-to-text model loaded");
                (Some(w), ModelsState::Loaded)
            }
            Err(e) if runs_workers => {
                tracing::error!(error = %e, "speech-to-text model missing: recordings will wait in the queue, then fail");
                eprintln!("talentd: {e}");
                (None, ModelsState::Missing(e.to_string()))
            }
            Err(e) => {
                tracing::warn!(error = %e, "speech-to-text model missing: candidates can answer by text only");
                (None, ModelsState::NotNeeded)
            }
        }
    } else {
        (None, ModelsState::NotNeeded)
    };
    let (analyzer, models) = if runs_workers {
        match crate::models::load_analyzer(&args.models_dir) {
            Ok(a) => {
                // Embed the rubric anchors now, not during the first interview.
                if let Err(e) = a.prepare() {
                    tracing::warn!(error = %e, "cannot prepare the analyzer");
                }
                (Some(a), ModelsState::Loaded)
            }
            Err(e) => {
                tracing::error!(error = %e, "models missing: interviews will wait in the queue until they are fetched");
                eprintln!("talentd: {e}");
                (None, ModelsState::Missing(e.to_string()))
            }
        }
    } else {
        (None, ModelsState::NotNeeded)
    };
    let mut llm_deadline = None;
    let phraser: Option<Arc<dyn talentd_llm::Phraser>> =
        match talentd_llm::OpenAiPhraser::from_env().context("TALENTD_LLM_URL")? {
            Some(p) => {
                llm_deadline = Some(p.timeout());
                tracing::info!(
                    model = p.model(),
                    "Tami's follow-ups are worded by the configured LLM"
                );
                Some(Arc::new(p))
            }
            None => None,
        };
    let wake = Arc::new(tokio::sync::Notify::new());

    let media_dir = args.storage.data_dir.join("media");
    let remote_media = match &args.media_url {
        Some(url) => {
            let m = talentd_media::MediaStore::from_url(url).context("TALENTD_MEDIA_URL")?;
            tracing::info!(media = ?m, "recordings kept in object storage");
            m.is_remote().then_some(m)
        }
        None => None,
    };
    let mut config = ApiConfig::new(public_url.clone());
    config.max_body_bytes = args.max_body_bytes;
    config.max_upload_bytes = usize::try_from(args.max_media_bytes).unwrap_or(usize::MAX);
    config.media_dir = media_dir.clone();
    config.remote_media = remote_media.clone();
    config.allow_private_urls = args.allow_private_urls;
    if let Some(d) = llm_deadline {
        config.llm_deadline = d;
    }
    let schedule = match &args.webhook_retry_schedule {
        Some(text) => talentd_core::webhook::RetrySchedule::parse(text)
            .map_err(|e| anyhow::anyhow!("TALENTD_WEBHOOK_RETRY_SCHEDULE: {e}"))?,
        None => talentd_core::webhook::RetrySchedule::default(),
    };
    let wake_deliveries = Arc::new(tokio::sync::Notify::new());
    let limiter = rate_limiter(&args, &store).await?;
    let state = AppState::new(Services {
        store: store.clone(),
        clock: Arc::new(SystemClock),
        limiter,
        config,
        wake_workers: Some(wake.clone()),
        wake_deliveries: Some(wake_deliveries.clone()),
        models,
        speech,
        whisper: whisper.clone(),
        phraser,
    });
    let app = match args.role {
        Role::Api | Role::All => talentd_api::app(state),
        Role::Worker => talentd_api::health_app(state),
    };
    tokio::spawn(purge_expired(store.clone()));

    let (stop_workers, stop_rx) = tokio::sync::watch::channel(false);
    let mut workers = Vec::new();
    let mut worker_ids = Vec::new();
    if runs_workers {
        for _ in 0..args.workers {
            let mut wc = WorkerConfig::new(public_url.clone());
            worker_ids.push(wc.id.clone());
            wc.lease = Duration::from_secs(args.job_lease_secs.max(1));
            wc.media_dir = media_dir.clone();
            wc.remote_media = remote_media.clone();
            wc.fetch.max_bytes = args.max_media_bytes;
            wc.fetch.allow_private = args.allow_private_urls;
            let engines = Engines {
                analyzer: analyzer.clone(),
                whisper: whisper.clone(),
            };
            let worker = Worker::new(store.clone(), Arc::new(SystemClock), engines, wc);
            workers.push(tokio::spawn(
                worker.run(stop_rx.clone(), Some(wake.clone())),
            ));
        }
        let dc = talentd_jobs::DeliveryConfig {
            schedule,
            allow_private: args.allow_private_urls,
            concurrency: args.webhook_concurrency.max(1),
            ..talentd_jobs::DeliveryConfig::default()
        };
        let deliverer = talentd_jobs::Deliverer::new(store.clone(), Arc::new(SystemClock), dc)
            .context("webhook deliverer")?;
        workers.push(tokio::spawn(
            deliverer.run(stop_rx.clone(), Some(wake_deliveries.clone())),
        ));
        if let Some(days) = args.media_retention_days {
            let kept = match &remote_media {
                Some(m) => m.clone(),
                None => talentd_media::MediaStore::local(&media_dir)
                    .context("cannot open the media folder")?,
            };
            workers.push(tokio::spawn(media_retention(kept, days, stop_rx.clone())));
        }
        // Hourly, from the start: erases candidates past their organisation's retention.
        let retention = talentd_jobs::RetentionSweep::new(store.clone(), Arc::new(SystemClock));
        workers.push(tokio::spawn(
            retention.run(stop_rx.clone(), Some(wake.clone())),
        ));
        let sweeper = talentd_jobs::Sweeper::new(store.clone(), Arc::new(SystemClock));
        workers.push(tokio::spawn(sweeper.run(
            stop_rx.clone(),
            Some(wake.clone()),
            Some(wake_deliveries.clone()),
        )));
    }

    let base = public_url.trim_end_matches('/');
    println!(
        "talentd is listening on http://{addr} (role: {})",
        format!("{:?}", args.role).to_lowercase()
    );
    println!("  API base URL: {base}/v1");
    println!("  API docs:     {base}/docs");
    println!("  Dashboard:    {base}/dashboard");
    if let Some((demo, password)) = demo {
        println!(
            "  Demo organisation {} created. Its API key, shown only this once:",
            demo.org_id
        );
        println!("    {}", demo.api_key);
        println!(
            "  Try: curl -H 'Authorization: Bearer {}' {base}/v1/projects",
            demo.api_key
        );
        println!(
            "  Dashboard sign-in: {DEMO_ADMIN} with the password {password} (shown only this once)"
        );
    }
    tracing::info!(%addr, role = ?args.role, "listening");

    let drain = Duration::from_secs(args.drain_secs);
    let (stopping_tx, mut stopping) = tokio::sync::watch::channel(false);
    let server = axum::serve(listener, app).with_graceful_shutdown(async move {
        shutdown_signal().await;
        let _ = stopping_tx.send(true);
    });
    // In-flight requests get `drain` to finish; a client that holds a request
    // open longer does not keep the process alive.
    let deadline = async {
        let _ = stopping.wait_for(|s| *s).await;
        tokio::time::sleep(drain).await;
    };
    tokio::select! {
        result = server => result.context("server error")?,
        () = deadline => tracing::warn!("drain deadline passed; stopping with requests in flight"),
    }
    // Workers finish the job in hand; a job still running at the deadline is given back
    // to the queue, so that another worker takes it at once instead of after its lease.
    let _ = stop_workers.send(true);
    let finish = futures_join_all(workers);
    if tokio::time::timeout(drain, finish).await.is_err() {
        let now = to_millis(SystemClock.now());
        for id in &worker_ids {
            match store.release_jobs(id, now).await {
                Ok(n) if n > 0 => {
                    tracing::warn!(worker = %id, released = n, "drain deadline passed: job given back to the queue")
                }
                Ok(_) => {}
                Err(e) => {
                    tracing::warn!(error = %e, "cannot give jobs back; they will be taken again after their lease")
                }
            }
        }
    }
    tracing::info!("stopped");
    Ok(())
}

async fn futures_join_all(handles: Vec<tokio::task::JoinHandle<()>>) {
    for h in handles {
        let _ = h.await;
    }
}

/// The demo organisation's dashboard user.
const DEMO_ADMIN: &str = "admin@demo.talentd.local";

/// Resolves on SIGTERM or Ctrl-C; the server then stops accepting and drains.
async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::error!(error = %e, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(e) => {
                tracing::error!(error = %e, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("shutting down: draining in-flight requests");
}

/// Where the rate-limit counts live: Redis when configured; the database when it is
/// PostgreSQL (several replicas may share it); else this process's memory (SQLite
/// serves one process).
async fn rate_limiter(
    args: &ServeArgs,
    store: &Arc<dyn Store>,
) -> anyhow::Result<Arc<dyn RateLimiter>> {
    if let Some(url) = &args.redis_url {
        let limiter = RedisRateLimiter::connect(url, "talentd:rl:")
            .await
            .context("TALENTD_REDIS_URL: cannot reach Redis")?;
        tracing::info!("rate limits counted in Redis");
        return Ok(Arc::new(limiter));
    }
    Ok(match store.backend() {
        talentd_store::Backend::Postgres => {
            tracing::info!("rate limits counted in PostgreSQL");
            Arc::new(DatabaseRateLimiter::new(store.clone()))
        }
        talentd_store::Backend::Sqlite => Arc::new(MemoryRateLimiter::default()),
    })
}

/// Hourly, from the start: deletes recordings older than the retention.
async fn media_retention(
    media: talentd_media::MediaStore,
    days: u32,
    mut stop: tokio::sync::watch::Receiver<bool>,
) {
    let mut tick = tokio::time::interval(Duration::from_secs(3600));
    loop {
        tokio::select! {
            _ = tick.tick() => {}
            _ = stop.changed() => break,
        }
        let cutoff = to_millis(SystemClock.now()) - i64::from(days) * 86_400_000;
        match media.purge_before(cutoff).await {
            Ok(n) if n > 0 => {
                tracing::info!(deleted = n, days, "recordings past their retention deleted")
            }
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "media retention sweep failed"),
        }
    }
}

/// Hourly: forgets idempotency records past their 24 hours and rate-limit counters of
/// windows long over.
async fn purge_expired(store: Arc<dyn Store>) {
    let mut tick = tokio::time::interval(Duration::from_secs(3600));
    loop {
        tick.tick().await;
        let now = SystemClock.now();
        match store.idempotency_purge(to_millis(now)).await {
            Ok(n) if n > 0 => tracing::info!(purged = n, "idempotency keys purged"),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "idempotency purge failed"),
        }
        // The longest window is an hour; a day back leaves a wide margin.
        let day_ago = u64::try_from(now.unix_timestamp())
            .unwrap_or(0)
            .saturating_sub(86_400);
        if let Err(e) = store.rate_purge(day_ago).await {
            tracing::warn!(error = %e, "rate counter purge failed");
        }
    }
}
