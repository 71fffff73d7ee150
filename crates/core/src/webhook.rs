//! Webhooks, the pure part: secrets and signatures (the Standard Webhooks scheme), the
//! retry schedule, how a receiver's answer is judged, and the verification challenge.
//!
//! Signing: `webhook-signature: v1,<base64(HMAC-SHA256(key, "{id}.{timestamp}.{body}"))>`
//! where `key` is the base64-decoded part of the `whsec_...` secret, `id` the
//! `webhook-id` header (the event id) and `timestamp` the `webhook-timestamp` header
//! (Unix seconds). While a rotated secret is still valid, both signatures are sent,
//! separated by a space.

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;
use std::time::Duration;

/// The prefix of webhook signing secrets.
pub const SECRET_PREFIX: &str = "whsec_";
/// Random bytes in a secret (Standard Webhooks asks for 24 to 64).
const SECRET_BYTES: usize = 32;

/// The event types a webhook may subscribe to (`webhook.test` is sent on request to one
/// endpoint whatever it subscribes to).
pub const SUBSCRIBABLE: [&str; 6] = [
    "project.created",
    "interview.started",
    "interview.completed",
    "report.ready",
    "candidate.scored",
    "candidate.request_created",
];

/// The type of the ownership challenge sent to a new endpoint.
pub const VERIFICATION_TYPE: &str = "webhook.verification";

/// How long a rotated-out secret keeps signing alongside the new one.
pub const OLD_SECRET_GRACE: Duration = Duration::from_secs(24 * 3600);
/// How long the verification of a new endpoint is retried.
pub const VERIFICATION_WINDOW: Duration = Duration::from_secs(24 * 3600);
/// An endpoint failing every delivery for this long is disabled.
pub const DISABLE_AFTER_FAILING: Duration = Duration::from_secs(5 * 24 * 3600);
/// The longest `Retry-After` honoured.
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(24 * 3600);

/// A fresh signing secret, `whsec_` + base64 of 32 random bytes.
pub fn new_secret() -> String {
    let mut key = [0u8; SECRET_BYTES];
    rand::rng().fill_bytes(&mut key);
    format!("{SECRET_PREFIX}{}", B64.encode(key))
}

/// Why a secret cannot sign.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("a webhook secret must be whsec_ followed by base64")]
pub struct BadSecret;

/// The `v1,<base64>` signature of one message with one secret.
pub fn sign(secret: &str, msg_id: &str, timestamp: i64, body: &[u8]) -> Result<String, BadSecret> {
    let encoded = secret.strip_prefix(SECRET_PREFIX).unwrap_or(secret);
    let key = B64.decode(encoded).map_err(|_| BadSecret)?;
    if key.is_empty() {
        return Err(BadSecret);
    }
    let mut mac = Hmac::<Sha256>::new_from_slice(&key).map_err(|_| BadSecret)?;
    mac.update(msg_id.as_bytes());
    mac.update(b".");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    Ok(format!("v1,{}", B64.encode(mac.finalize().into_bytes())))
}

/// The `webhook-signature` header value: one signature per valid secret, space-separated.
pub fn signature_header(
    secrets: &[&str],
    msg_id: &str,
    timestamp: i64,
    body: &[u8],
) -> Result<String, BadSecret> {
    let sigs = secrets
        .iter()
        .map(|s| sign(s, msg_id, timestamp, body))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(sigs.join(" "))
}

/// The standard schedule: after the first attempt, retries after 5 s, 5 min, 30 min, 2 h,
/// 5 h, 10 h and 10 h (eight attempts over about 28 hours).
pub const DEFAULT_SCHEDULE_SECS: [u64; 8] = [0, 5, 300, 1800, 7200, 18000, 36000, 36000];

/// Delays before each attempt; the first is usually zero ("immediately").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetrySchedule {
    delays: Vec<Duration>,
}

impl Default for RetrySchedule {
    fn default() -> Self {
        Self {
            delays: DEFAULT_SCHEDULE_SECS
                .iter()
                .map(|s| Duration::from_secs(*s))
                .collect(),
        }
    }
}

impl RetrySchedule {
    /// A schedule from seconds, e.g. `"0,5,300"` (`TALENTD_WEBHOOK_RETRY_SCHEDULE`).
    pub fn parse(text: &str) -> Result<Self, String> {
        let delays = text
            .split(',')
            .map(|p| {
                let p = p.trim();
                p.parse::<f64>()
                    .ok()
                    .filter(|s| s.is_finite() && *s >= 0.0 && *s <= 7.0 * 86400.0)
                    .map(Duration::from_secs_f64)
                    .ok_or_else(|| format!("{p:?} is not a number of seconds (0 to 604800)"))
            })
            .collect::<Result<Vec<_>, _>>()?;
        if delays.is_empty() {
            return Err("the schedule needs at least one attempt".into());
        }
        Ok(Self { delays })
    }

    /// How many attempts a delivery gets.
    pub fn attempts(&self) -> u32 {
        self.delays.len() as u32
    }

    /// The delay before attempt number `attempt` (1-based; attempt 1 is the first send),
    /// with up to ±10% jitter from `jitter` in [0, 1), so that endpoints that fail
    /// together are not retried in lockstep; `None` after the last attempt.
    pub fn delay_before(&self, attempt: u32, jitter: f64) -> Option<Duration> {
        let base = *self.delays.get(attempt.checked_sub(1)? as usize)?;
        let factor = 0.9 + 0.2 * jitter.clamp(0.0, 1.0);
        Some(base.mul_f64(factor))
    }
}

/// What one attempt's answer means.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// 2xx: delivered.
    Delivered,
    /// 410 Gone: the receiver asks not to be called again; the endpoint is disabled.
    Gone,
    /// Anything else (3xx, 4xx, 5xx, timeouts, refused connections): try again later,
    /// not before `not_before` when the receiver said so (`Retry-After` on 429/503).
    Failed { not_before: Option<Duration> },
}

/// Judges an answer: `status` is `None` when no HTTP answer came (timeout, refused
/// connection). Redirects are failures: a receiver must answer where it is registered.
pub fn judge(status: Option<u16>, retry_after: Option<&str>) -> Verdict {
    match status {
        Some(200..=299) => Verdict::Delivered,
        Some(410) => Verdict::Gone,
        Some(429 | 503) => Verdict::Failed {
            not_before: retry_after.and_then(parse_retry_after),
        },
        _ => Verdict::Failed { not_before: None },
    }
}

/// `Retry-After` in seconds (the HTTP-date form is not used by receivers in practice
/// and is ignored), capped at a day.
fn parse_retry_after(value: &str) -> Option<Duration> {
    let secs: u64 = value.trim().parse().ok()?;
    Some(Duration::from_secs(secs).min(MAX_RETRY_AFTER))
}

/// When to try again after a failed attempt number `attempt`: the schedule's next delay,
/// or the receiver's `Retry-After` when that is later; `None` when attempts are used up.
pub fn next_retry(
    schedule: &RetrySchedule,
    attempt: u32,
    not_before: Option<Duration>,
    jitter: f64,
) -> Option<Duration> {
    let next = schedule.delay_before(attempt + 1, jitter)?;
    Some(not_before.map_or(next, |nb| nb.max(next)))
}

/// A fresh verification challenge.
pub fn new_challenge() -> String {
    crate::id::random_token(32)
}

/// Whether a receiver's answer body proves ownership: JSON `{"challenge": "..."}`, or
/// the bare challenge (optionally as a JSON string), surrounding whitespace ignored.
pub fn answers_challenge(body: &[u8], challenge: &str) -> bool {
    let Ok(text) = std::str::from_utf8(body) else {
        return false;
    };
    let text = text.trim();
    if text == challenge {
        return true;
    }
    match serde_json::from_str::<serde_json::Value>(text) {
        Ok(serde_json::Value::Object(o)) => {
            o.get("challenge").and_then(|c| c.as_str()) == Some(challenge)
        }
        Ok(serde_json::Value::String(s)) => s == challenge,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The example from the Standard Webhooks specification.
    #[test]
    fn signs_the_specification_example() {
        let sig = sign(
            "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
            "msg_p5jXN8AQM9LWM0D4loKWxJek",
            1614265330,
            br#"{"test": 2432232314}"#,
        )
        .unwrap();
        assert_eq!(sig, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    #[test]
    fn every_valid_secret_signs() {
        let (a, b) = (new_secret(), new_secret());
        assert!(a.starts_with("whsec_") && a != b);
        let h = signature_header(&[&a, &b], "evt_1", 1, b"{}").unwrap();
        let parts: Vec<&str> = h.split(' ').collect();
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[0], sign(&a, "evt_1", 1, b"{}").unwrap());
        assert_eq!(parts[1], sign(&b, "evt_1", 1, b"{}").unwrap());
        // Any change of id, time or body changes the signature.
        assert_ne!(parts[0], sign(&a, "evt_2", 1, b"{}").unwrap());
        assert_ne!(parts[0], sign(&a, "evt_1", 2, b"{}").unwrap());
        assert_ne!(parts[0], sign(&a, "evt_1", 1, b"{ }").unwrap());
        assert_eq!(sign("whsec_***", "a", 1, b""), Err(BadSecret));
        assert_eq!(sign("whsec_", "a", 1, b""), Err(BadSecret));
    }

    #[test]
    fn the_default_schedule_and_its_jitter() {
        let s = RetrySchedule::default();
        assert_eq!(s.attempts(), 8);
        assert_eq!(s.delay_before(1, 0.5), Some(Duration::ZERO));
        assert_eq!(s.delay_before(2, 0.5), Some(Duration::from_secs(5)));
        assert_eq!(s.delay_before(3, 0.0), Some(Duration::from_secs(270)));
        assert_eq!(s.delay_before(3, 1.0), Some(Duration::from_secs(330)));
        assert_eq!(s.delay_before(9, 0.5), None);
        assert_eq!(s.delay_before(0, 0.5), None);
        let total: Duration = (1..=8).filter_map(|a| s.delay_before(a, 0.5)).sum();
        assert_eq!(total, Duration::from_secs(99_305));
    }

    #[test]
    fn schedules_parse_from_the_environment() {
        let s = RetrySchedule::parse("0, 1,2.5").unwrap();
        assert_eq!(s.attempts(), 3);
        assert_eq!(s.delay_before(3, 0.5), Some(Duration::from_secs_f64(2.5)));
        for bad in ["", "1,,2", "-1", "x", "NaN", "999999999"] {
            assert!(RetrySchedule::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn answers_are_judged() {
        assert_eq!(judge(Some(200), None), Verdict::Delivered);
        assert_eq!(judge(Some(204), None), Verdict::Delivered);
        assert_eq!(judge(Some(410), None), Verdict::Gone);
        for failed in [Some(301), Some(302), Some(400), Some(404), Some(500), None] {
            assert_eq!(
                judge(failed, Some("60")),
                Verdict::Failed { not_before: None },
                "{failed:?}"
            );
        }
        assert_eq!(
            judge(Some(429), Some("120")),
            Verdict::Failed {
                not_before: Some(Duration::from_secs(120))
            }
        );
        assert_eq!(
            judge(Some(503), Some("9999999")),
            Verdict::Failed {
                not_before: Some(MAX_RETRY_AFTER)
            }
        );
        assert_eq!(
            judge(Some(503), Some("Wed, 21 Oct 2015 07:28:00 GMT")),
            Verdict::Failed { not_before: None }
        );
    }

    #[test]
    fn retry_after_postpones_but_never_hastens() {
        let s = RetrySchedule::parse("0,10,20").unwrap();
        assert_eq!(next_retry(&s, 1, None, 0.5), Some(Duration::from_secs(10)));
        assert_eq!(
            next_retry(&s, 1, Some(Duration::from_secs(60)), 0.5),
            Some(Duration::from_secs(60))
        );
        assert_eq!(
            next_retry(&s, 1, Some(Duration::from_secs(1)), 0.5),
            Some(Duration::from_secs(10))
        );
        assert_eq!(next_retry(&s, 3, None, 0.5), None);
    }

    #[test]
    fn challenges_are_answered_as_json_or_bare() {
        let c = new_challenge();
        assert_eq!(c.len(), 32);
        assert!(answers_challenge(
            format!("{{\"challenge\": \"{c}\"}}").as_bytes(),
            &c
        ));
        assert!(answers_challenge(format!("  {c}\n").as_bytes(), &c));
        assert!(answers_challenge(format!("\"{c}\"").as_bytes(), &c));
        assert!(!answers_challenge(b"ok", &c));
        assert!(!answers_challenge(b"{\"challenge\": \"other\"}", &c));
        assert!(!answers_challenge(b"", &c));
        assert!(!answers_challenge(&[0xff, 0xfe], &c));
    }
}
