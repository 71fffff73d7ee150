//! Candidate erasure: a request hides the candidate at once (soft delete), a job then
//! purges every row about them; the receipt stays, naming the candidate by a pseudonym.
//! And each organisation's retention, which erases candidates the same way.
//!
//! Hiding: the candidate and its interviews carry the receipt's id in `erasure_id`, and
//! every read of candidates and interviews skips such rows. Notifications that name
//! them (events, webhook deliveries, idempotent replays) are deleted at once, so that
//! nothing about the candidate is shown or sent after the request.
//!
//! Purging: [`PURGED`] lists every table with rows owned by a candidate and [`MENTIONS`]
//! every table whose free text may name one; a table added later is one line in one of
//! them. The erasure API test scans every table of the schema for what it erased.

use crate::jobs::{NewJob, finish_job, insert_job};
use crate::{Backend, SqlStore, StoreError};
use sqlx::any::AnyRow;
use sqlx::{Any, FromRow, Row, Transaction};
use std::collections::BTreeMap;
use talentd_core::{ErasureId, InterviewId, JobId, OrgId};

/// What an erasure deleted, by kind (`interviews`, `transcripts`, `recordings`,
/// `events`, ...).
pub type ErasedCounts = BTreeMap<String, i64>;

/// An erasure's receipt.
#[derive(Clone, Debug, PartialEq)]
pub struct ErasureRow {
    pub id: ErasureId,
    pub org_id: OrgId,
    /// The candidate's pseudonym (`talentd_core::audit::candidate_pseudonym`), never
    /// the id.
    pub subject: String,
    /// An API key id, a dashboard user id, or `system` (the retention sweep).
    pub requested_by: String,
    /// `pending` until the purge ran, then `completed`.
    pub status: String,
    pub erased: ErasedCounts,
    pub requested_at: i64,
    /// The deadline of the purge.
    pub purge_by: i64,
    pub completed_at: Option<i64>,
}

impl FromRow<'_, AnyRow> for ErasureRow {
    fn from_row(r: &AnyRow) -> Result<Self, sqlx::Error> {
        let erased: String = r.try_get("erased")?;
        Ok(Self {
            id: ErasureId::from_trusted(r.try_get("id")?),
            org_id: OrgId::from_trusted(r.try_get("org_id")?),
            subject: r.try_get("subject")?,
            requested_by: r.try_get("requested_by")?,
            status: r.try_get("status")?,
            erased: serde_json::from_str(&erased).map_err(|e| sqlx::Error::Decode(Box::new(e)))?,
            requested_at: r.try_get("requested_at")?,
            purge_by: r.try_get("purge_by")?,
            completed_at: r.try_get("completed_at")?,
        })
    }
}

const COLUMNS: &str =
    "id, org_id, subject, requested_by, status, erased, requested_at, purge_by, completed_at";

/// The conflict of adding an interview to a candidate whose erasure has not finished
/// (its id is free again once the purge has run).
pub const CANDIDATE_BEING_ERASED: &str =
    "this candidate's data is being erased; retry once the erasure has completed";

/// A request to erase a candidate.
#[derive(Clone, Debug)]
pub struct NewErasure {
    /// The receipt, `pending`, with empty counts.
    pub erasure: ErasureRow,
    /// The client's id of the candidate to erase.
    pub candidate_id: String,
    /// The purge job, queued with the receipt.
    pub job: NewJob,
}

/// The candidate's interview ids, standing in a query for `{interviews}`.
const INTERVIEWS: &str = "(SELECT id FROM interviews WHERE org_id = $1 AND candidate_id = $2)";

/// A table whose rows belong to a candidate.
pub struct Owned {
    /// The receipt's name for what is counted.
    pub kind: &'static str,
    pub table: &'static str,
    /// Which rows: `$1` is the organisation, `$2` the candidate id, `{interviews}` the
    /// candidate's interview ids.
    pub rows: &'static str,
}

/// Every table with rows owned by a candidate, deleted by the purge in this order
/// (rows that reference others first).
pub const PURGED: &[Owned] = &[
    Owned {
        kind: "overrides",
        table: "recommendation_overrides",
        rows: "interview_id IN {interviews}",
    },
    Owned {
        kind: "demographics",
        table: "demographics",
        rows: "org_id = $1 AND candidate_id = $2",
    },
    Owned {
        kind: "candidate_requests",
        table: "candidate_requests",
        rows: "org_id = $1 AND (candidate_id = $2 OR interview_id IN {interviews})",
    },
    Owned {
        kind: "jobs",
        table: "jobs",
        rows: "subject_id IN {interviews}",
    },
    Owned {
        kind: "interviews",
        table: "interviews",
        rows: "org_id = $1 AND candidate_id = $2",
    },
    Owned {
        kind: "candidates",
        table: "candidates",
        rows: "org_id = $1 AND id = $2",
    },
];

/// What a mention looks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tokens {
    /// The candidate id, the interview ids and their session ids as JSON strings
    /// (quoted, so that a short id never matches inside another value).
    Json,
    /// The interview ids as they are.
    Plain,
}

/// A table whose text may name a candidate or its interviews.
pub struct Mention {
    /// The receipt's name for what is counted; empty: not counted (bookkeeping).
    pub kind: &'static str,
    pub table: &'static str,
    /// The text searched.
    pub column: &'static str,
    /// Which rows: `$1` is the organisation, `{match}` a row whose `column` holds a
    /// token.
    pub rows: &'static str,
    pub tokens: Tokens,
}

/// Every table whose text may name a candidate or its interviews; rows that do are
/// deleted at the request and again by the purge (for any written in between), in
/// this order.
pub const MENTIONS: &[Mention] = &[
    Mention {
        kind: "webhook_attempts",
        table: "webhook_attempts",
        column: "payload",
        rows: "delivery_id IN (SELECT id FROM webhook_deliveries WHERE org_id = $1 AND {match})",
        tokens: Tokens::Json,
    },
    Mention {
        kind: "webhook_deliveries",
        table: "webhook_deliveries",
        column: "payload",
        rows: "org_id = $1 AND {match}",
        tokens: Tokens::Json,
    },
    Mention {
        kind: "events",
        table: "events",
        column: "data",
        rows: "org_id = $1 AND {match}",
        tokens: Tokens::Json,
    },
    Mention {
        kind: "idempotency_keys",
        table: "idempotency_keys",
        column: "response_body",
        rows: "org_id = $1 AND {match}",
        tokens: Tokens::Json,
    },
    // Candidate-page quotas counted in the database (`session-read:int_...`). `$1` is
    // compared only so that PostgreSQL knows its type.
    Mention {
        kind: "",
        table: "rate_counters",
        column: "subject",
        rows: "$1 <> '' AND {match}",
        tokens: Tokens::Plain,
    },
];

/// The tokens a mention of `tokens` looks for.
fn tokens_of(tokens: Tokens, candidate: &str, interviews: &[InterviewId]) -> Vec<String> {
    let json = |s: &str| serde_json::Value::from(s).to_string();
    match tokens {
        Tokens::Json => std::iter::once(json(candidate))
            .chain(interviews.iter().map(|i| json(i.as_str())))
            .chain(interviews.iter().map(|i| json(&i.session_id())))
            .collect(),
        Tokens::Plain => interviews.iter().map(|i| i.as_str().to_owned()).collect(),
    }
}

/// Counts of every kind at zero, so that every receipt has the same fields.
pub fn empty_counts() -> ErasedCounts {
    ["transcripts", "reports", "recordings"]
        .into_iter()
        .chain(PURGED.iter().map(|o| o.kind))
        .chain(MENTIONS.iter().map(|m| m.kind))
        .filter(|k| !k.is_empty())
        .map(|k| (k.to_owned(), 0))
        .collect()
}

fn add(counts: &mut ErasedCounts, kind: &str, n: u64) {
    if !kind.is_empty() {
        *counts.entry(kind.to_owned()).or_insert(0) += i64::try_from(n).unwrap_or(i64::MAX);
    }
}

/// Deletes every row of [`MENTIONS`] that names the candidate or its interviews.
async fn delete_mentions(
    tx: &mut Transaction<'_, Any>,
    backend: Backend,
    org: &OrgId,
    candidate: &str,
    interviews: &[InterviewId],
    counts: &mut ErasedCounts,
) -> Result<(), StoreError> {
    for m in MENTIONS {
        let tokens = tokens_of(m.tokens, candidate, interviews);
        if tokens.is_empty() {
            continue;
        }
        // An exact, case-sensitive substring test on both databases (LIKE ignores case
        // on SQLite and needs escaping).
        let terms: Vec<String> = (0..tokens.len())
            .map(|i| match backend {
                Backend::Sqlite => format!("instr({}, ${}) > 0", m.column, i + 2),
                Backend::Postgres => format!("strpos({}, ${}) > 0", m.column, i + 2),
            })
            .collect();
        let rows = m
            .rows
            .replace("{match}", &format!("({})", terms.join(" OR ")));
        let sql = format!("DELETE FROM {} WHERE {rows}", m.table);
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(org.as_str());
        for t in &tokens {
            q = q.bind(t.as_str());
        }
        let n = q.execute(&mut **tx).await?.rows_affected();
        add(counts, m.kind, n);
    }
    Ok(())
}

/// The interview ids of a candidate, hidden or not.
async fn interview_ids(
    tx: &mut Transaction<'_, Any>,
    org: &OrgId,
    candidate: &str,
) -> Result<Vec<InterviewId>, StoreError> {
    let ids: Vec<(String,)> = sqlx::query_as(
        "SELECT id FROM interviews WHERE org_id = $1 AND candidate_id = $2 ORDER BY id",
    )
    .bind(org.as_str())
    .bind(candidate)
    .fetch_all(&mut **tx)
    .await?;
    Ok(ids
        .into_iter()
        .map(|(id,)| InterviewId::from_trusted(id))
        .collect())
}

#[async_trait::async_trait]
pub trait ErasureStore {
    /// Erases a candidate at once for every reader: marks it and its interviews with
    /// the receipt, cancels their queued and running jobs, deletes the events, webhook
    /// deliveries and idempotent replays that name them, stores the receipt (with those
    /// counts) and queues the purge job, in one transaction. `None` when the
    /// organisation has no such candidate (or it is already being erased).
    async fn begin_erasure(&self, new: &NewErasure) -> Result<Option<ErasureRow>, StoreError>;
    async fn get_erasure(
        &self,
        org: &OrgId,
        id: &ErasureId,
    ) -> Result<Option<ErasureRow>, StoreError>;
    /// For workers, which act for every organisation.
    async fn get_erasure_any_org(&self, id: &ErasureId) -> Result<Option<ErasureRow>, StoreError>;
    /// The interviews a pending erasure has still to purge (their recordings first).
    async fn erasure_interviews(&self, id: &ErasureId) -> Result<Vec<InterviewId>, StoreError>;
    /// Deletes every row about the erased candidate ([`MENTIONS`], then [`PURGED`]),
    /// completes the receipt with the counts and ends `job`, in one transaction; the
    /// caller has deleted the recordings first. A completed receipt is returned as it
    /// is.
    async fn purge_erasure(
        &self,
        id: &ErasureId,
        job: &JobId,
        now: i64,
    ) -> Result<Option<ErasureRow>, StoreError>;
    /// The organisation's retention in days; `None` keeps candidates until deleted.
    async fn retention_days(&self, org: &OrgId) -> Result<Option<i64>, StoreError>;
    async fn set_retention_days(&self, org: &OrgId, days: Option<i64>) -> Result<(), StoreError>;
    /// Every organisation with a retention, and its days.
    async fn orgs_with_retention(&self) -> Result<Vec<(OrgId, i64)>, StoreError>;
    /// Up to `limit` candidates of `org`, not being erased, whose newest interview (or,
    /// with none, whose creation) is older than `before` (ms).
    async fn candidates_idle_before(
        &self,
        org: &OrgId,
        before: i64,
        limit: i64,
    ) -> Result<Vec<String>, StoreError>;
}

#[async_trait::async_trait]
impl ErasureStore for SqlStore {
    async fn begin_erasure(&self, new: &NewErasure) -> Result<Option<ErasureRow>, StoreError> {
        let e = &new.erasure;
        let mut tx = self.pool.begin().await?;
        let marked = sqlx::query(
            "UPDATE candidates SET erasure_id = $3 \
             WHERE org_id = $1 AND id = $2 AND erasure_id IS NULL",
        )
        .bind(e.org_id.as_str())
        .bind(&new.candidate_id)
        .bind(e.id.as_str())
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if marked != 1 {
            return Ok(None);
        }
        sqlx::query(
            "UPDATE interviews SET erasure_id = $3 WHERE org_id = $1 AND candidate_id = $2",
        )
        .bind(e.org_id.as_str())
        .bind(&new.candidate_id)
        .bind(e.id.as_str())
        .execute(&mut *tx)
        .await?;
        // A worker holding one of these jobs finds it no longer running when it ends
        // it, so its result (and its events) are dropped.
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "UPDATE jobs SET status = 'cancelled', last_error = 'the candidate was erased', \
             updated_at = $3 WHERE status IN ('queued', 'running') AND subject_id IN {INTERVIEWS}"
        )))
        .bind(e.org_id.as_str())
        .bind(&new.candidate_id)
        .bind(e.requested_at)
        .execute(&mut *tx)
        .await?;
        let interviews = interview_ids(&mut tx, &e.org_id, &new.candidate_id).await?;
        let mut erased = empty_counts();
        for (kind, n) in &e.erased {
            *erased.entry(kind.clone()).or_insert(0) += n;
        }
        delete_mentions(
            &mut tx,
            self.backend,
            &e.org_id,
            &new.candidate_id,
            &interviews,
            &mut erased,
        )
        .await?;
        let row = ErasureRow {
            erased,
            ..e.clone()
        };
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "INSERT INTO erasures ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, NULL)"
        )))
        .bind(row.id.as_str())
        .bind(row.org_id.as_str())
        .bind(&row.subject)
        .bind(&row.requested_by)
        .bind(&row.status)
        .bind(serde_json::to_string(&row.erased).map_err(StoreError::corrupt)?)
        .bind(row.requested_at)
        .bind(row.purge_by)
        .execute(&mut *tx)
        .await?;
        insert_job(&mut tx, &new.job).await?;
        tx.commit().await?;
        Ok(Some(row))
    }

    async fn get_erasure(
        &self,
        org: &OrgId,
        id: &ErasureId,
    ) -> Result<Option<ErasureRow>, StoreError> {
        Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM erasures WHERE org_id = $1 AND id = $2"
        )))
        .bind(org.as_str())
        .bind(id.as_str())
        .fetch_optional(&self.pool)
        .await?)
    }

    async fn get_erasure_any_org(&self, id: &ErasureId) -> Result<Option<ErasureRow>, StoreError> {
        Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM erasures WHERE id = $1"
        )))
        .bind(id.as_str())
        .fetch_optional(&self.pool)
        .await?)
    }

    async fn erasure_interviews(&self, id: &ErasureId) -> Result<Vec<InterviewId>, StoreError> {
        let ids: Vec<(String,)> =
            sqlx::query_as("SELECT id FROM interviews WHERE erasure_id = $1 ORDER BY id")
                .bind(id.as_str())
                .fetch_all(&self.pool)
                .await?;
        Ok(ids
            .into_iter()
            .map(|(id,)| InterviewId::from_trusted(id))
            .collect())
    }

    async fn purge_erasure(
        &self,
        id: &ErasureId,
        job: &JobId,
        now: i64,
    ) -> Result<Option<ErasureRow>, StoreError> {
        let mut tx = self.pool.begin().await?;
        // First, so that a worker that lost its lease cannot purge a second time.
        finish_job(&mut tx, job, "done", None, now).await?;
        let row: Option<ErasureRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM erasures WHERE id = $1"
        )))
        .bind(id.as_str())
        .fetch_optional(&mut *tx)
        .await?;
        let Some(mut row) = row else {
            tx.commit().await?;
            return Ok(None);
        };
        if row.status == talentd_core::erasure::COMPLETED {
            tx.commit().await?;
            return Ok(Some(row));
        }
        let candidate: Option<(String,)> =
            sqlx::query_as("SELECT id FROM candidates WHERE org_id = $1 AND erasure_id = $2")
                .bind(row.org_id.as_str())
                .bind(id.as_str())
                .fetch_optional(&mut *tx)
                .await?;
        if let Some((candidate,)) = candidate {
            let org = row.org_id.clone();
            let (transcripts, reports, recordings): (i64, i64, i64) = sqlx::query_as(
                "SELECT COUNT(transcript), COUNT(analysis), \
                 COUNT(CASE WHEN media IS NOT NULL OR media_url IS NOT NULL THEN 1 END) \
                 FROM interviews WHERE org_id = $1 AND candidate_id = $2",
            )
            .bind(org.as_str())
            .bind(&candidate)
            .fetch_one(&mut *tx)
            .await?;
            add(&mut row.erased, "transcripts", transcripts as u64);
            add(&mut row.erased, "reports", reports as u64);
            add(&mut row.erased, "recordings", recordings as u64);
            let interviews = interview_ids(&mut tx, &org, &candidate).await?;
            delete_mentions(
                &mut tx,
                self.backend,
                &org,
                &candidate,
                &interviews,
                &mut row.erased,
            )
            .await?;
            for owned in PURGED {
                let rows = owned.rows.replace("{interviews}", INTERVIEWS);
                let n = sqlx::query(sqlx::AssertSqlSafe(format!(
                    "DELETE FROM {} WHERE {rows}",
                    owned.table
                )))
                .bind(org.as_str())
                .bind(&candidate)
                .execute(&mut *tx)
                .await?
                .rows_affected();
                add(&mut row.erased, owned.kind, n);
            }
        }
        row.status = talentd_core::erasure::COMPLETED.to_owned();
        row.completed_at = Some(now);
        sqlx::query(
            "UPDATE erasures SET status = $2, erased = $3, completed_at = $4 WHERE id = $1",
        )
        .bind(id.as_str())
        .bind(&row.status)
        .bind(serde_json::to_string(&row.erased).map_err(StoreError::corrupt)?)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(Some(row))
    }

    async fn retention_days(&self, org: &OrgId) -> Result<Option<i64>, StoreError> {
        let row: Option<(Option<i64>,)> =
            sqlx::query_as("SELECT retention_days FROM orgs WHERE id = $1")
                .bind(org.as_str())
                .fetch_optional(&self.pool)
                .await?;
        Ok(row.and_then(|(d,)| d))
    }

    async fn set_retention_days(&self, org: &OrgId, days: Option<i64>) -> Result<(), StoreError> {
        // A NULL is written as the literal: sqlx's Any driver gives a NULL parameter a
        // type of its own choosing on PostgreSQL.
        let sql = if days.is_some() {
            "UPDATE orgs SET retention_days = $2 WHERE id = $1"
        } else {
            "UPDATE orgs SET retention_days = NULL WHERE id = $1"
        };
        let mut q = sqlx::query(sql).bind(org.as_str());
        if let Some(d) = days {
            q = q.bind(d);
        }
        q.execute(&self.pool).await?;
        Ok(())
    }

    async fn orgs_with_retention(&self) -> Result<Vec<(OrgId, i64)>, StoreError> {
        let rows: Vec<(String, i64)> = sqlx::query_as(
            "SELECT id, retention_days FROM orgs WHERE retention_days IS NOT NULL ORDER BY id",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(id, d)| (OrgId::from_trusted(id), d))
            .collect())
    }

    async fn candidates_idle_before(
        &self,
        org: &OrgId,
        before: i64,
        limit: i64,
    ) -> Result<Vec<String>, StoreError> {
        let rows: Vec<(String,)> = sqlx::query_as(
            "SELECT c.id FROM candidates c WHERE c.org_id = $1 AND c.erasure_id IS NULL \
             AND COALESCE((SELECT MAX(i.created_at) FROM interviews i \
                 WHERE i.org_id = c.org_id AND i.candidate_id = c.id), c.created_at) < $2 \
             ORDER BY c.id LIMIT $3",
        )
        .bind(org.as_str())
        .bind(before)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(|(id,)| id).collect())
    }
}
