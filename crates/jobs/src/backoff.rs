//! When to try a failed job again.

use std::time::Duration;

/// Exponential backoff: `base * 2^(attempt-1)`, capped at `cap`. `attempt` counts from 1.
pub fn delay(attempt: i64, base: Duration, cap: Duration) -> Duration {
    let exp = u32::try_from(attempt.saturating_sub(1).clamp(0, 20)).unwrap_or(20);
    base.saturating_mul(2u32.saturating_pow(exp)).min(cap)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doubles_up_to_the_cap() {
        let b = Duration::from_secs(5);
        let cap = Duration::from_secs(600);
        assert_eq!(delay(1, b, cap), Duration::from_secs(5));
        assert_eq!(delay(2, b, cap), Duration::from_secs(10));
        assert_eq!(delay(4, b, cap), Duration::from_secs(40));
        assert_eq!(delay(30, b, cap), cap);
        assert_eq!(delay(0, b, cap), b);
    }
}
