//! Trust reports over an organisation's completed interviews: adverse impact by the
//! candidates' voluntary demographics (a bias audit's tables), and how recruiters'
//! decisions agree with the AI's recommendations.

use crate::AppState;
use crate::auth::Principal;
use crate::error::ApiError;
use crate::extract::Query;
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use maud::{DOCTYPE, Markup, html};
use serde::{Deserialize, Serialize};
use talentd_core::adverse_impact::{FOUR_FIFTHS, MIN_SHARE, RateTable};
use talentd_core::agreement::{AgreementReport, agreement, selects};
use talentd_core::demographics::{
    ImpactReport, RaceEthnicity, ReportCandidate, Sex, impact_csv, impact_report, label,
};
use talentd_core::timefmt::format_millis;
use talentd_core::{OrgId, ProjectId};
use talentd_store::ReportRow;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(adverse_impact))
        .routes(routes!(agreement_report))
}

/// Which interviews a report covers.
#[derive(Deserialize, utoipa::IntoParams)]
pub struct ReportQuery {
    /// One project (`prj_...`); the whole organisation when absent.
    pub project_id: Option<String>,
    /// `json` (default), `csv`, or `html` (a printable summary).
    pub format: Option<String>,
}

/// The adverse-impact report.
#[derive(Serialize, utoipa::ToSchema)]
pub struct AdverseImpactOut {
    pub success: bool,
    /// The project covered; absent for the whole organisation.
    pub project_id: Option<String>,
    pub generated_at: String,
    /// Impact ratios under this are flagged (29 CFR 1607.4(D)).
    pub threshold: f64,
    /// Categories under this share of the known candidates are reported but left out
    /// of the ratios.
    pub min_share: f64,
    pub report: ImpactReport,
}

/// The agreement report.
#[derive(Serialize, utoipa::ToSchema)]
pub struct AgreementOut {
    pub success: bool,
    pub project_id: Option<String>,
    pub generated_at: String,
    pub report: AgreementReport,
}

#[derive(Clone, Copy, PartialEq)]
enum Format {
    Json,
    Csv,
    Html,
}

fn format_of(q: &ReportQuery) -> Result<Format, ApiError> {
    match q.format.as_deref() {
        None | Some("json") => Ok(Format::Json),
        Some("csv") => Ok(Format::Csv),
        Some("html") => Ok(Format::Html),
        Some(_) => Err(ApiError::invalid(
            "format",
            "format must be json, csv or html",
        )),
    }
}

/// The report's scope: 404 for a project the organisation does not have.
pub(crate) async fn scope(
    state: &AppState,
    org: &OrgId,
    project_id: Option<&str>,
) -> Result<Option<(ProjectId, String)>, ApiError> {
    let Some(raw) = project_id.filter(|p| !p.is_empty()) else {
        return Ok(None);
    };
    let id = ProjectId::parse(raw).ok_or_else(|| ApiError::not_found("project"))?;
    let p = state
        .store
        .get_project(org, &id)
        .await?
        .ok_or_else(|| ApiError::not_found("project"))?;
    Ok(Some((p.id, p.name)))
}

fn recommendation(r: &ReportRow) -> Option<&str> {
    r.analysis.as_ref()?.get("recommendation")?.as_str()
}

/// One line per candidate: their newest completed interview (rows come newest first
/// within a candidate).
pub(crate) fn candidates_of(rows: &[ReportRow]) -> Vec<ReportCandidate> {
    let mut out = Vec::new();
    let mut last: Option<&str> = None;
    for r in rows {
        if last == Some(r.candidate_id.as_str()) {
            continue;
        }
        last = Some(&r.candidate_id);
        out.push(ReportCandidate {
            sex: r.sex.as_deref().and_then(Sex::parse),
            race_ethnicity: r.race_ethnicity.as_deref().and_then(RaceEthnicity::parse),
            ai_selected: recommendation(r).map(selects),
            human_selected: r.human_recommendation.as_deref().map(selects),
            score: r.match_score,
        });
    }
    out
}

/// Every decision beside the AI's recommendation.
pub(crate) fn agreement_of(rows: &[ReportRow]) -> AgreementReport {
    let pairs: Vec<(&str, &str)> = rows
        .iter()
        .filter_map(|r| Some((recommendation(r)?, r.human_recommendation.as_deref()?)))
        .collect();
    agreement(&pairs)
}

/// The adverse-impact report over what the organisation holds now.
pub(crate) async fn impact(
    state: &AppState,
    org: &OrgId,
    project: Option<&ProjectId>,
) -> Result<ImpactReport, ApiError> {
    let rows = state.store.report_rows(org, project).await?;
    Ok(impact_report(&candidates_of(&rows)))
}

/// Adverse impact by sex, race/ethnicity and both: selection rates (the AI's
/// recommendation of recommended or better; recruiters' decisions where recorded),
/// scoring rates (share above the median match score), impact ratios against the
/// highest category, and the four-fifths flag.
///
/// One line per candidate (their newest completed interview). Categories come from the
/// candidates' voluntary answers (`PUT /v1/candidates/{id}/demographics` or the
/// interview page); candidates who did not answer, or preferred not to say, are counted
/// as unknown and left out of the rates. Categories under 2% of the known candidates
/// are reported but not rated, as NYC Local Law 144 allows. `format=csv` gives the
/// tables as CSV; `format=html` a printable summary.
#[utoipa::path(get, path = "/v1/reports/adverse-impact", tag = "reports",
    params(ReportQuery),
    responses(
        (status = 200, description = "The report", content(
            (AdverseImpactOut = "application/json"),
            (String = "text/csv"),
            (String = "text/html"),
        )),
        (status = 404, description = "No such project", body = crate::error::ErrorBody),
    ))]
pub async fn adverse_impact(
    State(state): State<AppState>,
    who: Principal,
    Query(q): Query<ReportQuery>,
) -> Result<Response, ApiError> {
    let format = format_of(&q)?;
    if format == Format::Html {
        return printable_for(&state, &who.org_id, q.project_id.as_deref()).await;
    }
    let scope = scope(&state, &who.org_id, q.project_id.as_deref()).await?;
    let report = impact(&state, &who.org_id, scope.as_ref().map(|s| &s.0)).await?;
    let now = format_millis(talentd_core::timefmt::to_millis(state.clock.now()));
    Ok(match format {
        Format::Csv => csv_response(&report, scope.as_ref().map(|s| &s.0)),
        _ => axum::Json(AdverseImpactOut {
            success: true,
            project_id: scope.map(|s| s.0.to_string()),
            generated_at: now,
            threshold: FOUR_FIFTHS,
            min_share: MIN_SHARE,
            report,
        })
        .into_response(),
    })
}

/// The report's tables as a CSV download, named after the project when there is one.
pub(crate) fn csv_response(report: &ImpactReport, project: Option<&ProjectId>) -> Response {
    let name = match project {
        Some(id) => format!("adverse-impact-{id}.csv"),
        None => "adverse-impact.csv".to_owned(),
    };
    let mut resp = impact_csv(report).into_response();
    let h = resp.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    resp
}

/// The printable summary of a scope, as a response.
pub(crate) async fn printable_for(
    state: &AppState,
    org: &OrgId,
    project_id: Option<&str>,
) -> Result<Response, ApiError> {
    let scope = scope(state, org, project_id).await?;
    let report = impact(state, org, scope.as_ref().map(|s| &s.0)).await?;
    let now = format_millis(talentd_core::timefmt::to_millis(state.clock.now()));
    let title = scope.as_ref().map(|s| s.1.as_str());
    Ok(axum::response::Html(printable(title, &now, &report).into_string()).into_response())
}

/// How often recruiters' decisions agree with the AI's recommendations: the share at
/// the same level, moved up or down, on the same side of "recommended or better", and
/// Cohen's kappa, with the confusion matrix. Every recorded decision counts (the
/// newest per interview).
#[utoipa::path(get, path = "/v1/reports/agreement", tag = "reports",
    params(ReportQuery),
    responses(
        (status = 200, body = AgreementOut),
        (status = 404, description = "No such project", body = crate::error::ErrorBody),
    ))]
pub async fn agreement_report(
    State(state): State<AppState>,
    who: Principal,
    Query(q): Query<ReportQuery>,
) -> Result<axum::Json<AgreementOut>, ApiError> {
    if format_of(&q)? != Format::Json {
        return Err(ApiError::invalid("format", "this report is JSON only"));
    }
    let scope = scope(&state, &who.org_id, q.project_id.as_deref()).await?;
    let rows = state
        .store
        .report_rows(&who.org_id, scope.as_ref().map(|s| &s.0))
        .await?;
    Ok(axum::Json(AgreementOut {
        success: true,
        project_id: scope.map(|s| s.0.to_string()),
        generated_at: format_millis(talentd_core::timefmt::to_millis(state.clock.now())),
        report: agreement_of(&rows),
    }))
}

fn percent(x: f64) -> String {
    format!("{:.1}%", x * 100.0)
}

/// One rate table as HTML.
fn rate_table(caption: &str, t: &RateTable) -> Markup {
    html! {
        table {
            caption { (caption) }
            thead { tr { th { "Category" } th.n { "Candidates" } th.n { "Selected / above median" } th.n { "Rate" } th.n { "Impact ratio" } th { "" } } }
            tbody {
                @for c in &t.categories {
                    tr.flagged[c.flagged] {
                        td { (label(&c.category)) }
                        td.n { (c.count) }
                        td.n { (c.positive) }
                        td.n { (percent(c.rate)) }
                        td.n { @match c.impact_ratio { Some(r) => (format!("{r:.2}")), None => "—" } }
                        td {
                            @if c.excluded { "under 2%: not rated" }
                            @else if c.flagged { "below four-fifths" }
                        }
                    }
                }
                tr.unknown { td { "Unknown" } td.n { (t.unknown) } td {} td {} td {} td {} }
            }
        }
    }
}

/// The printable summary.
fn printable(project: Option<&str>, generated: &str, r: &ImpactReport) -> Markup {
    let scope = project.map_or_else(|| "All projects".to_owned(), |p| format!("Project: {p}"));
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { "Adverse-impact report" }
                style { (PRINT_CSS) }
            }
            body {
                h1 { "Adverse-impact report" }
                p.meta { (scope) " · generated " (generated) " · " (r.candidates) " candidates, " (r.reported) " of them reported demographics" }
                @if r.flags.is_empty() {
                    p.ok { "No category's impact ratio is below four-fifths (0.80)." }
                } @else {
                    p.warn { (r.flags.len()) " impact ratio(s) below four-fifths (0.80): " (r.flags.join(", ")) }
                }
                @for g in &r.groupings {
                    h2 { (grouping_title(&g.name)) }
                    (rate_table("Selection by the AI's recommendation (recommended or better)", &g.ai_selection))
                    (rate_table("Selection by recruiters' decisions", &g.human_selection))
                    (rate_table(&format!("Scoring rate: share above the median match score{}", r.median_score.map(|m| format!(" ({m:.2})")).unwrap_or_default()), &g.scoring))
                }
                h2 { "How to read this" }
                p { "A category's rate is the share of its candidates who were selected (or who scored above the median). Its impact ratio is that rate divided by the highest category's rate. Under the four-fifths rule of the Uniform Guidelines (29 CFR 1607.4(D)), a ratio below 0.80 is evidence of adverse impact worth examining; it is not proof of discrimination, and small groups vary by chance." }
                p { "Categories come from candidates' voluntary answers; candidates who did not answer, or preferred not to say, are counted as unknown and left out of the rates. Categories holding under 2% of the candidates with a known category are shown but not rated, as NYC Local Law 144 allows. Each candidate counts once, with their newest completed interview." }
            }
        }
    }
}

fn grouping_title(name: &str) -> &'static str {
    match name {
        "sex" => "By sex",
        "race_ethnicity" => "By race/ethnicity",
        _ => "By sex and race/ethnicity (intersectional)",
    }
}

const PRINT_CSS: &str = "body{font:14px/1.45 system-ui,sans-serif;max-width:960px;margin:24px auto;padding:0 16px;color:#111}\
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;break-after:avoid}\
.meta{color:#555}.warn{background:#fff4e5;border-left:4px solid #d97706;padding:8px 12px}\
.ok{background:#ecfdf5;border-left:4px solid #059669;padding:8px 12px}\
table{border-collapse:collapse;width:100%;margin:8px 0 16px;break-inside:avoid}\
caption{text-align:left;font-weight:600;padding:4px 0}th,td{border-bottom:1px solid #ddd;padding:4px 8px;text-align:left}\
.n{text-align:right;font-variant-numeric:tabular-nums}tr.flagged td{background:#fff4e5;font-weight:600}\
tr.unknown td{color:#555}@media print{body{margin:0}}";
