//! Candidate erasure: the request (shared by the API, the dashboard and the retention
//! sweep), the purge job that deletes the recordings and then every row, and the
//! retention sweep.

use crate::JobError;
use crate::recording::media_path;
use crate::worker::Ctx;
use std::sync::Arc;
use std::time::Duration;
use talentd_core::audit::candidate_pseudonym;
use talentd_core::erasure::{PENDING, SYSTEM, purge_by, retention_cutoff};
use talentd_core::{Clock, ErasureId, JobId, OrgId, timefmt::to_millis};
use talentd_store::{ErasureRow, JobRow, NewAuditEvent, NewErasure, NewJob, Store, StoreError};

/// The job kind that purges an erased candidate.
pub const PURGE_CANDIDATE: &str = "candidate.purge";

/// Attempts of a purge: with the queue's backoff (5 s doubling, at most 10 minutes
/// apart) about three hours of retries, well inside the receipt's deadline.
const PURGE_ATTEMPTS: i64 = 25;

/// How often the retention sweep looks.
const SWEEP_EVERY: Duration = Duration::from_secs(3600);
/// Candidates erased per sweep query.
const SWEEP_BATCH: i64 = 100;

/// Erases `org`'s candidate `candidate_id` at once for every reader and queues the
/// purge of everything about them; returns the receipt, or `None` when the
/// organisation has no such candidate (or it is already being erased).
/// `requested_by` is an API key id, a user id, or `system`.
pub async fn erase_candidate(
    store: &dyn Store,
    org: &OrgId,
    candidate_id: &str,
    requested_by: &str,
    now: i64,
) -> Result<Option<ErasureRow>, StoreError> {
    let id = ErasureId::generate();
    let job = NewJob {
        id: JobId::generate(),
        kind: PURGE_CANDIDATE.to_owned(),
        org_id: Some(org.clone()),
        subject_id: id.to_string(),
        max_attempts: PURGE_ATTEMPTS,
        run_at: now,
    };
    let erasure = ErasureRow {
        id,
        org_id: org.clone(),
        subject: candidate_pseudonym(org, candidate_id),
        requested_by: requested_by.to_owned(),
        status: PENDING.to_owned(),
        erased: Default::default(),
        requested_at: now,
        purge_by: purge_by(now),
        completed_at: None,
    };
    store
        .begin_erasure(&NewErasure {
            erasure,
            candidate_id: candidate_id.to_owned(),
            job,
        })
        .await
}

/// Deletes a file; one that is not there is not an error.
async fn remove(path: &std::path::Path) -> Result<(), JobError> {
    match tokio::fs::remove_file(path).await {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(JobError::Retry {
            code: "media_storage_unavailable",
            message: format!("cannot delete {}: {e}", path.display()),
        }),
    }
}

/// The purge: recordings first (in the bucket and every file of this machine's
/// folder), then every row in one transaction with the receipt's completion. A purge
/// that crashes half-way leaves the rows, so its retry finds the interviews again and
/// finishes; deleting what is already gone is no error.
pub(crate) async fn purge(ctx: &Ctx, job: &JobRow) -> Result<(), JobError> {
    let Some(id) = ErasureId::parse(&job.subject_id) else {
        return Err(JobError::Permanent {
            code: "invalid_job",
            message: format!("not an erasure id: {}", job.subject_id),
        });
    };
    for interview in ctx.store.erasure_interviews(&id).await? {
        if let Some(bucket) = &ctx.config.remote_media {
            let object = talentd_media::MediaStore::name_of(interview.as_str());
            bucket.delete(&object).await.map_err(|e| JobError::Retry {
                code: "media_storage_unavailable",
                message: e.to_string(),
            })?;
        }
        // The kept recording (or a worker's copy of the bucket's), and the partial
        // files of a download or copy cut short.
        let kept = media_path(&ctx.config.media_dir, &interview);
        for path in [
            kept.with_extension("part"),
            kept.with_extension("download"),
            kept,
        ] {
            remove(&path).await?;
        }
    }
    let receipt = ctx.store.purge_erasure(&id, &job.id, ctx.now_ms()).await?;
    match receipt {
        Some(r) => tracing::info!(erasure = %r.id, erased = ?r.erased, "candidate purged"),
        None => tracing::warn!(erasure = %id, "purge of an unknown erasure"),
    }
    Ok(())
}

/// Erases candidates past their organisation's retention (`retention_days`), the same
/// way as a request (with `system` as who asked).
#[derive(Clone)]
pub struct RetentionSweep {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
}

impl RetentionSweep {
    pub fn new(store: Arc<dyn Store>, clock: Arc<dyn Clock>) -> Self {
        Self { store, clock }
    }

    /// Erases every candidate whose newest interview is older than its organisation's
    /// retention; returns the receipts. Their purges run as jobs.
    pub async fn run_once(&self) -> Result<Vec<ErasureRow>, JobError> {
        let now = to_millis(self.clock.now());
        let mut receipts = Vec::new();
        for (org, days) in self.store.orgs_with_retention().await? {
            let before = retention_cutoff(now, days);
            loop {
                let due = self
                    .store
                    .candidates_idle_before(&org, before, SWEEP_BATCH)
                    .await?;
                let n = due.len();
                for candidate in due {
                    if let Some(r) =
                        erase_candidate(&*self.store, &org, &candidate, SYSTEM, now).await?
                    {
                        // The log names the candidate by the receipt's pseudonym; like a
                        // request's entry, a failed one never undoes the erasure.
                        let entry = NewAuditEvent::system(
                            &org,
                            "retention",
                            "candidates.delete",
                            Some(r.subject.clone()),
                            now,
                        );
                        if let Err(e) = self.store.record_audit(&entry).await {
                            tracing::warn!(error = %e, erasure = %r.id, "cannot record the erasure in the audit log");
                        }
                        receipts.push(r);
                    }
                }
                if (n as i64) < SWEEP_BATCH {
                    break;
                }
            }
        }
        Ok(receipts)
    }

    /// Sweeps hourly until `stop`; wakes the workers when it erased someone.
    pub async fn run(
        self,
        mut stop: tokio::sync::watch::Receiver<bool>,
        wake_workers: Option<Arc<tokio::sync::Notify>>,
    ) {
        loop {
            match self.run_once().await {
                Ok(r) if !r.is_empty() => {
                    tracing::info!(erased = r.len(), "candidates past their retention erased");
                    if let Some(w) = &wake_workers {
                        w.notify_one();
                    }
                }
                Ok(_) => {}
                Err(e) => tracing::error!(error = %e, "retention sweep failed"),
            }
            tokio::select! {
                _ = tokio::time::sleep(SWEEP_EVERY) => {}
                _ = stop.wait_for(|s| *s) => break,
            }
        }
    }
}
