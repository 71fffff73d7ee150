//! Interviews: one row behind a TalentMind interview and a talentoBot session. Creating
//! one enqueues its analysis job in the same transaction; finishing one writes its
//! result, its events and the job's end together.

use crate::candidates::CandidateRow;
use crate::events::insert_event;
use crate::jobs::{NewJob, finish_job, insert_job};
use crate::vacancies::VacancyRow;
use crate::{Page, SqlStore, StoreError};
use sqlx::any::AnyRow;
use sqlx::{Any, FromRow, Row, Transaction};
use talentd_core::event::Event;
use talentd_core::interview::{InterviewSource, InterviewStatus, Stage};
use talentd_core::transcript::Transcript;
use talentd_core::{InterviewId, JobId, OrgId, ProjectId};

/// An interview as stored. `analysis` is the analysis crate's JSON, kept opaque here.
#[derive(Clone, Debug, PartialEq)]
pub struct InterviewRow {
    pub id: InterviewId,
    pub org_id: OrgId,
    pub candidate_id: String,
    pub vacancy_id: String,
    pub project_id: Option<ProjectId>,
    pub source: InterviewSource,
    pub status: InterviewStatus,
    pub media_url: Option<String>,
    pub transcript: Option<Transcript>,
    pub analysis: Option<serde_json::Value>,
    pub match_score: Option<f64>,
    pub error_code: Option<String>,
    pub error_message: Option<String>,
    pub report_token: String,
    pub created_at: i64,
    pub updated_at: i64,
    pub completed_at: Option<i64>,
    /// What a processing interview is doing now.
    pub stage: Option<Stage>,
    /// Overall progress of its processing in [0, 1].
    pub progress: f64,
    /// A recording's options (the jobs crate's JSON); none for a transcript.
    pub media: Option<serde_json::Value>,
    /// What speech-to-text found (the jobs crate's JSON).
    pub speech: Option<serde_json::Value>,
}

pub(crate) const COLUMNS: &str = "id, org_id, candidate_id, vacancy_id, project_id, source, status, \
    media_url, transcript, analysis, match_score, error_code, error_message, report_token, \
    created_at, updated_at, completed_at, stage, progress, media, speech";

fn decode<T: serde::de::DeserializeOwned>(s: Option<String>) -> Result<Option<T>, sqlx::Error> {
    s.map(|s| serde_json::from_str(&s).map_err(|e| sqlx::Error::Decode(Box::new(e))))
        .transpose()
}

impl FromRow<'_, AnyRow> for InterviewRow {
    fn from_row(r: &AnyRow) -> Result<Self, sqlx::Error> {
        let source: String = r.try_get("source")?;
        let status: String = r.try_get("status")?;
        Ok(Self {
            id: InterviewId::from_trusted(r.try_get("id")?),
            org_id: OrgId::from_trusted(r.try_get("org_id")?),
            candidate_id: r.try_get("candidate_id")?,
            vacancy_id: r.try_get("vacancy_id")?,
            project_id: r
                .try_get::<Option<String>, _>("project_id")?
                .map(ProjectId::from_trusted),
            source: InterviewSource::parse(&source)
                .ok_or_else(|| sqlx::Error::Decode(format!("source {source}").into()))?,
            status: InterviewStatus::parse(&status)
                .ok_or_else(|| sqlx::Error::Decode(format!("status {status}").into()))?,
            media_url: r.try_get("media_url")?,
            transcript: decode(r.try_get("transcript")?)?,
            analysis: decode(r.try_get("analysis")?)?,
            match_score: r.try_get("match_score")?,
            error_code: r.try_get("error_code")?,
            error_message: r.try_get("error_message")?,
            report_token: r.try_get("report_token")?,
            created_at: r.try_get("created_at")?,
            updated_at: r.try_get("updated_at")?,
            completed_at: r.try_get("completed_at")?,
            stage: r
                .try_get::<Option<String>, _>("stage")?
                .map(|s| {
                    Stage::parse(&s).ok_or_else(|| sqlx::Error::Decode(format!("stage {s}").into()))
                })
                .transpose()?,
            progress: r.try_get("progress")?,
            media: decode(r.try_get("media")?)?,
            speech: decode(r.try_get("speech")?)?,
        })
    }
}

/// Creates the candidate, or sets the name, email and position given on the one stored.
pub(crate) async fn upsert_candidate(
    tx: &mut Transaction<'_, Any>,
    c: &CandidateRow,
) -> Result<(), StoreError> {
    let n = sqlx::query(
        "INSERT INTO candidates (org_id, id, name, email, position, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $6) ON CONFLICT (org_id, id) DO UPDATE SET \
         name = COALESCE(excluded.name, candidates.name), \
         email = COALESCE(excluded.email, candidates.email), \
         position = COALESCE(excluded.position, candidates.position), \
         updated_at = excluded.updated_at \
         WHERE candidates.erasure_id IS NULL",
    )
    .bind(c.org_id.as_str())
    .bind(&c.id)
    .bind(c.name.as_deref())
    .bind(c.email.as_deref())
    .bind(c.position.as_deref())
    .bind(c.created_at)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    if n == 0 {
        // The candidate is being erased: a new interview would be erased with it.
        return Err(StoreError::Conflict(crate::erasure::CANDIDATE_BEING_ERASED));
    }
    Ok(())
}

/// Inserts a new interview: no analysis or error yet.
pub(crate) async fn insert_interview(
    tx: &mut Transaction<'_, Any>,
    i: &InterviewRow,
) -> Result<(), StoreError> {
    let transcript = i
        .transcript
        .as_ref()
        .map(serde_json::to_string)
        .transpose()
        .map_err(StoreError::corrupt)?;
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "INSERT INTO interviews ({COLUMNS}) VALUES \
         ($1, $2, $3, $4, $5, $6, $7, $8, $9, NULL, NULL, NULL, NULL, $10, $11, $11, NULL, \
         $12, 0, $13, NULL)"
    )))
    .bind(i.id.as_str())
    .bind(i.org_id.as_str())
    .bind(&i.candidate_id)
    .bind(&i.vacancy_id)
    .bind(i.project_id.as_ref().map(|p| p.as_str()))
    .bind(i.source.as_str())
    .bind(i.status.as_str())
    .bind(i.media_url.as_deref())
    .bind(transcript)
    .bind(&i.report_token)
    .bind(i.created_at)
    .bind(i.stage.map(Stage::as_str))
    .bind(
        i.media
            .as_ref()
            .map(serde_json::to_string)
            .transpose()
            .map_err(StoreError::corrupt)?,
    )
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Everything written when an interview is submitted.
#[derive(Clone, Debug)]
pub struct NewInterview {
    pub interview: InterviewRow,
    /// Created if the organisation has no such candidate; its name and email are set
    /// when given.
    pub candidate: CandidateRow,
    /// Created with these weights if the organisation has no such vacancy.
    pub vacancy: Option<VacancyRow>,
    pub job: NewJob,
    pub events: Vec<Event>,
}

/// The result of a finished analysis.
#[derive(Clone, Debug)]
pub struct InterviewResult {
    pub interview_id: InterviewId,
    pub analysis: serde_json::Value,
    pub match_score: Option<f64>,
    pub events: Vec<Event>,
    pub job_id: JobId,
    pub now: i64,
}

#[async_trait::async_trait]
pub trait InterviewStore {
    async fn create_interview(&self, new: &NewInterview) -> Result<(), StoreError>;
    async fn get_interview(
        &self,
        org: &OrgId,
        id: &InterviewId,
    ) -> Result<Option<InterviewRow>, StoreError>;
    /// For workers, which act for every organisation.
    async fn get_interview_any_org(
        &self,
        id: &InterviewId,
    ) -> Result<Option<InterviewRow>, StoreError>;
    async fn get_interview_by_report_token(
        &self,
        token: &str,
    ) -> Result<Option<InterviewRow>, StoreError>;
    async fn list_interviews(
        &self,
        org: &OrgId,
        status: Option<InterviewStatus>,
        limit: i64,
        offset: i64,
    ) -> Result<Page<InterviewRow>, StoreError>;
    /// The candidate's interviews, oldest first.
    async fn candidate_interviews(
        &self,
        org: &OrgId,
        candidate_id: &str,
    ) -> Result<Vec<InterviewRow>, StoreError>;
    /// Replaces the report link's token, so that the old link stops working.
    async fn replace_report_token(
        &self,
        org: &OrgId,
        id: &InterviewId,
        token: &str,
        now: i64,
    ) -> Result<bool, StoreError>;
    /// Records what a processing interview is doing.
    async fn set_interview_progress(
        &self,
        id: &InterviewId,
        stage: Stage,
        progress: f64,
    ) -> Result<(), StoreError>;
    /// Keeps the transcript made from a recording, so that a retry does not redo it.
    async fn set_interview_transcript(
        &self,
        id: &InterviewId,
        transcript: &Transcript,
        speech: &serde_json::Value,
        now: i64,
    ) -> Result<(), StoreError>;
    /// Marks the interview completed with its analysis, records its events and ends its job.
    async fn complete_interview(&self, result: &InterviewResult) -> Result<(), StoreError>;
    /// Marks the interview failed with a reason and ends its job.
    /// Ends an interview `failed` with its job, recording `events` (its
    /// `interview.completed`) in the same transaction.
    async fn fail_interview(
        &self,
        id: &InterviewId,
        code: &str,
        message: &str,
        job_id: &JobId,
        now: i64,
        events: &[talentd_core::event::Event],
    ) -> Result<(), StoreError>;
}

#[async_trait::async_trait]
impl InterviewStore for SqlStore {
    async fn create_interview(&self, new: &NewInterview) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        upsert_candidate(&mut tx, &new.candidate).await?;
        if let Some(v) = &new.vacancy {
            sqlx::query(
                "INSERT INTO vacancies (org_id, id, title, competency_weights, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $5) ON CONFLICT (org_id, id) DO NOTHING",
            )
            .bind(v.org_id.as_str())
            .bind(&v.id)
            .bind(v.title.as_deref())
            .bind(serde_json::to_string(&v.competency_weights).map_err(StoreError::corrupt)?)
            .bind(v.created_at)
            .execute(&mut *tx)
            .await?;
        }
        insert_interview(&mut tx, &new.interview).await?;
        insert_job(&mut tx, &new.job).await?;
        for e in &new.events {
            insert_event(&mut tx, e).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn get_interview(
        &self,
        org: &OrgId,
        id: &InterviewId,
    ) -> Result<Option<InterviewRow>, StoreError> {
        Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM interviews WHERE org_id = $1 AND id = $2 AND erasure_id IS NULL"
        )))
        .bind(org.as_str())
        .bind(id.as_str())
        .fetch_optional(&self.pool)
        .await?)
    }

    async fn get_interview_any_org(
        &self,
        id: &InterviewId,
    ) -> Result<Option<InterviewRow>, StoreError> {
        Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM interviews WHERE id = $1 AND erasure_id IS NULL"
        )))
        .bind(id.as_str())
        .fetch_optional(&self.pool)
        .await?)
    }

    async fn get_interview_by_report_token(
        &self,
        token: &str,
    ) -> Result<Option<InterviewRow>, StoreError> {
        Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM interviews WHERE report_token = $1 AND erasure_id IS NULL"
        )))
        .bind(token)
        .fetch_optional(&self.pool)
        .await?)
    }

    async fn list_interviews(
        &self,
        org: &OrgId,
        status: Option<InterviewStatus>,
        limit: i64,
        offset: i64,
    ) -> Result<Page<InterviewRow>, StoreError> {
        // An empty `$2` means every status.
        let status = status.map(InterviewStatus::as_str).unwrap_or("");
        let (total,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM interviews WHERE org_id = $1 AND ($2 = '' OR status = $2) \
             AND erasure_id IS NULL",
        )
        .bind(org.as_str())
        .bind(status)
        .fetch_one(&self.pool)
        .await?;
        let items = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM interviews WHERE org_id = $1 AND ($2 = '' OR status = $2) \
             AND erasure_id IS NULL ORDER BY created_at DESC, id DESC LIMIT $3 OFFSET $4"
        )))
        .bind(org.as_str())
        .bind(status)
        .bind(limit)
        .bind(offset)
        .fetch_all(&self.pool)
        .await?;
        Ok(Page { total, items })
    }

    async fn candidate_interviews(
        &self,
        org: &OrgId,
        candidate_id: &str,
    ) -> Result<Vec<InterviewRow>, StoreError> {
        Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM interviews WHERE org_id = $1 AND candidate_id = $2 \
             AND erasure_id IS NULL ORDER BY created_at, id"
        )))
        .bind(org.as_str())
        .bind(candidate_id)
        .fetch_all(&self.pool)
        .await?)
    }

    async fn complete_interview(&self, r: &InterviewResult) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        finish_job(&mut tx, &r.job_id, "done", None, r.now).await?;
        // A NULL f64 is bound as the literal: sqlx's Any driver declares a NULL f64
        // parameter as FLOAT4 on PostgreSQL, which poisons the cached statement for the
        // next non-NULL value.
        let match_sql = if r.match_score.is_some() {
            "$4"
        } else {
            "NULL"
        };
        let mut q = sqlx::query(sqlx::AssertSqlSafe(format!(
            "UPDATE interviews SET status = 'completed', analysis = $2, match_score = {match_sql}, \
             stage = NULL, progress = 1, \
             error_code = NULL, error_message = NULL, updated_at = $3, completed_at = $3 \
             WHERE id = $1"
        )))
        .bind(r.interview_id.as_str())
        .bind(r.analysis.to_string())
        .bind(r.now);
        if let Some(m) = r.match_score {
            q = q.bind(m);
        }
        q.execute(&mut *tx).await?;
        for e in &r.events {
            insert_event(&mut tx, e).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn replace_report_token(
        &self,
        org: &OrgId,
        id: &InterviewId,
        token: &str,
        now: i64,
    ) -> Result<bool, StoreError> {
        let n = sqlx::query(
            "UPDATE interviews SET report_token = $3, updated_at = $4 \
             WHERE org_id = $1 AND id = $2",
        )
        .bind(org.as_str())
        .bind(id.as_str())
        .bind(token)
        .bind(now)
        .execute(&self.pool)
        .await?
        .rows_affected();
        Ok(n == 1)
    }

    async fn set_interview_progress(
        &self,
        id: &InterviewId,
        stage: Stage,
        progress: f64,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE interviews SET stage = $2, progress = $3 \
             WHERE id = $1 AND status = 'processing'",
        )
        .bind(id.as_str())
        .bind(stage.as_str())
        .bind(progress)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn set_interview_transcript(
        &self,
        id: &InterviewId,
        transcript: &Transcript,
        speech: &serde_json::Value,
        now: i64,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE interviews SET transcript = $2, speech = $3, updated_at = $4 \
             WHERE id = $1 AND status = 'processing'",
        )
        .bind(id.as_str())
        .bind(serde_json::to_string(transcript).map_err(StoreError::corrupt)?)
        .bind(speech.to_string())
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn fail_interview(
        &self,
        id: &InterviewId,
        code: &str,
        message: &str,
        job_id: &JobId,
        now: i64,
        events: &[talentd_core::event::Event],
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        finish_job(&mut tx, job_id, "failed", Some(message), now).await?;
        sqlx::query(
            "UPDATE interviews SET status = 'failed', error_code = $2, error_message = $3, \
             stage = NULL, updated_at = $4, completed_at = $4 WHERE id = $1",
        )
        .bind(id.as_str())
        .bind(code)
        .bind(message)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        for e in events {
            insert_event(&mut tx, e).await?;
        }
        tx.commit().await?;
        Ok(())
    }
}
