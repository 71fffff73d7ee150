//! Plans and their request quotas.

use serde::{Deserialize, Serialize};

/// A subscription plan; it decides the organisation's rate limits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Plan {
    Free,
    Pro,
    Enterprise,
    /// No rate limit: for an operator's own internal integrations.
    Unlimited,
}

/// One window of a plan's quota: at most `limit` requests per `window_secs`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Quota {
    /// Name used in the `RateLimit-Policy` header.
    pub name: &'static str,
    pub limit: u64,
    pub window_secs: u64,
}

impl Quota {
    /// At most `limit` requests per `window_secs`, named `name`.
    pub const fn new(name: &'static str, limit: u64, window_secs: u64) -> Quota {
        Quota {
            name,
            limit,
            window_secs,
        }
    }
}

const fn q(name: &'static str, limit: u64, window_secs: u64) -> Quota {
    Quota::new(name, limit, window_secs)
}

impl Plan {
    pub const ALL: [Plan; 4] = [Plan::Free, Plan::Pro, Plan::Enterprise, Plan::Unlimited];

    /// Per-minute and per-hour quotas; empty for `unlimited`.
    pub fn quotas(self) -> &'static [Quota] {
        const FREE: [Quota; 2] = [q("minute", 10, 60), q("hour", 100, 3600)];
        const PRO: [Quota; 2] = [q("minute", 60, 60), q("hour", 1_000, 3600)];
        const ENTERPRISE: [Quota; 2] = [q("minute", 300, 60), q("hour", 10_000, 3600)];
        match self {
            Plan::Free => &FREE,
            Plan::Pro => &PRO,
            Plan::Enterprise => &ENTERPRISE,
            Plan::Unlimited => &[],
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Plan::Free => "free",
            Plan::Pro => "pro",
            Plan::Enterprise => "enterprise",
            Plan::Unlimited => "unlimited",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.as_str() == s)
    }
}

impl std::fmt::Display for Plan {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
