//! Templates: question plans. Built-in ones ship with talentd; an organisation can add
//! its own.

use crate::AppState;
use crate::auth::Principal;
use crate::envelope::{ListOut, Success};
use crate::error::ApiError;
use crate::extract::{Json, PathId, Query};
use crate::pagination::paging;
use crate::projects::DeletedOut;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use talentd_core::template::{BUILTIN_TEMPLATES, BuiltinTemplate, Question, builtin};
use talentd_core::timefmt::{format_millis, to_millis};
use talentd_core::{OrgId, TemplateId};
use talentd_store::TemplateRow;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_template, list_templates))
        .routes(routes!(get_template, delete_template))
}

const MAX_QUESTIONS: usize = 50;
const MAX_QUESTION_LEN: usize = 2_000;

/// Whether `id` names a template the organisation may use.
pub async fn template_visible(state: &AppState, org: &OrgId, id: &str) -> Result<bool, ApiError> {
    if builtin(id).is_some() {
        return Ok(true);
    }
    match TemplateId::parse(id) {
        Some(id) => Ok(state.store.get_template(org, &id).await?.is_some()),
        None => Ok(false),
    }
}

/// A new template.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "name": "Data analyst",
    "description": "Analytical thinking and communication",
    "questions": [
        {"text": "Tell me about an analysis that changed a decision.", "competencies": ["logic", "communication"]},
        {"text": "How do you plan a piece of analysis with a deadline?", "competencies": ["planning"]}
    ]
}))]
pub struct TemplateIn {
    pub name: String,
    pub description: Option<String>,
    /// 1 to 50 questions, each tagged with at least one competency.
    pub questions: Vec<Question>,
}

/// A template.
#[derive(Serialize, Deserialize, utoipa::ToSchema)]
pub struct TemplateOut {
    /// `tpl_...`
    pub id: String,
    pub name: String,
    pub description: Option<String>,
    /// True for templates shipped with talentd (they cannot be deleted).
    pub builtin: bool,
    pub questions: Vec<Question>,
    /// Null for built-in templates.
    pub created_at: Option<String>,
}

impl TemplateOut {
    fn from_builtin(t: &BuiltinTemplate) -> Self {
        Self {
            id: t.id.to_owned(),
            name: t.name.to_owned(),
            description: Some(t.description.to_owned()),
            builtin: true,
            questions: t.questions(),
            created_at: None,
        }
    }

    fn from_row(t: TemplateRow) -> Self {
        Self {
            id: t.id.to_string(),
            name: t.name,
            description: t.description,
            builtin: false,
            questions: t.questions,
            created_at: Some(format_millis(t.created_at)),
        }
    }
}

/// Paging of the template list.
#[derive(Deserialize, utoipa::IntoParams)]
pub struct TemplateListQuery {
    pub limit: Option<String>,
    pub offset: Option<String>,
}

fn validate(input: TemplateIn) -> Result<(String, Option<String>, Vec<Question>), ApiError> {
    let name = input.name.trim();
    if name.is_empty() || name.chars().count() > 200 {
        return Err(ApiError::invalid(
            "name",
            "name must be 1 to 200 characters",
        ));
    }
    let description = input
        .description
        .map(|d| d.trim().to_owned())
        .filter(|d| !d.is_empty());
    if description
        .as_ref()
        .is_some_and(|d| d.chars().count() > 2_000)
    {
        return Err(ApiError::invalid(
            "description",
            "description must be at most 2000 characters",
        ));
    }
    if input.questions.is_empty() || input.questions.len() > MAX_QUESTIONS {
        return Err(ApiError::invalid(
            "questions",
            format!("give 1 to {MAX_QUESTIONS} questions"),
        ));
    }
    let mut questions = Vec::with_capacity(input.questions.len());
    for (i, q) in input.questions.into_iter().enumerate() {
        let text = q.text.trim();
        if text.is_empty() || text.chars().count() > MAX_QUESTION_LEN {
            return Err(ApiError::invalid(
                &format!("questions[{i}].text"),
                format!("a question must be 1 to {MAX_QUESTION_LEN} characters"),
            ));
        }
        if q.competencies.is_empty() {
            return Err(ApiError::invalid(
                &format!("questions[{i}].competencies"),
                "tag each question with at least one competency",
            ));
        }
        let mut competencies = q.competencies;
        competencies.sort();
        competencies.dedup();
        questions.push(Question {
            text: text.to_owned(),
            competencies,
        });
    }
    Ok((name.to_owned(), description, questions))
}

/// Create a template of the organisation's own.
#[utoipa::path(post, path = "/v1/templates", tag = "templates", request_body = TemplateIn,
    responses(
        (status = 201, body = Success<TemplateOut>),
        (status = 400, description = "Invalid request", body = crate::error::ErrorBody),
    ))]
pub async fn create_template(
    State(state): State<AppState>,
    who: Principal,
    Json(input): Json<TemplateIn>,
) -> Result<(StatusCode, axum::Json<Success<TemplateOut>>), ApiError> {
    let (name, description, questions) = validate(input)?;
    let row = TemplateRow {
        id: TemplateId::generate(),
        org_id: who.org_id,
        name,
        description,
        questions,
        created_at: to_millis(state.clock.now()),
    };
    state.store.create_template(&row).await?;
    Ok((
        StatusCode::CREATED,
        axum::Json(Success::new(TemplateOut::from_row(row))),
    ))
}

/// List templates: the built-in ones first, then the organisation's own, oldest first.
#[utoipa::path(get, path = "/v1/templates", tag = "templates", params(TemplateListQuery),
    responses((status = 200, body = ListOut<TemplateOut>)))]
pub async fn list_templates(
    State(state): State<AppState>,
    who: Principal,
    Query(q): Query<TemplateListQuery>,
) -> Result<axum::Json<ListOut<TemplateOut>>, ApiError> {
    let paging = paging(q.limit.as_deref(), q.offset.as_deref())?;
    let own = state.store.list_templates(&who.org_id).await?;
    let all: Vec<TemplateOut> = BUILTIN_TEMPLATES
        .iter()
        .map(TemplateOut::from_builtin)
        .chain(own.into_iter().map(TemplateOut::from_row))
        .collect();
    let total = all.len() as i64;
    let items = all
        .into_iter()
        .skip(paging.offset as usize)
        .take(paging.limit as usize)
        .collect();
    Ok(axum::Json(ListOut::new(total, items, paging)))
}

/// Retrieve a template.
#[utoipa::path(get, path = "/v1/templates/{id}", tag = "templates",
    params(("id" = String, Path, description = "Template id (`tpl_...`)")),
    responses(
        (status = 200, body = Success<TemplateOut>),
        (status = 404, description = "No such template", body = crate::error::ErrorBody),
    ))]
pub async fn get_template(
    State(state): State<AppState>,
    who: Principal,
    PathId(id): PathId,
) -> Result<axum::Json<Success<TemplateOut>>, ApiError> {
    if let Some(t) = builtin(&id) {
        return Ok(axum::Json(Success::new(TemplateOut::from_builtin(t))));
    }
    let id = TemplateId::parse(&id).ok_or_else(|| ApiError::not_found("template"))?;
    let row = state
        .store
        .get_template(&who.org_id, &id)
        .await?
        .ok_or_else(|| ApiError::not_found("template"))?;
    Ok(axum::Json(Success::new(TemplateOut::from_row(row))))
}

/// Delete one of the organisation's templates. Built-in templates cannot be deleted
/// (403), nor a template a project still uses (409).
#[utoipa::path(delete, path = "/v1/templates/{id}", tag = "templates",
    params(("id" = String, Path, description = "Template id (`tpl_...`)")),
    responses(
        (status = 200, body = DeletedOut),
        (status = 403, description = "A built-in template", body = crate::error::ErrorBody),
        (status = 404, description = "No such template", body = crate::error::ErrorBody),
        (status = 409, description = "A project uses it", body = crate::error::ErrorBody),
    ))]
pub async fn delete_template(
    State(state): State<AppState>,
    who: Principal,
    PathId(id): PathId,
) -> Result<axum::Json<DeletedOut>, ApiError> {
    if builtin(&id).is_some() {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "built-in templates cannot be deleted",
        ));
    }
    let tid = TemplateId::parse(&id).ok_or_else(|| ApiError::not_found("template"))?;
    if !state.store.delete_template(&who.org_id, &tid).await? {
        return Err(ApiError::not_found("template"));
    }
    Ok(axum::Json(DeletedOut {
        success: true,
        id,
        deleted: true,
    }))
}
