//! Extractors whose failures are [`ApiError`]s naming the field at fault.

use crate::error::ApiError;
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use serde::de::DeserializeOwned;

/// A JSON body. Requires `Content-Type: application/json` when a body is present; an
/// empty body reads as `{}` so that endpoints whose fields are all optional need none.
/// Unknown fields and wrong types are 400s that name the field.
pub struct Json<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for Json<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let content_type = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let bytes = Bytes::from_request(req, state).await.map_err(|rej| {
            if rej.status() == StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::for_status(StatusCode::PAYLOAD_TOO_LARGE)
            } else {
                ApiError::new(
                    StatusCode::BAD_REQUEST,
                    "invalid_request",
                    "could not read the request body",
                )
            }
        })?;
        let bytes: &[u8] = if bytes.iter().all(u8::is_ascii_whitespace) {
            b"{}"
        } else {
            let is_json = content_type.as_deref().is_some_and(|ct| {
                let mime = ct
                    .split(';')
                    .next()
                    .unwrap_or("")
                    .trim()
                    .to_ascii_lowercase();
                mime == "application/json"
                    || (mime.starts_with("application/") && mime.ends_with("+json"))
            });
            if !is_json {
                return Err(ApiError::new(
                    StatusCode::UNSUPPORTED_MEDIA_TYPE,
                    "unsupported_media_type",
                    "send the body as JSON with Content-Type: application/json",
                ));
            }
            // Every body is an object; serde would read a struct from an array by position.
            if bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'[') {
                return Err(ApiError::new(
                    StatusCode::BAD_REQUEST,
                    "invalid_request",
                    "the body must be a JSON object",
                ));
            }
            &bytes
        };
        parse_json(bytes).map(Json)
    }
}

/// Deserialises JSON, turning serde's error into a 400 naming the field.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|err| {
        let path = err.path().to_string();
        let inner = err.into_inner();
        if inner.is_syntax() || inner.is_eof() {
            return ApiError::new(
                StatusCode::BAD_REQUEST,
                "invalid_json",
                format!("the body is not valid JSON: {inner}"),
            );
        }
        let message = strip_position(&inner.to_string());
        let param = field_of(&path, &message);
        let mut e = ApiError::new(StatusCode::BAD_REQUEST, "invalid_request", message);
        e.param = param;
        e
    })?;
    de.end().map_err(|inner| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_json",
            format!("the body is not valid JSON: {inner}"),
        )
    })?;
    Ok(value)
}

/// serde_json appends " at line L column C"; the field name says more.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message.to_owned(),
    }
}

/// The dotted path of the field at fault; for a missing or unknown field, the path of
/// the object plus that field's name.
fn field_of(path: &str, message: &str) -> Option<String> {
    let named = ["missing field `", "unknown field `"]
        .iter()
        .find_map(|p| message.strip_prefix(p))
        .and_then(|rest| rest.split('`').next());
    let base = if path == "." { "" } else { path };
    match named {
        Some(name) if base.is_empty() => Some(name.to_owned()),
        Some(name) if !base.ends_with(name) => Some(format!("{base}.{name}")),
        _ if base.is_empty() => None,
        _ => Some(base.to_owned()),
    }
}

/// For `Option<Option<T>>` fields of a PATCH: tells a present `null` (`Some(None)`,
/// clear it) from an absent field (`None`, keep it).
pub fn nullable<'de, T: serde::Deserialize<'de>, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Option<Option<T>>, D::Error> {
    <Option<T> as serde::Deserialize>::deserialize(d).map(Some)
}

/// Query parameters; a malformed query string is a 400.
pub struct Query<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for Query<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|q| Query(q.0))
            .map_err(|rej| {
                ApiError::new(StatusCode::BAD_REQUEST, "invalid_request", rej.body_text())
            })
    }
}

/// One path segment as text; typed ids are parsed by the handler (a malformed id is a 404).
pub struct PathId(pub String);

impl<S: Send + Sync> FromRequestParts<S> for PathId {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        axum::extract::Path::<String>::from_request_parts(parts, state)
            .await
            .map(|p| PathId(p.0))
            .map_err(|_| ApiError::for_status(StatusCode::NOT_FOUND))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct In {
        name: String,
        inner: Option<Inner>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Inner {
        count: u32,
    }

    fn err(body: &str) -> ApiError {
        parse_json::<In>(body.as_bytes()).unwrap_err()
    }

    #[test]
    fn names_the_field_at_fault() {
        assert_eq!(err("{}").param.as_deref(), Some("name"));
        assert_eq!(err(r#"{"name": 3}"#).param.as_deref(), Some("name"));
        assert_eq!(
            err(r#"{"name": "a", "nmae": 1}"#).param.as_deref(),
            Some("nmae")
        );
        assert_eq!(
            err(r#"{"name": "a", "inner": {"count": "x"}}"#)
                .param
                .as_deref(),
            Some("inner.count")
        );
        assert_eq!(err(r#"{"name": "a"} trailing"#).code, "invalid_json");
        assert_eq!(err(r#"{"name": "#).code, "invalid_json");
    }
}
