//! Candidate erasure and retention: the arithmetic of the deadline a receipt promises
//! and of the cut-off past which an organisation's retention erases a candidate.

/// How long after a request the purge must have finished: the bound a receipt's
/// `purge_by` promises. The purge job normally runs within seconds; the bound leaves
/// room for the job's retries (5 attempts with backoff up to 10 minutes) and for a
/// worker outage of most of a day.
pub const PURGE_WITHIN_MS: i64 = 24 * 3600 * 1000;

/// The longest retention an organisation may set, in days (ten years).
pub const MAX_RETENTION_DAYS: i64 = 3650;

const DAY_MS: i64 = 86_400_000;

/// A receipt's status while the purge has yet to run.
pub const PENDING: &str = "pending";
/// A receipt's status once everything was deleted.
pub const COMPLETED: &str = "completed";

/// Who requested an erasure made by the retention sweep.
pub const SYSTEM: &str = "system";

/// The deadline of an erasure requested at `requested_at` (ms).
pub fn purge_by(requested_at: i64) -> i64 {
    requested_at.saturating_add(PURGE_WITHIN_MS)
}

/// Whether `days` is a retention an organisation may set: 1 to [`MAX_RETENTION_DAYS`].
pub fn valid_retention_days(days: i64) -> bool {
    (1..=MAX_RETENTION_DAYS).contains(&days)
}

/// The instant (ms) before which a candidate's newest interview must lie for a
/// retention of `days` to erase the candidate at `now`.
pub fn retention_cutoff(now: i64, days: i64) -> i64 {
    now.saturating_sub(days.saturating_mul(DAY_MS))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_deadline_is_a_day_after_the_request() {
        assert_eq!(purge_by(1_000), 1_000 + 86_400_000);
        assert_eq!(purge_by(i64::MAX), i64::MAX);
    }

    #[test]
    fn the_cutoff_is_whole_days_back() {
        let now = 1_781_341_200_000; // 2026-06-13T09:00:00Z
        assert_eq!(retention_cutoff(now, 1), now - 86_400_000);
        assert_eq!(retention_cutoff(now, 30), now - 30 * 86_400_000);
        assert_eq!(retention_cutoff(0, MAX_RETENTION_DAYS), -3650 * 86_400_000);
    }

    #[test]
    fn retention_is_one_day_to_ten_years() {
        assert!(!valid_retention_days(0));
        assert!(valid_retention_days(1));
        assert!(valid_retention_days(3650));
        assert!(!valid_retention_days(3651));
        assert!(!valid_retention_days(-5));
    }
}
