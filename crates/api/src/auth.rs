//! Bearer authentication with API keys, and the rate limit of the caller's plan.

use crate::AppState;
use crate::error::ApiError;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderName, HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use talentd_core::ratelimit::Decision;
use talentd_core::timefmt::to_millis;
use talentd_core::{ApiKeyId, OrgId, Plan, apikey};

/// The authenticated caller.
#[derive(Clone, Debug)]
pub struct Principal {
    pub org_id: OrgId,
    pub key_id: ApiKeyId,
    /// The key's name, for the audit log.
    pub key_name: String,
    pub plan: Plan,
}

impl<S: Send + Sync> FromRequestParts<S> for Principal {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        parts
            .extensions
            .get::<Principal>()
            .cloned()
            .ok_or_else(|| ApiError::unauthorized("missing API key"))
    }
}

fn bearer(req: &Request) -> Result<&str, ApiError> {
    let value = req
        .headers()
        .get(header::AUTHORIZATION)
        .ok_or_else(|| ApiError::unauthorized("missing API key: send Authorization: Bearer <key>"))?
        .to_str()
        .map_err(|_| ApiError::unauthorized("malformed Authorization header"))?;
    let (scheme, token) = value.split_once(' ').ok_or_else(|| {
        ApiError::unauthorized("malformed Authorization header: expected Bearer <key>")
    })?;
    if !scheme.eq_ignore_ascii_case("bearer") {
        return Err(ApiError::unauthorized(
            "unsupported authorization scheme: use Bearer",
        ));
    }
    Ok(token.trim())
}

/// Authenticates the request, counts it against the plan, and stamps the response with
/// the rate-limit headers.
pub async fn authenticate(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let token = bearer(&req).map(str::to_owned);
    let principal = match resolve(&state, token).await {
        Ok(p) => p,
        Err(e) => return e.into_response(),
    };
    let now = state.clock.now();
    let decision = state
        .limiter
        .hit(
            principal.org_id.as_str(),
            principal.plan.quotas(),
            now.unix_timestamp().max(0) as u64,
        )
        .await;
    let mut resp = if decision.allowed {
        req.extensions_mut().insert(principal);
        crate::idempotency::guard(&state, req, next).await
    } else {
        let retry = decision.retry_after_secs().unwrap_or(1);
        ApiError::new(
            axum::http::StatusCode::TOO_MANY_REQUESTS,
            "rate_limited",
            format!(
                "rate limit of the {} plan exceeded; retry in {retry} s",
                principal.plan
            ),
        )
        .into_response()
    };
    stamp(&mut resp, &decision);
    resp
}

async fn resolve(state: &AppState, token: Result<String, ApiError>) -> Result<Principal, ApiError> {
    let token = token?;
    if !apikey::is_well_formed(&token) {
        return Err(ApiError::unauthorized("invalid API key"));
    }
    let now = to_millis(state.clock.now());
    let auth = state
        .store
        .authenticate(&apikey::hash(&token), now)
        .await?
        .ok_or_else(|| ApiError::unauthorized("invalid API key"))?;
    if auth.revoked {
        return Err(ApiError::unauthorized("this API key has been revoked"));
    }
    Ok(Principal {
        org_id: auth.org_id,
        key_id: auth.key_id,
        key_name: auth.name,
        plan: auth.plan,
    })
}

fn stamp(resp: &mut Response, decision: &Decision) {
    for (name, value) in decision.headers() {
        if let Ok(v) = HeaderValue::from_str(&value) {
            resp.headers_mut().insert(HeaderName::from_static(name), v);
        }
    }
}
