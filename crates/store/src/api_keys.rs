//! API keys: stored as a SHA-256 hash and a display prefix only.

use crate::{Page, SqlStore, StoreError};
use sqlx::any::AnyRow;
use sqlx::{Any, FromRow, Row, Transaction};
use talentd_core::{ApiKeyId, OrgId, Plan};

/// A key about to be stored (its secret has already been shown and dropped).
#[derive(Clone, Debug)]
pub struct NewApiKey {
    pub id: ApiKeyId,
    pub org_id: OrgId,
    pub name: String,
    pub prefix: String,
    pub key_hash: String,
    pub created_at: i64,
}

/// A key as listed.
#[derive(Clone, Debug, PartialEq)]
pub struct ApiKeyRow {
    pub id: ApiKeyId,
    pub org_id: OrgId,
    pub name: String,
    pub prefix: String,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
    pub revoked_at: Option<i64>,
    pub replaced_by: Option<ApiKeyId>,
}

/// What authenticating a request with a key yields.
#[derive(Clone, Debug, PartialEq)]
pub struct KeyAuth {
    pub key_id: ApiKeyId,
    /// The key's name (names never change), for the audit log.
    pub name: String,
    pub org_id: OrgId,
    pub plan: Plan,
    pub last_used_at: Option<i64>,
    pub revoked: bool,
}

impl FromRow<'_, AnyRow> for KeyAuth {
    fn from_row(r: &AnyRow) -> Result<Self, sqlx::Error> {
        let plan: String = r.try_get("plan")?;
        Ok(Self {
            key_id: ApiKeyId::from_trusted(r.try_get("id")?),
            name: r.try_get("name")?,
            org_id: OrgId::from_trusted(r.try_get("org_id")?),
            plan: Plan::parse(&plan)
                .ok_or_else(|| sqlx::Error::Decode(format!("plan {plan}").into()))?,
            last_used_at: r.try_get("last_used_at")?,
            revoked: r.try_get::<Option<i64>, _>("revoked_at")?.is_some(),
        })
    }
}

const COLUMNS: &str = "id, org_id, name, prefix, created_at, last_used_at, revoked_at, replaced_by";

impl FromRow<'_, AnyRow> for ApiKeyRow {
    fn from_row(r: &AnyRow) -> Result<Self, sqlx::Error> {
        Ok(Self {
            id: ApiKeyId::from_trusted(r.try_get("id")?),
            org_id: OrgId::from_trusted(r.try_get("org_id")?),
            name: r.try_get("name")?,
            prefix: r.try_get("prefix")?,
            created_at: r.try_get("created_at")?,
            last_used_at: r.try_get("last_used_at")?,
            revoked_at: r.try_get("revoked_at")?,
            replaced_by: r
                .try_get::<Option<String>, _>("replaced_by")?
                .map(ApiKeyId::from_trusted),
        })
    }
}

pub(crate) async fn insert_key(
    tx: &mut Transaction<'_, Any>,
    key: &NewApiKey,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO api_keys (id, org_id, name, prefix, key_hash, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(key.id.as_str())
    .bind(key.org_id.as_str())
    .bind(&key.name)
    .bind(&key.prefix)
    .bind(&key.key_hash)
    .bind(key.created_at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

#[async_trait::async_trait]
pub trait ApiKeyStore {
    async fn insert_api_key(&self, key: &NewApiKey) -> Result<(), StoreError>;
    /// Finds the key with this hash, with its organisation's plan, and records its use
    /// in `last_used_at` (at most once per [`TOUCH_INTERVAL_MS`]).
    async fn authenticate(&self, key_hash: &str, now: i64) -> Result<Option<KeyAuth>, StoreError>;
    async fn list_api_keys(
        &self,
        org: &OrgId,
        limit: i64,
        offset: i64,
    ) -> Result<Page<ApiKeyRow>, StoreError>;
    async fn get_api_key(
        &self,
        org: &OrgId,
        id: &ApiKeyId,
    ) -> Result<Option<ApiKeyRow>, StoreError>;
    /// Revokes a key (a no-op on one already revoked); `None` if the org has no such key.
    async fn revoke_api_key(
        &self,
        org: &OrgId,
        id: &ApiKeyId,
        now: i64,
    ) -> Result<Option<ApiKeyRow>, StoreError>;
    /// Stores `new` and revokes `old` in one transaction. `None` if the org has no key
    /// `old`; [`StoreError::Conflict`] if `old` is already revoked.
    async fn rotate_api_key(
        &self,
        old: &ApiKeyId,
        new: &NewApiKey,
    ) -> Result<Option<ApiKeyRow>, StoreError>;
}

/// `last_used_at` is written at most this often per key, so that reads stay reads.
pub const TOUCH_INTERVAL_MS: i64 = 60_000;

impl SqlStore {
    async fn find_key(&self, key_hash: &str) -> Result<Option<KeyAuth>, StoreError> {
        if let Some(hit) = self.cache.keys.get(key_hash) {
            return Ok(Some(hit));
        }
        let row: Option<KeyAuth> = sqlx::query_as(
            "SELECT k.id, k.name, k.org_id, o.plan, k.last_used_at, k.revoked_at \
             FROM api_keys k JOIN orgs o ON o.id = k.org_id WHERE k.key_hash = $1",
        )
        .bind(key_hash)
        .fetch_optional(&self.pool)
        .await?;
        let Some(auth) = row else {
            return Ok(None);
        };
        self.cache.keys.insert(key_hash.to_owned(), auth.clone());
        Ok(Some(auth))
    }

    /// Drops the cached entry of key `id` of `org`.
    async fn forget_key(&self, org: &OrgId, id: &ApiKeyId) -> Result<(), StoreError> {
        let hash: Option<(String,)> =
            sqlx::query_as("SELECT key_hash FROM api_keys WHERE org_id = $1 AND id = $2")
                .bind(org.as_str())
                .bind(id.as_str())
                .fetch_optional(&self.pool)
                .await?;
        if let Some((hash,)) = hash {
            self.cache.keys.invalidate(&hash);
        }
        Ok(())
    }
}

#[async_trait::async_trait]
impl ApiKeyStore for SqlStore {
    async fn insert_api_key(&self, key: &NewApiKey) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        insert_key(&mut tx, key).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn authenticate(&self, key_hash: &str, now: i64) -> Result<Option<KeyAuth>, StoreError> {
        let Some(mut auth) = self.find_key(key_hash).await? else {
            return Ok(None);
        };
        if !auth.revoked
            && auth
                .last_used_at
                .is_none_or(|t| t + TOUCH_INTERVAL_MS <= now)
        {
            sqlx::query("UPDATE api_keys SET last_used_at = $2 WHERE id = $1")
                .bind(auth.key_id.as_str())
                .bind(now)
                .execute(&self.pool)
                .await?;
            auth.last_used_at = Some(now);
            self.cache.keys.insert(key_hash.to_owned(), auth.clone());
        }
        Ok(Some(auth))
    }

    async fn list_api_keys(
        &self,
        org: &OrgId,
        limit: i64,
        offset: i64,
    ) -> Result<Page<ApiKeyRow>, StoreError> {
        let (total,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM api_keys WHERE org_id = $1")
            .bind(org.as_str())
            .fetch_one(&self.pool)
            .await?;
        let items = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM api_keys WHERE org_id = $1 \
             ORDER BY created_at DESC, id DESC LIMIT $2 OFFSET $3"
        )))
        .bind(org.as_str())
        .bind(limit)
        .bind(offset)
        .fetch_all(&self.pool)
        .await?;
        Ok(Page { total, items })
    }

    async fn get_api_key(
        &self,
        org: &OrgId,
        id: &ApiKeyId,
    ) -> Result<Option<ApiKeyRow>, StoreError> {
        Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM api_keys WHERE org_id = $1 AND id = $2"
        )))
        .bind(org.as_str())
        .bind(id.as_str())
        .fetch_optional(&self.pool)
        .await?)
    }

    async fn revoke_api_key(
        &self,
        org: &OrgId,
        id: &ApiKeyId,
        now: i64,
    ) -> Result<Option<ApiKeyRow>, StoreError> {
        sqlx::query(
            "UPDATE api_keys SET revoked_at = $3 \
             WHERE org_id = $1 AND id = $2 AND revoked_at IS NULL",
        )
        .bind(org.as_str())
        .bind(id.as_str())
        .bind(now)
        .execute(&self.pool)
        .await?;
        self.forget_key(org, id).await?;
        self.get_api_key(org, id).await
    }

    async fn rotate_api_key(
        &self,
        old: &ApiKeyId,
        new: &NewApiKey,
    ) -> Result<Option<ApiKeyRow>, StoreError> {
        let mut tx = self.pool.begin().await?;
        let revoked = sqlx::query(
            "UPDATE api_keys SET revoked_at = $3, replaced_by = $4 \
             WHERE org_id = $1 AND id = $2 AND revoked_at IS NULL",
        )
        .bind(new.org_id.as_str())
        .bind(old.as_str())
        .bind(new.created_at)
        .bind(new.id.as_str())
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if revoked == 0 {
            tx.rollback().await?;
            return match self.get_api_key(&new.org_id, old).await? {
                Some(_) => Err(StoreError::Conflict("key is already revoked")),
                None => Ok(None),
            };
        }
        insert_key(&mut tx, new).await?;
        tx.commit().await?;
        self.forget_key(&new.org_id, old).await?;
        self.get_api_key(&new.org_id, &new.id).await
    }
}
