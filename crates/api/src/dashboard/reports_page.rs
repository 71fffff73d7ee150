//! Fairness and oversight: the adverse-impact report by candidates' voluntary
//! demographics, how recruiters' decisions agree with the AI, and candidates' open
//! requests (deletion, a person instead of the AI). The arithmetic is the API's
//! (`GET /v1/reports/...`); this page only shows it.

use super::compare_page::pct;
use super::layout::{Ui, page, short_time};
use super::session::Signed;
use crate::AppState;
use crate::error::ApiError;
use crate::reports::{agreement_of, candidates_of, csv_response, impact, scope};
use axum::Form;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use serde::Deserialize;
use talentd_core::adverse_impact::RateTable;
use talentd_core::demographics::impact_report;
use talentd_core::timefmt::to_millis;
use talentd_store::ProjectFilter;

/// `?project_id=prj_...`
#[derive(Deserialize, Default)]
pub struct ReportsQuery {
    #[serde(default)]
    pub project_id: Option<String>,
}

/// A category's name: both parts of an intersectional one.
fn category(ui: Ui, code: &str) -> String {
    match code.split_once(" · ") {
        Some((a, b)) => format!(
            "{} · {}",
            ui.name("demographic", a),
            ui.name("demographic", b)
        ),
        None => ui.name("demographic", code).to_owned(),
    }
}

fn table(ui: Ui, caption: &str, t: &RateTable) -> Markup {
    html! {
        table.rates {
            caption { (caption) }
            thead { tr {
                th { (ui.t("category")) }
                th.n { (ui.t("candidates")) }
                th.n { (ui.t("positive")) }
                th.n { (ui.t("rate")) }
                th.n { (ui.t("impact_ratio")) }
            } }
            tbody {
                @for c in &t.categories {
                    tr.flagged[c.flagged] {
                        td data-label=(ui.t("category")) {
                            (category(ui, &c.category))
                            @if c.flagged { " " span.badge.bad { (ui.t("below_four_fifths")) } }
                            @if c.excluded { " " span.muted { (ui.t("under_two_percent")) } }
                        }
                        td.n data-label=(ui.t("candidates")) { (c.count) }
                        td.n data-label=(ui.t("positive")) { (c.positive) }
                        td.n data-label=(ui.t("rate")) { (pct(Some(c.rate))) }
                        td.n data-label=(ui.t("impact_ratio")) {
                            @match c.impact_ratio { Some(r) => (format!("{r:.2}")), None => "—" }
                        }
                    }
                }
                tr { td data-label=(ui.t("category")) { span.muted { (ui.t("unknown")) } } td.n data-label=(ui.t("candidates")) { (t.unknown) } td {} td {} td {} }
            }
        }
    }
}

/// The page.
pub async fn show(
    State(state): State<AppState>,
    signed: Signed,
    Query(q): Query<ReportsQuery>,
) -> Response {
    match render(&state, &signed, q).await {
        Ok(r) => r,
        Err(e) if e.status == axum::http::StatusCode::NOT_FOUND => {
            super::layout::not_found(&signed)
        }
        Err(e) => e.into_response(),
    }
}

async fn render(state: &AppState, signed: &Signed, q: ReportsQuery) -> Result<Response, ApiError> {
    let ui = signed.ui;
    let org = &signed.user.org_id;
    let now = to_millis(state.clock.now());
    let scope = scope(state, org, q.project_id.as_deref()).await?;
    let projects = state
        .store
        .list_projects(org, ProjectFilter::default(), now, 100, 0)
        .await?;
    let rows = state
        .store
        .report_rows(org, scope.as_ref().map(|s| &s.0))
        .await?;
    let report = impact_report(&candidates_of(&rows));
    let agreement = agreement_of(&rows);
    let requests = state
        .store
        .list_candidate_requests(org, true, 50, 0)
        .await?;
    let query = scope
        .as_ref()
        .map(|s| format!("?project_id={}", s.0))
        .unwrap_or_default();
    let title = ui.t("fairness");
    let body = html! {
        h1 { (title) }
        form.inline method="get" action="/dashboard/reports" {
            label for="project" { (ui.t("project")) }
            select #project name="project_id" {
                option value="" { (ui.t("all_projects")) }
                @for p in &projects.items {
                    option value=(p.id) selected[scope.as_ref().is_some_and(|s| s.0 == p.id)] { (p.name) }
                }
            }
            button type="submit" { (ui.t("show")) }
        }
        section.card #adverse-impact {
            h2 { (ui.t("adverse_impact")) }
            p.muted { (ui.t("adverse_impact_help")) }
            p #impact-summary {
                (ui.fill("candidates_counted", &report.candidates.to_string())) " · "
                (ui.fill("reported_demographics", &report.reported.to_string()))
            }
            @if report.flags.is_empty() {
                p.ok #no-flags { (ui.t("no_adverse_impact")) }
            } @else {
                p.error #flags role="alert" { (ui.fill("flags_found", &report.flags.len().to_string())) }
            }
            p {
                a #impact-csv href=(format!("/dashboard/reports/adverse-impact.csv{query}")) { (ui.t("download_csv")) }
                " · "
                a #impact-printable href=(format!("/dashboard/reports/adverse-impact/print{query}")) target="_blank" { (ui.t("printable_summary")) }
            }
            @for g in &report.groupings {
                h3 { (ui.name("grouping", &g.name)) }
                (table(ui, ui.t("ai_selection"), &g.ai_selection))
                (table(ui, ui.t("human_selection"), &g.human_selection))
                (table(ui, ui.t("scoring_rate"), &g.scoring))
            }
        }
        section.card #agreement {
            h2 { (ui.t("ai_agreement")) }
            p.muted { (ui.t("agreement_help")) }
            dl.facts {
                dt { (ui.t("decisions")) } dd #decisions { (agreement.decisions) }
                dt { (ui.t("same_level")) } dd { (pct(agreement.agreement_rate)) }
                dt { (ui.t("same_side")) } dd { (pct(agreement.selection_agreement_rate)) }
                dt { (ui.t("human_higher")) } dd { (agreement.human_higher) }
                dt { (ui.t("human_lower")) } dd { (agreement.human_lower) }
                dt { "Cohen's κ" } dd { @match agreement.kappa { Some(k) => (format!("{k:.2}")), None => "—" } }
            }
        }
        section.card #requests {
            h2 { (ui.t("candidate_requests")) }
            @if requests.items.is_empty() {
                p.muted { (ui.t("no_open_requests")) }
            } @else {
                ul.requests {
                    @for r in &requests.items {
                        li {
                            strong { (ui.name("request_kind", &r.kind)) }
                            " · " (r.name.as_deref().unwrap_or("—"))
                            @if let Some(e) = &r.email { " · " a href=(format!("mailto:{e}")) { (e) } }
                            " · " span.muted { (short_time(r.created_at)) }
                            @if let Some(i) = &r.interview_id { " · " a href=(format!("/dashboard/interviews/{i}")) { (ui.t("interview")) } }
                            @if let Some(m) = &r.message { p { (m) } }
                            form.inline method="post" action=(format!("/dashboard/reports/requests/{}/resolve", r.id)) {
                                input type="hidden" name="csrf" value=(signed.session.csrf_token);
                                button.secondary type="submit" { (ui.t("mark_resolved")) }
                            }
                        }
                    }
                }
            }
        }
    };
    Ok(page(signed, ui, "fairness", title, body))
}

/// The adverse-impact tables as CSV, for the signed-in user.
pub async fn csv(
    State(state): State<AppState>,
    signed: Signed,
    Query(q): Query<ReportsQuery>,
) -> Response {
    let org = &signed.user.org_id;
    let result = async {
        let scope = scope(&state, org, q.project_id.as_deref()).await?;
        let project = scope.as_ref().map(|s| &s.0);
        Ok::<_, ApiError>(csv_response(&impact(&state, org, project).await?, project))
    }
    .await;
    match result {
        Ok(resp) => resp,
        Err(e) if e.status == axum::http::StatusCode::NOT_FOUND => {
            super::layout::not_found(&signed)
        }
        Err(e) => e.into_response(),
    }
}

/// The printable summary (the API's `format=html`), for the signed-in user.
pub async fn print(
    State(state): State<AppState>,
    signed: Signed,
    Query(q): Query<ReportsQuery>,
) -> Response {
    match crate::reports::printable_for(&state, &signed.user.org_id, q.project_id.as_deref()).await
    {
        Ok(r) => r,
        Err(e) if e.status == axum::http::StatusCode::NOT_FOUND => {
            super::layout::not_found(&signed)
        }
        Err(e) => e.into_response(),
    }
}

#[derive(Deserialize, Default)]
pub struct CsrfForm {
    #[serde(default)]
    pub csrf: String,
}

/// Marks a candidate's request resolved.
pub async fn resolve(
    State(state): State<AppState>,
    signed: Signed,
    crate::extract::PathId(id): crate::extract::PathId,
    Form(f): Form<CsrfForm>,
) -> Response {
    if let Err(r) = signed.check_csrf(&f.csrf) {
        return r.into_response();
    }
    let now = to_millis(state.clock.now());
    match state
        .store
        .resolve_candidate_request(&signed.user.org_id, &id, now)
        .await
    {
        Ok(Some(_)) => Redirect::to("/dashboard/reports#requests").into_response(),
        Ok(None) => super::layout::not_found(&signed),
        Err(e) => ApiError::from(e).into_response(),
    }
}
