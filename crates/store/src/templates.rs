//! An organisation's own question templates (built-ins live in code).

use crate::{SqlStore, StoreError};
use sqlx::any::AnyRow;
use sqlx::{FromRow, Row};
use talentd_core::template::Question;
use talentd_core::{OrgId, TemplateId};

/// A template as stored.
#[derive(Clone, Debug, PartialEq)]
pub struct TemplateRow {
    pub id: TemplateId,
    pub org_id: OrgId,
    pub name: String,
    pub description: Option<String>,
    pub questions: Vec<Question>,
    pub created_at: i64,
}

impl FromRow<'_, AnyRow> for TemplateRow {
    fn from_row(r: &AnyRow) -> Result<Self, sqlx::Error> {
        let questions: String = r.try_get("questions")?;
        Ok(Self {
            id: TemplateId::from_trusted(r.try_get("id")?),
            org_id: OrgId::from_trusted(r.try_get("org_id")?),
            name: r.try_get("name")?,
            description: r.try_get("description")?,
            questions: serde_json::from_str(&questions)
                .map_err(|e| sqlx::Error::Decode(Box::new(e)))?,
            created_at: r.try_get("created_at")?,
        })
    }
}

const COLUMNS: &str = "id, org_id, name, description, questions, created_at";

#[async_trait::async_trait]
pub trait TemplateStore {
    async fn create_template(&self, t: &TemplateRow) -> Result<(), StoreError>;
    async fn get_template(
        &self,
        org: &OrgId,
        id: &TemplateId,
    ) -> Result<Option<TemplateRow>, StoreError>;
    async fn list_templates(&self, org: &OrgId) -> Result<Vec<TemplateRow>, StoreError>;
    /// Deletes a template no project uses: `Ok(false)` if there is none,
    /// [`StoreError::Conflict`] if a project still uses it.
    async fn delete_template(&self, org: &OrgId, id: &TemplateId) -> Result<bool, StoreError>;
}

#[async_trait::async_trait]
impl TemplateStore for SqlStore {
    async fn create_template(&self, t: &TemplateRow) -> Result<(), StoreError> {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "INSERT INTO templates ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6)"
        )))
        .bind(t.id.as_str())
        .bind(t.org_id.as_str())
        .bind(&t.name)
        .bind(t.description.as_deref())
        .bind(serde_json::to_string(&t.questions).map_err(StoreError::corrupt)?)
        .bind(t.created_at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn get_template(
        &self,
        org: &OrgId,
        id: &TemplateId,
    ) -> Result<Option<TemplateRow>, StoreError> {
        Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM templates WHERE org_id = $1 AND id = $2"
        )))
        .bind(org.as_str())
        .bind(id.as_str())
        .fetch_optional(&self.pool)
        .await?)
    }

    async fn list_templates(&self, org: &OrgId) -> Result<Vec<TemplateRow>, StoreError> {
        Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM templates WHERE org_id = $1 ORDER BY created_at, id"
        )))
        .bind(org.as_str())
        .fetch_all(&self.pool)
        .await?)
    }

    async fn delete_template(&self, org: &OrgId, id: &TemplateId) -> Result<bool, StoreError> {
        // One statement, so a project cannot start using the template in between.
        let n = sqlx::query(
            "DELETE FROM templates WHERE org_id = $1 AND id = $2 AND NOT EXISTS \
             (SELECT 1 FROM projects WHERE org_id = $1 AND template_id = $2)",
        )
        .bind(org.as_str())
        .bind(id.as_str())
        .execute(&self.pool)
        .await?
        .rows_affected();
        if n == 1 {
            return Ok(true);
        }
        match self.get_template(org, id).await? {
            Some(_) => Err(StoreError::Conflict("template is used by a project")),
            None => Ok(false),
        }
    }
}
