//! The durable job queue. A job is claimed with a lease: PostgreSQL claims with
//! `FOR UPDATE SKIP LOCKED`, so concurrent workers never take the same job; SQLite's
//! single writer makes the same `UPDATE ... RETURNING` atomic. A worker that dies loses
//! its claim when the lease runs out, and the job is claimed again.

use crate::{Backend, SqlStore, StoreError};
use sqlx::any::AnyRow;
use sqlx::{Any, FromRow, Row, Transaction};
use talentd_core::{JobId, OrgId};

/// A job about to be queued.
#[derive(Clone, Debug)]
pub struct NewJob {
    pub id: JobId,
    /// What to do, e.g. `analyze_interview`.
    pub kind: String,
    pub org_id: Option<OrgId>,
    /// What to do it to, e.g. an interview id.
    pub subject_id: String,
    pub max_attempts: i64,
    pub run_at: i64,
}

/// A claimed job.
#[derive(Clone, Debug, PartialEq)]
pub struct JobRow {
    pub id: JobId,
    pub kind: String,
    pub org_id: Option<OrgId>,
    pub subject_id: String,
    pub status: String,
    /// Attempts so far, this one included.
    pub attempts: i64,
    pub max_attempts: i64,
    pub run_at: i64,
    pub locked_until: Option<i64>,
    pub last_error: Option<String>,
}

impl FromRow<'_, AnyRow> for JobRow {
    fn from_row(r: &AnyRow) -> Result<Self, sqlx::Error> {
        Ok(Self {
            id: JobId::from_trusted(r.try_get("id")?),
            kind: r.try_get("kind")?,
            org_id: r
                .try_get::<Option<String>, _>("org_id")?
                .map(OrgId::from_trusted),
            subject_id: r.try_get("subject_id")?,
            status: r.try_get("status")?,
            attempts: r.try_get("attempts")?,
            max_attempts: r.try_get("max_attempts")?,
            run_at: r.try_get("run_at")?,
            locked_until: r.try_get("locked_until")?,
            last_error: r.try_get("last_error")?,
        })
    }
}

const RETURNING: &str = "id, kind, org_id, subject_id, status, attempts, max_attempts, run_at, locked_until, last_error";

pub(crate) async fn insert_job(
    tx: &mut Transaction<'_, Any>,
    job: &NewJob,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO jobs (id, kind, org_id, subject_id, status, attempts, max_attempts, run_at, \
         created_at, updated_at) VALUES ($1, $2, $3, $4, 'queued', 0, $5, $6, $6, $6)",
    )
    .bind(job.id.as_str())
    .bind(&job.kind)
    .bind(job.org_id.as_ref().map(|o| o.as_str()))
    .bind(&job.subject_id)
    .bind(job.max_attempts)
    .bind(job.run_at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Ends a running job. Only one ending counts: a worker whose lease ran out while it
/// worked, and whose job another worker took, finds it no longer running and gets
/// [`JOB_NOT_HELD`]; its transaction must roll back, so that the job's result and
/// events are written once. Called first in its transaction, so that the row lock
/// orders two workers ending the same job.
pub(crate) async fn finish_job(
    tx: &mut Transaction<'_, Any>,
    id: &JobId,
    status: &str,
    error: Option<&str>,
    now: i64,
) -> Result<(), StoreError> {
    let n = sqlx::query(
        "UPDATE jobs SET status = $2, last_error = COALESCE($3, last_error), locked_until = NULL, \
         locked_by = NULL, updated_at = $4 WHERE id = $1 AND status = 'running'",
    )
    .bind(id.as_str())
    .bind(status)
    .bind(error)
    .bind(now)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    if n == 0 {
        return Err(StoreError::Conflict(JOB_NOT_HELD));
    }
    Ok(())
}

/// The conflict of ending a job that is no longer running (another worker ended it).
pub const JOB_NOT_HELD: &str = "the job is no longer running";

/// Jobs waiting or running of one kind, for the metrics.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueueStat {
    pub kind: String,
    /// `queued` or `running`.
    pub status: String,
    pub count: i64,
    /// When the longest-waiting of them became due (ms).
    pub oldest_due_at: i64,
}

/// Counts of jobs by status.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct QueueDepth {
    pub queued: i64,
    pub running: i64,
    pub failed: i64,
}

#[async_trait::async_trait]
pub trait JobStore {
    /// Queues a job on its own.
    async fn enqueue_job(&self, job: &NewJob) -> Result<(), StoreError>;
    /// Claims the most overdue job that is queued and due, or running with an expired
    /// lease; counts the attempt.
    async fn claim_job(
        &self,
        worker: &str,
        now: i64,
        lease_ms: i64,
    ) -> Result<Option<JobRow>, StoreError>;
    /// Extends a running job's lease; false if this worker no longer holds it.
    async fn heartbeat_job(
        &self,
        id: &JobId,
        worker: &str,
        locked_until: i64,
    ) -> Result<bool, StoreError>;
    /// Puts a job back in the queue to run again at `run_at`.
    async fn retry_job(
        &self,
        id: &JobId,
        run_at: i64,
        error: &str,
        now: i64,
    ) -> Result<(), StoreError>;
    /// Ends a job that has no subject left to work on.
    async fn drop_job(&self, id: &JobId, error: &str, now: i64) -> Result<(), StoreError>;
    async fn queue_depth(&self) -> Result<QueueDepth, StoreError>;
    /// Gives the running jobs of `worker` back to the queue, due now (a stopping process
    /// that could not finish them); returns how many. The attempt stays counted.
    async fn release_jobs(&self, worker: &str, now: i64) -> Result<u64, StoreError>;
    /// Queued and running jobs by kind, with the oldest due time of each.
    async fn queue_stats(&self) -> Result<Vec<QueueStat>, StoreError>;
    async fn get_job(&self, id: &JobId) -> Result<Option<JobRow>, StoreError>;
}

#[async_trait::async_trait]
impl JobStore for SqlStore {
    async fn enqueue_job(&self, job: &NewJob) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        insert_job(&mut tx, job).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn claim_job(
        &self,
        worker: &str,
        now: i64,
        lease_ms: i64,
    ) -> Result<Option<JobRow>, StoreError> {
        let lock = match self.backend {
            Backend::Postgres => "FOR UPDATE SKIP LOCKED",
            Backend::Sqlite => "",
        };
        let sql = format!(
            "UPDATE jobs SET status = 'running', attempts = attempts + 1, locked_until = $2, \
             locked_by = $3, updated_at = $1 WHERE id = (SELECT id FROM jobs WHERE \
             (status = 'queued' AND run_at <= $1) OR (status = 'running' AND locked_until <= $1) \
             ORDER BY run_at, id LIMIT 1 {lock}) RETURNING {RETURNING}"
        );
        Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(now)
            .bind(now + lease_ms)
            .bind(worker)
            .fetch_optional(&self.pool)
            .await?)
    }

    async fn heartbeat_job(
        &self,
        id: &JobId,
        worker: &str,
        locked_until: i64,
    ) -> Result<bool, StoreError> {
        let n = sqlx::query(
            "UPDATE jobs SET locked_until = $3 WHERE id = $1 AND locked_by = $2 AND status = 'running'",
        )
        .bind(id.as_str())
        .bind(worker)
        .bind(locked_until)
        .execute(&self.pool)
        .await?
        .rows_affected();
        Ok(n == 1)
    }

    async fn retry_job(
        &self,
        id: &JobId,
        run_at: i64,
        error: &str,
        now: i64,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE jobs SET status = 'queued', run_at = $2, last_error = $3, locked_until = NULL, \
             locked_by = NULL, updated_at = $4 WHERE id = $1 AND status = 'running'",
        )
        .bind(id.as_str())
        .bind(run_at)
        .bind(error)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn drop_job(&self, id: &JobId, error: &str, now: i64) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        finish_job(&mut tx, id, "failed", Some(error), now).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn queue_depth(&self) -> Result<QueueDepth, StoreError> {
        let rows: Vec<(String, i64)> =
            sqlx::query_as("SELECT status, COUNT(*) FROM jobs GROUP BY status")
                .fetch_all(&self.pool)
                .await?;
        let mut d = QueueDepth::default();
        for (status, n) in rows {
            match status.as_str() {
                "queued" => d.queued = n,
                "running" => d.running = n,
                "failed" => d.failed = n,
                _ => {}
            }
        }
        Ok(d)
    }

    async fn release_jobs(&self, worker: &str, now: i64) -> Result<u64, StoreError> {
        Ok(sqlx::query(
            "UPDATE jobs SET status = 'queued', run_at = $2, locked_until = NULL, \
             locked_by = NULL, updated_at = $2 WHERE status = 'running' AND locked_by = $1",
        )
        .bind(worker)
        .bind(now)
        .execute(&self.pool)
        .await?
        .rows_affected())
    }

    async fn queue_stats(&self) -> Result<Vec<QueueStat>, StoreError> {
        let rows: Vec<(String, String, i64, i64)> = sqlx::query_as(
            "SELECT kind, status, COUNT(*), MIN(run_at) FROM jobs \
             WHERE status IN ('queued', 'running') GROUP BY kind, status ORDER BY kind, status",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(kind, status, count, oldest_due_at)| QueueStat {
                kind,
                status,
                count,
                oldest_due_at,
            })
            .collect())
    }

    async fn get_job(&self, id: &JobId) -> Result<Option<JobRow>, StoreError> {
        Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {RETURNING} FROM jobs WHERE id = $1"
        )))
        .bind(id.as_str())
        .fetch_optional(&self.pool)
        .await?)
    }
}
