//! `Idempotency-Key` on POST: the first successful response is stored and replayed for
//! 24 hours to requests with the same key and the same body; the same key with another
//! body is a 422, and while the first request still runs a 409. Failed requests (4xx,
//! 5xx) are not stored, so a client may fix the request and retry with the same key.

use crate::AppState;
use crate::auth::Principal;
use crate::error::ApiError;
use axum::body::{Body, to_bytes};
use axum::extract::Request;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};
use talentd_core::timefmt::to_millis;
use talentd_store::IdempotencyBegin;

const HEADER: &str = "idempotency-key";

/// Runs an authenticated request, replaying or refusing it by its `Idempotency-Key`.
pub async fn guard(state: &AppState, req: Request, next: Next) -> Response {
    match run(state, req, next).await {
        Ok(resp) | Err(resp) => resp,
    }
}

async fn run(state: &AppState, req: Request, next: Next) -> Result<Response, Response> {
    let Some(key) = req.headers().get(HEADER) else {
        return Ok(next.run(req).await);
    };
    if req.method() != Method::POST {
        return Ok(next.run(req).await);
    }
    let key = key
        .to_str()
        .ok()
        .filter(|k| !k.is_empty() && k.len() <= 255)
        .map(str::to_owned)
        .ok_or_else(|| {
            ApiError::invalid(
                "Idempotency-Key",
                "Idempotency-Key must be 1 to 255 visible ASCII characters",
            )
            .into_response()
        })?;
    let Some(principal) = req.extensions().get::<Principal>().cloned() else {
        return Ok(next.run(req).await);
    };

    let (parts, body) = req.into_parts();
    let bytes = to_bytes(body, state.config.max_body_bytes)
        .await
        .map_err(|_| ApiError::for_status(StatusCode::PAYLOAD_TOO_LARGE).into_response())?;
    let mut hasher = Sha256::new();
    hasher.update(parts.method.as_str());
    hasher.update(b" ");
    hasher.update(parts.uri.path());
    hasher.update(b"\n");
    hasher.update(&bytes);
    let hash = hex::encode(hasher.finalize());

    let now = to_millis(state.clock.now());
    let begun = state
        .store
        .idempotency_begin(&principal.org_id, &key, &hash, now)
        .await
        .map_err(|e| ApiError::from(e).into_response())?;
    match begun {
        IdempotencyBegin::Started => {}
        IdempotencyBegin::Replay { status, body } => {
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
            let mut resp = (status, body).into_response();
            resp.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            );
            resp.headers_mut()
                .insert("idempotent-replayed", HeaderValue::from_static("true"));
            return Ok(resp);
        }
        IdempotencyBegin::Mismatch => {
            return Err(ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "idempotency_key_reused",
                "this Idempotency-Key was used with a different request",
            )
            .param("Idempotency-Key")
            .into_response());
        }
        IdempotencyBegin::InFlight => {
            return Err(ApiError::new(
                StatusCode::CONFLICT,
                "idempotency_key_in_use",
                "a request with this Idempotency-Key is still being processed; retry shortly",
            )
            .param("Idempotency-Key")
            .into_response());
        }
    }

    let resp = next
        .run(Request::from_parts(parts, Body::from(bytes)))
        .await;
    if !resp.status().is_success() {
        if let Err(e) = state
            .store
            .idempotency_release(&principal.org_id, &key)
            .await
        {
            tracing::warn!(error = %e, "could not release an idempotency key");
        }
        return Ok(resp);
    }
    let (parts, body) = resp.into_parts();
    let bytes = to_bytes(body, usize::MAX)
        .await
        .map_err(|e| ApiError::internal(&*e.into_inner()).into_response())?;
    let text = String::from_utf8_lossy(&bytes);
    if let Err(e) = state
        .store
        .idempotency_complete(&principal.org_id, &key, parts.status.as_u16(), &text)
        .await
    {
        tracing::warn!(error = %e, "could not store an idempotent response");
    }
    Ok(Response::from_parts(parts, Body::from(bytes)))
}
