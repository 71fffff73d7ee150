//! The audit log over HTTP: the layers that record every successful write of the API
//! (by its API key) and of the dashboard (by its signed-in user), the functions other
//! parts call to record an event explicitly, and `GET /v1/audit-events`.
//!
//! A write is a request other than GET, HEAD or OPTIONS that answers 2xx or 3xx; a
//! refused one changed nothing and is not recorded, nor is an idempotent replay (the
//! first response was). Recorded: who, the action, the method, the route template, the
//! id the path names (a candidate's as a pseudonym), the status and the request id.
//! Never a body, a query string, a key or a candidate id.
//!
//! The candidate's own routes (`/v1/public/...`, the interview page) are not recorded
//! per request: every answer would put a line in a log that is kept forever and cannot
//! be erased, and the session's transcript already records what the candidate sent.
//! Features that need a candidate's act in the log record it with [`record_candidate`].

use crate::AppState;
use crate::auth::Principal;
use crate::envelope::ListOut;
use crate::error::ApiError;
use crate::extract::Query;
use crate::pagination::paging;
use axum::RequestExt;
use axum::extract::{MatchedPath, RawPathParams, Request, State};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::Response;
use serde::{Deserialize, Serialize};
use std::sync::{Arc, OnceLock};
use talentd_core::audit::{ActorType, action_for, candidate_pseudonym, new_event_id, target_of};
use talentd_core::timefmt::{format_millis, parse, to_millis};
use talentd_core::{OrgId, UserId};
use talentd_store::{AuditFilter, AuditRow, NewAuditEvent, UserRow};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The metric counting audit events that could not be written.
pub const ERRORS_METRIC: &str = "talentd_audit_errors_total";

/// Who did something, as a request learns it.
#[derive(Clone, Debug, PartialEq)]
pub enum Actor {
    /// An integration: the key's id and name.
    ApiKey { id: String, name: String },
    /// A dashboard user: their id and email at the time.
    User {
        org_id: OrgId,
        id: UserId,
        email: String,
    },
}

impl Actor {
    /// A signed-in dashboard user.
    pub fn user(u: &UserRow) -> Self {
        Actor::User {
            org_id: u.org_id.clone(),
            id: u.id.clone(),
            email: u.email.clone(),
        }
    }

    fn parts(&self) -> (ActorType, &str, &str) {
        match self {
            Actor::ApiKey { id, name } => (ActorType::ApiKey, id, name),
            Actor::User { id, email, .. } => (ActorType::User, id.as_str(), email),
        }
    }
}

/// Where the dashboard's session extractor leaves the signed-in user, for the audit
/// layer to read once the handler has answered (the extractor sees only the request).
#[derive(Clone, Debug, Default)]
pub struct ActorSlot(Arc<OnceLock<Actor>>);

impl ActorSlot {
    /// Names the request's actor (the first name given stays).
    pub fn fill(&self, actor: Actor) {
        let _ = self.0.set(actor);
    }

    fn get(&self) -> Option<&Actor> {
        self.0.get()
    }
}

fn is_write(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// What the layers learn of a request before handing it on.
struct Seen {
    method: String,
    route: String,
    params: Vec<(String, String)>,
}

async fn see(req: &mut Request) -> Option<Seen> {
    if !is_write(req.method()) {
        return None;
    }
    let route = req.extensions().get::<MatchedPath>()?.as_str().to_owned();
    let params = match req.extract_parts::<RawPathParams>().await {
        Ok(p) => p
            .iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect(),
        Err(_) => Vec::new(),
    };
    Some(Seen {
        method: req.method().as_str().to_owned(),
        route,
        params,
    })
}

fn event(state: &AppState, org: &OrgId, actor: &Actor, seen: &Seen, status: u16) -> NewAuditEvent {
    let now = to_millis(state.clock.now());
    let (actor_type, actor_id, actor_label) = actor.parts();
    let params: Vec<(&str, &str)> = seen
        .params
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let request_id = crate::context::current_request_id();
    NewAuditEvent {
        id: new_event_id(now),
        org_id: org.clone(),
        actor_type,
        actor_id: actor_id.to_owned(),
        actor_label: actor_label.to_owned(),
        action: action_for(&seen.method, &seen.route),
        method: Some(seen.method.clone()),
        route: Some(seen.route.clone()),
        target_id: target_of(org, &seen.route, &params),
        status: Some(i64::from(status)),
        request_id: (!request_id.is_empty()).then_some(request_id),
        created_at: now,
    }
}

fn succeeded(resp: &Response) -> bool {
    let s = resp.status();
    s.is_success() || s.is_redirection()
}

/// The layer of `/v1`, inside authentication: records every successful write with the
/// authenticated key as the actor.
pub async fn record_api_writes(
    State(state): State<AppState>,
    mut req: Request,
    next: Next,
) -> Response {
    let seen = see(&mut req).await;
    let principal = req.extensions().get::<Principal>().cloned();
    let resp = next.run(req).await;
    if let (Some(seen), Some(who)) = (seen, principal)
        && succeeded(&resp)
    {
        let actor = Actor::ApiKey {
            id: who.key_id.to_string(),
            name: who.key_name.clone(),
        };
        record(
            &state,
            &event(&state, &who.org_id, &actor, &seen, resp.status().as_u16()),
        )
        .await;
    }
    resp
}

/// The layer of `/dashboard`: records every successful write with the signed-in user
/// as the actor. The session extractor names the user in the request's [`ActorSlot`];
/// sign-in, which has no session yet, names them on its response.
pub async fn record_dashboard_writes(
    State(state): State<AppState>,
    mut req: Request,
    next: Next,
) -> Response {
    let seen = see(&mut req).await;
    let slot = ActorSlot::default();
    if seen.is_some() {
        req.extensions_mut().insert(slot.clone());
    }
    let resp = next.run(req).await;
    let Some(seen) = seen else {
        return resp;
    };
    let actor = resp.extensions().get::<Actor>().or_else(|| slot.get());
    // No actor: the request never reached a signed-in handler (a redirect to sign-in).
    if let Some(actor @ Actor::User { org_id, .. }) = actor
        && succeeded(&resp)
    {
        record(
            &state,
            &event(&state, org_id, actor, &seen, resp.status().as_u16()),
        )
        .await;
    }
    resp
}

/// Appends `event` to the log. Never fails: the write it records has already happened,
/// so a failure here is logged at error level and counted in
/// `talentd_audit_errors_total` rather than turned into an error for the caller.
pub async fn record(state: &AppState, event: &NewAuditEvent) {
    if let Err(e) = state.store.record_audit(event).await {
        tracing::error!(
            error = %e,
            org = %event.org_id,
            action = %event.action,
            "cannot write an audit event"
        );
        metrics::counter!(ERRORS_METRIC).increment(1);
    }
}

/// Records an act of a candidate, under the pseudonym of their id (never the id), e.g.
/// `record_candidate(&state, &org, "ana@example.com", "candidates.erasure_request", None)`.
pub async fn record_candidate(
    state: &AppState,
    org: &OrgId,
    candidate_id: &str,
    action: &str,
    target_id: Option<String>,
) {
    let now = to_millis(state.clock.now());
    let mut e = NewAuditEvent::candidate(org, candidate_id, action, target_id, now);
    let request_id = crate::context::current_request_id();
    e.request_id = (!request_id.is_empty()).then_some(request_id);
    record(state, &e).await;
}

/// Records an act of talentd itself (`actor` names the part, e.g. `retention`).
pub async fn record_system(
    state: &AppState,
    org: &OrgId,
    actor: &str,
    action: &str,
    target_id: Option<String>,
) {
    let now = to_millis(state.clock.now());
    record(
        state,
        &NewAuditEvent::system(org, actor, action, target_id, now),
    )
    .await;
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_audit_events))
}

/// One entry of the audit log.
#[derive(Serialize, Deserialize, utoipa::ToSchema)]
#[schema(example = json!({
    "id": "aud_019b6a1f2c00Xr4kQ9mZ2pLw",
    "actor_type": "api_key",
    "actor_id": "key_3JkQx0c9sWm2PqLz",
    "actor_label": "ATS integration",
    "action": "projects.update",
    "method": "PATCH",
    "route": "/v1/projects/{id}",
    "target_id": "prj_8d24f0aB9cD1eF2g",
    "status": 200,
    "request_id": "req_Zb8v1kq2LmN3oP4rS5tU",
    "created_at": "2026-06-13T09:24:00Z"
}))]
pub struct AuditEventOut {
    /// `aud_...`; ids sort in the order events were recorded.
    pub id: String,
    /// `api_key`, `user`, `candidate` or `system`.
    pub actor_type: String,
    /// `key_...`, `usr_...`, a candidate's pseudonym (`cand#...`), or the part of
    /// talentd that acted.
    pub actor_id: String,
    /// The key's name or the user's email at the time, as written then.
    pub actor_label: String,
    /// What was done, e.g. `projects.create`, `api_keys.rotate`, `user.sign_in`: the
    /// route's resource and verb (see the API guide).
    pub action: String,
    /// The HTTP method, for events of a request.
    pub method: Option<String>,
    /// The route template, e.g. `/v1/projects/{id}` (never the path with its ids).
    pub route: Option<String>,
    /// The id the path names; a candidate's is the pseudonym `cand#` + 16 hex digits.
    pub target_id: Option<String>,
    /// The HTTP status answered.
    pub status: Option<i64>,
    /// The request's `X-Request-Id`.
    pub request_id: Option<String>,
    pub created_at: String,
}

impl From<AuditRow> for AuditEventOut {
    fn from(r: AuditRow) -> Self {
        Self {
            id: r.id.to_string(),
            actor_type: r.actor_type.as_str().to_owned(),
            actor_id: r.actor_id,
            actor_label: r.actor_label,
            action: r.action,
            method: r.method,
            route: r.route,
            target_id: r.target_id,
            status: r.status,
            request_id: r.request_id,
            created_at: format_millis(r.created_at),
        }
    }
}

/// Query of the audit log.
#[derive(Deserialize, utoipa::IntoParams)]
pub struct AuditListQuery {
    pub limit: Option<String>,
    pub offset: Option<String>,
    /// Only events by this actor (`key_...`, `usr_...`).
    pub actor_id: Option<String>,
    /// Only this action, e.g. `projects.create`.
    pub action: Option<String>,
    /// Only this route template, e.g. `/v1/projects/{id}`.
    pub route: Option<String>,
    /// Only events about this id (a candidate's as its pseudonym `cand#...`).
    pub target_id: Option<String>,
    /// Only events about this candidate: the id is turned into its pseudonym here and
    /// is not kept.
    pub candidate_id: Option<String>,
    /// From this time on (RFC 3339, inclusive).
    pub since: Option<String>,
    /// Before this time (RFC 3339, exclusive).
    pub until: Option<String>,
}

fn time_param(name: &str, value: Option<&str>) -> Result<Option<i64>, ApiError> {
    value
        .map(|v| {
            parse(v)
                .map(to_millis)
                .ok_or_else(|| ApiError::invalid(name, format!("{name} must be an RFC 3339 time")))
        })
        .transpose()
}

/// List the organisation's audit log, newest first: who (an API key, a dashboard user)
/// did what and when, for every write. Append-only: entries are never changed or
/// removed.
#[utoipa::path(get, path = "/v1/audit-events", tag = "audit", params(AuditListQuery),
    responses(
        (status = 200, body = ListOut<AuditEventOut>),
        (status = 400, description = "Invalid paging, time or filter", body = crate::error::ErrorBody),
    ))]
pub async fn list_audit_events(
    State(state): State<AppState>,
    who: Principal,
    Query(q): Query<AuditListQuery>,
) -> Result<axum::Json<ListOut<AuditEventOut>>, ApiError> {
    let paging = paging(q.limit.as_deref(), q.offset.as_deref())?;
    let candidate_target = q
        .candidate_id
        .as_deref()
        .map(|c| candidate_pseudonym(&who.org_id, c));
    if candidate_target.is_some() && q.target_id.is_some() {
        return Err(ApiError::invalid(
            "candidate_id",
            "give target_id or candidate_id, not both",
        ));
    }
    let filter = AuditFilter {
        actor_id: q.actor_id,
        action: q.action,
        route: q.route,
        target_id: q.target_id.or(candidate_target),
        since: time_param("since", q.since.as_deref())?,
        until: time_param("until", q.until.as_deref())?,
    };
    let page = state
        .store
        .list_audit_events(&who.org_id, &filter, paging.limit, paging.offset)
        .await?;
    let items = page.items.into_iter().map(AuditEventOut::from).collect();
    Ok(axum::Json(ListOut::new(page.total, items, paging)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_methods_that_change_something_are_writes() {
        for m in [Method::POST, Method::PUT, Method::PATCH, Method::DELETE] {
            assert!(is_write(&m), "{m}");
        }
        for m in [Method::GET, Method::HEAD, Method::OPTIONS] {
            assert!(!is_write(&m), "{m}");
        }
    }

    #[test]
    fn the_first_actor_named_stays() {
        let slot = ActorSlot::default();
        let a = Actor::ApiKey {
            id: "key_a".into(),
            name: "a".into(),
        };
        slot.clone().fill(a.clone());
        slot.fill(Actor::ApiKey {
            id: "key_b".into(),
            name: "b".into(),
        });
        assert_eq!(slot.get(), Some(&a));
    }
}
