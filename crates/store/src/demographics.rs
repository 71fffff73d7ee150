//! Voluntary demographics, and the rows the trust reports aggregate. Demographics are
//! written by the candidate (or the client's ATS) and read only here, by
//! [`DemographicsStore::report_rows`]: no scoring path touches them.

use crate::events::insert_event;
use crate::{Page, SqlStore, StoreError};
use sqlx::any::AnyRow;
use sqlx::{FromRow, Row};
use talentd_core::event::Event;
use talentd_core::{OrgId, ProjectId};

/// What a candidate reported; `None` where they left a question unanswered.
#[derive(Clone, Debug, PartialEq)]
pub struct DemographicsRow {
    pub org_id: OrgId,
    pub candidate_id: String,
    pub sex: Option<String>,
    pub race_ethnicity: Option<String>,
    /// `candidate` (the interview page) or `api`.
    pub source: String,
    pub updated_at: i64,
}

/// One completed interview as the reports see it: the candidate's reported categories,
/// the AI's analysis and the newest recruiter decision.
#[derive(Clone, Debug, PartialEq)]
pub struct ReportRow {
    pub interview_id: String,
    pub candidate_id: String,
    pub match_score: Option<f64>,
    pub analysis: Option<serde_json::Value>,
    pub completed_at: Option<i64>,
    pub sex: Option<String>,
    pub race_ethnicity: Option<String>,
    pub human_recommendation: Option<String>,
}

impl FromRow<'_, AnyRow> for ReportRow {
    fn from_row(r: &AnyRow) -> Result<Self, sqlx::Error> {
        let analysis: Option<String> = r.try_get("analysis")?;
        Ok(Self {
            interview_id: r.try_get("id")?,
            candidate_id: r.try_get("candidate_id")?,
            match_score: r.try_get("match_score")?,
            analysis: analysis
                .map(|s| serde_json::from_str(&s).map_err(|e| sqlx::Error::Decode(Box::new(e))))
                .transpose()?,
            completed_at: r.try_get("completed_at")?,
            sex: r.try_get("sex")?,
            race_ethnicity: r.try_get("race_ethnicity")?,
            human_recommendation: r.try_get("human_recommendation")?,
        })
    }
}

/// A candidate's request from the interview page.
#[derive(Clone, Debug, PartialEq)]
pub struct CandidateRequestRow {
    pub id: String,
    pub org_id: OrgId,
    pub project_id: Option<String>,
    pub interview_id: Option<String>,
    pub candidate_id: Option<String>,
    /// `deletion` or `human_alternative`.
    pub kind: String,
    pub name: Option<String>,
    pub email: Option<String>,
    pub message: Option<String>,
    /// `open` or `resolved`.
    pub status: String,
    pub created_at: i64,
    pub resolved_at: Option<i64>,
}

impl FromRow<'_, AnyRow> for CandidateRequestRow {
    fn from_row(r: &AnyRow) -> Result<Self, sqlx::Error> {
        Ok(Self {
            id: r.try_get("id")?,
            org_id: OrgId::from_trusted(r.try_get("org_id")?),
            project_id: r.try_get("project_id")?,
            interview_id: r.try_get("interview_id")?,
            candidate_id: r.try_get("candidate_id")?,
            kind: r.try_get("kind")?,
            name: r.try_get("name")?,
            email: r.try_get("email")?,
            message: r.try_get("message")?,
            status: r.try_get("status")?,
            created_at: r.try_get("created_at")?,
            resolved_at: r.try_get("resolved_at")?,
        })
    }
}

const REQUEST_COLUMNS: &str = "id, org_id, project_id, interview_id, candidate_id, kind, name, \
    email, message, status, created_at, resolved_at";

const REPORT_SELECT: &str = "SELECT i.id, i.candidate_id, i.match_score, i.analysis, \
    i.completed_at, d.sex, d.race_ethnicity, \
    (SELECT o.recommendation FROM recommendation_overrides o WHERE o.interview_id = i.id \
     ORDER BY o.created_at DESC, o.id DESC LIMIT 1) AS human_recommendation \
    FROM interviews i LEFT JOIN demographics d \
    ON d.org_id = i.org_id AND d.candidate_id = i.candidate_id \
    WHERE i.org_id = $1 AND i.status = 'completed' AND i.erasure_id IS NULL";

#[async_trait::async_trait]
pub trait DemographicsStore {
    /// Writes what the candidate reported, replacing an earlier answer; both `None`
    /// withdraws it. False when the candidate does not exist.
    async fn set_demographics(&self, d: &DemographicsRow) -> Result<bool, StoreError>;
    /// Completed interviews with their candidate's categories and newest decision,
    /// newest first within a candidate; of one project, or of the whole organisation.
    async fn report_rows(
        &self,
        org: &OrgId,
        project: Option<&ProjectId>,
    ) -> Result<Vec<ReportRow>, StoreError>;
    /// Records the request and its event in one transaction.
    async fn add_candidate_request(
        &self,
        r: &CandidateRequestRow,
        event: &Event,
    ) -> Result<(), StoreError>;
    /// The organisation's requests, newest first; only open ones with `open_only`.
    async fn list_candidate_requests(
        &self,
        org: &OrgId,
        open_only: bool,
        limit: i64,
        offset: i64,
    ) -> Result<Page<CandidateRequestRow>, StoreError>;
    /// Marks a request resolved; None when there is no such request.
    async fn resolve_candidate_request(
        &self,
        org: &OrgId,
        id: &str,
        now: i64,
    ) -> Result<Option<CandidateRequestRow>, StoreError>;
}

#[async_trait::async_trait]
impl DemographicsStore for SqlStore {
    async fn set_demographics(&self, d: &DemographicsRow) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin().await?;
        let exists: Option<(String,)> = sqlx::query_as(
            "SELECT id FROM candidates WHERE org_id = $1 AND id = $2 AND erasure_id IS NULL",
        )
        .bind(d.org_id.as_str())
        .bind(&d.candidate_id)
        .fetch_optional(&mut *tx)
        .await?;
        if exists.is_none() {
            return Ok(false);
        }
        if d.sex.is_none() && d.race_ethnicity.is_none() {
            sqlx::query("DELETE FROM demographics WHERE org_id = $1 AND candidate_id = $2")
                .bind(d.org_id.as_str())
                .bind(&d.candidate_id)
                .execute(&mut *tx)
                .await?;
        } else {
            sqlx::query(
                "INSERT INTO demographics (org_id, candidate_id, sex, race_ethnicity, source, \
                 updated_at) VALUES ($1, $2, $3, $4, $5, $6) \
                 ON CONFLICT (org_id, candidate_id) DO UPDATE SET sex = excluded.sex, \
                 race_ethnicity = excluded.race_ethnicity, source = excluded.source, \
                 updated_at = excluded.updated_at",
            )
            .bind(d.org_id.as_str())
            .bind(&d.candidate_id)
            .bind(d.sex.as_deref())
            .bind(d.race_ethnicity.as_deref())
            .bind(&d.source)
            .bind(d.updated_at)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(true)
    }

    async fn report_rows(
        &self,
        org: &OrgId,
        project: Option<&ProjectId>,
    ) -> Result<Vec<ReportRow>, StoreError> {
        let order = " ORDER BY i.candidate_id, i.completed_at DESC, i.id DESC";
        Ok(match project {
            Some(p) => {
                sqlx::query_as(sqlx::AssertSqlSafe(format!(
                    "{REPORT_SELECT} AND i.project_id = $2{order}"
                )))
                .bind(org.as_str())
                .bind(p.as_str())
                .fetch_all(&self.pool)
                .await?
            }
            None => {
                sqlx::query_as(sqlx::AssertSqlSafe(format!("{REPORT_SELECT}{order}")))
                    .bind(org.as_str())
                    .fetch_all(&self.pool)
                    .await?
            }
        })
    }

    async fn add_candidate_request(
        &self,
        r: &CandidateRequestRow,
        event: &Event,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "INSERT INTO candidate_requests ({REQUEST_COLUMNS}) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"
        )))
        .bind(&r.id)
        .bind(r.org_id.as_str())
        .bind(r.project_id.as_deref())
        .bind(r.interview_id.as_deref())
        .bind(r.candidate_id.as_deref())
        .bind(&r.kind)
        .bind(r.name.as_deref())
        .bind(r.email.as_deref())
        .bind(r.message.as_deref())
        .bind(&r.status)
        .bind(r.created_at)
        .bind(r.resolved_at)
        .execute(&mut *tx)
        .await?;
        insert_event(&mut tx, event).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn list_candidate_requests(
        &self,
        org: &OrgId,
        open_only: bool,
        limit: i64,
        offset: i64,
    ) -> Result<Page<CandidateRequestRow>, StoreError> {
        let filter = if open_only {
            " AND status = 'open'"
        } else {
            ""
        };
        let (total,): (i64,) = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT COUNT(*) FROM candidate_requests WHERE org_id = $1{filter}"
        )))
        .bind(org.as_str())
        .fetch_one(&self.pool)
        .await?;
        let items = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {REQUEST_COLUMNS} FROM candidate_requests WHERE org_id = $1{filter} \
             ORDER BY created_at DESC, id DESC LIMIT $2 OFFSET $3"
        )))
        .bind(org.as_str())
        .bind(limit)
        .bind(offset)
        .fetch_all(&self.pool)
        .await?;
        Ok(Page { total, items })
    }

    async fn resolve_candidate_request(
        &self,
        org: &OrgId,
        id: &str,
        now: i64,
    ) -> Result<Option<CandidateRequestRow>, StoreError> {
        sqlx::query(
            "UPDATE candidate_requests SET status = 'resolved', resolved_at = $3 \
             WHERE org_id = $1 AND id = $2 AND status = 'open'",
        )
        .bind(org.as_str())
        .bind(id)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {REQUEST_COLUMNS} FROM candidate_requests WHERE org_id = $1 AND id = $2"
        )))
        .bind(org.as_str())
        .bind(id)
        .fetch_optional(&self.pool)
        .await?)
    }
}
