//! Live sessions: interviews held with Tami through a project's link. The dialogue state
//! is kept as opaque JSON beside the interview and saved with an optimistic version, so
//! that two requests of one session never overwrite each other's turns.

use crate::events::insert_event;
use crate::interviews::{COLUMNS, InterviewRow, insert_interview, upsert_candidate};
use crate::jobs::{NewJob, insert_job};
use crate::{CandidateRow, Page, SqlStore, StoreError};
use sqlx::any::AnyRow;
use sqlx::{FromRow, Row};
use talentd_core::event::Event;
use talentd_core::transcript::Transcript;
use talentd_core::{InterviewId, OrgId, ProjectId};

/// A live session as stored: its interview, its dialogue state and its token's hash.
#[derive(Clone, Debug, PartialEq)]
pub struct SessionRow {
    pub interview: InterviewRow,
    /// The interviewer crate's `LiveState` as JSON.
    pub state: serde_json::Value,
    /// SHA-256 (hex) of the candidate's session token.
    pub token_hash: String,
    /// Bumped by every save.
    pub version: i64,
}

impl FromRow<'_, AnyRow> for SessionRow {
    fn from_row(r: &AnyRow) -> Result<Self, sqlx::Error> {
        let state: Option<String> = r.try_get("session")?;
        let state = state.ok_or_else(|| sqlx::Error::Decode("not a live session".into()))?;
        Ok(Self {
            interview: InterviewRow::from_row(r)?,
            state: serde_json::from_str(&state).map_err(|e| sqlx::Error::Decode(Box::new(e)))?,
            token_hash: r
                .try_get::<Option<String>, _>("session_token_hash")?
                .unwrap_or_default(),
            version: r.try_get("session_version")?,
        })
    }
}

const SESSION_COLUMNS: &str = "session, session_token_hash, session_version";

/// Everything written when a candidate starts a session.
#[derive(Clone, Debug)]
pub struct NewSession {
    /// The interview, `in_progress`, with its project.
    pub interview: InterviewRow,
    pub candidate: CandidateRow,
    pub state: serde_json::Value,
    pub token_hash: String,
    /// The project's cap on sessions, checked in the same transaction.
    pub max_sessions: Option<i64>,
    /// `interview.started`.
    pub events: Vec<Event>,
}

/// Whether a session could start.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SessionStart {
    Started,
    /// The project already has `max_sessions` sessions.
    Full,
}

/// How a session ends.
#[derive(Clone, Debug)]
pub enum SessionEnd {
    /// Analysed like an upload: the transcript is kept and the analysis job queued.
    Analyse { transcript: Transcript, job: NewJob },
    /// Closed without analysis (too little evidence), recording `events`.
    Abandon { events: Vec<Event> },
}

#[async_trait::async_trait]
pub trait SessionStore {
    /// Creates the candidate (or updates its name and email), the interview and its
    /// events together, unless the project is full.
    async fn create_session(&self, new: &NewSession) -> Result<SessionStart, StoreError>;
    /// A live session by id, for the candidate's token-authenticated requests.
    async fn get_session(&self, id: &InterviewId) -> Result<Option<SessionRow>, StoreError>;
    /// Saves the dialogue state if nobody saved since `version` was read; false if
    /// someone did (the caller reloads and retries, or answers 409).
    async fn save_session(
        &self,
        id: &InterviewId,
        state: &serde_json::Value,
        version: i64,
        now: i64,
    ) -> Result<bool, StoreError>;
    /// Saves the final state and ends the session as `end` says, if nobody saved
    /// since `version`.
    async fn finish_session(
        &self,
        id: &InterviewId,
        state: &serde_json::Value,
        version: i64,
        end: &SessionEnd,
        now: i64,
    ) -> Result<bool, StoreError>;
    /// The project's live sessions, newest first.
    async fn list_project_sessions(
        &self,
        org: &OrgId,
        project: &ProjectId,
        limit: i64,
        offset: i64,
    ) -> Result<Page<InterviewRow>, StoreError>;
    /// How many sessions the project has had.
    async fn count_project_sessions(&self, project: &ProjectId) -> Result<i64, StoreError>;
    /// Sessions still in progress whose last activity is older than `before`.
    async fn stale_sessions(&self, before: i64, limit: i64) -> Result<Vec<SessionRow>, StoreError>;
}

#[async_trait::async_trait]
impl SessionStore for SqlStore {
    async fn create_session(&self, new: &NewSession) -> Result<SessionStart, StoreError> {
        let i = &new.interview;
        let project = i
            .project_id
            .as_ref()
            .ok_or_else(|| StoreError::corrupt("a session without a project"))?;
        let mut tx = self.pool.begin().await?;
        // Writing the project row first serialises concurrent starts on one project on
        // both backends, so the cap below is exact.
        sqlx::query("UPDATE projects SET updated_at = updated_at WHERE id = $1")
            .bind(project.as_str())
            .execute(&mut *tx)
            .await?;
        if let Some(max) = new.max_sessions {
            let (n,): (i64,) = sqlx::query_as(
                "SELECT COUNT(*) FROM interviews WHERE project_id = $1 AND source = 'live'",
            )
            .bind(project.as_str())
            .fetch_one(&mut *tx)
            .await?;
            if n >= max {
                return Ok(SessionStart::Full);
            }
        }
        upsert_candidate(&mut tx, &new.candidate).await?;
        insert_interview(&mut tx, i).await?;
        sqlx::query(
            "UPDATE interviews SET session = $2, session_token_hash = $3, session_version = 0 \
             WHERE id = $1",
        )
        .bind(i.id.as_str())
        .bind(new.state.to_string())
        .bind(&new.token_hash)
        .execute(&mut *tx)
        .await?;
        for e in &new.events {
            insert_event(&mut tx, e).await?;
        }
        tx.commit().await?;
        Ok(SessionStart::Started)
    }

    async fn get_session(&self, id: &InterviewId) -> Result<Option<SessionRow>, StoreError> {
        Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS}, {SESSION_COLUMNS} FROM interviews \
             WHERE id = $1 AND source = 'live' AND session IS NOT NULL AND erasure_id IS NULL"
        )))
        .bind(id.as_str())
        .fetch_optional(&self.pool)
        .await?)
    }

    async fn save_session(
        &self,
        id: &InterviewId,
        state: &serde_json::Value,
        version: i64,
        now: i64,
    ) -> Result<bool, StoreError> {
        let n = sqlx::query(
            "UPDATE interviews SET session = $2, session_version = session_version + 1, \
             updated_at = $4 WHERE id = $1 AND session_version = $3 AND status = 'in_progress'",
        )
        .bind(id.as_str())
        .bind(state.to_string())
        .bind(version)
        .bind(now)
        .execute(&self.pool)
        .await?
        .rows_affected();
        Ok(n == 1)
    }

    async fn finish_session(
        &self,
        id: &InterviewId,
        state: &serde_json::Value,
        version: i64,
        end: &SessionEnd,
        now: i64,
    ) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin().await?;
        let n = match end {
            SessionEnd::Analyse { transcript, .. } => sqlx::query(
                "UPDATE interviews SET session = $2, session_version = session_version + 1, \
                 status = 'processing', stage = 'queued', progress = 0, transcript = $4, \
                 updated_at = $5 \
                 WHERE id = $1 AND session_version = $3 AND status = 'in_progress'",
            )
            .bind(id.as_str())
            .bind(state.to_string())
            .bind(version)
            .bind(serde_json::to_string(transcript).map_err(StoreError::corrupt)?)
            .bind(now),
            SessionEnd::Abandon { .. } => sqlx::query(
                "UPDATE interviews SET session = $2, session_version = session_version + 1, \
                 status = 'abandoned', stage = NULL, updated_at = $4, completed_at = $4 \
                 WHERE id = $1 AND session_version = $3 AND status = 'in_progress'",
            )
            .bind(id.as_str())
            .bind(state.to_string())
            .bind(version)
            .bind(now),
        }
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if n != 1 {
            return Ok(false);
        }
        match end {
            SessionEnd::Analyse { job, .. } => insert_job(&mut tx, job).await?,
            SessionEnd::Abandon { events } => {
                for e in events {
                    insert_event(&mut tx, e).await?;
                }
            }
        }
        tx.commit().await?;
        Ok(true)
    }

    async fn list_project_sessions(
        &self,
        org: &OrgId,
        project: &ProjectId,
        limit: i64,
        offset: i64,
    ) -> Result<Page<InterviewRow>, StoreError> {
        let (total,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM interviews \
             WHERE org_id = $1 AND project_id = $2 AND source = 'live' AND erasure_id IS NULL",
        )
        .bind(org.as_str())
        .bind(project.as_str())
        .fetch_one(&self.pool)
        .await?;
        let items = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM interviews \
             WHERE org_id = $1 AND project_id = $2 AND source = 'live' AND erasure_id IS NULL \
             ORDER BY created_at DESC, id DESC LIMIT $3 OFFSET $4"
        )))
        .bind(org.as_str())
        .bind(project.as_str())
        .bind(limit)
        .bind(offset)
        .fetch_all(&self.pool)
        .await?;
        Ok(Page { total, items })
    }

    async fn count_project_sessions(&self, project: &ProjectId) -> Result<i64, StoreError> {
        let (n,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM interviews WHERE project_id = $1 AND source = 'live' \
             AND erasure_id IS NULL",
        )
        .bind(project.as_str())
        .fetch_one(&self.pool)
        .await?;
        Ok(n)
    }

    async fn stale_sessions(&self, before: i64, limit: i64) -> Result<Vec<SessionRow>, StoreError> {
        Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS}, {SESSION_COLUMNS} FROM interviews \
             WHERE status = 'in_progress' AND updated_at < $1 AND session IS NOT NULL \
             AND erasure_id IS NULL \
             ORDER BY updated_at LIMIT $2"
        )))
        .bind(before)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?)
    }
}
