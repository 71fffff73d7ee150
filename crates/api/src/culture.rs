//! The company's culture profile (the 54 items of the Organizational Culture Profile in
//! seven dimensions) and candidates' fit with it.

use crate::AppState;
use crate::auth::Principal;
use crate::error::ApiError;
use crate::extract::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use talentd_analysis::culture::{
    CompanyProfile, SortError, default_profile, dimension_scores, fit, items, profile_from_sorts,
};
use talentd_core::OrgId;
use talentd_core::timefmt::{format_millis, to_millis};
use talentd_store::CultureRow;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_profile, put_profile))
        .routes(routes!(culture_fit))
}

/// The organisation's profile, or the default until it sets one.
pub async fn company_profile(state: &AppState, org: &OrgId) -> Result<CompanyProfile, ApiError> {
    Ok(match state.store.get_culture_profile(org).await? {
        Some(row) => CompanyProfile {
            values: row.values,
            raters: row.raters.max(0) as usize,
            agreement: row.agreement,
        },
        None => default_profile(),
    })
}

/// One OCP item of the profile.
#[derive(Serialize, Deserialize, utoipa::ToSchema)]
pub struct ParameterOut {
    /// `ocp_01` … `ocp_54`.
    pub id: String,
    pub text: String,
    /// The dimension it counts in; null for the 11 items that load on none.
    pub dimension: Option<String>,
    /// On the Q-sort's 1–9 scale (9: most characteristic of the company).
    pub value: f64,
}

/// The company's culture profile.
#[derive(Serialize, Deserialize, utoipa::ToSchema)]
#[schema(example = json!({
    "success": true, "parameters_count": 54,
    "dimensions": {"innovation": 0.64, "stability": 0.78, "people": 0.72, "results": 0.81, "detail": 0.75, "team": 0.69, "competitiveness": 0.58},
    "source": "company", "raters": 3, "agreement": 0.71
}))]
pub struct ProfileOut {
    pub success: bool,
    pub parameters_count: usize,
    /// The seven dimensions in [0, 1].
    #[schema(value_type = Object)]
    pub dimensions: BTreeMap<String, f64>,
    pub parameters: Vec<ParameterOut>,
    /// `default` until the company sets its profile, then `company`.
    pub source: String,
    /// How many colleagues sorted the items.
    pub raters: usize,
    /// Mean correlation between the raters' sorts (null with fewer than two).
    pub agreement: Option<f64>,
    pub updated_at: Option<String>,
}

pub fn profile_out(p: &CompanyProfile, row: Option<&CultureRow>) -> ProfileOut {
    let dimensions = dimension_scores(&p.values)
        .into_iter()
        .map(|(d, v)| (d.as_str().to_owned(), v))
        .collect();
    let parameters = items()
        .iter()
        .zip(&p.values)
        .map(|(item, v)| ParameterOut {
            id: item.id.to_owned(),
            text: item.text.to_owned(),
            dimension: item.dimension.map(|d| d.as_str().to_owned()),
            value: *v,
        })
        .collect();
    ProfileOut {
        success: true,
        parameters_count: items().len(),
        dimensions,
        parameters,
        source: if row.is_some() { "company" } else { "default" }.to_owned(),
        raters: p.raters,
        agreement: p.agreement,
        updated_at: row.map(|r| format_millis(r.updated_at)),
    }
}

/// The company's culture profile: 54 parameters in seven dimensions.
#[utoipa::path(get, path = "/v1/culture/profile", tag = "culture",
    responses((status = 200, body = ProfileOut)))]
pub async fn get_profile(
    State(state): State<AppState>,
    who: Principal,
) -> Result<axum::Json<ProfileOut>, ApiError> {
    let row = state.store.get_culture_profile(&who.org_id).await?;
    let profile = company_profile(&state, &who.org_id).await?;
    Ok(axum::Json(profile_out(&profile, row.as_ref())))
}

/// The company's ratings: one colleague's (`ratings`) or several colleagues' sorts
/// (`sorts`), each a Q-sort of the 54 items into piles 1–9 with the forced
/// distribution 2-4-6-9-12-9-6-4-2 (pile 9: most characteristic).
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProfileIn {
    /// Item id → pile (1–9), all 54 items.
    #[schema(value_type = Option<Object>)]
    pub ratings: Option<BTreeMap<String, u8>>,
    /// Several raters' sorts, each 54 piles in item order (`ocp_01` first).
    pub sorts: Option<Vec<Vec<u8>>>,
}

fn sort_error(param: &str, e: SortError, rater: Option<usize>) -> ApiError {
    let param = match (rater, e.index) {
        (Some(r), Some(i)) => format!("{param}[{r}][{i}]"),
        (Some(r), None) => format!("{param}[{r}]"),
        (None, Some(i)) => items()
            .get(i)
            .map(|item| format!("{param}.{}", item.id))
            .unwrap_or_else(|| param.to_owned()),
        (None, None) => param.to_owned(),
    };
    ApiError::invalid(&param, e.message)
}

/// Set the company's culture profile from one or several colleagues' Q-sorts. The
/// profile is their item-wise mean; their agreement is reported.
#[utoipa::path(put, path = "/v1/culture/profile", tag = "culture", request_body = ProfileIn,
    responses(
        (status = 200, body = ProfileOut),
        (status = 400, description = "Not a valid Q-sort of the 54 items", body = crate::error::ErrorBody),
    ))]
pub async fn put_profile(
    State(state): State<AppState>,
    who: Principal,
    Json(input): Json<ProfileIn>,
) -> Result<axum::Json<ProfileOut>, ApiError> {
    let sorts = match (input.ratings, input.sorts) {
        (Some(_), Some(_)) => {
            return Err(ApiError::invalid("sorts", "give either ratings or sorts"));
        }
        (None, None) => {
            return Err(ApiError::invalid(
                "ratings",
                "give ratings (one rater) or sorts",
            ));
        }
        (Some(ratings), None) => {
            if let Some(unknown) = ratings
                .keys()
                .find(|k| !items().iter().any(|i| i.id == k.as_str()))
            {
                return Err(ApiError::invalid(
                    &format!("ratings.{unknown}"),
                    "unknown item id",
                ));
            }
            let mut sort = Vec::with_capacity(items().len());
            for item in items() {
                match ratings.get(item.id) {
                    Some(v) => sort.push(*v),
                    None => {
                        return Err(ApiError::invalid(
                            &format!("ratings.{}", item.id),
                            "every one of the 54 items needs a pile",
                        ));
                    }
                }
            }
            vec![sort]
        }
        (None, Some(sorts)) => {
            if sorts.is_empty() || sorts.len() > 100 {
                return Err(ApiError::invalid("sorts", "give 1 to 100 sorts"));
            }
            sorts
        }
    };
    save_sorts(&state, &who.org_id, sorts).await.map(axum::Json)
}

/// Sets `org`'s profile to the mean of `sorts`; shared by the API and the dashboard.
pub async fn save_sorts(
    state: &AppState,
    org: &OrgId,
    sorts: Vec<Vec<u8>>,
) -> Result<ProfileOut, ApiError> {
    let several = sorts.len() > 1 || !matches!(sorts.first(), Some(s) if s.len() == items().len());
    let profile = profile_from_sorts(&sorts).map_err(|e| {
        let param = if several { "sorts" } else { "ratings" };
        let rater = several.then(|| rater_of(&sorts, &e));
        sort_error(param, e, rater.flatten())
    })?;
    let row = CultureRow {
        org_id: org.clone(),
        values: profile.values.clone(),
        sorts,
        raters: profile.raters as i64,
        agreement: profile.agreement,
        updated_at: to_millis(state.clock.now()),
    };
    state.store.put_culture_profile(&row).await?;
    Ok(profile_out(&profile, Some(&row)))
}

/// The first sort that fails validation, for the error's `param`.
fn rater_of(sorts: &[Vec<u8>], _e: &SortError) -> Option<usize> {
    sorts
        .iter()
        .position(|s| talentd_analysis::culture::validate_sort(s).is_err())
}

/// Whose fit to assess.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"candidate_id": "cand_4f21"}))]
pub struct FitIn {
    pub candidate_id: String,
}

/// A candidate's fit with the company's culture.
#[derive(Serialize, Deserialize, utoipa::ToSchema)]
#[schema(example = json!({"success": true, "candidate_id": "cand_4f21", "fit_score": 0.74,
    "matches": ["Attention to detail: both rate it high"], "attention": ["Team orientation: the company rates it high, the candidate did not show it"]}))]
pub struct FitOut {
    pub success: bool,
    pub candidate_id: String,
    /// (r + 1) / 2 for the correlation r of the two 54-item profiles.
    pub fit_score: f64,
    pub correlation: f64,
    /// Dimensions where company and candidate agree.
    pub matches: Vec<String>,
    /// The largest gaps.
    pub attention: Vec<String>,
    /// Per dimension, the company's and the candidate's value in [0, 1].
    #[schema(value_type = Object)]
    pub dimensions: serde_json::Value,
    /// How many of the 54 items the candidate's words gave evidence for.
    pub evidence_items: usize,
    /// The candidate's inferred preferences with the quotes behind them (items with evidence).
    #[schema(value_type = Vec<Object>)]
    pub candidate_items: Vec<talentd_analysis::culture::ItemPreference>,
    /// `default` or `company`: which company profile was compared.
    pub profile_source: String,
}

/// Assess a candidate's compatibility with the company's culture: the candidate's
/// 54-item preference profile, inferred from what they said in their completed
/// interviews, correlated with the company's profile.
#[utoipa::path(post, path = "/v1/culture/fit", tag = "culture", request_body = FitIn,
    responses(
        (status = 200, body = FitOut),
        (status = 400, description = "Invalid request", body = crate::error::ErrorBody),
        (status = 404, description = "No such candidate", body = crate::error::ErrorBody),
        (status = 409, description = "The candidate has no completed interview yet", body = crate::error::ErrorBody),
    ))]
pub async fn culture_fit(
    State(state): State<AppState>,
    who: Principal,
    Json(input): Json<FitIn>,
) -> Result<axum::Json<FitOut>, ApiError> {
    if state
        .store
        .get_candidate(&who.org_id, &input.candidate_id)
        .await?
        .is_none()
    {
        return Err(ApiError::not_found("candidate").param("candidate_id"));
    }
    let (_, combined) =
        crate::candidates::combined(&state, &who.org_id, &input.candidate_id).await?;
    let Some(culture) = combined.culture else {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "no_completed_interview",
            "this candidate has no completed interview yet: fit is inferred from what they said",
        )
        .param("candidate_id"));
    };
    let source = if state
        .store
        .get_culture_profile(&who.org_id)
        .await?
        .is_some()
    {
        "company"
    } else {
        "default"
    };
    let company = company_profile(&state, &who.org_id).await?;
    let f = fit(&company, &culture);
    Ok(axum::Json(FitOut {
        success: true,
        candidate_id: input.candidate_id,
        fit_score: f.fit_score,
        correlation: f.correlation,
        matches: f.matches.clone(),
        attention: f.attention.clone(),
        dimensions: serde_json::to_value(&f.dimensions).map_err(|e| ApiError::internal(&e))?,
        evidence_items: f.evidence_items,
        candidate_items: culture
            .items
            .into_iter()
            .filter(|i| !i.evidence.is_empty())
            .collect(),
        profile_source: source.to_owned(),
    }))
}
