//! Voluntary demographics, reported by the candidate on the interview page or passed on
//! by the client's ATS. Write-only: no endpoint returns one candidate's answers, and no
//! scoring path reads them; only the adverse-impact report aggregates them.

use crate::AppState;
use crate::auth::Principal;
use crate::error::ApiError;
use crate::extract::{Json, PathId};
use axum::extract::State;
use serde::{Deserialize, Serialize};
use talentd_core::OrgId;
use talentd_core::demographics::{RaceEthnicity, Sex};
use talentd_core::timefmt::to_millis;
use talentd_store::DemographicsRow;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(put_demographics))
}

/// What a candidate chose to report. Every field is optional; `prefer_not_to_say` is an
/// answer of its own, counted as unknown. Both absent (or `null`) withdraws an earlier
/// answer.
#[derive(Deserialize, Default, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"sex": "female", "race_ethnicity": "prefer_not_to_say"}))]
pub struct DemographicsIn {
    pub sex: Option<Sex>,
    pub race_ethnicity: Option<RaceEthnicity>,
}

/// That the answer was kept; the answer itself is never sent back.
#[derive(Serialize, Deserialize, utoipa::ToSchema)]
pub struct DemographicsOut {
    pub success: bool,
    /// False when the candidate withdrew their answer (nothing is kept).
    pub recorded: bool,
}

/// Writes a candidate's answer; 404 when the organisation has no such candidate.
pub(crate) async fn record(
    state: &AppState,
    org: &OrgId,
    candidate: &str,
    input: DemographicsIn,
    source: &str,
) -> Result<DemographicsOut, ApiError> {
    let row = DemographicsRow {
        org_id: org.clone(),
        candidate_id: candidate.to_owned(),
        sex: input.sex.map(|s| s.as_str().to_owned()),
        race_ethnicity: input.race_ethnicity.map(|r| r.as_str().to_owned()),
        source: source.to_owned(),
        updated_at: to_millis(state.clock.now()),
    };
    let recorded = row.sex.is_some() || row.race_ethnicity.is_some();
    if !state.store.set_demographics(&row).await? {
        return Err(ApiError::not_found("candidate"));
    }
    Ok(DemographicsOut {
        success: true,
        recorded,
    })
}

/// Record a candidate's voluntary demographics (for example from the ATS's own EEO
/// form).
///
/// Sex and race/ethnicity in the categories of a bias audit (EEO-1). Kept apart from the
/// candidate's interviews: never read by scoring, never returned for one candidate, only
/// counted in `GET /v1/reports/adverse-impact`. Send both fields `null` to withdraw.
#[utoipa::path(put, path = "/v1/candidates/{id}/demographics", tag = "candidates",
    params(("id" = String, Path, description = "The candidate's id")),
    request_body = DemographicsIn,
    responses(
        (status = 200, body = DemographicsOut),
        (status = 404, description = "No such candidate", body = crate::error::ErrorBody),
    ))]
pub async fn put_demographics(
    State(state): State<AppState>,
    who: Principal,
    PathId(id): PathId,
    input: Result<Json<DemographicsIn>, ApiError>,
) -> Result<axum::Json<DemographicsOut>, ApiError> {
    // Whose candidate first: another organisation's id is a 404 whatever the body.
    if state.store.get_candidate(&who.org_id, &id).await?.is_none() {
        return Err(ApiError::not_found("candidate"));
    }
    let Json(input) = input?;
    Ok(axum::Json(
        record(&state, &who.org_id, &id, input, "api").await?,
    ))
}
