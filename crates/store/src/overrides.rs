//! Recruiters' decisions over the AI's recommendation: an append-only audit trail whose
//! newest entry is the current decision.

use crate::{SqlStore, StoreError};
use sqlx::any::AnyRow;
use sqlx::{FromRow, Row};
use talentd_core::{InterviewId, OrgId, UserId};

/// One decision.
#[derive(Clone, Debug, PartialEq)]
pub struct OverrideRow {
    pub id: String,
    pub org_id: OrgId,
    pub interview_id: InterviewId,
    pub user_id: UserId,
    /// Kept as written, so the trail still names someone whose account is gone.
    pub user_email: String,
    /// The analysis crate's recommendation name (`recommended`, ...).
    pub recommendation: String,
    pub reason: String,
    pub created_at: i64,
}

impl FromRow<'_, AnyRow> for OverrideRow {
    fn from_row(r: &AnyRow) -> Result<Self, sqlx::Error> {
        Ok(Self {
            id: r.try_get("id")?,
            org_id: OrgId::from_trusted(r.try_get("org_id")?),
            interview_id: InterviewId::from_trusted(r.try_get("interview_id")?),
            user_id: UserId::from_trusted(r.try_get("user_id")?),
            user_email: r.try_get("user_email")?,
            recommendation: r.try_get("recommendation")?,
            reason: r.try_get("reason")?,
            created_at: r.try_get("created_at")?,
        })
    }
}

#[async_trait::async_trait]
pub trait OverrideStore {
    async fn add_override(&self, o: &OverrideRow) -> Result<(), StoreError>;
    /// The interview's decisions, newest first.
    async fn list_overrides(
        &self,
        org: &OrgId,
        interview: &InterviewId,
    ) -> Result<Vec<OverrideRow>, StoreError>;
}

#[async_trait::async_trait]
impl OverrideStore for SqlStore {
    async fn add_override(&self, o: &OverrideRow) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO recommendation_overrides (id, org_id, interview_id, user_id, \
             user_email, recommendation, reason, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(&o.id)
        .bind(o.org_id.as_str())
        .bind(o.interview_id.as_str())
        .bind(o.user_id.as_str())
        .bind(&o.user_email)
        .bind(&o.recommendation)
        .bind(&o.reason)
        .bind(o.created_at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn list_overrides(
        &self,
        org: &OrgId,
        interview: &InterviewId,
    ) -> Result<Vec<OverrideRow>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT id, org_id, interview_id, user_id, user_email, recommendation, reason, \
             created_at FROM recommendation_overrides WHERE org_id = $1 AND interview_id = $2 \
             ORDER BY created_at DESC, id DESC",
        )
        .bind(org.as_str())
        .bind(interview.as_str())
        .fetch_all(&self.pool)
        .await?)
    }
}
