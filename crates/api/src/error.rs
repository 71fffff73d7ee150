//! The one error type of the HTTP layer and the one JSON body every failure has:
//! `{"success": false, "error": {"code", "message", "param"?, "request_id"}}`.

use crate::context::current_request_id;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use std::borrow::Cow;
use talentd_store::StoreError;

/// An error answered to the client.
#[derive(Debug, Clone)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: Cow<'static, str>,
    pub param: Option<String>,
    /// Seconds for a `Retry-After` header.
    pub retry_after: Option<u64>,
}

/// The error object of the body.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorDetail {
    /// Stable machine-readable code, e.g. `invalid_request`, `not_found`, `rate_limited`.
    pub code: String,
    /// Human-readable explanation.
    pub message: String,
    /// The request field or parameter at fault, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub param: Option<String>,
    /// The id of this request (also in the `X-Request-Id` header).
    pub request_id: String,
}

/// The body of every error response.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// Always `false`.
    pub success: bool,
    pub error: ErrorDetail,
}

impl ApiError {
    pub fn new(
        status: StatusCode,
        code: &'static str,
        message: impl Into<Cow<'static, str>>,
    ) -> Self {
        Self {
            status,
            code,
            message: message.into(),
            param: None,
            retry_after: None,
        }
    }

    /// Adds a `Retry-After` header of `secs` seconds.
    pub fn retry_after(mut self, secs: u64) -> Self {
        self.retry_after = Some(secs);
        self
    }

    /// Names the field or parameter at fault.
    pub fn param(mut self, param: impl Into<String>) -> Self {
        self.param = Some(param.into());
        self
    }

    /// 400 `invalid_request` about one field.
    pub fn invalid(param: &str, message: impl Into<Cow<'static, str>>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "invalid_request", message).param(param)
    }

    pub fn not_found(what: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("{what} not found"),
        )
    }

    pub fn unauthorized(message: impl Into<Cow<'static, str>>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "unauthorized", message)
    }

    pub fn conflict(message: impl Into<Cow<'static, str>>) -> Self {
        Self::new(StatusCode::CONFLICT, "conflict", message)
    }

    /// A failure of ours. The cause is logged with its chain; the client learns nothing
    /// internal.
    pub fn internal(cause: &(dyn std::error::Error + 'static)) -> Self {
        let mut chain = cause.to_string();
        let mut source = cause.source();
        while let Some(s) = source {
            chain.push_str(": ");
            chain.push_str(&s.to_string());
            source = s.source();
        }
        tracing::error!(error = %chain, request_id = %current_request_id(), "internal error");
        Self::internal_opaque()
    }

    pub fn internal_opaque() -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal_error",
            "something went wrong on our side; try again later",
        )
    }

    /// The generic error for a status produced outside our handlers (a layer or the router).
    pub fn for_status(status: StatusCode) -> Self {
        let (code, message): (&'static str, &'static str) = match status.as_u16() {
            400 => ("invalid_request", "the request is malformed"),
            401 => ("unauthorized", "missing or invalid API key"),
            404 => ("not_found", "no such resource"),
            405 => (
                "method_not_allowed",
                "this method is not allowed on this resource",
            ),
            408 => ("request_timeout", "the request took too long"),
            413 => (
                "payload_too_large",
                "the request body is larger than allowed",
            ),
            415 => (
                "unsupported_media_type",
                "send the body as application/json",
            ),
            429 => (
                "rate_limited",
                "too many requests; slow down and retry later",
            ),
            s if s >= 500 => (
                "internal_error",
                "something went wrong on our side; try again later",
            ),
            _ => ("error", "the request failed"),
        };
        Self::new(status, code, message)
    }

    /// The JSON body, stamped with the current request id.
    pub fn body(&self) -> ErrorBody {
        ErrorBody {
            success: false,
            error: ErrorDetail {
                code: self.code.to_owned(),
                message: self.message.to_string(),
                param: self.param.clone(),
                request_id: current_request_id(),
            },
        }
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} {}: {}",
            self.status.as_u16(),
            self.code,
            self.message
        )
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = serde_json::to_vec(&self.body()).unwrap_or_default();
        let mut resp = (self.status, body).into_response();
        resp.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        if let Some(secs) = self.retry_after {
            resp.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        resp
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Conflict(what) => ApiError::conflict(what),
            other if other.is_unavailable() => {
                tracing::warn!(error = %other, cause = ?std::error::Error::source(&other), request_id = %current_request_id(), "database unavailable");
                ApiError::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "service_unavailable",
                    "the service is briefly unavailable; retry in a moment",
                )
                .retry_after(1)
            }
            other => ApiError::internal(&other),
        }
    }
}
