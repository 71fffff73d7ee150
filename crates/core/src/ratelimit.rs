//! Rate arithmetic: fixed windows aligned to the clock (every minute and every hour),
//! counted exactly. A request is allowed only if every window of the plan still has
//! room; an allowed request counts against every window, a refused one against none.
//!
//! The store that keeps the counts (memory, PostgreSQL, Redis) lives elsewhere; this
//! module only decides and describes.

use crate::plan::Quota;

/// Start (Unix seconds) of the window of length `window_secs` that contains `now`.
pub fn window_start(now_secs: u64, window_secs: u64) -> u64 {
    now_secs - now_secs % window_secs
}

/// The state of one window after a decision.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WindowStatus {
    pub quota: Quota,
    /// Requests left in this window after this one.
    pub remaining: u64,
    /// Unix seconds at which this window resets.
    pub reset_at: u64,
}

/// Whether one request may go ahead, with the state of every window.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decision {
    pub allowed: bool,
    pub now_secs: u64,
    pub windows: Vec<WindowStatus>,
}

/// Decides one request given how many requests each quota's current window has
/// already counted (`used[i]` belongs to `quotas[i]`).
pub fn decide(quotas: &[Quota], now_secs: u64, used: &[u64]) -> Decision {
    let allowed = quotas.iter().zip(used).all(|(q, &u)| u < q.limit);
    let windows = quotas
        .iter()
        .zip(used)
        .map(|(q, &u)| WindowStatus {
            quota: *q,
            remaining: q.limit.saturating_sub(u + u64::from(allowed)),
            reset_at: window_start(now_secs, q.window_secs) + q.window_secs,
        })
        .collect();
    Decision {
        allowed,
        now_secs,
        windows,
    }
}

impl Decision {
    /// The window closest to exhaustion: fewest requests left; on a tie, the one that
    /// resets last, since it is the one that will hold the caller back longer.
    pub fn binding(&self) -> Option<&WindowStatus> {
        self.windows.iter().min_by(|a, b| {
            a.remaining
                .cmp(&b.remaining)
                .then(b.reset_at.cmp(&a.reset_at))
        })
    }

    /// Seconds until every exhausted window has reset (for `Retry-After`); `None` when
    /// the request is allowed.
    pub fn retry_after_secs(&self) -> Option<u64> {
        if self.allowed {
            return None;
        }
        self.windows
            .iter()
            .filter(|w| w.remaining == 0)
            .map(|w| w.reset_at.saturating_sub(self.now_secs).max(1))
            .max()
    }

    /// Response headers describing the caller's limits: the `X-RateLimit-*` triple for
    /// the binding window (reset as Unix seconds), the IETF `RateLimit-Policy` and
    /// `RateLimit` fields for every window, and `Retry-After` when refused.
    pub fn headers(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::with_capacity(6);
        if let Some(b) = self.binding() {
            out.push(("x-ratelimit-limit", b.quota.limit.to_string()));
            out.push(("x-ratelimit-remaining", b.remaining.to_string()));
            out.push(("x-ratelimit-reset", b.reset_at.to_string()));
            let policy = self
                .windows
                .iter()
                .map(|w| {
                    format!(
                        "\"{}\";q={};w={}",
                        w.quota.name, w.quota.limit, w.quota.window_secs
                    )
                })
                .collect::<Vec<_>>()
                .join(", ");
            out.push(("ratelimit-policy", policy));
            let state = self
                .windows
                .iter()
                .map(|w| {
                    format!(
                        "\"{}\";r={};t={}",
                        w.quota.name,
                        w.remaining,
                        w.reset_at.saturating_sub(self.now_secs)
                    )
                })
                .collect::<Vec<_>>()
                .join(", ");
            out.push(("ratelimit", state));
        }
        if let Some(secs) = self.retry_after_secs() {
            out.push(("retry-after", secs.to_string()));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Plan;

    const T0: u64 = 1_780_002_000; // on an hour boundary

    #[test]
    fn free_plan_allows_ten_a_minute_and_refuses_the_eleventh() {
        let q = Plan::Free.quotas();
        let tenth = decide(q, T0 + 5, &[9, 9]);
        assert!(tenth.allowed);
        assert_eq!(tenth.binding().unwrap().remaining, 0);
        let eleventh = decide(q, T0 + 5, &[10, 10]);
        assert!(!eleventh.allowed);
        assert_eq!(eleventh.retry_after_secs(), Some(55));
    }

    #[test]
    fn hour_window_binds_when_minute_has_room() {
        let d = decide(Plan::Free.quotas(), T0 + 600, &[0, 100]);
        assert!(!d.allowed);
        let b = d.binding().unwrap();
        assert_eq!(b.quota.name, "hour");
        assert_eq!(b.reset_at, T0 + 3600);
        assert_eq!(d.retry_after_secs(), Some(3000));
    }

    #[test]
    fn headers_describe_the_window_closest_to_exhaustion() {
        let d = decide(Plan::Pro.quotas(), T0 + 30, &[3, 990]);
        let h: std::collections::HashMap<_, _> = d.headers().into_iter().collect();
        assert_eq!(h["x-ratelimit-limit"], "1000");
        assert_eq!(h["x-ratelimit-remaining"], "9");
        assert_eq!(h["x-ratelimit-reset"], (T0 + 3600).to_string());
        assert_eq!(
            h["ratelimit-policy"],
            "\"minute\";q=60;w=60, \"hour\";q=1000;w=3600"
        );
        assert_eq!(h["ratelimit"], "\"minute\";r=56;t=30, \"hour\";r=9;t=3570");
        assert!(!h.contains_key("retry-after"));
    }

    #[test]
    fn unlimited_has_no_windows_and_no_headers() {
        let d = decide(Plan::Unlimited.quotas(), T0, &[]);
        assert!(d.allowed);
        assert!(d.headers().is_empty());
    }

    #[test]
    fn window_starts_align_to_the_clock() {
        assert_eq!(window_start(T0 + 61, 60), T0 + 60);
        assert_eq!(window_start(T0 + 3599, 3600), T0);
    }
}
