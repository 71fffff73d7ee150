//! The human-readable report page behind `report_url`: public by its unguessable token,
//! self-contained (no external assets), printable.

use crate::AppState;
use crate::candidates::position_of;
use crate::culture::company_profile;
use crate::dashboard::layout::Ui;
use crate::error::ApiError;
use crate::extract::PathId;
use crate::interviews::stored_analysis;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use maud::{DOCTYPE, Markup, PreEscaped, html};
use talentd_analysis::culture::fit;
use talentd_analysis::{Analysis, Direction, Outcome, Recommendation};
use talentd_core::interview::InterviewStatus;
use talentd_core::timefmt::format_millis;

pub fn router() -> axum::Router<AppState> {
    axum::Router::new().route("/r/{token}", axum::routing::get(report_page))
}

const STYLE: &str = r#"
:root { --fg:#1d2330; --muted:#5b6475; --line:#e3e6ec; --accent:#2f5bd3; --good:#1f8a4c; --bad:#b4372f; }
* { box-sizing: border-box; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); margin: 0; background: #f6f7f9; }
main { max-width: 860px; margin: 0 auto; padding: 24px 20px 48px; background: #fff; }
h1 { font-size: 24px; margin: 0 0 4px; } h2 { font-size: 18px; margin: 28px 0 10px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
.meta { color: var(--muted); margin: 0 0 16px; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px; min-width: 150px; }
.card b { display: block; font-size: 22px; }
.skill { margin: 14px 0; } .skill header { display: flex; justify-content: space-between; font-weight: 600; }
.bar { height: 8px; background: var(--line); border-radius: 4px; overflow: hidden; margin: 4px 0 6px; }
.bar span { display: block; height: 100%; background: var(--accent); }
ul.ev { margin: 0; padding-left: 18px; color: var(--muted); } ul.ev li { margin: 2px 0; }
.up { color: var(--good); } .down { color: var(--bad); }
.rec { font-weight: 700; text-transform: capitalize; }
table { border-collapse: collapse; width: 100%; } td, th { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line); }
footer { margin-top: 32px; color: var(--muted); font-size: 13px; }
@media print { body { background: #fff; } main { padding: 0; } .noprint { display: none; } }
"#;

/// A share in [0, 1] as a whole percentage.
pub(crate) fn pct(x: f64) -> String {
    format!("{:.0}%", (x * 100.0).clamp(0.0, 100.0))
}

fn clock(t: f64) -> String {
    let s = t.max(0.0) as u64;
    format!("{}:{:02}", s / 60, s % 60)
}

fn recommendation_text(r: Recommendation) -> &'static str {
    match r {
        Recommendation::StronglyRecommended => "strongly recommended",
        Recommendation::Recommended => "recommended",
        Recommendation::Consider => "consider",
        Recommendation::NotRecommended => "not recommended",
    }
}

/// A snake_case name as a label: `stress_tolerance` → "Stress tolerance".
pub(crate) fn skill_name(s: &str) -> String {
    let s = s.replace('_', " ");
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

fn analysis_section(
    a: &Analysis,
    fit_html: Markup,
    decision: Option<&crate::interviews::HumanDecisionOut>,
) -> Markup {
    html! {
        @if let Outcome::InsufficientEvidence { reason } = &a.outcome {
            h2 { "Not enough to judge" }
            p { "This interview has too little of the candidate's own speech to score fairly: " (reason) }
        }
        div.cards {
            @if let Some(m) = a.match_score { div.card { "Match for the vacancy" b { (pct(m)) } } }
            @if let Some(r) = a.recommendation { div.card { "Recommendation" b.rec { (recommendation_text(r)) } } }
            @if let Some(d) = decision {
                div.card #human-decision { "Recruiter's decision" b.rec { (d.recommendation.replace('_', " ")) } }
            }
            div.card { "Candidate words" b { (a.candidate_words) } }
        }
        @if let Some(d) = decision {
            p.meta { "The recruiter's reason: " (d.reason) " (" (d.by) ", " (d.at) ")" }
        }
        @if !a.summary.is_empty() { h2 { "Summary" } p { (a.summary) } }
        (crate::dashboard::interview_pages::score_chart(Ui::En, a))
        @if let Some(scores) = &a.scores {
            h2 { "Soft skills" }
            @for (skill, s) in scores {
                section.skill {
                    header { span { (skill_name(skill.as_str())) } span { (pct(s.score)) " · confidence " (pct(s.confidence)) } }
                    div.bar { span style={ "width:" (pct(s.score)) } {} }
                    @if !s.evidence.is_empty() {
                        ul.ev {
                            @for e in &s.evidence {
                                li {
                                    @match e.direction {
                                        Direction::Raised => span.up { "▲ " },
                                        Direction::Lowered => span.down { "▼ " },
                                    }
                                    "“" (e.quote) "” — " (e.anchor)
                                    @if let Some(t) = e.start { " (" (clock(t)) ")" }
                                }
                            }
                        }
                    }
                }
            }
        }
        @if !a.strengths.is_empty() { h2 { "Strengths" } ul { @for s in &a.strengths { li { (s) } } } }
        @if !a.risks.is_empty() {
            h2 { "Risks to discuss" }
            ul { @for r in &a.risks { li { b { (r.message) } br; span.meta { "“" (r.quote) "”" } } } }
        }
        (fit_html)
        footer {
            p { "Scores are based only on what the candidate said, matched against behaviourally anchored rubrics; every score lists the quotes behind it. They support, and do not replace, a recruiter's judgement." }
            p { "Model: " (a.model_version) " · Rubric: " (a.rubric_version) }
        }
    }
}

/// The report page of one interview.
pub async fn report_page(
    State(state): State<AppState>,
    PathId(token): PathId,
) -> Result<Response, ApiError> {
    let token_ok =
        token.len() >= 16 && token.len() <= 64 && token.bytes().all(|b| b.is_ascii_alphanumeric());
    let interview = if token_ok {
        state.store.get_interview_by_report_token(&token).await?
    } else {
        None
    };
    let Some(i) = interview else {
        return Ok(page(
            StatusCode::NOT_FOUND,
            "Report not found",
            html! {
                h1 { "Report not found" }
                p { "This report link is not valid, or the report has been deleted." }
            },
        ));
    };
    let candidate = state
        .store
        .get_candidate(&i.org_id, &i.candidate_id)
        .await?;
    let name = candidate
        .as_ref()
        .and_then(|c| c.name.clone())
        .unwrap_or_else(|| i.candidate_id.clone());
    let position = match candidate.as_ref().and_then(|c| c.position.clone()) {
        Some(p) => Some(p),
        None => position_of(&state, &i.org_id, Some(&i)).await?,
    };
    let analysis = stored_analysis(&i)?;
    let decision = crate::interviews::human_decision(&state, &i).await?;
    let fit_html = match analysis.as_ref().and_then(|a| a.culture.as_ref()) {
        Some(culture) => {
            let company = company_profile(&state, &i.org_id).await?;
            let f = fit(&company, culture);
            html! {
                h2 { "Culture fit" }
                div.cards { div.card { "Compatibility with the company's culture" b { (pct(f.fit_score)) } } }
                (crate::dashboard::interview_pages::fit_chart(Ui::En, &f))
                table {
                    tr { th { "Dimension" } th { "Company" } th { "Candidate" } }
                    @for (d, v) in &f.dimensions {
                        tr { td { (d.label()) } td { (pct(v.company)) } td { (pct(v.candidate)) } }
                    }
                }
                @if !f.matches.is_empty() { p { b { "Where they agree: " } (f.matches.join("; ")) } }
                @if !f.attention.is_empty() { p { b { "Worth a conversation: " } (f.attention.join("; ")) } }
            }
        }
        None => html! {},
    };
    let body = html! {
        h1 { (name) }
        p.meta {
            @if let Some(p) = &position { (p) " · " }
            "Interview of " (format_millis(i.created_at)) " · " (i.status.as_str())
        }
        @match i.status {
            InterviewStatus::Processing => {
                p { "The analysis is in progress. This page refreshes by itself." }
            }
            InterviewStatus::Failed => {
                h2 { "The analysis failed" }
                p { (i.error_message.clone().unwrap_or_default()) }
            }
            InterviewStatus::Completed => {
                @if let Some(a) = &analysis { (analysis_section(a, fit_html, decision.as_ref())) }
            }
            InterviewStatus::InProgress => {
                p { "The candidate is still in the interview. The report appears once it ends." }
            }
            InterviewStatus::Abandoned => {
                h2 { "The interview was abandoned" }
                p { "The candidate left before giving enough answers to assess." }
            }
        }
        p.noprint { button onclick="window.print()" { "Print or save as PDF" } }
    };
    let mut resp = page(StatusCode::OK, &format!("Report: {name}"), body);
    if i.status == InterviewStatus::Processing {
        resp.headers_mut()
            .insert(header::REFRESH, HeaderValue::from_static("5"));
    }
    Ok(resp)
}

fn page(status: StatusCode, title: &str, body: Markup) -> Response {
    let doc = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="robots" content="noindex";
                title { (title) " · talentd" }
                style { (PreEscaped(STYLE)) }
            }
            body { main { (body) } }
        }
    };
    let mut resp = (status, doc.into_string()).into_response();
    let h = resp.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert("x-robots-tag", HeaderValue::from_static("noindex"));
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'",
        ),
    );
    resp
}
