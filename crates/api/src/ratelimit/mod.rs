//! Counting requests against a plan's windows. The arithmetic is in
//! [`talentd_core::ratelimit`]; a [`RateLimiter`] only keeps the counts: in this
//! process's memory for a single replica, in the database or in Redis when several
//! replicas share the limits.

mod database;
mod redis;

pub use database::DatabaseRateLimiter;
pub use redis::RedisRateLimiter;

use std::collections::HashMap;
use std::sync::Mutex;
use talentd_core::plan::Quota;
use talentd_core::ratelimit::{Decision, decide, window_start};

/// Keeps request counts and decides, atomically, whether one more request fits.
#[async_trait::async_trait]
pub trait RateLimiter: Send + Sync + 'static {
    /// Counts one request of `subject` at `now_secs` against `quotas` if it fits.
    ///
    /// A shared limiter whose backend does not answer lets the request through and
    /// logs the error: an outage of the counters must not become an outage of the API.
    async fn hit(&self, subject: &str, quotas: &'static [Quota], now_secs: u64) -> Decision;
}

/// The decision when the counters cannot be reached: allowed, with every window shown
/// as untouched.
fn unavailable(
    backend: &'static str,
    quotas: &[Quota],
    now_secs: u64,
    error: &dyn std::error::Error,
) -> Decision {
    tracing::error!(backend, error = %error, "rate-limit counters unavailable; request let through");
    metrics::counter!("talentd_ratelimit_errors_total", "backend" => backend).increment(1);
    decide(quotas, now_secs, &vec![0; quotas.len()])
}

/// (subject, window name) -> (window start, count).
type Counts = HashMap<(String, &'static str), (u64, u64)>;

/// Counts in this process's memory: exact for a single replica.
#[derive(Default)]
pub struct MemoryRateLimiter {
    counts: Mutex<Counts>,
}

#[async_trait::async_trait]
impl RateLimiter for MemoryRateLimiter {
    async fn hit(&self, subject: &str, quotas: &'static [Quota], now_secs: u64) -> Decision {
        if quotas.is_empty() {
            return decide(quotas, now_secs, &[]);
        }
        let mut counts = self.counts.lock().unwrap_or_else(|p| p.into_inner());
        let used: Vec<u64> = quotas
            .iter()
            .map(|q| match counts.get(&(subject.to_owned(), q.name)) {
                Some(&(start, n)) if start == window_start(now_secs, q.window_secs) => n,
                _ => 0,
            })
            .collect();
        let decision = decide(quotas, now_secs, &used);
        if decision.allowed {
            for (q, n) in quotas.iter().zip(used) {
                counts.insert(
                    (subject.to_owned(), q.name),
                    (window_start(now_secs, q.window_secs), n + 1),
                );
            }
        }
        decision
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use talentd_core::Plan;

    #[tokio::test]
    async fn counts_exactly_and_refusals_do_not_count() {
        let l = MemoryRateLimiter::default();
        let t = 1_780_002_000;
        for _ in 0..10 {
            assert!(l.hit("org_a", Plan::Free.quotas(), t).await.allowed);
        }
        assert!(!l.hit("org_a", Plan::Free.quotas(), t + 59).await.allowed);
        assert!(l.hit("org_b", Plan::Free.quotas(), t).await.allowed);
        let next_minute = l.hit("org_a", Plan::Free.quotas(), t + 60).await;
        assert!(next_minute.allowed);
        assert_eq!(next_minute.binding().unwrap().remaining, 9);
    }
}
