//! Candidates (TalentMind): created on first reference by an interview; their combined
//! score, report, and comparison.

use crate::AppState;
use crate::aggregate::{Combined, combine};
use crate::auth::Principal;
use crate::culture::company_profile;
use crate::error::ApiError;
use crate::extract::{Json, PathId};
use crate::interviews::stored_analysis;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use talentd_analysis::culture::fit;
use talentd_analysis::{Recommendation, Risk};
use talentd_core::OrgId;
use talentd_core::interview::InterviewStatus;
use talentd_core::template::Competency;
use talentd_core::timefmt::{format_millis, to_millis};
use talentd_store::{CandidateRow, InterviewRow};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_candidate, update_candidate, erase_candidate))
        .routes(routes!(candidate_score))
        .routes(routes!(candidate_report))
        .routes(routes!(compare_candidates))
}

/// A candidate.
#[derive(Serialize, Deserialize, utoipa::ToSchema)]
pub struct CandidateOut {
    pub success: bool,
    /// The client's own id.
    pub id: String,
    pub name: Option<String>,
    pub email: Option<String>,
    pub position: Option<String>,
    /// How many interviews the candidate has, in any status.
    pub interviews: usize,
    pub created_at: String,
    pub updated_at: String,
}

/// Changes to a candidate; `null` clears a field.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CandidatePatch {
    #[serde(default, deserialize_with = "crate::extract::nullable")]
    #[schema(value_type = Option<String>)]
    pub name: Option<Option<String>>,
    #[serde(default, deserialize_with = "crate::extract::nullable")]
    #[schema(value_type = Option<String>)]
    pub email: Option<Option<String>>,
    #[serde(default, deserialize_with = "crate::extract::nullable")]
    #[schema(value_type = Option<String>)]
    pub position: Option<Option<String>>,
}

async fn find(state: &AppState, org: &OrgId, id: &str) -> Result<CandidateRow, ApiError> {
    state
        .store
        .get_candidate(org, id)
        .await?
        .ok_or_else(|| ApiError::not_found("candidate"))
}

/// The candidate's interviews and their combined result.
pub(crate) async fn combined(
    state: &AppState,
    org: &OrgId,
    id: &str,
) -> Result<(Vec<InterviewRow>, Combined), ApiError> {
    let interviews = state.store.candidate_interviews(org, id).await?;
    let mut analyses = Vec::new();
    for i in interviews
        .iter()
        .filter(|i| i.status == InterviewStatus::Completed)
    {
        if let Some(a) = stored_analysis(i)? {
            analyses.push(a);
        }
    }
    Ok((interviews, combine(&analyses)))
}

fn candidate_out(c: CandidateRow, interviews: usize) -> CandidateOut {
    CandidateOut {
        success: true,
        id: c.id,
        name: c.name,
        email: c.email,
        position: c.position,
        interviews,
        created_at: format_millis(c.created_at),
        updated_at: format_millis(c.updated_at),
    }
}

/// Get a candidate.
#[utoipa::path(get, path = "/v1/candidates/{id}", tag = "candidates",
    params(("id" = String, Path, description = "The client's candidate id")),
    responses(
        (status = 200, body = CandidateOut),
        (status = 404, description = "No such candidate", body = crate::error::ErrorBody),
    ))]
pub async fn get_candidate(
    State(state): State<AppState>,
    who: Principal,
    PathId(id): PathId,
) -> Result<axum::Json<CandidateOut>, ApiError> {
    let c = find(&state, &who.org_id, &id).await?;
    let n = state
        .store
        .candidate_interviews(&who.org_id, &id)
        .await?
        .len();
    Ok(axum::Json(candidate_out(c, n)))
}

fn field(param: &str, v: &Option<String>, max: usize) -> Result<Option<String>, ApiError> {
    match v.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) if s.chars().count() > max => Err(ApiError::invalid(
            param,
            format!("{param} must be at most {max} characters"),
        )),
        other => Ok(other.map(str::to_owned)),
    }
}

/// Set a candidate's name, email or position.
#[utoipa::path(patch, path = "/v1/candidates/{id}", tag = "candidates", request_body = CandidatePatch,
    params(("id" = String, Path, description = "The client's candidate id")),
    responses(
        (status = 200, body = CandidateOut),
        (status = 400, description = "Invalid request", body = crate::error::ErrorBody),
        (status = 404, description = "No such candidate", body = crate::error::ErrorBody),
    ))]
pub async fn update_candidate(
    State(state): State<AppState>,
    who: Principal,
    PathId(id): PathId,
    Json(patch): Json<CandidatePatch>,
) -> Result<axum::Json<CandidateOut>, ApiError> {
    let mut c = find(&state, &who.org_id, &id).await?;
    if let Some(name) = &patch.name {
        c.name = field("name", name, 200)?;
    }
    if let Some(email) = &patch.email {
        c.email = field("email", email, 254)?;
        if c.email.as_ref().is_some_and(|e| !e.contains('@')) {
            return Err(ApiError::invalid("email", "email is not an email address"));
        }
    }
    if let Some(position) = &patch.position {
        c.position = field("position", position, 200)?;
    }
    c.updated_at = to_millis(state.clock.now());
    if !state.store.update_candidate(&c).await? {
        return Err(ApiError::not_found("candidate"));
    }
    let n = state
        .store
        .candidate_interviews(&who.org_id, &id)
        .await?
        .len();
    Ok(axum::Json(candidate_out(c, n)))
}

/// Erase a candidate: their interviews, transcripts, recordings, scores, reports,
/// recruiters' decisions, the events and webhook deliveries that name them, and their
/// idempotent replays.
///
/// At once, the candidate and their interviews are gone from every read (404 here,
/// in lists, comparisons and report links), their queued work is cancelled, and the
/// events, deliveries and replays that name them are deleted, so that nothing about
/// them is sent after this answer. A job then deletes the recordings and every
/// remaining row, within 24 hours of the request (normally seconds). The answer is the
/// receipt, to follow with `GET /v1/erasures/{id}`; it names the candidate only by a
/// pseudonym. The candidate id is free for a new candidate once the purge completed
/// (until then, a new interview for it is a 409).
#[utoipa::path(delete, path = "/v1/candidates/{id}", tag = "candidates",
    params(("id" = String, Path, description = "The client's candidate id")),
    responses(
        (status = 202, description = "Erased from every read; the purge is queued", body = crate::erasures::ErasureOut),
        (status = 404, description = "No such candidate (or already erased)", body = crate::error::ErrorBody),
    ))]
pub async fn erase_candidate(
    State(state): State<AppState>,
    who: Principal,
    PathId(id): PathId,
) -> Result<(StatusCode, axum::Json<crate::erasures::ErasureOut>), ApiError> {
    let row = crate::erasures::erase(&state, &who.org_id, &id, who.key_id.as_str()).await?;
    Ok((
        StatusCode::ACCEPTED,
        axum::Json(crate::erasures::ErasureOut::from_row(row)),
    ))
}

/// A candidate's soft-skill scores.
#[derive(Serialize, Deserialize, utoipa::ToSchema)]
#[schema(example = json!({
    "success": true, "candidate_id": "cand_4f21", "match": 0.88,
    "scores": {"leadership": 0.88, "communication": 0.84, "empathy": 0.75, "logic": 0.76, "planning": 0.85, "stress_tolerance": 0.68},
    "interviews_scored": 1
}))]
pub struct ScoreOut {
    pub success: bool,
    pub candidate_id: String,
    /// Mean match over the scored interviews; null before the first one.
    #[serde(rename = "match")]
    pub match_score: Option<f64>,
    /// Per skill, the confidence-weighted mean over the scored interviews.
    #[schema(value_type = Option<Object>)]
    pub scores: Option<BTreeMap<String, f64>>,
    pub interviews_scored: usize,
}

/// Soft-skill scores of a candidate, combined over their completed interviews: each
/// skill is the confidence-weighted mean of its scores, `match` the mean of the
/// interviews' match values. Interviews with insufficient evidence do not count.
#[utoipa::path(get, path = "/v1/candidates/{id}/score", tag = "candidates",
    params(("id" = String, Path, description = "The client's candidate id")),
    responses(
        (status = 200, body = ScoreOut),
        (status = 404, description = "No such candidate", body = crate::error::ErrorBody),
    ))]
pub async fn candidate_score(
    State(state): State<AppState>,
    who: Principal,
    PathId(id): PathId,
) -> Result<axum::Json<ScoreOut>, ApiError> {
    let c = find(&state, &who.org_id, &id).await?;
    let (_, combined) = combined(&state, &who.org_id, &id).await?;
    Ok(axum::Json(ScoreOut {
        success: true,
        candidate_id: c.id,
        match_score: combined.match_score,
        scores: combined.scores,
        interviews_scored: combined.interviews_scored,
    }))
}

/// Who the report is about.
#[derive(Serialize, Deserialize, utoipa::ToSchema)]
pub struct ReportCandidateOut {
    pub id: String,
    pub name: Option<String>,
    pub position: Option<String>,
}

/// A candidate's report.
#[derive(Serialize, Deserialize, utoipa::ToSchema)]
pub struct ReportOut {
    pub success: bool,
    pub candidate: ReportCandidateOut,
    /// Culture fit with the company's profile (`fit_score` of `POST /v1/culture/fit`).
    pub compatibility: Option<f64>,
    /// `strongly_recommended`, `recommended`, `consider` or `not_recommended`; null
    /// before a scored interview.
    #[schema(value_type = Option<String>)]
    pub recommendation: Option<Recommendation>,
    pub strengths: Vec<String>,
    /// What a recruiter must know, in words.
    pub risks: Vec<String>,
    /// The risks with the quotes behind them.
    #[schema(value_type = Vec<Object>)]
    pub risk_details: Vec<Risk>,
    #[serde(rename = "match")]
    pub match_score: Option<f64>,
    #[schema(value_type = Option<Object>)]
    pub scores: Option<BTreeMap<String, f64>>,
    pub summary: Option<String>,
    /// The report page of the latest completed interview.
    pub report_url: Option<String>,
    pub interviews_scored: usize,
}

/// The full report of a candidate.
#[utoipa::path(get, path = "/v1/candidates/{id}/report", tag = "candidates",
    params(("id" = String, Path, description = "The client's candidate id")),
    responses(
        (status = 200, body = ReportOut),
        (status = 404, description = "No such candidate", body = crate::error::ErrorBody),
    ))]
pub async fn candidate_report(
    State(state): State<AppState>,
    who: Principal,
    PathId(id): PathId,
) -> Result<axum::Json<ReportOut>, ApiError> {
    let c = find(&state, &who.org_id, &id).await?;
    let (interviews, combined) = combined(&state, &who.org_id, &id).await?;
    let compatibility = match &combined.culture {
        Some(culture) => {
            let company = company_profile(&state, &who.org_id).await?;
            Some(fit(&company, culture).fit_score)
        }
        None => None,
    };
    let position = match c.position.clone() {
        Some(p) => Some(p),
        None => position_of(&state, &who.org_id, interviews.last()).await?,
    };
    let report_url = interviews
        .iter()
        .rev()
        .find(|i| i.status == InterviewStatus::Completed)
        .map(|i| talentd_jobs::report_url(&state.config.public_url, &i.report_token));
    Ok(axum::Json(ReportOut {
        success: true,
        candidate: ReportCandidateOut {
            id: c.id,
            name: c.name,
            position,
        },
        compatibility,
        recommendation: combined.recommendation,
        strengths: combined.strengths,
        risks: combined.risks.iter().map(|r| r.message.clone()).collect(),
        risk_details: combined.risks,
        match_score: combined.match_score,
        scores: combined.scores,
        summary: combined.summary,
        report_url,
        interviews_scored: combined.interviews_scored,
    }))
}

/// The position an interview was for: its project's name, else its vacancy's title.
pub async fn position_of(
    state: &AppState,
    org: &OrgId,
    i: Option<&InterviewRow>,
) -> Result<Option<String>, ApiError> {
    let Some(i) = i else { return Ok(None) };
    if let Some(p) = &i.project_id
        && let Some(p) = state.store.get_project(org, p).await?
    {
        return Ok(Some(p.name));
    }
    Ok(state
        .store
        .get_vacancy(org, &i.vacancy_id)
        .await?
        .and_then(|v| v.title))
}

/// Candidates to compare.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"candidate_ids": ["cand_4f21", "cand_9a02"], "criteria": "leadership"}))]
pub struct CompareIn {
    /// 2 to 10 distinct candidate ids.
    pub candidate_ids: Vec<String>,
    /// A skill (`leadership`, `communication`, `empathy`, `logic`, `planning`,
    /// `stress_tolerance`), `match` (the default), `compatibility` or `culture_fit`.
    pub criteria: Option<String>,
}

/// One place in a ranking.
#[derive(Serialize, Deserialize, utoipa::ToSchema)]
pub struct RankOut {
    pub candidate_id: String,
    /// Null when the candidate has no value for the criterion yet (ranked last).
    pub score: Option<f64>,
}

/// A ranking, best first.
#[derive(Serialize, Deserialize, utoipa::ToSchema)]
#[schema(example = json!({"success": true, "criteria": "leadership", "ranking": [
    {"candidate_id": "cand_4f21", "score": 0.88}, {"candidate_id": "cand_9a02", "score": 0.81}]}))]
pub struct CompareOut {
    pub success: bool,
    pub criteria: String,
    pub ranking: Vec<RankOut>,
}

/// Compare candidates by one criterion, best first. Candidates without a value for it
/// come last; ties keep the order given.
#[utoipa::path(post, path = "/v1/candidates/compare", tag = "candidates", request_body = CompareIn,
    responses(
        (status = 200, body = CompareOut),
        (status = 400, description = "Fewer than 2 or more than 10 ids, duplicates, or an unknown criterion", body = crate::error::ErrorBody),
        (status = 404, description = "Unknown candidates (named in the message)", body = crate::error::ErrorBody),
    ))]
pub async fn compare_candidates(
    State(state): State<AppState>,
    who: Principal,
    Json(input): Json<CompareIn>,
) -> Result<axum::Json<CompareOut>, ApiError> {
    compare(&state, &who.org_id, input).await.map(axum::Json)
}

/// Ranks `org`'s candidates by one criterion; shared by the API and the dashboard.
pub async fn compare(
    state: &AppState,
    org: &OrgId,
    input: CompareIn,
) -> Result<CompareOut, ApiError> {
    let ids = input.candidate_ids;
    if !(2..=10).contains(&ids.len()) {
        return Err(ApiError::invalid(
            "candidate_ids",
            "give 2 to 10 candidate ids",
        ));
    }
    let mut seen = std::collections::BTreeSet::new();
    if let Some(dup) = ids.iter().find(|id| !seen.insert(id.as_str())) {
        return Err(ApiError::invalid(
            "candidate_ids",
            format!("candidate {dup} is listed twice"),
        ));
    }
    let criteria = input.criteria.unwrap_or_else(|| "match".to_owned());
    let skill = Competency::ALL.into_iter().find(|c| c.as_str() == criteria);
    if skill.is_none() && !matches!(criteria.as_str(), "match" | "compatibility" | "culture_fit") {
        return Err(ApiError::invalid(
            "criteria",
            "criteria must be a skill (leadership, communication, empathy, logic, planning, \
             stress_tolerance), match, compatibility or culture_fit",
        ));
    }
    let mut missing = Vec::new();
    for id in &ids {
        if state.store.get_candidate(org, id).await?.is_none() {
            missing.push(id.as_str());
        }
    }
    if !missing.is_empty() {
        return Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("unknown candidates: {}", missing.join(", ")),
        )
        .param("candidate_ids"));
    }
    let company = if skill.is_none() && criteria != "match" {
        Some(company_profile(state, org).await?)
    } else {
        None
    };
    let mut ranking = Vec::with_capacity(ids.len());
    for id in ids {
        let (_, c) = combined(state, org, &id).await?;
        let score = match (skill, &company) {
            (Some(s), _) => c.scores.as_ref().and_then(|m| m.get(s.as_str()).copied()),
            (None, Some(company)) => c.culture.as_ref().map(|cu| fit(company, cu).fit_score),
            (None, None) => c.match_score,
        };
        ranking.push(RankOut {
            candidate_id: id,
            score,
        });
    }
    // Stable: ties keep the order given.
    ranking.sort_by(|a, b| match (a.score, b.score) {
        (Some(x), Some(y)) => y.total_cmp(&x),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    });
    Ok(CompareOut {
        success: true,
        criteria,
        ranking,
    })
}
