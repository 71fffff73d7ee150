//! Vacancies named by the client (`vacancy_id`), with the competency weights of the
//! match score. A `vacancy_id` that is one of the organisation's project ids uses the
//! project's weights instead.

use crate::{SqlStore, StoreError};
use sqlx::any::AnyRow;
use sqlx::{FromRow, Row};
use talentd_core::OrgId;
use talentd_core::project::CompetencyWeights;

/// A vacancy as stored.
#[derive(Clone, Debug, PartialEq)]
pub struct VacancyRow {
    pub org_id: OrgId,
    pub id: String,
    pub title: Option<String>,
    pub competency_weights: CompetencyWeights,
    pub created_at: i64,
    pub updated_at: i64,
}

impl FromRow<'_, AnyRow> for VacancyRow {
    fn from_row(r: &AnyRow) -> Result<Self, sqlx::Error> {
        let weights: String = r.try_get("competency_weights")?;
        Ok(Self {
            org_id: OrgId::from_trusted(r.try_get("org_id")?),
            id: r.try_get("id")?,
            title: r.try_get("title")?,
            competency_weights: serde_json::from_str(&weights)
                .map_err(|e| sqlx::Error::Decode(Box::new(e)))?,
            created_at: r.try_get("created_at")?,
            updated_at: r.try_get("updated_at")?,
        })
    }
}

#[async_trait::async_trait]
pub trait VacancyStore {
    async fn get_vacancy(&self, org: &OrgId, id: &str) -> Result<Option<VacancyRow>, StoreError>;
    /// Creates or replaces a vacancy (its `created_at` is kept on replace).
    async fn put_vacancy(&self, v: &VacancyRow) -> Result<VacancyRow, StoreError>;
}

#[async_trait::async_trait]
impl VacancyStore for SqlStore {
    async fn get_vacancy(&self, org: &OrgId, id: &str) -> Result<Option<VacancyRow>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT org_id, id, title, competency_weights, created_at, updated_at \
             FROM vacancies WHERE org_id = $1 AND id = $2",
        )
        .bind(org.as_str())
        .bind(id)
        .fetch_optional(&self.pool)
        .await?)
    }

    async fn put_vacancy(&self, v: &VacancyRow) -> Result<VacancyRow, StoreError> {
        sqlx::query(
            "INSERT INTO vacancies (org_id, id, title, competency_weights, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (org_id, id) DO UPDATE SET \
             title = excluded.title, competency_weights = excluded.competency_weights, \
             updated_at = excluded.updated_at",
        )
        .bind(v.org_id.as_str())
        .bind(&v.id)
        .bind(v.title.as_deref())
        .bind(serde_json::to_string(&v.competency_weights).map_err(StoreError::corrupt)?)
        .bind(v.created_at)
        .bind(v.updated_at)
        .execute(&self.pool)
        .await?;
        self.get_vacancy(&v.org_id, &v.id)
            .await?
            .ok_or_else(|| StoreError::corrupt("vacancy vanished after write"))
    }
}
