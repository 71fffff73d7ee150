//! The candidate's rights on the interview page: voluntary demographics, and requests
//! for deletion or for an interview with a person instead of the AI. Reached with the
//! session token, or (for a candidate who never starts) with the link alone.

use super::{limits, service, session_token};
use crate::AppState;
use crate::demographics::{DemographicsIn, DemographicsOut};
use crate::error::ApiError;
use crate::extract::{Json, PathId};
use crate::interviews::{checked_email, optional_text};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use serde::{Deserialize, Serialize};
use talentd_core::event::{Event, EventType};
use talentd_core::timefmt::{format_millis, to_millis};
use talentd_core::{OrgId, id::random_token};
use talentd_store::CandidateRequestRow;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(put_session_demographics))
        .routes(routes!(session_request))
        .routes(routes!(link_request))
}

/// Longest free-text message of a request.
pub const MAX_MESSAGE: usize = 2000;

/// What a candidate may ask for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RequestKind {
    /// Delete everything held about me.
    Deletion,
    /// Interview me with a person instead of the AI.
    HumanAlternative,
}

impl RequestKind {
    pub fn as_str(self) -> &'static str {
        match self {
            RequestKind::Deletion => "deletion",
            RequestKind::HumanAlternative => "human_alternative",
        }
    }
}

/// A candidate's request.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"kind": "human_alternative", "name": "Anna Petrova", "email": "anna@example.com", "message": "I would prefer a video call."}))]
pub struct CandidateRequestIn {
    pub kind: RequestKind,
    /// Needed without a session; with one, the session's name is used when absent.
    pub name: Option<String>,
    /// How the company reaches the candidate: needed without a session.
    pub email: Option<String>,
    /// Anything the candidate wants to add (at most 2000 characters).
    pub message: Option<String>,
}

/// The request as recorded.
#[derive(Serialize, Deserialize, utoipa::ToSchema)]
pub struct CandidateRequestReceipt {
    pub success: bool,
    /// `req_...`
    pub id: String,
    pub kind: RequestKind,
    /// `open` until the company resolves it.
    pub status: String,
    pub created_at: String,
}

/// Where a request comes from.
struct Origin {
    org_id: OrgId,
    project_id: Option<String>,
    interview_id: Option<String>,
    candidate_id: Option<String>,
}

async fn file(
    state: &AppState,
    origin: Origin,
    kind: RequestKind,
    name: Option<String>,
    email: Option<String>,
    message: Option<String>,
) -> Result<CandidateRequestReceipt, ApiError> {
    let now = to_millis(state.clock.now());
    let row = CandidateRequestRow {
        id: format!("req_{}", random_token(16)),
        org_id: origin.org_id,
        project_id: origin.project_id,
        interview_id: origin.interview_id,
        candidate_id: origin.candidate_id,
        kind: kind.as_str().to_owned(),
        name,
        email,
        message,
        status: "open".to_owned(),
        created_at: now,
        resolved_at: None,
    };
    let event = Event::new(
        row.org_id.clone(),
        EventType::CandidateRequestCreated,
        crate::candidate_requests::event_data(&row),
        now,
    );
    state.store.add_candidate_request(&row, &event).await?;
    if let Some(wake) = &state.wake_deliveries {
        wake.notify_one();
    }
    tracing::info!(request = %row.id, kind = kind.as_str(), "a candidate filed a request");
    Ok(CandidateRequestReceipt {
        success: true,
        id: row.id,
        kind,
        status: row.status,
        created_at: format_millis(now),
    })
}

/// The candidate's session, its token checked (before the body, so that a stranger
/// gets the same 401 whatever they send) and the request counted against its quota.
async fn counted_session(
    state: &AppState,
    id: &str,
    headers: &HeaderMap,
) -> Result<service::Loaded, ApiError> {
    let loaded = service::load(state, id, session_token(headers)).await?;
    limits::check(
        state,
        format!("session-rights:{}", loaded.row.interview.id),
        &limits::RIGHTS_PER_SESSION,
    )
    .await?;
    Ok(loaded)
}

/// Report voluntary demographics for this session's candidate.
///
/// Optional, and never read by scoring or shown with the candidate's results: only
/// counted, with everyone else's, in the adverse-impact report. Both fields `null`
/// withdraws an earlier answer.
#[utoipa::path(put, path = "/v1/public/sessions/{id}/demographics", tag = "live",
    security(("session_token" = [])),
    params(("id" = String, Path, description = "Session id (`ses_...`)")),
    request_body = DemographicsIn,
    responses(
        (status = 200, body = DemographicsOut),
        (status = 401, description = "Missing or wrong session token", body = crate::error::ErrorBody),
        (status = 429, description = "Too many requests", body = crate::error::ErrorBody),
    ))]
pub async fn put_session_demographics(
    State(state): State<AppState>,
    PathId(id): PathId,
    headers: HeaderMap,
    input: Result<Json<DemographicsIn>, ApiError>,
) -> Result<axum::Json<DemographicsOut>, ApiError> {
    let loaded = counted_session(&state, &id, &headers).await?;
    let Json(input) = input?;
    let i = &loaded.row.interview;
    Ok(axum::Json(
        crate::demographics::record(&state, &i.org_id, &i.candidate_id, input, "candidate").await?,
    ))
}

/// Ask the company to delete your data, or for an interview with a person.
///
/// The company is told at once (the `candidate.request_created` webhook and its
/// dashboard) and answers by email.
#[utoipa::path(post, path = "/v1/public/sessions/{id}/requests", tag = "live",
    security(("session_token" = [])),
    params(("id" = String, Path, description = "Session id (`ses_...`)")),
    request_body = CandidateRequestIn,
    responses(
        (status = 201, body = CandidateRequestReceipt),
        (status = 401, description = "Missing or wrong session token", body = crate::error::ErrorBody),
        (status = 429, description = "Too many requests", body = crate::error::ErrorBody),
    ))]
pub async fn session_request(
    State(state): State<AppState>,
    PathId(id): PathId,
    headers: HeaderMap,
    input: Result<Json<CandidateRequestIn>, ApiError>,
) -> Result<(StatusCode, axum::Json<CandidateRequestReceipt>), ApiError> {
    let loaded = counted_session(&state, &id, &headers).await?;
    let Json(input) = input?;
    let i = &loaded.row.interview;
    let name = optional_text("name", input.name, 100)?
        .or_else(|| Some(loaded.live.dialogue.candidate_name().to_owned()));
    let email = checked_email("email", input.email)?;
    let message = optional_text("message", input.message, MAX_MESSAGE)?;
    let origin = Origin {
        org_id: i.org_id.clone(),
        project_id: i.project_id.as_ref().map(|p| p.as_str().to_owned()),
        interview_id: Some(i.id.as_str().to_owned()),
        candidate_id: Some(i.candidate_id.clone()),
    };
    let receipt = file(&state, origin, input.kind, name, email, message).await?;
    Ok((StatusCode::CREATED, axum::Json(receipt)))
}

/// Ask the company behind an interview link, without starting the interview, for an
/// interview with a person instead, or to delete your data.
#[utoipa::path(post, path = "/v1/public/links/{token}/requests", tag = "live",
    security(()),
    params(("token" = String, Path, description = "The token of the project's `interview_url`")),
    request_body = CandidateRequestIn,
    responses(
        (status = 201, body = CandidateRequestReceipt),
        (status = 404, description = "No such link", body = crate::error::ErrorBody),
        (status = 429, description = "Too many requests for this link", body = crate::error::ErrorBody),
    ))]
pub async fn link_request(
    State(state): State<AppState>,
    Path(token): Path<String>,
    input: Result<Json<CandidateRequestIn>, ApiError>,
) -> Result<(StatusCode, axum::Json<CandidateRequestReceipt>), ApiError> {
    // A closed project still takes requests: a candidate may ask for deletion later.
    let project = service::project_of_link(&state, &token).await?;
    let Json(input) = input?;
    limits::check(
        &state,
        format!("link-rights:{}", project.id),
        &limits::RIGHTS_PER_LINK,
    )
    .await?;
    let name = optional_text("name", input.name, 100)?
        .ok_or_else(|| ApiError::invalid("name", "name is required"))?;
    let email = checked_email("email", input.email)?.ok_or_else(|| {
        ApiError::invalid("email", "email is required: the company answers by email")
    })?;
    let message = optional_text("message", input.message, MAX_MESSAGE)?;
    let origin = Origin {
        org_id: project.org_id.clone(),
        project_id: Some(project.id.as_str().to_owned()),
        interview_id: None,
        candidate_id: None,
    };
    let receipt = file(&state, origin, input.kind, Some(name), Some(email), message).await?;
    Ok((StatusCode::CREATED, axum::Json(receipt)))
}
