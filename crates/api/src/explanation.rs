//! A candidate's right to an explanation: how their result came about, in plain
//! language, over the same completed interviews as their report. The wording is
//! `talentd_analysis::explanation`'s; this module gathers what it reads.

use crate::AppState;
use crate::auth::Principal;
use crate::error::ApiError;
use crate::extract::{PathId, Query};
use crate::interviews::stored_analysis;
use axum::extract::State;
use axum::http::{HeaderMap, header};
use serde::{Deserialize, Serialize};
use talentd_analysis::explanation::{Basis, Decision, Explanation, Interviewed, Language, explain};
use talentd_analysis::{Analysis, Outcome, Recommendation};
use talentd_core::OrgId;
use talentd_core::interview::InterviewStatus;
use talentd_core::project::{CompetencyWeights, default_weights};
use talentd_core::timefmt::format_millis;
use talentd_store::InterviewRow;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(candidate_explanation))
}

/// A plain-language explanation of a candidate's result.
#[derive(Serialize, Deserialize, utoipa::ToSchema)]
pub struct ExplanationOut {
    pub success: bool,
    pub candidate_id: String,
    #[serde(flatten)]
    pub explanation: Explanation,
}

/// Query of an explanation.
#[derive(Deserialize, utoipa::IntoParams)]
pub struct ExplanationQuery {
    /// `en` or `ru`; without it, the first language of `Accept-Language` when it is
    /// Russian, else English.
    pub lang: Option<String>,
}

/// How a candidate's result came about, in plain language, for the candidate (and the
/// recruiter who forwards it): what was assessed, that only what the candidate said
/// was used, each competency's level in words with the candidate's own quotes and the
/// rubric anchors they matched, the overall recommendation and which competencies the
/// role weighs most, whether a person has recorded a decision, and the candidate's
/// rights. It covers the completed interviews the report combines; it shows no
/// scores, similarities or thresholds. `text` is all of it as one message for an
/// email. `status` is `explained`, `not_scored` (too little to go on) or `not_ready`
/// (no completed interview yet). The explanation's sentences are in English or
/// Russian; rubric anchors and the stored reason an interview was not scored stay in
/// English, and quotes as the candidate said them.
#[utoipa::path(get, path = "/v1/candidates/{id}/explanation", tag = "candidates",
    params(("id" = String, Path, description = "The client's candidate id"), ExplanationQuery),
    responses(
        (status = 200, body = ExplanationOut),
        (status = 400, description = "`lang` is not `en` or `ru`", body = crate::error::ErrorBody),
        (status = 404, description = "No such candidate", body = crate::error::ErrorBody),
    ))]
pub async fn candidate_explanation(
    State(state): State<AppState>,
    who: Principal,
    PathId(id): PathId,
    Query(q): Query<ExplanationQuery>,
    headers: HeaderMap,
) -> Result<axum::Json<ExplanationOut>, ApiError> {
    let lang = language(q.lang.as_deref(), &headers)?;
    let candidate = state
        .store
        .get_candidate(&who.org_id, &id)
        .await?
        .ok_or_else(|| ApiError::not_found("candidate"))?;
    let explanation = explanation_of(&state, &who.org_id, &candidate.id, lang).await?;
    Ok(axum::Json(ExplanationOut {
        success: true,
        candidate_id: candidate.id,
        explanation,
    }))
}

fn language(asked: Option<&str>, headers: &HeaderMap) -> Result<Language, ApiError> {
    if let Some(code) = asked.map(str::trim).filter(|c| !c.is_empty()) {
        return Language::parse(code)
            .ok_or_else(|| ApiError::invalid("lang", "lang must be en or ru"));
    }
    Ok(headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(Language::from_accept_language)
        .unwrap_or_default())
}

/// The explanation of `org`'s candidate `id` in `lang`; shared by the API and the
/// dashboard.
pub async fn explanation_of(
    state: &AppState,
    org: &OrgId,
    id: &str,
    lang: Language,
) -> Result<Explanation, ApiError> {
    // The same interviews the report combines: completed ones with an analysis,
    // oldest first.
    let interviews = state.store.candidate_interviews(org, id).await?;
    let mut done: Vec<(&InterviewRow, Analysis, String)> = Vec::new();
    for i in interviews
        .iter()
        .filter(|i| i.status == InterviewStatus::Completed)
    {
        if let Some(a) = stored_analysis(i)? {
            let at = format_millis(i.completed_at.unwrap_or(i.updated_at));
            done.push((i, a, at));
        }
    }
    // The role's weights, read as the analysis read them: the newest scored
    // interview's project, else its vacancy.
    let weights = match done
        .iter()
        .rev()
        .find(|(_, a, _)| a.outcome == Outcome::Scored)
    {
        Some((i, _, _)) => weights_of(state, i).await?,
        None => default_weights(),
    };
    let decision = newest_decision(state, done.iter().map(|(i, _, _)| *i)).await?;
    let ids: Vec<String> = done.iter().map(|(i, _, _)| i.id.to_string()).collect();
    let read: Vec<Interviewed<'_>> = done
        .iter()
        .zip(&ids)
        .map(|((_, a, at), id)| Interviewed {
            id,
            completed_at: at,
            analysis: a,
        })
        .collect();
    let decided_at = decision.as_ref().map(|(_, at)| format_millis(*at));
    let basis = Basis {
        interviews: &read,
        weights: &weights,
        decision: decision
            .as_ref()
            .zip(decided_at.as_deref())
            .map(|((r, _), at)| Decision {
                recommendation: *r,
                at,
            }),
    };
    Ok(explain(&basis, lang))
}

async fn weights_of(state: &AppState, i: &InterviewRow) -> Result<CompetencyWeights, ApiError> {
    if let Some(project) = &i.project_id
        && let Some(p) = state.store.get_project(&i.org_id, project).await?
    {
        return Ok(p.competency_weights);
    }
    Ok(state
        .store
        .get_vacancy(&i.org_id, &i.vacancy_id)
        .await?
        .map(|v| v.competency_weights)
        .unwrap_or_else(default_weights))
}

/// The newest decision a person recorded on any of these interviews: the
/// recommendation (when it is one this version knows) and when.
async fn newest_decision(
    state: &AppState,
    interviews: impl Iterator<Item = &InterviewRow>,
) -> Result<Option<(Option<Recommendation>, i64)>, ApiError> {
    let mut newest: Option<(Option<Recommendation>, i64)> = None;
    for i in interviews {
        if let Some(o) = state
            .store
            .list_overrides(&i.org_id, &i.id)
            .await?
            .into_iter()
            .next()
            && newest.is_none_or(|(_, at)| o.created_at > at)
        {
            let r = serde_json::from_value(serde_json::Value::String(o.recommendation)).ok();
            newest = Some((r, o.created_at));
        }
    }
    Ok(newest)
}
