//! Timestamps as the API shows them (RFC 3339, UTC, whole seconds) and as storage keeps
//! them (milliseconds since the Unix epoch, which sort and compare on every database).

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use time::macros::format_description;

/// Milliseconds since the Unix epoch.
pub fn to_millis(t: OffsetDateTime) -> i64 {
    (t.unix_timestamp_nanos() / 1_000_000) as i64
}

/// The instant `ms` milliseconds after the Unix epoch (clamped to the representable range).
pub fn from_millis(ms: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp_nanos(ms as i128 * 1_000_000)
        .unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

/// `2026-06-13T09:24:00Z`.
pub fn format(t: OffsetDateTime) -> String {
    let fmt = format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
    t.to_offset(time::UtcOffset::UTC)
        .format(&fmt)
        .unwrap_or_default()
}

/// Parses any RFC 3339 timestamp.
pub fn parse(s: &str) -> Option<OffsetDateTime> {
    OffsetDateTime::parse(s, &Rfc3339).ok()
}

/// Formats stored milliseconds for the API.
pub fn format_millis(ms: i64) -> String {
    format(from_millis(ms))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_through_millis_and_formats_in_utc_seconds() {
        let t = parse("2026-06-13T12:24:00.250+03:00").unwrap();
        assert_eq!(from_millis(to_millis(t)), t);
        assert_eq!(format(t), "2026-06-13T09:24:00Z");
    }
}
