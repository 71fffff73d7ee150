//! Idempotency records: the first response to a POST with an `Idempotency-Key`,
//! replayed for later requests with the same key.

use crate::{SqlStore, StoreError};
use talentd_core::OrgId;

/// How long a key is remembered.
pub const RETENTION_MS: i64 = 24 * 3600 * 1000;
/// How long a claim with no response yet blocks the key; past it the request that
/// claimed it is taken to have died.
pub const IN_FLIGHT_MS: i64 = 60 * 1000;

/// The outcome of claiming a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IdempotencyBegin {
    /// The key is new: run the request, then complete or release it.
    Started,
    /// The same request already ran: replay this response.
    Replay { status: u16, body: String },
    /// The key was used with a different request.
    Mismatch,
    /// The first request with this key is still running.
    InFlight,
}

#[async_trait::async_trait]
pub trait IdempotencyStore {
    async fn idempotency_begin(
        &self,
        org: &OrgId,
        key: &str,
        request_hash: &str,
        now: i64,
    ) -> Result<IdempotencyBegin, StoreError>;
    async fn idempotency_complete(
        &self,
        org: &OrgId,
        key: &str,
        status: u16,
        body: &str,
    ) -> Result<(), StoreError>;
    /// Forgets a claim whose request did not succeed, so that it can be retried.
    async fn idempotency_release(&self, org: &OrgId, key: &str) -> Result<(), StoreError>;
    /// Deletes records older than the retention; returns how many.
    async fn idempotency_purge(&self, now: i64) -> Result<u64, StoreError>;
}

#[async_trait::async_trait]
impl IdempotencyStore for SqlStore {
    async fn idempotency_begin(
        &self,
        org: &OrgId,
        key: &str,
        request_hash: &str,
        now: i64,
    ) -> Result<IdempotencyBegin, StoreError> {
        // Two rounds at most: a stale record found in the first is cleared for the second.
        for _ in 0..2 {
            let claimed = sqlx::query(
                "INSERT INTO idempotency_keys (org_id, key, request_hash, created_at) \
                 VALUES ($1, $2, $3, $4) ON CONFLICT (org_id, key) DO NOTHING",
            )
            .bind(org.as_str())
            .bind(key)
            .bind(request_hash)
            .bind(now)
            .execute(&self.pool)
            .await?
            .rows_affected();
            if claimed == 1 {
                return Ok(IdempotencyBegin::Started);
            }
            let existing: Option<(String, Option<i64>, Option<String>, i64)> = sqlx::query_as(
                "SELECT request_hash, status_code, response_body, created_at \
                 FROM idempotency_keys WHERE org_id = $1 AND key = $2",
            )
            .bind(org.as_str())
            .bind(key)
            .fetch_optional(&self.pool)
            .await?;
            let Some((hash, status, body, created_at)) = existing else {
                continue; // released in between: claim again
            };
            let stale = created_at + RETENTION_MS <= now
                || (status.is_none() && created_at + IN_FLIGHT_MS <= now);
            if stale {
                sqlx::query(
                    "DELETE FROM idempotency_keys WHERE org_id = $1 AND key = $2 AND created_at = $3",
                )
                .bind(org.as_str())
                .bind(key)
                .bind(created_at)
                .execute(&self.pool)
                .await?;
                continue;
            }
            if hash != request_hash {
                return Ok(IdempotencyBegin::Mismatch);
            }
            return Ok(match (status, body) {
                (Some(status), Some(body)) => IdempotencyBegin::Replay {
                    status: u16::try_from(status).map_err(StoreError::corrupt)?,
                    body,
                },
                _ => IdempotencyBegin::InFlight,
            });
        }
        Ok(IdempotencyBegin::InFlight)
    }

    async fn idempotency_complete(
        &self,
        org: &OrgId,
        key: &str,
        status: u16,
        body: &str,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE idempotency_keys SET status_code = $3, response_body = $4 \
             WHERE org_id = $1 AND key = $2",
        )
        .bind(org.as_str())
        .bind(key)
        .bind(i64::from(status))
        .bind(body)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn idempotency_release(&self, org: &OrgId, key: &str) -> Result<(), StoreError> {
        sqlx::query(
            "DELETE FROM idempotency_keys WHERE org_id = $1 AND key = $2 AND status_code IS NULL",
        )
        .bind(org.as_str())
        .bind(key)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn idempotency_purge(&self, now: i64) -> Result<u64, StoreError> {
        Ok(
            sqlx::query("DELETE FROM idempotency_keys WHERE created_at <= $1")
                .bind(now - RETENTION_MS)
                .execute(&self.pool)
                .await?
                .rows_affected(),
        )
    }
}
