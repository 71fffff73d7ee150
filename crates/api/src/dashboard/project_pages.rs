//! Creating, editing and closing projects from the dashboard, and one project's page with
//! its interview link and sessions. The same checks as the API's: both call
//! `projects::create` and `projects::update`.

use super::layout::{api_problem, not_found, page};
use super::session::Signed;
use crate::AppState;
use crate::error::ApiError;
use crate::extract::PathId;
use crate::projects::{self, ProjectIn, ProjectOut, ProjectPatch};
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, PreEscaped, html};
use serde::Deserialize;
use std::collections::HashMap;
use talentd_core::project::{CompetencyWeights, ProjectStatus};
use talentd_core::template::{BUILTIN_TEMPLATES, Competency};

/// The project form as posted: text fields, and one `w_<competency>` per weight.
#[derive(Deserialize, Default, Debug)]
pub struct ProjectForm {
    #[serde(default)]
    pub csrf: String,
    #[serde(default)]
    pub project_name: String,
    #[serde(default)]
    pub company_name: String,
    #[serde(default)]
    pub instructions: String,
    #[serde(default)]
    pub template_id: String,
    /// `YYYY-MM-DDTHH:MM` in UTC, or blank.
    #[serde(default)]
    pub expires_at: String,
    #[serde(default)]
    pub max_sessions: String,
    #[serde(flatten)]
    pub rest: HashMap<String, String>,
}

impl ProjectForm {
    fn from_out(p: &ProjectOut) -> Self {
        let mut rest = HashMap::new();
        for (c, w) in &p.competency_weights {
            rest.insert(format!("w_{}", c.as_str()), format!("{w}"));
        }
        Self {
            csrf: String::new(),
            project_name: p.project_name.clone(),
            company_name: p.company_name.clone().unwrap_or_default(),
            instructions: p.instructions.clone(),
            template_id: p.template_id.clone().unwrap_or_default(),
            expires_at: p
                .expires_at
                .as_deref()
                .map(|e| e.get(..16).unwrap_or(e).to_owned())
                .unwrap_or_default(),
            max_sessions: p.max_sessions.map(|m| m.to_string()).unwrap_or_default(),
            rest,
        }
    }

    fn expires(&self) -> Result<Option<String>, ApiError> {
        let v = self.expires_at.trim();
        if v.is_empty() {
            return Ok(None);
        }
        // A datetime-local value has no seconds and no zone; the form says UTC.
        let full = match v.len() {
            16 => format!("{v}:00Z"),
            19 => format!("{v}Z"),
            _ => v.to_owned(),
        };
        Ok(Some(full))
    }

    fn cap(&self) -> Result<Option<i64>, ApiError> {
        let v = self.max_sessions.trim();
        if v.is_empty() {
            return Ok(None);
        }
        v.parse()
            .map(Some)
            .map_err(|_| ApiError::invalid("max_sessions", "max_sessions must be a whole number"))
    }

    /// The weights, when any was filled in; blank ones weigh 0 then.
    fn weights(&self) -> Result<Option<CompetencyWeights>, ApiError> {
        let mut out = CompetencyWeights::new();
        let mut any = false;
        for c in Competency::ALL {
            let v = self
                .rest
                .get(&format!("w_{}", c.as_str()))
                .map(|s| s.trim())
                .unwrap_or("");
            if v.is_empty() {
                out.insert(c, 0.0);
                continue;
            }
            any = true;
            let w: f64 = v.parse().map_err(|_| {
                ApiError::invalid("competency_weights", "each weight must be a number")
            })?;
            out.insert(c, w);
        }
        Ok(any.then_some(out))
    }

    fn weight(&self, c: Competency) -> String {
        self.rest
            .get(&format!("w_{}", c.as_str()))
            .cloned()
            .unwrap_or_default()
    }
}

fn optional(s: &str) -> Option<String> {
    Some(s.trim().to_owned()).filter(|s| !s.is_empty())
}

async fn template_choices(state: &AppState, signed: &Signed) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = BUILTIN_TEMPLATES
        .iter()
        .map(|t| (t.id.to_owned(), signed.ui.name("template", t.id).to_owned()))
        .collect();
    if let Ok(own) = state.store.list_templates(&signed.user.org_id).await {
        out.extend(own.into_iter().map(|t| (t.id.to_string(), t.name)));
    }
    out
}

fn form_html(
    signed: &Signed,
    action: &str,
    f: &ProjectForm,
    templates: &[(String, String)],
    error: Option<&ApiError>,
    submit: &str,
) -> Markup {
    let ui = signed.ui;
    html! {
        form #project-form method="post" action=(action) {
            input type="hidden" name="csrf" value=(signed.session.csrf_token);
            @if let Some(e) = error { (api_problem(ui, e)) }
            label for="project_name" { (ui.t("position_or_project")) }
            input #project_name type="text" name="project_name" required maxlength="200" value=(f.project_name);
            label for="company_name" { (ui.t("company_shown")) }
            input #company_name type="text" name="company_name" maxlength="200" value=(f.company_name);
            label for="instructions" { (ui.t("instructions_for_tami")) }
            textarea #instructions name="instructions" rows="5" required {
                (f.instructions)
            }
            p.muted { (ui.t("instructions_help")) }
            label for="template_id" { (ui.t("question_template")) }
            select #template_id name="template_id" {
                option value="" selected[f.template_id.is_empty()] { "—" }
                @for (id, name) in templates {
                    option value=(id) selected[&f.template_id == id] { (name) }
                }
            }
            div style="display:flex;gap:12px;flex-wrap:wrap" {
                div style="flex:1;min-width:200px" {
                    label for="expires_at" { (ui.t("link_closes")) }
                    input #expires_at type="datetime-local" name="expires_at" value=(f.expires_at);
                }
                div style="flex:1;min-width:200px" {
                    label for="max_sessions" { (ui.t("most_sessions")) }
                    input #max_sessions type="number" min="1" name="max_sessions" value=(f.max_sessions);
                }
            }
            fieldset style="border:1px solid var(--line);border-radius:8px;margin-top:14px;min-width:0" {
                legend { (ui.t("competency_weights")) }
                p.muted { (ui.t("weights_help")) }
                div style="display:grid;grid-template-columns:repeat(auto-fill,minmax(150px,1fr));gap:4px 12px" {
                    @for c in Competency::ALL {
                        div {
                            label for=(format!("w_{}", c.as_str())) { (ui.name("skill", c.as_str())) }
                            input id=(format!("w_{}", c.as_str())) type="number" min="0" max="100" step="any"
                                name=(format!("w_{}", c.as_str())) value=(f.weight(c));
                        }
                    }
                }
            }
            p { button #save type="submit" { (submit) } }
        }
    }
}

/// The new-project page, blank or with the refused form and why.
async fn new_page(
    state: &AppState,
    signed: &Signed,
    f: &ProjectForm,
    error: Option<&ApiError>,
) -> Response {
    let ui = signed.ui;
    let templates = template_choices(state, signed).await;
    let title = ui.t("new_project");
    let body = html! {
        h1 { (title) }
        div.card { (form_html(signed, "/dashboard/projects", f, &templates, error, ui.t("create_project"))) }
    };
    page(signed, ui, "projects", title, body)
}

/// The new-project form.
pub async fn new_form(State(state): State<AppState>, signed: Signed) -> Response {
    new_page(&state, &signed, &ProjectForm::default(), None).await
}

/// Creates a project and opens its page.
pub async fn create(
    State(state): State<AppState>,
    signed: Signed,
    Form(f): Form<ProjectForm>,
) -> Response {
    if let Err(r) = signed.check_csrf(&f.csrf) {
        return r.into_response();
    }
    let built = (|| {
        Ok::<_, ApiError>(ProjectIn {
            project_name: f.project_name.clone(),
            instructions: f.instructions.clone(),
            template_id: optional(&f.template_id),
            company_name: optional(&f.company_name),
            expires_at: f.expires()?,
            max_sessions: f.cap()?,
            competency_weights: f.weights()?,
        })
    })();
    let result = match built {
        Ok(input) => projects::create(&state, &signed.user.org_id, input).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(p) => Redirect::to(&format!("/dashboard/projects/{}", p.id)).into_response(),
        Err(e) if e.status.is_client_error() => {
            let mut resp = new_page(&state, &signed, &f, Some(&e)).await;
            *resp.status_mut() = StatusCode::BAD_REQUEST;
            resp
        }
        Err(e) => e.into_response(),
    }
}

#[derive(Deserialize, Default)]
pub struct Saved {
    pub saved: Option<String>,
}

const COPY_SCRIPT: &str = r#"
document.querySelectorAll("[data-copy]").forEach(function (b) {
  b.addEventListener("click", function () {
    var text = document.getElementById(b.dataset.copy).textContent;
    var done = function () { b.textContent = b.dataset.done; };
    if (navigator.clipboard) navigator.clipboard.writeText(text).then(done, function () {});
    else { var r = document.createRange(); r.selectNodeContents(document.getElementById(b.dataset.copy)); getSelection().removeAllRanges(); getSelection().addRange(r); document.execCommand("copy"); done(); }
  });
});
"#;

/// One project: its link, its sessions, and the edit form.
pub async fn show(
    State(state): State<AppState>,
    signed: Signed,
    PathId(id): PathId,
    Query(q): Query<Saved>,
) -> Response {
    let ui = signed.ui;
    let row = match projects::find(&state, &signed.user.org_id, &id).await {
        Ok(r) => r,
        Err(e) => return not_found_or(&signed, e),
    };
    let now = talentd_core::timefmt::to_millis(state.clock.now());
    let p = ProjectOut::from_row(&row, &state.config.public_url, now);
    let sessions = match state
        .store
        .list_project_sessions(&signed.user.org_id, &row.id, 100, 0)
        .await
    {
        Ok(s) => s,
        Err(e) => return ApiError::from(e).into_response(),
    };
    let templates = template_choices(&state, &signed).await;
    let action = format!("/dashboard/projects/{}", p.id);
    let body = html! {
        p { a href="/dashboard" { "← " (ui.t("projects")) } }
        h1 { (p.project_name) " " span class=(format!("pill {}", p.status.as_str())) { (ui.name("project_status", p.status.as_str())) } }
        @if q.saved.is_some() { p #saved role="status" { (ui.t("saved")) } }
        div.card {
            h2 style="margin-top:0;font-size:17px" { (ui.t("interview_link")) }
            p { code.link #interview-url { (p.interview_url) } }
            p style="display:flex;gap:10px;flex-wrap:wrap" {
                button type="button" data-copy="interview-url" data-done=(ui.t("copied")) { (ui.t("copy_link")) }
                a.button href=(p.interview_url) target="_blank" rel="noopener" style="background:#fff;color:var(--accent)" { (ui.t("open")) }
            }
            p.muted { (ui.t("ats_help")) }
            @if p.status == ProjectStatus::Active {
                form method="post" action=(format!("{action}/close")) {
                    input type="hidden" name="csrf" value=(signed.session.csrf_token);
                    button #close type="submit" style="background:#fff;color:var(--bad);border-color:var(--bad)" { (ui.t("close_project")) }
                }
            }
        }
        div.card {
            h2 style="margin-top:0;font-size:17px" { (ui.t("sessions")) " (" (sessions.total) ")" }
            @if sessions.items.is_empty() {
                p.muted { (ui.t("no_sessions")) }
            } @else {
                table.stack #sessions {
                    thead { tr { th { (ui.t("candidate")) } th { (ui.t("status")) } th { (ui.t("match")) } th { (ui.t("started")) } th { span.muted { (ui.t("report")) } } } }
                    tbody {
                        @for s in &sessions.items {
                            tr {
                                td data-label=(ui.t("candidate")) { a href=(format!("/dashboard/interviews/{}", s.id)) { (s.candidate_id) } }
                                td data-label=(ui.t("status")) { span class=(format!("pill {}", s.status.as_str())) { (ui.name("interview_status", s.status.as_str())) } }
                                td data-label=(ui.t("match")) { @if let Some(m) = s.match_score { (format!("{:.0}%", m * 100.0)) } @else { "—" } }
                                td.muted data-label=(ui.t("started")) { (super::layout::short_time(s.created_at)) }
                                td { a href=(format!("/r/{}", s.report_token)) { (ui.t("report")) } }
                            }
                        }
                    }
                }
            }
        }
        div.card {
            h2 style="margin-top:0;font-size:17px" { (ui.t("edit_project")) }
            (form_html(&signed, &action, &ProjectForm::from_out(&p), &templates, None, ui.t("save")))
        }
        script { (PreEscaped(COPY_SCRIPT)) }
    };
    page(&signed, ui, "projects", &p.project_name, body)
}

fn not_found_or(signed: &Signed, e: ApiError) -> Response {
    if e.status == StatusCode::NOT_FOUND {
        not_found(signed)
    } else {
        e.into_response()
    }
}

/// Saves the edit form.
pub async fn save(
    State(state): State<AppState>,
    signed: Signed,
    PathId(id): PathId,
    Form(f): Form<ProjectForm>,
) -> Response {
    if let Err(r) = signed.check_csrf(&f.csrf) {
        return r.into_response();
    }
    let patch = (|| {
        Ok::<_, ApiError>(ProjectPatch {
            project_name: Some(f.project_name.clone()),
            instructions: Some(f.instructions.clone()),
            template_id: Some(optional(&f.template_id)),
            company_name: Some(optional(&f.company_name)),
            status: None,
            expires_at: Some(f.expires()?),
            max_sessions: Some(f.cap()?),
            competency_weights: f.weights()?,
        })
    })();
    let result = match patch {
        Ok(patch) => projects::update(&state, &signed.user.org_id, &id, patch).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(p) => Redirect::to(&format!("/dashboard/projects/{}?saved=1", p.id)).into_response(),
        Err(e) if e.status == StatusCode::NOT_FOUND => not_found_or(&signed, e),
        Err(e) if e.status.is_client_error() => {
            let ui = signed.ui;
            let templates = template_choices(&state, &signed).await;
            let action = format!("/dashboard/projects/{id}");
            let body = html! {
                h1 { (f.project_name) }
                div.card { (form_html(&signed, &action, &f, &templates, Some(&e), ui.t("save"))) }
            };
            let mut resp = page(&signed, ui, "projects", ui.t("edit_project"), body);
            *resp.status_mut() = StatusCode::BAD_REQUEST;
            resp
        }
        Err(e) => e.into_response(),
    }
}

#[derive(Deserialize)]
pub struct CsrfOnly {
    #[serde(default)]
    pub csrf: String,
}

/// Closes a project: its link stops taking candidates.
pub async fn close(
    State(state): State<AppState>,
    signed: Signed,
    PathId(id): PathId,
    Form(f): Form<CsrfOnly>,
) -> Response {
    if let Err(r) = signed.check_csrf(&f.csrf) {
        return r.into_response();
    }
    let patch = ProjectPatch {
        project_name: None,
        instructions: None,
        template_id: None,
        company_name: None,
        status: Some(ProjectStatus::Completed),
        expires_at: None,
        max_sessions: None,
        competency_weights: None,
    };
    match projects::update(&state, &signed.user.org_id, &id, patch).await {
        Ok(p) => Redirect::to(&format!("/dashboard/projects/{}?saved=1", p.id)).into_response(),
        Err(e) => not_found_or(&signed, e),
    }
}
