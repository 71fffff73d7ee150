//! The dashboard's projects page: every project with its status, session count and
//! interview link.

use super::layout::page;
use super::session::Signed;
use crate::AppState;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use maud::html;
use talentd_core::project::effective_status;
use talentd_core::timefmt::{format_millis, to_millis};
use talentd_store::ProjectFilter;

/// Most projects shown on one page.
const PAGE: i64 = 100;

/// The projects list (the dashboard's home).
pub async fn list(State(state): State<AppState>, signed: Signed) -> Response {
    let ui = signed.ui;
    let now = to_millis(state.clock.now());
    let projects = match state
        .store
        .list_projects(&signed.user.org_id, ProjectFilter::default(), now, PAGE, 0)
        .await
    {
        Ok(p) => p,
        Err(e) => return crate::ApiError::from(e).into_response(),
    };
    let mut rows = Vec::with_capacity(projects.items.len());
    for p in &projects.items {
        let sessions = match state.store.count_project_sessions(&p.id).await {
            Ok(n) => n,
            Err(e) => return crate::ApiError::from(e).into_response(),
        };
        rows.push((p, sessions, effective_status(p.status, p.expires_at, now)));
    }
    let base = &state.config.public_url;
    page(
        &signed,
        ui,
        "projects",
        ui.t("projects"),
        html! {
            div style="display:flex;justify-content:space-between;align-items:center;gap:12px;flex-wrap:wrap" {
                h1 { (ui.t("projects")) }
                a.button #new-project href="/dashboard/projects/new" { (ui.t("new_project")) }
            }
            div.card {
                @if rows.is_empty() {
                    p.muted { (ui.t("no_projects")) }
                } @else {
                    table.stack #projects {
                        thead { tr {
                            th { (ui.t("name")) } th { (ui.t("status")) } th { (ui.t("sessions")) }
                            th { (ui.t("interview_link")) } th { (ui.t("created")) }
                        } }
                        tbody {
                            @for (p, sessions, status) in &rows {
                                tr data-project=(p.id) {
                                    td data-label=(ui.t("name")) { span { a href=(format!("/dashboard/projects/{}", p.id)) { strong { (p.name) } } @if let Some(c) = &p.company_name { br; span.muted { (c) } } } }
                                    td data-label=(ui.t("status")) { span class=(format!("pill {}", status.as_str())) { (ui.name("project_status", status.as_str())) } }
                                    td data-label=(ui.t("sessions")) { span { (sessions) @if let Some(m) = p.max_sessions { span.muted { " / " (m) } } } }
                                    td data-label=(ui.t("interview_link")) { code.link { (base) "/i/" (p.link_token) } }
                                    td.muted data-label=(ui.t("created")) { (format_millis(p.created_at).get(..10).unwrap_or_default()) }
                                }
                            }
                        }
                    }
                }
            }
        },
    )
}
