//! Rate-limit counts in the database, so that every replica counts against the same
//! windows. One transaction per request: each window's row is upserted (which locks it
//! until commit, and resets it when a new window has begun), the pure
//! [`talentd_core::ratelimit::decide`] rules on the counts, and only an allowed
//! request is counted. Rows are locked in the quotas' fixed order, so two requests
//! never wait on each other in a cycle.

use crate::{SqlStore, StoreError};
use talentd_core::plan::Quota;
use talentd_core::ratelimit::{Decision, decide, window_start};

#[async_trait::async_trait]
pub trait RateCounterStore {
    /// Counts one request of `subject` at `now_secs` against `quotas` if every window
    /// has room; a refused request counts against none.
    async fn rate_hit(
        &self,
        subject: &str,
        quotas: &[Quota],
        now_secs: u64,
    ) -> Result<Decision, StoreError>;
    /// Deletes counters whose window began before `before_secs`; returns how many.
    async fn rate_purge(&self, before_secs: u64) -> Result<u64, StoreError>;
}

fn to_i64(v: u64) -> Result<i64, StoreError> {
    i64::try_from(v).map_err(StoreError::corrupt)
}

#[async_trait::async_trait]
impl RateCounterStore for SqlStore {
    async fn rate_hit(
        &self,
        subject: &str,
        quotas: &[Quota],
        now_secs: u64,
    ) -> Result<Decision, StoreError> {
        if quotas.is_empty() {
            return Ok(decide(quotas, now_secs, &[]));
        }
        let mut tx = self.pool.begin().await?;
        let mut used = Vec::with_capacity(quotas.len());
        for q in quotas {
            let start = to_i64(window_start(now_secs, q.window_secs))?;
            // A replica whose clock lags a little behind counts into the newer window
            // instead of resetting it.
            let (n,): (i64,) = sqlx::query_as(
                "INSERT INTO rate_counters (subject, window_name, window_start, used) \
                 VALUES ($1, $2, $3, 0) \
                 ON CONFLICT (subject, window_name) DO UPDATE SET \
                   used = CASE WHEN rate_counters.window_start >= excluded.window_start \
                          THEN rate_counters.used ELSE 0 END, \
                   window_start = CASE WHEN rate_counters.window_start >= excluded.window_start \
                          THEN rate_counters.window_start ELSE excluded.window_start END \
                 RETURNING used",
            )
            .bind(subject)
            .bind(q.name)
            .bind(start)
            .fetch_one(&mut *tx)
            .await?;
            used.push(u64::try_from(n).map_err(StoreError::corrupt)?);
        }
        let decision = decide(quotas, now_secs, &used);
        if decision.allowed {
            for q in quotas {
                sqlx::query(
                    "UPDATE rate_counters SET used = used + 1 \
                     WHERE subject = $1 AND window_name = $2",
                )
                .bind(subject)
                .bind(q.name)
                .execute(&mut *tx)
                .await?;
            }
        }
        tx.commit().await?;
        Ok(decision)
    }

    async fn rate_purge(&self, before_secs: u64) -> Result<u64, StoreError> {
        Ok(
            sqlx::query("DELETE FROM rate_counters WHERE window_start < $1")
                .bind(to_i64(before_secs)?)
                .execute(&self.pool)
                .await?
                .rows_affected(),
        )
    }
}
