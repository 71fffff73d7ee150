//! Interview projects.

use crate::events::insert_event;
use crate::{Page, SqlStore, StoreError};
use sqlx::any::AnyRow;
use sqlx::{FromRow, Row};
use talentd_core::event::Event;
use talentd_core::project::{CompetencyWeights, ProjectStatus};
use talentd_core::{OrgId, ProjectId};

/// A project as stored; `status` is the stored one (see
/// [`talentd_core::project::effective_status`] for what readers see).
#[derive(Clone, Debug, PartialEq)]
pub struct ProjectRow {
    pub id: ProjectId,
    pub org_id: OrgId,
    pub name: String,
    pub instructions: String,
    pub template_id: Option<String>,
    pub company_name: Option<String>,
    pub status: ProjectStatus,
    pub link_token: String,
    pub expires_at: Option<i64>,
    pub max_sessions: Option<i64>,
    pub competency_weights: CompetencyWeights,
    pub created_at: i64,
    pub updated_at: i64,
}

const COLUMNS: &str = "id, org_id, name, instructions, template_id, company_name, status, \
    link_token, expires_at, max_sessions, competency_weights, created_at, updated_at";

impl FromRow<'_, AnyRow> for ProjectRow {
    fn from_row(r: &AnyRow) -> Result<Self, sqlx::Error> {
        let status: String = r.try_get("status")?;
        let weights: String = r.try_get("competency_weights")?;
        Ok(Self {
            id: ProjectId::from_trusted(r.try_get("id")?),
            org_id: OrgId::from_trusted(r.try_get("org_id")?),
            name: r.try_get("name")?,
            instructions: r.try_get("instructions")?,
            template_id: r.try_get("template_id")?,
            company_name: r.try_get("company_name")?,
            status: ProjectStatus::parse(&status)
                .ok_or_else(|| sqlx::Error::Decode(format!("project status {status}").into()))?,
            link_token: r.try_get("link_token")?,
            expires_at: r.try_get("expires_at")?,
            max_sessions: r.try_get("max_sessions")?,
            competency_weights: serde_json::from_str(&weights)
                .map_err(|e| sqlx::Error::Decode(Box::new(e)))?,
            created_at: r.try_get("created_at")?,
            updated_at: r.try_get("updated_at")?,
        })
    }
}

/// Which projects a listing returns.
#[derive(Clone, Copy, Debug, Default)]
pub struct ProjectFilter {
    /// The status readers see, expiry included.
    pub status: Option<ProjectStatus>,
}

#[async_trait::async_trait]
pub trait ProjectStore {
    /// Stores a project and its `project.created` event in one transaction.
    async fn create_project(&self, project: &ProjectRow, event: &Event) -> Result<(), StoreError>;
    async fn get_project(
        &self,
        org: &OrgId,
        id: &ProjectId,
    ) -> Result<Option<ProjectRow>, StoreError>;
    async fn list_projects(
        &self,
        org: &OrgId,
        filter: ProjectFilter,
        now: i64,
        limit: i64,
        offset: i64,
    ) -> Result<Page<ProjectRow>, StoreError>;
    /// The project behind an interview link, for the candidate's unauthenticated page.
    async fn get_project_by_link(&self, token: &str) -> Result<Option<ProjectRow>, StoreError>;
    /// Writes every mutable field; false if the project no longer exists.
    async fn update_project(&self, project: &ProjectRow) -> Result<bool, StoreError>;
    async fn delete_project(&self, org: &OrgId, id: &ProjectId) -> Result<bool, StoreError>;
}

fn weights_json(w: &CompetencyWeights) -> Result<String, StoreError> {
    serde_json::to_string(w).map_err(StoreError::corrupt)
}

#[async_trait::async_trait]
impl ProjectStore for SqlStore {
    async fn create_project(&self, p: &ProjectRow, event: &Event) -> Result<(), StoreError> {
        let weights = weights_json(&p.competency_weights)?;
        let mut tx = self.pool.begin().await?;
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "INSERT INTO projects ({COLUMNS}) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)"
        )))
        .bind(p.id.as_str())
        .bind(p.org_id.as_str())
        .bind(&p.name)
        .bind(&p.instructions)
        .bind(p.template_id.as_deref())
        .bind(p.company_name.as_deref())
        .bind(p.status.as_str())
        .bind(&p.link_token)
        .bind(p.expires_at)
        .bind(p.max_sessions)
        .bind(weights)
        .bind(p.created_at)
        .bind(p.updated_at)
        .execute(&mut *tx)
        .await?;
        insert_event(&mut tx, event).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn get_project_by_link(&self, token: &str) -> Result<Option<ProjectRow>, StoreError> {
        Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM projects WHERE link_token = $1"
        )))
        .bind(token)
        .fetch_optional(&self.pool)
        .await?)
    }

    async fn get_project(
        &self,
        org: &OrgId,
        id: &ProjectId,
    ) -> Result<Option<ProjectRow>, StoreError> {
        let key = (org.to_string(), id.to_string());
        if let Some(hit) = self.cache.projects.get(&key) {
            return Ok(Some(hit));
        }
        let row: Option<ProjectRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM projects WHERE org_id = $1 AND id = $2"
        )))
        .bind(org.as_str())
        .bind(id.as_str())
        .fetch_optional(&self.pool)
        .await?;
        if let Some(row) = &row {
            self.cache.projects.insert(key, row.clone());
        }
        Ok(row)
    }

    async fn list_projects(
        &self,
        org: &OrgId,
        filter: ProjectFilter,
        now: i64,
        limit: i64,
        offset: i64,
    ) -> Result<Page<ProjectRow>, StoreError> {
        // `$2` is "now" in every variant, so the bind list is the same for all.
        let condition = match filter.status {
            None => "$2 = $2",
            Some(ProjectStatus::Active) => {
                "status = 'active' AND (expires_at IS NULL OR expires_at > $2)"
            }
            Some(ProjectStatus::Expired) => {
                "(status = 'expired' OR (status = 'active' AND expires_at IS NOT NULL AND expires_at <= $2))"
            }
            Some(ProjectStatus::Completed) => "status = 'completed' AND $2 = $2",
        };
        let (total,): (i64,) = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT COUNT(*) FROM projects WHERE org_id = $1 AND {condition}"
        )))
        .bind(org.as_str())
        .bind(now)
        .fetch_one(&self.pool)
        .await?;
        let items = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM projects WHERE org_id = $1 AND {condition} \
             ORDER BY created_at DESC, id DESC LIMIT $3 OFFSET $4"
        )))
        .bind(org.as_str())
        .bind(now)
        .bind(limit)
        .bind(offset)
        .fetch_all(&self.pool)
        .await?;
        Ok(Page { total, items })
    }

    async fn update_project(&self, p: &ProjectRow) -> Result<bool, StoreError> {
        self.cache
            .projects
            .invalidate(&(p.org_id.to_string(), p.id.to_string()));
        let n = sqlx::query(
            "UPDATE projects SET name = $3, instructions = $4, template_id = $5, \
             company_name = $6, status = $7, expires_at = $8, max_sessions = $9, \
             competency_weights = $10, updated_at = $11 WHERE org_id = $1 AND id = $2",
        )
        .bind(p.org_id.as_str())
        .bind(p.id.as_str())
        .bind(&p.name)
        .bind(&p.instructions)
        .bind(p.template_id.as_deref())
        .bind(p.company_name.as_deref())
        .bind(p.status.as_str())
        .bind(p.expires_at)
        .bind(p.max_sessions)
        .bind(weights_json(&p.competency_weights)?)
        .bind(p.updated_at)
        .execute(&self.pool)
        .await?
        .rows_affected();
        // Again after the write: a read between the first invalidation and the
        // write may have cached the old row.
        self.cache
            .projects
            .invalidate(&(p.org_id.to_string(), p.id.to_string()));
        Ok(n == 1)
    }

    async fn delete_project(&self, org: &OrgId, id: &ProjectId) -> Result<bool, StoreError> {
        let n = sqlx::query("DELETE FROM projects WHERE org_id = $1 AND id = $2")
            .bind(org.as_str())
            .bind(id.as_str())
            .execute(&self.pool)
            .await?
            .rows_affected();
        self.cache
            .projects
            .invalidate(&(org.to_string(), id.to_string()));
        Ok(n == 1)
    }
}
