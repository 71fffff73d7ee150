//! Quotas of the candidate-facing endpoints. They have no API key, so each is counted
//! per link or per session, through the same limiter as the API keys' plans.

use crate::AppState;
use crate::error::ApiError;
use axum::http::StatusCode;
use talentd_core::plan::Quota;

/// New sessions per interview link.
pub static STARTS_PER_LINK: [Quota; 2] =
    [Quota::new("minute", 20, 60), Quota::new("hour", 200, 3600)];
/// Candidate messages per session: a person types far slower than this.
pub static MESSAGES_PER_SESSION: [Quota; 2] =
    [Quota::new("minute", 20, 60), Quota::new("hour", 200, 3600)];
/// Integrity signals per session.
pub static SIGNALS_PER_SESSION: [Quota; 1] = [Quota::new("minute", 60, 60)];
/// Voice answers per session: each one runs speech-to-text.
pub static AUDIO_PER_SESSION: [Quota; 2] =
    [Quota::new("minute", 6, 60), Quota::new("hour", 60, 3600)];
/// Reads of a session (the page's resume).
pub static READS_PER_SESSION: [Quota; 1] = [Quota::new("minute", 120, 60)];
/// Demographics and requests per session: a person sends a handful.
pub static RIGHTS_PER_SESSION: [Quota; 2] =
    [Quota::new("minute", 10, 60), Quota::new("hour", 30, 3600)];
/// Requests through a link without a session.
pub static RIGHTS_PER_LINK: [Quota; 2] =
    [Quota::new("minute", 10, 60), Quota::new("hour", 100, 3600)];
/// Views of a link's page and its details.
pub static VIEWS_PER_LINK: [Quota; 1] = [Quota::new("minute", 300, 60)];

/// Counts one request of `subject` against `quotas`, or refuses it with 429.
pub async fn check(
    state: &AppState,
    subject: String,
    quotas: &'static [Quota],
) -> Result<(), ApiError> {
    let now = state.clock.now().unix_timestamp().max(0) as u64;
    let decision = state.limiter.hit(&subject, quotas, now).await;
    if decision.allowed {
        return Ok(());
    }
    let retry = decision.retry_after_secs().unwrap_or(1);
    Err(ApiError::new(
        StatusCode::TOO_MANY_REQUESTS,
        "rate_limited",
        format!("too many requests; retry in {retry} s"),
    )
    .retry_after(retry))
}
