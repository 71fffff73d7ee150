//! Request body limits: small for JSON, large for recording uploads, enforced while the
//! body streams so that nothing oversized is buffered.

use crate::error::ApiError;
use axum::body::Body;
use axum::extract::Request;
use axum::http::{Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// The two limits, in bytes.
#[derive(Clone, Copy, Debug)]
pub struct BodyLimits {
    /// Every body but a recording upload.
    pub json: usize,
    /// A multipart `POST /v1/interviews` (or the dashboard's upload), which may carry a
    /// recording.
    pub upload: usize,
    /// A candidate's voice answer, `POST /v1/public/sessions/{id}/audio`.
    pub audio: usize,
}

/// Whether a request is a voice answer.
fn is_voice_answer(req: &Request) -> bool {
    let path = req.uri().path();
    req.method() == Method::POST
        && path.starts_with("/v1/public/sessions/")
        && path.ends_with("/audio")
}

/// Whether a request may carry a recording.
fn is_upload(req: &Request) -> bool {
    req.method() == Method::POST
        && matches!(
            req.uri().path(),
            "/v1/interviews" | "/dashboard/interviews/upload"
        )
        && req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.to_ascii_lowercase().starts_with("multipart/form-data"))
}

/// Refuses a declared length over the limit at once and caps a streamed body at it;
/// extractors turn the cap into 413.
pub async fn limit_body(limits: BodyLimits, req: Request, next: Next) -> Response {
    let limit = if is_upload(&req) {
        limits.upload
    } else if is_voice_answer(&req) {
        limits.audio
    } else {
        limits.json
    };
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        return ApiError::for_status(StatusCode::PAYLOAD_TOO_LARGE).into_response();
    }
    let (parts, body) = req.into_parts();
    let body = Body::new(http_body_util::Limited::new(body, limit));
    next.run(Request::from_parts(parts, body)).await
}
