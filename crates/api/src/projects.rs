//! Projects: interview configurations with instructions for Tami and an interview link.

use crate::AppState;
use crate::auth::Principal;
use crate::envelope::{ListOut, Success};
use crate::error::ApiError;
use crate::extract::{Json, PathId, Query};
use crate::pagination::paging;
use crate::templates::template_visible;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use talentd_core::event::{Event, EventType};
use talentd_core::id::random_token;
use talentd_core::project::{
    CompetencyWeights, ProjectStatus, derived_weights, effective_status, normalise_weights,
};
use talentd_core::timefmt::{format_millis, parse, to_millis};
use talentd_core::{OrgId, ProjectId};
use talentd_store::{ProjectFilter, ProjectRow};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_project, list_projects))
        .routes(routes!(get_project, update_project, delete_project))
}

const MAX_NAME: usize = 200;
const MAX_INSTRUCTIONS: usize = 20_000;
const MAX_SESSIONS: i64 = 1_000_000;

/// A new project.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "project_name": "Senior Frontend Developer",
    "instructions": "Focus on React experience and teamwork. Ask about a difficult bug.",
    "template_id": "tpl_software_engineer",
    "company_name": "Acme Inc"
}))]
pub struct ProjectIn {
    /// Name of the position or project.
    pub project_name: String,
    /// Instructions for Tami, the AI interviewer.
    pub instructions: String,
    /// Template (question plan) to use: a built-in one or the organisation's own.
    pub template_id: Option<String>,
    /// Company name shown to candidates.
    pub company_name: Option<String>,
    /// When the interview link stops accepting candidates (RFC 3339).
    pub expires_at: Option<String>,
    /// How many interviews the link accepts at most.
    pub max_sessions: Option<i64>,
    /// Relative weights of the competencies in the match score (missing ones weigh 0).
    /// When omitted: as many as the template's questions that probe each competency,
    /// plus two for each competency the instructions name; all equal with neither.
    #[schema(value_type = Option<Object>, example = json!({"communication": 2, "logic": 1}))]
    pub competency_weights: Option<CompetencyWeights>,
}

/// Changes to a project; omitted fields stay as they are, `null` clears an optional one.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProjectPatch {
    pub project_name: Option<String>,
    pub instructions: Option<String>,
    #[serde(default, deserialize_with = "crate::extract::nullable")]
    #[schema(value_type = Option<String>)]
    pub template_id: Option<Option<String>>,
    #[serde(default, deserialize_with = "crate::extract::nullable")]
    #[schema(value_type = Option<String>)]
    pub company_name: Option<Option<String>>,
    /// `active`, `completed` (closed) or `expired`.
    pub status: Option<ProjectStatus>,
    #[serde(default, deserialize_with = "crate::extract::nullable")]
    #[schema(value_type = Option<String>)]
    pub expires_at: Option<Option<String>>,
    #[serde(default, deserialize_with = "crate::extract::nullable")]
    #[schema(value_type = Option<i64>)]
    pub max_sessions: Option<Option<i64>>,
    #[schema(value_type = Option<Object>)]
    pub competency_weights: Option<CompetencyWeights>,
}

/// A project.
#[derive(Serialize, Deserialize, utoipa::ToSchema)]
pub struct ProjectOut {
    /// `prj_...`
    pub id: String,
    pub project_name: String,
    pub instructions: String,
    pub template_id: Option<String>,
    pub company_name: Option<String>,
    /// `active`, `completed` or `expired` (an active project past `expires_at` reads expired).
    pub status: ProjectStatus,
    /// The link candidates open to be interviewed by Tami.
    pub interview_url: String,
    pub expires_at: Option<String>,
    pub max_sessions: Option<i64>,
    #[schema(value_type = Object)]
    pub competency_weights: CompetencyWeights,
    pub created_at: String,
    pub updated_at: String,
}

impl ProjectOut {
    pub fn from_row(p: &ProjectRow, public_url: &str, now_ms: i64) -> Self {
        Self {
            id: p.id.to_string(),
            project_name: p.name.clone(),
            instructions: p.instructions.clone(),
            template_id: p.template_id.clone(),
            company_name: p.company_name.clone(),
            status: effective_status(p.status, p.expires_at, now_ms),
            interview_url: format!("{public_url}/i/{}", p.link_token),
            expires_at: p.expires_at.map(format_millis),
            max_sessions: p.max_sessions,
            competency_weights: p.competency_weights.clone(),
            created_at: format_millis(p.created_at),
            updated_at: format_millis(p.updated_at),
        }
    }
}

/// Query of the project list.
#[derive(Deserialize, utoipa::IntoParams)]
pub struct ProjectListQuery {
    /// Number of results (default 20, max 100).
    pub limit: Option<String>,
    /// Pagination offset (default 0).
    pub offset: Option<String>,
    /// Filter by status: `active`, `completed`, `expired`.
    pub status: Option<String>,
}

fn required_text(param: &str, value: &str, max: usize) -> Result<String, ApiError> {
    let v = value.trim();
    if v.is_empty() {
        return Err(ApiError::invalid(
            param,
            format!("{param} must not be empty"),
        ));
    }
    if v.chars().count() > max {
        return Err(ApiError::invalid(
            param,
            format!("{param} must be at most {max} characters"),
        ));
    }
    Ok(v.to_owned())
}

fn optional_text(param: &str, value: Option<&str>, max: usize) -> Result<Option<String>, ApiError> {
    match value.map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) => required_text(param, v, max).map(Some),
    }
}

fn expiry(value: &str, now_ms: i64) -> Result<i64, ApiError> {
    let t = parse(value).ok_or_else(|| {
        ApiError::invalid(
            "expires_at",
            "expires_at must be an RFC 3339 timestamp, e.g. 2026-12-31T23:59:59Z",
        )
    })?;
    let ms = to_millis(t);
    if ms <= now_ms {
        return Err(ApiError::invalid(
            "expires_at",
            "expires_at must be in the future",
        ));
    }
    Ok(ms)
}

fn sessions_cap(value: i64) -> Result<i64, ApiError> {
    if (1..=MAX_SESSIONS).contains(&value) {
        Ok(value)
    } else {
        Err(ApiError::invalid(
            "max_sessions",
            format!("max_sessions must be from 1 to {MAX_SESSIONS}"),
        ))
    }
}

fn weights(given: &CompetencyWeights) -> Result<CompetencyWeights, ApiError> {
    normalise_weights(given).map_err(|m| ApiError::invalid("competency_weights", m))
}

/// The questions of a template the organisation may use (none for no template).
async fn template_questions(
    state: &AppState,
    org: &OrgId,
    template_id: Option<&str>,
) -> Result<Vec<talentd_core::template::Question>, ApiError> {
    let Some(id) = template_id.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(Vec::new());
    };
    if let Some(b) = talentd_core::template::builtin(id) {
        return Ok(b.questions());
    }
    match talentd_core::TemplateId::parse(id) {
        Some(tid) => Ok(state
            .store
            .get_template(org, &tid)
            .await?
            .map(|t| t.questions)
            .unwrap_or_default()),
        None => Ok(Vec::new()),
    }
}

async fn checked_template(
    state: &AppState,
    org: &OrgId,
    template_id: Option<&str>,
) -> Result<Option<String>, ApiError> {
    match template_id.map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(None),
        Some(id) if template_visible(state, org, id).await? => Ok(Some(id.to_owned())),
        Some(_) => Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "unknown_template",
            "no template with this id",
        )
        .param("template_id")),
    }
}

/// Create a project.
///
/// Records a `project.created` event. The project starts `active` with a fresh,
/// unguessable `interview_url`.
#[utoipa::path(post, path = "/v1/projects", tag = "projects", request_body = ProjectIn,
    responses(
        (status = 201, description = "Project created", body = Success<ProjectOut>),
        (status = 400, description = "Invalid request", body = crate::error::ErrorBody),
    ))]
pub async fn create_project(
    State(state): State<AppState>,
    who: Principal,
    Json(input): Json<ProjectIn>,
) -> Result<(StatusCode, axum::Json<Success<ProjectOut>>), ApiError> {
    let out = create(&state, &who.org_id, input).await?;
    Ok((StatusCode::CREATED, axum::Json(Success::new(out))))
}

/// Creates a project for `org` with its `project.created` event; shared by the API and
/// the dashboard.
pub async fn create(
    state: &AppState,
    org: &OrgId,
    input: ProjectIn,
) -> Result<ProjectOut, ApiError> {
    let now = to_millis(state.clock.now());
    let row = ProjectRow {
        id: ProjectId::generate(),
        org_id: org.clone(),
        name: required_text("project_name", &input.project_name, MAX_NAME)?,
        instructions: required_text("instructions", &input.instructions, MAX_INSTRUCTIONS)?,
        template_id: checked_template(state, org, input.template_id.as_deref()).await?,
        company_name: optional_text("company_name", input.company_name.as_deref(), MAX_NAME)?,
        status: ProjectStatus::Active,
        link_token: random_token(32),
        expires_at: input
            .expires_at
            .as_deref()
            .map(|e| expiry(e, now))
            .transpose()?,
        max_sessions: input.max_sessions.map(sessions_cap).transpose()?,
        competency_weights: match &input.competency_weights {
            Some(w) => weights(w)?,
            None => derived_weights(
                &template_questions(state, org, input.template_id.as_deref()).await?,
                &input.instructions,
            ),
        },
        created_at: now,
        updated_at: now,
    };
    let out = ProjectOut::from_row(&row, &state.config.public_url, now);
    let data = serde_json::to_value(&out).map_err(|e| ApiError::internal(&e))?;
    let event = Event::new(org.clone(), EventType::ProjectCreated, data, now);
    state.store.create_project(&row, &event).await?;
    if let Some(w) = &state.wake_deliveries {
        w.notify_waiters();
    }
    Ok(out)
}

/// List projects, newest first.
#[utoipa::path(get, path = "/v1/projects", tag = "projects", params(ProjectListQuery),
    responses(
        (status = 200, body = ListOut<ProjectOut>),
        (status = 400, description = "Invalid limit, offset or status", body = crate::error::ErrorBody),
    ))]
pub async fn list_projects(
    State(state): State<AppState>,
    who: Principal,
    Query(q): Query<ProjectListQuery>,
) -> Result<axum::Json<ListOut<ProjectOut>>, ApiError> {
    let paging = paging(q.limit.as_deref(), q.offset.as_deref())?;
    let status = q
        .status
        .as_deref()
        .map(|s| {
            ProjectStatus::parse(s).ok_or_else(|| {
                ApiError::invalid("status", "status must be one of active, completed, expired")
            })
        })
        .transpose()?;
    let now = to_millis(state.clock.now());
    let page = state
        .store
        .list_projects(
            &who.org_id,
            ProjectFilter { status },
            now,
            paging.limit,
            paging.offset,
        )
        .await?;
    let items = page
        .items
        .iter()
        .map(|p| ProjectOut::from_row(p, &state.config.public_url, now))
        .collect();
    Ok(axum::Json(ListOut::new(page.total, items, paging)))
}

/// The organisation's project `id`, or 404.
pub async fn find(state: &AppState, org: &OrgId, id: &str) -> Result<ProjectRow, ApiError> {
    let Some(id) = ProjectId::parse(id) else {
        return Err(ApiError::not_found("project"));
    };
    state
        .store
        .get_project(org, &id)
        .await?
        .ok_or_else(|| ApiError::not_found("project"))
}

/// Retrieve a project.
#[utoipa::path(get, path = "/v1/projects/{id}", tag = "projects",
    params(("id" = String, Path, description = "Project id (`prj_...`)")),
    responses(
        (status = 200, body = Success<ProjectOut>),
        (status = 404, description = "No such project", body = crate::error::ErrorBody),
    ))]
pub async fn get_project(
    State(state): State<AppState>,
    who: Principal,
    PathId(id): PathId,
) -> Result<axum::Json<Success<ProjectOut>>, ApiError> {
    let row = find(&state, &who.org_id, &id).await?;
    let now = to_millis(state.clock.now());
    Ok(axum::Json(Success::new(ProjectOut::from_row(
        &row,
        &state.config.public_url,
        now,
    ))))
}

/// Update a project: instructions, name, company name, template, status (close it with
/// `completed`), expiry, session cap, competency weights.
#[utoipa::path(patch, path = "/v1/projects/{id}", tag = "projects", request_body = ProjectPatch,
    params(("id" = String, Path, description = "Project id (`prj_...`)")),
    responses(
        (status = 200, body = Success<ProjectOut>),
        (status = 400, description = "Invalid request", body = crate::error::ErrorBody),
        (status = 404, description = "No such project", body = crate::error::ErrorBody),
    ))]
pub async fn update_project(
    State(state): State<AppState>,
    who: Principal,
    PathId(id): PathId,
    Json(patch): Json<ProjectPatch>,
) -> Result<axum::Json<Success<ProjectOut>>, ApiError> {
    Ok(axum::Json(Success::new(
        update(&state, &who.org_id, &id, patch).await?,
    )))
}

/// Applies a patch to the organisation's project `id`; shared by the API and the
/// dashboard.
pub async fn update(
    state: &AppState,
    org: &OrgId,
    id: &str,
    patch: ProjectPatch,
) -> Result<ProjectOut, ApiError> {
    let mut row = find(state, org, id).await?;
    let now = to_millis(state.clock.now());
    if let Some(name) = &patch.project_name {
        row.name = required_text("project_name", name, MAX_NAME)?;
    }
    if let Some(instructions) = &patch.instructions {
        row.instructions = required_text("instructions", instructions, MAX_INSTRUCTIONS)?;
    }
    if let Some(template) = &patch.template_id {
        row.template_id = checked_template(state, org, template.as_deref()).await?;
    }
    if let Some(company) = &patch.company_name {
        row.company_name = optional_text("company_name", company.as_deref(), MAX_NAME)?;
    }
    if let Some(expires) = &patch.expires_at {
        row.expires_at = expires.as_deref().map(|e| expiry(e, now)).transpose()?;
    }
    if let Some(cap) = patch.max_sessions {
        row.max_sessions = cap.map(sessions_cap).transpose()?;
    }
    if let Some(w) = &patch.competency_weights {
        row.competency_weights = weights(w)?;
    }
    if let Some(status) = patch.status {
        row.status = status;
        if status == ProjectStatus::Active
            && effective_status(row.status, row.expires_at, now) == ProjectStatus::Expired
        {
            return Err(ApiError::invalid(
                "status",
                "the project's expires_at has passed: extend or clear expires_at to reopen it",
            ));
        }
    }
    row.updated_at = now;
    if !state.store.update_project(&row).await? {
        return Err(ApiError::not_found("project"));
    }
    Ok(ProjectOut::from_row(&row, &state.config.public_url, now))
}

/// Whether a deletion happened.
#[derive(Serialize, Deserialize, utoipa::ToSchema)]
pub struct DeletedOut {
    pub success: bool,
    pub id: String,
    pub deleted: bool,
}

/// Delete a project. Irreversible: its interview link stops working.
#[utoipa::path(delete, path = "/v1/projects/{id}", tag = "projects",
    params(("id" = String, Path, description = "Project id (`prj_...`)")),
    responses(
        (status = 200, body = DeletedOut),
        (status = 404, description = "No such project", body = crate::error::ErrorBody),
    ))]
pub async fn delete_project(
    State(state): State<AppState>,
    who: Principal,
    PathId(id): PathId,
) -> Result<axum::Json<DeletedOut>, ApiError> {
    let row = find(&state, &who.org_id, &id).await?;
    if !state.store.delete_project(&who.org_id, &row.id).await? {
        return Err(ApiError::not_found("project"));
    }
    Ok(axum::Json(DeletedOut {
        success: true,
        id: row.id.to_string(),
        deleted: true,
    }))
}
