//! Recruiters' decisions over the AI's recommendation, through the API (an ATS that
//! records its own people's decisions); the dashboard records them too. Each decision
//! keeps its reason, author and time; the newest is the current one.

use crate::AppState;
use crate::auth::Principal;
use crate::envelope::Success;
use crate::error::ApiError;
use crate::extract::{Json, PathId};
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use talentd_core::InterviewId;
use talentd_core::agreement::LEVELS;
use talentd_core::interview::InterviewStatus;
use talentd_core::timefmt::{format_millis, to_millis};
use talentd_core::{UserId, id::random_token};
use talentd_store::OverrideRow;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(record_decision, list_decisions))
}

/// Longest reason.
pub const MAX_REASON: usize = 2000;

/// A recruiter's decision.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"recommendation": "recommended", "reason": "Strong system design answer in the follow-up call.", "by": "m.ivanova@example.com"}))]
pub struct DecisionIn {
    /// `strongly_recommended`, `recommended`, `consider` or `not_recommended`.
    pub recommendation: String,
    /// Why (required, at most 2000 characters).
    pub reason: String,
    /// Who decided, as the client knows them (an email, a user id); the API key is
    /// recorded besides.
    pub by: Option<String>,
}

/// A decision as recorded.
#[derive(Serialize, Deserialize, utoipa::ToSchema)]
pub struct DecisionOut {
    /// `ovr_...`
    pub id: String,
    pub interview_id: String,
    pub recommendation: String,
    pub reason: String,
    /// The dashboard user's email, or who the API client named, with its key.
    pub by: String,
    pub at: String,
}

/// A decision trail, newest (current) first.
#[derive(Serialize, Deserialize, utoipa::ToSchema)]
pub struct DecisionsOut {
    pub success: bool,
    /// The AI's recommendation, for comparison; absent until the interview is scored.
    pub ai_recommendation: Option<String>,
    pub items: Vec<DecisionOut>,
}

fn out(o: OverrideRow) -> DecisionOut {
    DecisionOut {
        id: o.id,
        interview_id: o.interview_id.as_str().to_owned(),
        recommendation: o.recommendation,
        reason: o.reason,
        by: o.user_email,
        at: format_millis(o.created_at),
    }
}

async fn interview(
    state: &AppState,
    who: &Principal,
    id: &str,
) -> Result<talentd_store::InterviewRow, ApiError> {
    let id = InterviewId::parse(id).ok_or_else(|| ApiError::not_found("interview"))?;
    state
        .store
        .get_interview(&who.org_id, &id)
        .await?
        .ok_or_else(|| ApiError::not_found("interview"))
}

/// Record a recruiter's decision over the AI's recommendation.
///
/// Every decision is kept with its reason, author and time; the newest is the current
/// one (`human_recommendation` on the interview). Decisions feed the agreement report
/// (`GET /v1/reports/agreement`) and the human-decision selection rates of the
/// adverse-impact report.
#[utoipa::path(post, path = "/v1/interviews/{id}/decisions", tag = "interviews",
    params(("id" = String, Path, description = "Interview id (`int_...`)")),
    request_body = DecisionIn,
    responses(
        (status = 201, body = Success<DecisionOut>),
        (status = 404, description = "No such interview", body = crate::error::ErrorBody),
        (status = 409, description = "The interview is not completed", body = crate::error::ErrorBody),
    ))]
pub async fn record_decision(
    State(state): State<AppState>,
    who: Principal,
    PathId(id): PathId,
    input: Result<Json<DecisionIn>, ApiError>,
) -> Result<(StatusCode, axum::Json<Success<DecisionOut>>), ApiError> {
    let i = interview(&state, &who, &id).await?;
    let Json(input) = input?;
    if !LEVELS.contains(&input.recommendation.as_str()) {
        return Err(ApiError::invalid(
            "recommendation",
            "recommendation must be strongly_recommended, recommended, consider or not_recommended",
        ));
    }
    let reason = input.reason.trim();
    if reason.is_empty() || reason.chars().count() > MAX_REASON {
        return Err(ApiError::invalid(
            "reason",
            format!("reason is required, at most {MAX_REASON} characters"),
        ));
    }
    let by = match input.by.as_deref().map(str::trim).filter(|b| !b.is_empty()) {
        Some(b) if b.chars().count() > 254 => {
            return Err(ApiError::invalid("by", "by must be at most 254 characters"));
        }
        Some(b) => format!("{b} (API key {})", who.key_id),
        None => format!("API key {}", who.key_id),
    };
    if i.status != InterviewStatus::Completed {
        return Err(ApiError::conflict(
            "only a completed interview has a recommendation to decide on",
        ));
    }
    let o = OverrideRow {
        id: format!("ovr_{}", random_token(24)),
        org_id: who.org_id.clone(),
        interview_id: i.id.clone(),
        // The key stands where a dashboard decision has its user.
        user_id: UserId::from_trusted(who.key_id.to_string()),
        user_email: by,
        recommendation: input.recommendation,
        reason: reason.to_owned(),
        created_at: to_millis(state.clock.now()),
    };
    state.store.add_override(&o).await?;
    Ok((StatusCode::CREATED, axum::Json(Success::new(out(o)))))
}

/// Every decision on an interview, newest (current) first, with the AI's
/// recommendation.
#[utoipa::path(get, path = "/v1/interviews/{id}/decisions", tag = "interviews",
    params(("id" = String, Path, description = "Interview id (`int_...`)")),
    responses(
        (status = 200, body = DecisionsOut),
        (status = 404, description = "No such interview", body = crate::error::ErrorBody),
    ))]
pub async fn list_decisions(
    State(state): State<AppState>,
    who: Principal,
    PathId(id): PathId,
) -> Result<axum::Json<DecisionsOut>, ApiError> {
    let i = interview(&state, &who, &id).await?;
    let items = state.store.list_overrides(&who.org_id, &i.id).await?;
    let ai_recommendation = i
        .analysis
        .as_ref()
        .and_then(|a| a.get("recommendation"))
        .and_then(|r| r.as_str())
        .map(str::to_owned);
    Ok(axum::Json(DecisionsOut {
        success: true,
        ai_recommendation,
        items: items.into_iter().map(out).collect(),
    }))
}
