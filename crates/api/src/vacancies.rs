//! Vacancies named by the client: the competency weights of their match score. A
//! `vacancy_id` never seen before gets balanced weights when its first interview comes.

use crate::AppState;
use crate::auth::Principal;
use crate::error::ApiError;
use crate::extract::{Json, PathId};
use axum::extract::State;
use serde::{Deserialize, Serialize};
use talentd_core::id::valid_external_id;
use talentd_core::project::{CompetencyWeights, default_weights, normalise_weights};
use talentd_core::timefmt::{format_millis, to_millis};
use talentd_store::VacancyRow;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_vacancy, put_vacancy))
}

/// A vacancy's settings.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"title": "UI engineer", "competency_weights": {"communication": 2, "logic": 3, "planning": 1}}))]
pub struct VacancyIn {
    pub title: Option<String>,
    /// Relative weights (missing competencies weigh 0); balanced when omitted.
    #[schema(value_type = Option<Object>)]
    pub competency_weights: Option<CompetencyWeights>,
}

/// A vacancy.
#[derive(Serialize, Deserialize, utoipa::ToSchema)]
pub struct VacancyOut {
    pub success: bool,
    pub id: String,
    pub title: Option<String>,
    #[schema(value_type = Object)]
    pub competency_weights: CompetencyWeights,
    pub created_at: String,
    pub updated_at: String,
}

fn out(v: VacancyRow) -> VacancyOut {
    VacancyOut {
        success: true,
        id: v.id,
        title: v.title,
        competency_weights: v.competency_weights,
        created_at: format_millis(v.created_at),
        updated_at: format_millis(v.updated_at),
    }
}

/// Get a vacancy.
#[utoipa::path(get, path = "/v1/vacancies/{id}", tag = "vacancies",
    params(("id" = String, Path, description = "The client's vacancy key")),
    responses(
        (status = 200, body = VacancyOut),
        (status = 404, description = "No such vacancy", body = crate::error::ErrorBody),
    ))]
pub async fn get_vacancy(
    State(state): State<AppState>,
    who: Principal,
    PathId(id): PathId,
) -> Result<axum::Json<VacancyOut>, ApiError> {
    let v = state
        .store
        .get_vacancy(&who.org_id, &id)
        .await?
        .ok_or_else(|| ApiError::not_found("vacancy"))?;
    Ok(axum::Json(out(v)))
}

/// Create or replace a vacancy and its competency weights. New interviews for it use
/// these weights for their match score.
#[utoipa::path(put, path = "/v1/vacancies/{id}", tag = "vacancies", request_body = VacancyIn,
    params(("id" = String, Path, description = "The client's vacancy key")),
    responses(
        (status = 200, body = VacancyOut),
        (status = 400, description = "Invalid request", body = crate::error::ErrorBody),
    ))]
pub async fn put_vacancy(
    State(state): State<AppState>,
    who: Principal,
    PathId(id): PathId,
    Json(input): Json<VacancyIn>,
) -> Result<axum::Json<VacancyOut>, ApiError> {
    if !valid_external_id(&id) {
        return Err(ApiError::invalid(
            "id",
            "a vacancy id is 1 to 128 letters, digits or _ - . : @",
        ));
    }
    let weights = match &input.competency_weights {
        Some(w) => normalise_weights(w).map_err(|m| ApiError::invalid("competency_weights", m))?,
        None => default_weights(),
    };
    let title = input
        .title
        .map(|t| t.trim().to_owned())
        .filter(|t| !t.is_empty());
    if title.as_ref().is_some_and(|t| t.chars().count() > 200) {
        return Err(ApiError::invalid(
            "title",
            "title must be at most 200 characters",
        ));
    }
    let now = to_millis(state.clock.now());
    let row = state
        .store
        .put_vacancy(&VacancyRow {
            org_id: who.org_id,
            id,
            title,
            competency_weights: weights,
            created_at: now,
            updated_at: now,
        })
        .await?;
    Ok(axum::Json(out(row)))
}
