//! Counts in the shared database: exact across any number of API replicas on one
//! PostgreSQL.

use super::{RateLimiter, unavailable};
use std::sync::Arc;
use talentd_core::plan::Quota;
use talentd_core::ratelimit::Decision;
use talentd_store::Store;

/// A [`RateLimiter`] over the store's `rate_counters` table.
pub struct DatabaseRateLimiter {
    store: Arc<dyn Store>,
}

impl DatabaseRateLimiter {
    pub fn new(store: Arc<dyn Store>) -> Self {
        DatabaseRateLimiter { store }
    }
}

#[async_trait::async_trait]
impl RateLimiter for DatabaseRateLimiter {
    async fn hit(&self, subject: &str, quotas: &'static [Quota], now_secs: u64) -> Decision {
        match self.store.rate_hit(subject, quotas, now_secs).await {
            Ok(d) => d,
            Err(e) => unavailable("database", quotas, now_secs, &e),
        }
    }
}
