//! Per-request context: the request id (on every response, in every error body, in the
//! logs) and the rule that every failure, whoever produced it, has the JSON error body.

use crate::error::ApiError;
use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use talentd_core::id::random_token;

tokio::task_local! {
    static REQUEST_ID: String;
}

/// The id of the request being served (empty outside one).
pub fn current_request_id() -> String {
    REQUEST_ID.try_with(|id| id.clone()).unwrap_or_default()
}

/// The outermost middleware: assigns the request id, and gives error responses made by
/// the router or a layer (405, 413, timeouts) the JSON error body.
pub async fn request_context(req: Request, next: Next) -> Response {
    let id = format!("req_{}", random_token(20));
    REQUEST_ID
        .scope(id.clone(), async move {
            let resp = next.run(req).await;
            let mut resp = if resp.status().as_u16() >= 400 && !is_json(&resp) {
                let (mut parts, _) = resp.into_parts();
                let rendered = ApiError::for_status(parts.status).into_response();
                parts.headers.remove(header::CONTENT_LENGTH);
                parts.headers.insert(
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("application/json"),
                );
                Response::from_parts(parts, rendered.into_body())
            } else {
                resp
            };
            if let Ok(v) = HeaderValue::from_str(&id) {
                resp.headers_mut().insert("x-request-id", v);
            }
            resp
        })
        .await
}

/// JSON errors are ours already, and HTML pages (the report page) carry their own
/// error text; anything else (empty or plain text from a layer) gets the JSON body.
fn is_json(resp: &Response<Body>) -> bool {
    resp.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json") || v.starts_with("text/html"))
}
