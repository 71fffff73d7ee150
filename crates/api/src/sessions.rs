//! Sessions (talentoBot): interviews held with Tami through a project's link, with their
//! transcript, scores, analysis and integrity flags. A session is also an interview:
//! `ses_x` and `int_x` name the same row.

use crate::AppState;
use crate::auth::Principal;
use crate::envelope::ListOut;
use crate::error::ApiError;
use crate::extract::{PathId, Query};
use crate::interviews::{analysis_view, scores_of, stored_analysis};
use crate::live::{ProgressOut, TurnOut, turns_of};
use crate::pagination::paging;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use talentd_core::interview::InterviewStatus;
use talentd_core::timefmt::format_millis;
use talentd_core::{InterviewId, ProjectId};
use talentd_interviewer::LiveState;
use talentd_store::InterviewRow;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_sessions))
        .routes(routes!(get_session))
}

/// A session in a list.
#[derive(Serialize, Deserialize, utoipa::ToSchema)]
pub struct SessionItemOut {
    /// `ses_...`
    pub id: String,
    /// The same row as an interview: `int_...`
    pub interview_id: String,
    pub project_id: String,
    pub candidate_id: String,
    pub candidate_name: Option<String>,
    /// `in_progress`, `processing`, `completed`, `failed` or `abandoned`.
    pub status: InterviewStatus,
    /// Match for the project in [0, 1] once completed.
    #[serde(rename = "match")]
    pub match_score: Option<f64>,
    #[schema(value_type = Option<Object>)]
    pub scores: Option<BTreeMap<String, f64>>,
    pub report_url: String,
    pub started_at: String,
    pub completed_at: Option<String>,
}

impl SessionItemOut {
    fn build(
        i: &InterviewRow,
        candidate_name: Option<String>,
        public_url: &str,
    ) -> Result<Self, ApiError> {
        let analysis = stored_analysis(i)?;
        Ok(Self {
            id: i.id.session_id(),
            interview_id: i.id.to_string(),
            project_id: i
                .project_id
                .as_ref()
                .map(|p| p.to_string())
                .unwrap_or_default(),
            candidate_id: i.candidate_id.clone(),
            candidate_name,
            status: i.status,
            match_score: i.match_score,
            scores: analysis.as_ref().and_then(scores_of),
            report_url: talentd_jobs::report_url(public_url, &i.report_token),
            started_at: format_millis(i.created_at),
            completed_at: i.completed_at.map(format_millis),
        })
    }
}

/// Query of the session list.
#[derive(Deserialize, utoipa::IntoParams)]
pub struct SessionListQuery {
    /// Default 20, at most 100.
    pub limit: Option<String>,
    pub offset: Option<String>,
}

/// List a project's interview sessions, newest first.
#[utoipa::path(get, path = "/v1/projects/{id}/sessions", tag = "sessions",
    params(("id" = String, Path, description = "Project id (`prj_...`)"), SessionListQuery),
    responses(
        (status = 200, body = ListOut<SessionItemOut>),
        (status = 400, description = "Invalid limit or offset", body = crate::error::ErrorBody),
        (status = 404, description = "No such project", body = crate::error::ErrorBody),
    ))]
pub async fn list_sessions(
    State(state): State<AppState>,
    who: Principal,
    PathId(id): PathId,
    Query(q): Query<SessionListQuery>,
) -> Result<axum::Json<ListOut<SessionItemOut>>, ApiError> {
    let paging = paging(q.limit.as_deref(), q.offset.as_deref())?;
    let project = ProjectId::parse(&id).ok_or_else(|| ApiError::not_found("project"))?;
    state
        .store
        .get_project(&who.org_id, &project)
        .await?
        .ok_or_else(|| ApiError::not_found("project"))?;
    let page = state
        .store
        .list_project_sessions(&who.org_id, &project, paging.limit, paging.offset)
        .await?;
    let mut items = Vec::with_capacity(page.items.len());
    for i in &page.items {
        let name = state
            .store
            .get_candidate(&who.org_id, &i.candidate_id)
            .await?
            .and_then(|c| c.name);
        items.push(SessionItemOut::build(i, name, &state.config.public_url)?);
    }
    Ok(axum::Json(ListOut::new(page.total, items, paging)))
}

/// A flag for a reviewer. Flags never change a score.
#[derive(Serialize, Deserialize, utoipa::ToSchema)]
pub struct FlagOut {
    /// `tab_switch`, `long_paste`, `fast_answer` or `long_pause`.
    pub kind: String,
    /// RFC 3339.
    pub at: String,
    pub detail: String,
}

/// A session with everything known about it.
#[derive(Serialize, Deserialize, utoipa::ToSchema)]
pub struct SessionOut {
    pub success: bool,
    #[serde(flatten)]
    pub session: SessionItemOut,
    pub candidate_email: Option<String>,
    /// `en` or `ru`.
    pub language: String,
    pub progress: ProgressOut,
    /// From the greeting to the last message, in seconds.
    pub duration_seconds: f64,
    /// Every message: `{role: interviewer|candidate, kind, text, at}`.
    pub transcript: Vec<TurnOut>,
    /// Per skill: score, confidence and evidence; strengths, risks, summary.
    #[schema(value_type = Option<Object>)]
    pub analysis: Option<serde_json::Value>,
    /// For a reviewer: tab switches, long pastes and answer timing, with times.
    pub integrity_flags: Vec<FlagOut>,
    /// While processing: the stage of the analysis.
    pub stage: Option<talentd_core::interview::Stage>,
    /// Set when `status` is `failed`.
    pub error: Option<crate::interviews::InterviewErrorOut>,
    /// A recruiter's decision over the AI's recommendation, when one was made.
    pub human_recommendation: Option<crate::interviews::HumanDecisionOut>,
}

/// Get a session: transcript, scores, analysis, report link and integrity flags.
#[utoipa::path(get, path = "/v1/sessions/{id}", tag = "sessions",
    params(("id" = String, Path, description = "Session id (`ses_...`; the interview id `int_...` works too)")),
    responses(
        (status = 200, body = SessionOut),
        (status = 404, description = "No such session", body = crate::error::ErrorBody),
    ))]
pub async fn get_session(
    State(state): State<AppState>,
    who: Principal,
    PathId(id): PathId,
) -> Result<axum::Json<SessionOut>, ApiError> {
    let not_found = || ApiError::not_found("session");
    let id = InterviewId::from_session_id(&id).ok_or_else(not_found)?;
    let row = state.store.get_session(&id).await?.ok_or_else(not_found)?;
    if row.interview.org_id != who.org_id {
        return Err(not_found());
    }
    let live: LiveState =
        serde_json::from_value(row.state.clone()).map_err(|e| ApiError::internal(&e))?;
    let i = &row.interview;
    let candidate = state
        .store
        .get_candidate(&who.org_id, &i.candidate_id)
        .await?;
    let turns = live.dialogue.transcript();
    let last = turns.last().map_or(live.started_ms, |t| t.at_ms);
    let analysis = stored_analysis(i)?;
    let human_recommendation = crate::interviews::human_decision(&state, i).await?;
    Ok(axum::Json(SessionOut {
        human_recommendation,
        success: true,
        session: SessionItemOut::build(
            i,
            candidate.as_ref().and_then(|c| c.name.clone()),
            &state.config.public_url,
        )?,
        candidate_email: candidate.and_then(|c| c.email),
        language: live.dialogue.language().as_str().to_owned(),
        progress: live.dialogue.progress().into(),
        duration_seconds: ((last - live.started_ms).max(0) as f64 / 100.0).round() / 10.0,
        transcript: turns_of(&live),
        analysis: analysis.as_ref().map(analysis_view),
        integrity_flags: live
            .flags()
            .into_iter()
            .map(|f| FlagOut {
                kind: f.kind,
                at: format_millis(f.at_ms),
                detail: f.detail,
            })
            .collect(),
        stage: (i.status == InterviewStatus::Processing)
            .then_some(i.stage)
            .flatten(),
        error: i
            .error_code
            .as_ref()
            .map(|code| crate::interviews::InterviewErrorOut {
                code: code.clone(),
                message: i.error_message.clone().unwrap_or_default(),
            }),
    }))
}
