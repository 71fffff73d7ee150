//! A company's culture profile: the 54 OCP item values, averaged over its raters' sorts.

use crate::{SqlStore, StoreError};
use talentd_core::OrgId;

/// A culture profile as stored.
#[derive(Clone, Debug, PartialEq)]
pub struct CultureRow {
    pub org_id: OrgId,
    /// 54 values on 1..9.
    pub values: Vec<f64>,
    /// Each rater's sort, 54 piles on 1..9.
    pub sorts: Vec<Vec<u8>>,
    pub raters: i64,
    pub agreement: Option<f64>,
    pub updated_at: i64,
}

#[async_trait::async_trait]
pub trait CultureStore {
    async fn get_culture_profile(&self, org: &OrgId) -> Result<Option<CultureRow>, StoreError>;
    async fn put_culture_profile(&self, row: &CultureRow) -> Result<(), StoreError>;
}

#[async_trait::async_trait]
impl CultureStore for SqlStore {
    async fn get_culture_profile(&self, org: &OrgId) -> Result<Option<CultureRow>, StoreError> {
        let row: Option<(String, String, i64, Option<f64>, i64)> = sqlx::query_as(
            "SELECT item_values, sorts, raters, agreement, updated_at \
             FROM culture_profiles WHERE org_id = $1",
        )
        .bind(org.as_str())
        .fetch_optional(&self.pool)
        .await?;
        row.map(|(values, sorts, raters, agreement, updated_at)| {
            Ok(CultureRow {
                org_id: org.clone(),
                values: serde_json::from_str(&values).map_err(StoreError::corrupt)?,
                sorts: serde_json::from_str(&sorts).map_err(StoreError::corrupt)?,
                raters,
                agreement,
                updated_at,
            })
        })
        .transpose()
    }

    async fn put_culture_profile(&self, row: &CultureRow) -> Result<(), StoreError> {
        // A NULL f64 is bound as the literal (see interviews.rs: sqlx's Any driver
        // declares NULL f64 parameters as FLOAT4 on PostgreSQL).
        let agreement_sql = if row.agreement.is_some() {
            "$6"
        } else {
            "NULL"
        };
        let mut q = sqlx::query(sqlx::AssertSqlSafe(format!(
            "INSERT INTO culture_profiles (org_id, item_values, sorts, raters, agreement, updated_at) \
             VALUES ($1, $2, $3, $4, {agreement_sql}, $5) ON CONFLICT (org_id) DO UPDATE SET \
             item_values = excluded.item_values, sorts = excluded.sorts, raters = excluded.raters, \
             agreement = excluded.agreement, updated_at = excluded.updated_at"
        )))
        .bind(row.org_id.as_str())
        .bind(serde_json::to_string(&row.values).map_err(StoreError::corrupt)?)
        .bind(serde_json::to_string(&row.sorts).map_err(StoreError::corrupt)?)
        .bind(row.raters)
        .bind(row.updated_at);
        if let Some(a) = row.agreement {
            q = q.bind(a);
        }
        q.execute(&self.pool).await?;
        Ok(())
    }
}
