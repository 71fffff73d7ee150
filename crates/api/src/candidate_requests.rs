//! Candidates' requests from the interview page (deletion, a human interviewer), as the
//! organisation sees and resolves them.

use crate::AppState;
use crate::auth::Principal;
use crate::envelope::{ListOut, Success};
use crate::error::ApiError;
use crate::extract::{PathId, Query};
use crate::pagination::paging;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use talentd_core::timefmt::{format_millis, to_millis};
use talentd_store::CandidateRequestRow;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_candidate_requests))
        .routes(routes!(resolve_candidate_request))
}

/// A candidate's request.
#[derive(Serialize, Deserialize, utoipa::ToSchema)]
pub struct CandidateRequestOut {
    /// `req_...`
    pub id: String,
    /// `deletion` or `human_alternative`.
    pub kind: String,
    /// `open` or `resolved`.
    pub status: String,
    pub project_id: Option<String>,
    /// The interview, when the candidate asked from their session.
    pub interview_id: Option<String>,
    pub candidate_id: Option<String>,
    pub name: Option<String>,
    pub email: Option<String>,
    pub message: Option<String>,
    pub created_at: String,
    pub resolved_at: Option<String>,
}

impl From<CandidateRequestRow> for CandidateRequestOut {
    fn from(r: CandidateRequestRow) -> Self {
        Self {
            id: r.id,
            kind: r.kind,
            status: r.status,
            project_id: r.project_id,
            interview_id: r.interview_id,
            candidate_id: r.candidate_id,
            name: r.name,
            email: r.email,
            message: r.message,
            created_at: format_millis(r.created_at),
            resolved_at: r.resolved_at.map(format_millis),
        }
    }
}

/// The `data` of a `candidate.request_created` event.
pub(crate) fn event_data(r: &CandidateRequestRow) -> serde_json::Value {
    serde_json::json!({
        "id": r.id,
        "kind": r.kind,
        "project_id": r.project_id,
        "candidate_id": r.candidate_id,
        "interview_id": r.interview_id,
        "email": r.email,
        "status": r.status,
    })
}

/// Query of the request list.
#[derive(Deserialize, utoipa::IntoParams)]
pub struct RequestListQuery {
    pub limit: Option<String>,
    pub offset: Option<String>,
    /// `open` for the requests still to act on; all by default.
    pub status: Option<String>,
}

/// List candidates' requests, newest first.
#[utoipa::path(get, path = "/v1/candidate-requests", tag = "candidates",
    params(RequestListQuery),
    responses(
        (status = 200, body = ListOut<CandidateRequestOut>),
        (status = 400, description = "Invalid paging or status", body = crate::error::ErrorBody),
    ))]
pub async fn list_candidate_requests(
    State(state): State<AppState>,
    who: Principal,
    Query(q): Query<RequestListQuery>,
) -> Result<axum::Json<ListOut<CandidateRequestOut>>, ApiError> {
    let paging = paging(q.limit.as_deref(), q.offset.as_deref())?;
    let open_only = match q.status.as_deref() {
        None => false,
        Some("open") => true,
        Some(_) => return Err(ApiError::invalid("status", "status must be `open`")),
    };
    let page = state
        .store
        .list_candidate_requests(&who.org_id, open_only, paging.limit, paging.offset)
        .await?;
    let items = page.items.into_iter().map(Into::into).collect();
    Ok(axum::Json(ListOut::new(page.total, items, paging)))
}

/// Mark a candidate's request as handled (for example once the candidate's data is
/// deleted with `DELETE /v1/candidates/{id}`, or a person has interviewed them).
/// Resolving twice changes nothing.
#[utoipa::path(post, path = "/v1/candidate-requests/{id}/resolve", tag = "candidates",
    params(("id" = String, Path, description = "The request's id (`req_...`)")),
    responses(
        (status = 200, body = Success<CandidateRequestOut>),
        (status = 404, description = "No such request", body = crate::error::ErrorBody),
    ))]
pub async fn resolve_candidate_request(
    State(state): State<AppState>,
    who: Principal,
    PathId(id): PathId,
) -> Result<axum::Json<Success<CandidateRequestOut>>, ApiError> {
    let now = to_millis(state.clock.now());
    let row = state
        .store
        .resolve_candidate_request(&who.org_id, &id, now)
        .await?
        .ok_or_else(|| ApiError::not_found("candidate request"))?;
    Ok(axum::Json(Success::new(row.into())))
}
