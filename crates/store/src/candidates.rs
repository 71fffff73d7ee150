//! Candidates, identified by the client's own id, created on first reference.

use crate::{SqlStore, StoreError};
use sqlx::any::AnyRow;
use sqlx::{FromRow, Row};
use talentd_core::OrgId;

/// A candidate as stored.
#[derive(Clone, Debug, PartialEq)]
pub struct CandidateRow {
    pub org_id: OrgId,
    pub id: String,
    pub name: Option<String>,
    pub email: Option<String>,
    pub position: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

impl FromRow<'_, AnyRow> for CandidateRow {
    fn from_row(r: &AnyRow) -> Result<Self, sqlx::Error> {
        Ok(Self {
            org_id: OrgId::from_trusted(r.try_get("org_id")?),
            id: r.try_get("id")?,
            name: r.try_get("name")?,
            email: r.try_get("email")?,
            position: r.try_get("position")?,
            created_at: r.try_get("created_at")?,
            updated_at: r.try_get("updated_at")?,
        })
    }
}

const COLUMNS: &str = "org_id, id, name, email, position, created_at, updated_at";

#[async_trait::async_trait]
pub trait CandidateStore {
    async fn get_candidate(
        &self,
        org: &OrgId,
        id: &str,
    ) -> Result<Option<CandidateRow>, StoreError>;
    /// Writes name, email and position as given.
    async fn update_candidate(&self, c: &CandidateRow) -> Result<bool, StoreError>;
}

#[async_trait::async_trait]
impl CandidateStore for SqlStore {
    async fn get_candidate(
        &self,
        org: &OrgId,
        id: &str,
    ) -> Result<Option<CandidateRow>, StoreError> {
        Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM candidates WHERE org_id = $1 AND id = $2 AND erasure_id IS NULL"
        )))
        .bind(org.as_str())
        .bind(id)
        .fetch_optional(&self.pool)
        .await?)
    }

    async fn update_candidate(&self, c: &CandidateRow) -> Result<bool, StoreError> {
        let n = sqlx::query(
            "UPDATE candidates SET name = $3, email = $4, position = $5, updated_at = $6 \
             WHERE org_id = $1 AND id = $2 AND erasure_id IS NULL",
        )
        .bind(c.org_id.as_str())
        .bind(&c.id)
        .bind(c.name.as_deref())
        .bind(c.email.as_deref())
        .bind(c.position.as_deref())
        .bind(c.updated_at)
        .execute(&self.pool)
        .await?
        .rows_affected();
        Ok(n == 1)
    }
}
