//! The worker loop: claim, run with a heartbeat, record the outcome.

use crate::{JobError, backoff, pipeline};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use talentd_analysis::Analyzer;
use talentd_core::{Clock, InterviewId, JobId, timefmt::to_millis};
use talentd_store::{JobRow, Store};

/// How a worker behaves.
#[derive(Clone, Debug)]
pub struct WorkerConfig {
    /// Names this worker in job claims.
    pub id: String,
    /// How long a claim lasts without a heartbeat.
    pub lease: Duration,
    /// How long to sleep when the queue is empty.
    pub poll_interval: Duration,
    pub backoff_base: Duration,
    pub backoff_cap: Duration,
    /// Base of report links.
    pub public_url: String,
    /// Where recordings are kept; with `remote_media`, where this worker copies them
    /// while it transcribes them.
    pub media_dir: PathBuf,
    /// The bucket recordings are kept in; `None` keeps them in `media_dir`.
    pub remote_media: Option<talentd_media::MediaStore>,
    /// Limits of `media_url` downloads.
    pub fetch: talentd_fetch::FetchPolicy,
}

impl WorkerConfig {
    pub fn new(public_url: impl Into<String>) -> Self {
        Self {
            id: format!("worker_{}", talentd_core::id::random_token(10)),
            lease: Duration::from_secs(60),
            poll_interval: Duration::from_millis(500),
            backoff_base: Duration::from_secs(5),
            backoff_cap: Duration::from_secs(600),
            public_url: public_url.into(),
            media_dir: PathBuf::from("media"),
            remote_media: None,
            fetch: talentd_fetch::FetchPolicy::default(),
        }
    }
}

/// The models a worker runs; each is loaded once per process and shared.
#[derive(Clone, Default)]
pub struct Engines {
    /// Scores transcripts; without it the worker claims nothing.
    pub analyzer: Option<Analyzer>,
    /// Transcribes recordings; without it recordings wait and then fail
    /// `stt_model_missing`.
    pub whisper: Option<Arc<talentd_stt::Whisper>>,
}

pub(crate) struct Ctx {
    pub store: Arc<dyn Store>,
    pub clock: Arc<dyn Clock>,
    pub engines: Engines,
    pub config: WorkerConfig,
}

impl Ctx {
    pub fn now_ms(&self) -> i64 {
        to_millis(self.clock.now())
    }
}

/// An error with its causes, for the job's `last_error` and the logs.
fn error_chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        out.push_str(": ");
        out.push_str(&s.to_string());
        source = s.source();
    }
    out
}

/// What one turn of the worker did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum JobOutcome {
    Done(JobId),
    /// Failed this time; queued again.
    Retrying {
        job: JobId,
        error: String,
    },
    /// Failed for good; its interview is `failed`.
    Failed {
        job: JobId,
        error: String,
    },
    /// This worker's lease ran out mid-job and another worker ended the job first;
    /// nothing was written twice.
    Superseded(JobId),
}

/// Runs jobs from the queue.
#[derive(Clone)]
pub struct Worker {
    ctx: Arc<Ctx>,
}

impl Worker {
    /// A worker; without an analyzer (models missing) it claims nothing.
    pub fn new(
        store: Arc<dyn Store>,
        clock: Arc<dyn Clock>,
        engines: Engines,
        config: WorkerConfig,
    ) -> Self {
        Self {
            ctx: Arc::new(Ctx {
                store,
                clock,
                engines,
                config,
            }),
        }
    }

    /// Claims and runs one due job; `None` when there is none (or nothing can run).
    pub async fn run_once(&self) -> Result<Option<JobOutcome>, JobError> {
        let ctx = &self.ctx;
        if ctx.engines.analyzer.is_none() {
            return Ok(None);
        }
        let lease_ms = ctx.config.lease.as_millis() as i64;
        let Some(job) = ctx
            .store
            .claim_job(&ctx.config.id, ctx.now_ms(), lease_ms)
            .await?
        else {
            return Ok(None);
        };
        tracing::info!(job = %job.id, kind = %job.kind, attempt = job.attempts, "job claimed");
        let started = std::time::Instant::now();
        let heartbeat = self.heartbeat(job.id.clone());
        let result = match job.kind.as_str() {
            pipeline::ANALYZE_INTERVIEW => {
                pipeline::analyze_interview(ctx, &job.id, &job.subject_id).await
            }
            crate::erasure::PURGE_CANDIDATE => crate::erasure::purge(ctx, &job).await,
            other => Err(JobError::Permanent {
                code: "unknown_job",
                message: format!("unknown job kind {other}"),
            }),
        };
        heartbeat.abort();
        let outcome = self.record(&job, result).await?;
        let label = match &outcome {
            JobOutcome::Done(_) => "done",
            JobOutcome::Retrying { .. } => "retrying",
            JobOutcome::Failed { .. } => "failed",
            JobOutcome::Superseded(_) => "superseded",
        };
        metrics::counter!("talentd_jobs_processed_total", "kind" => job.kind.clone(), "outcome" => label)
            .increment(1);
        metrics::histogram!("talentd_job_duration_seconds", "kind" => job.kind.clone())
            .record(started.elapsed().as_secs_f64());
        Ok(Some(outcome))
    }

    /// Keeps extending the lease while the job runs.
    fn heartbeat(&self, job: JobId) -> tokio::task::JoinHandle<()> {
        let ctx = self.ctx.clone();
        tokio::spawn(async move {
            let every = ctx.config.lease / 3;
            loop {
                tokio::time::sleep(every).await;
                let until = ctx.now_ms() + ctx.config.lease.as_millis() as i64;
                match ctx.store.heartbeat_job(&job, &ctx.config.id, until).await {
                    Ok(true) => {}
                    Ok(false) => break,
                    Err(e) => tracing::warn!(error = %e, %job, "heartbeat failed"),
                }
            }
        })
    }

    async fn record(
        &self,
        job: &JobRow,
        result: Result<(), JobError>,
    ) -> Result<JobOutcome, JobError> {
        match self.end(job, result).await {
            Err(JobError::Store(talentd_store::StoreError::Conflict(
                talentd_store::JOB_NOT_HELD,
            ))) => {
                tracing::warn!(job = %job.id, "lease lost mid-job: another worker ended it; this result is dropped");
                Ok(JobOutcome::Superseded(job.id.clone()))
            }
            other => other,
        }
    }

    async fn end(
        &self,
        job: &JobRow,
        result: Result<(), JobError>,
    ) -> Result<JobOutcome, JobError> {
        let ctx = &self.ctx;
        let now = ctx.now_ms();
        let (code, message, permanent) = match result {
            Ok(()) => {
                tracing::info!(job = %job.id, "job done");
                return Ok(JobOutcome::Done(job.id.clone()));
            }
            Err(JobError::Store(talentd_store::StoreError::Conflict(
                talentd_store::JOB_NOT_HELD,
            ))) => {
                return Err(JobError::Store(talentd_store::StoreError::Conflict(
                    talentd_store::JOB_NOT_HELD,
                )));
            }
            Err(JobError::Permanent { code, message }) => (code, message, true),
            Err(JobError::Retry { code, message }) => (code, message, false),
            Err(e) => ("analysis_failed", error_chain(&e), false),
        };
        if !permanent && job.attempts < job.max_attempts {
            let delay = backoff::delay(
                job.attempts,
                ctx.config.backoff_base,
                ctx.config.backoff_cap,
            );
            let run_at = now + delay.as_millis() as i64;
            tracing::warn!(job = %job.id, attempt = job.attempts, error = %message, "job failed; will retry");
            ctx.store.retry_job(&job.id, run_at, &message, now).await?;
            return Ok(JobOutcome::Retrying {
                job: job.id.clone(),
                error: message,
            });
        }
        tracing::error!(job = %job.id, code, error = %message, "job failed for good");
        match InterviewId::parse(&job.subject_id) {
            Some(id) => {
                let events = match ctx.store.get_interview_any_org(&id).await? {
                    Some(i) => vec![talentd_core::event::Event::new(
                        i.org_id.clone(),
                        talentd_core::event::EventType::InterviewCompleted,
                        serde_json::json!({
                            "id": i.id,
                            "candidate_id": i.candidate_id,
                            "vacancy_id": i.vacancy_id,
                            "status": "failed",
                            "error": {"code": code, "message": message},
                        }),
                        now,
                    )],
                    None => Vec::new(),
                };
                ctx.store
                    .fail_interview(&id, code, &message, &job.id, now, &events)
                    .await?
            }
            None => ctx.store.drop_job(&job.id, &message, now).await?,
        }
        Ok(JobOutcome::Failed {
            job: job.id.clone(),
            error: message,
        })
    }

    /// Runs jobs until `stop` turns true; finishes the job in hand first. `wake` cuts the
    /// idle sleep short when a job is queued in this process.
    pub async fn run(
        self,
        mut stop: tokio::sync::watch::Receiver<bool>,
        wake: Option<Arc<tokio::sync::Notify>>,
    ) {
        let wake = wake.unwrap_or_default();
        if self.ctx.engines.analyzer.is_none() {
            tracing::error!(
                "analysis model not loaded: this worker runs no jobs (run scripts/fetch-models.sh)"
            );
        }
        loop {
            if *stop.borrow() {
                break;
            }
            let idle = match self.run_once().await {
                Ok(Some(_)) => false,
                Ok(None) => true,
                Err(e) => {
                    tracing::error!(error = %e, "worker error");
                    true
                }
            };
            if idle {
                tokio::select! {
                    _ = tokio::time::sleep(self.ctx.config.poll_interval) => {}
                    _ = wake.notified() => {}
                    _ = stop.changed() => {}
                }
            }
        }
        tracing::info!("worker stopped");
    }
}
