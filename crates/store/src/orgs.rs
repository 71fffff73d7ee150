//! Organisations (tenants).

use crate::api_keys::{NewApiKey, insert_key};
use crate::{SqlStore, StoreError};
use sqlx::any::AnyRow;
use sqlx::{FromRow, Row};
use talentd_core::{OrgId, Plan};

/// An organisation as stored.
#[derive(Clone, Debug, PartialEq)]
pub struct OrgRow {
    pub id: OrgId,
    pub name: String,
    pub plan: Plan,
    pub created_at: i64,
}

impl FromRow<'_, AnyRow> for OrgRow {
    fn from_row(r: &AnyRow) -> Result<Self, sqlx::Error> {
        let plan: String = r.try_get("plan")?;
        Ok(Self {
            id: OrgId::from_trusted(r.try_get("id")?),
            name: r.try_get("name")?,
            plan: Plan::parse(&plan)
                .ok_or_else(|| sqlx::Error::Decode(format!("plan {plan}").into()))?,
            created_at: r.try_get("created_at")?,
        })
    }
}

#[async_trait::async_trait]
pub trait OrgStore {
    /// Creates an organisation together with its first API key, atomically.
    async fn create_org(&self, org: &OrgRow, first_key: &NewApiKey) -> Result<(), StoreError>;
    async fn get_org(&self, id: &OrgId) -> Result<Option<OrgRow>, StoreError>;
    async fn count_orgs(&self) -> Result<i64, StoreError>;
}

#[async_trait::async_trait]
impl OrgStore for SqlStore {
    async fn create_org(&self, org: &OrgRow, first_key: &NewApiKey) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("INSERT INTO orgs (id, name, plan, created_at) VALUES ($1, $2, $3, $4)")
            .bind(org.id.as_str())
            .bind(&org.name)
            .bind(org.plan.as_str())
            .bind(org.created_at)
            .execute(&mut *tx)
            .await?;
        insert_key(&mut tx, first_key).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn get_org(&self, id: &OrgId) -> Result<Option<OrgRow>, StoreError> {
        Ok(
            sqlx::query_as("SELECT id, name, plan, created_at FROM orgs WHERE id = $1")
                .bind(id.as_str())
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    async fn count_orgs(&self) -> Result<i64, StoreError> {
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM orgs")
            .fetch_one(&self.pool)
            .await?;
        Ok(n)
    }
}
