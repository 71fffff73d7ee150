//! Interviews in the dashboard: one list across live sessions and uploads (refreshing
//! while any is processing), a transcript upload form, and the candidate page with the
//! scores drawn as SVG, each score's quotes linked to the transcript, and the
//! recruiter's decision over the AI's recommendation.

use super::layout::{Ui, api_problem, not_found, notice, page};
use super::session::Signed;
use crate::AppState;
use crate::error::ApiError;
use crate::extract::PathId;
use crate::interviews::{self, InterviewIn, stored_analysis};
use axum::Form;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use serde::Deserialize;
use talentd_analysis::{Analysis, Direction, Recommendation};
use talentd_core::InterviewId;
use talentd_core::interview::{InterviewStatus, Stage};
use talentd_core::timefmt::to_millis;
use talentd_core::transcript::Speaker;
use talentd_store::{InterviewRow, OverrideRow};

/// Interviews shown on one page.
const PAGE: i64 = 50;
/// Longest reason for a decision.
use crate::decisions::MAX_REASON;

#[derive(Deserialize, Default)]
pub struct ListQuery {
    pub status: Option<String>,
    pub source: Option<String>,
    pub page: Option<i64>,
}

pub(crate) fn recommendation_name(r: Recommendation) -> &'static str {
    match r {
        Recommendation::StronglyRecommended => "strongly_recommended",
        Recommendation::Recommended => "recommended",
        Recommendation::Consider => "consider",
        Recommendation::NotRecommended => "not_recommended",
    }
}

/// The levels a recruiter's decision may take: the API's (`POST
/// /v1/interviews/{id}/decisions`).
pub(crate) use talentd_core::agreement::LEVELS as RECOMMENDATIONS;

use crate::report_page::pct;

/// The statuses the list can be filtered by, in the order of their lives.
const STATUSES: [InterviewStatus; 5] = [
    InterviewStatus::InProgress,
    InterviewStatus::Processing,
    InterviewStatus::Completed,
    InterviewStatus::Failed,
    InterviewStatus::Abandoned,
];

/// What a processing interview is doing, and how far along it is.
fn progress(ui: Ui, i: &InterviewRow) -> String {
    let stage = i.stage.unwrap_or(Stage::Queued);
    format!("{} {}", ui.name("stage", stage.as_str()), pct(i.progress))
}

/// Every interview, newest first, with filters.
pub async fn list(
    State(state): State<AppState>,
    signed: Signed,
    Query(q): Query<ListQuery>,
) -> Response {
    let ui = signed.ui;
    let status = q
        .status
        .as_deref()
        .filter(|s| !s.is_empty())
        .and_then(InterviewStatus::parse);
    let source = q.source.clone().filter(|s| s == "live" || s == "upload");
    let page_no = q.page.unwrap_or(0).clamp(0, 10_000);
    let found = match state
        .store
        .list_interviews(&signed.user.org_id, status, PAGE, page_no * PAGE)
        .await
    {
        Ok(p) => p,
        Err(e) => return ApiError::from(e).into_response(),
    };
    let rows: Vec<&InterviewRow> = found
        .items
        .iter()
        .filter(|i| source.as_deref().is_none_or(|s| i.source.as_str() == s))
        .collect();
    let mut names = Vec::with_capacity(rows.len());
    for i in &rows {
        let n = state
            .store
            .get_candidate(&signed.user.org_id, &i.candidate_id)
            .await
            .ok()
            .flatten()
            .and_then(|c| c.name);
        names.push(n.unwrap_or_else(|| i.candidate_id.clone()));
    }
    let busy = rows.iter().any(|i| {
        matches!(
            i.status,
            InterviewStatus::Processing | InterviewStatus::InProgress
        )
    });
    let body = html! {
        h1 { (ui.t("interviews")) }
        form.card #filters method="get" action="/dashboard/interviews" style="display:flex;gap:12px;flex-wrap:wrap;align-items:end" {
            div {
                label for="status" { (ui.t("status")) }
                select #status name="status" {
                    option value="" { (ui.t("any")) }
                    @for s in STATUSES {
                        option value=(s.as_str()) selected[status == Some(s)] { (ui.name("interview_status", s.as_str())) }
                    }
                }
            }
            div {
                label for="source" { (ui.t("source")) }
                select #source name="source" {
                    option value="" { (ui.t("any")) }
                    @for s in ["live", "upload"] {
                        option value=(s) selected[source.as_deref() == Some(s)] { (ui.name("source", s)) }
                    }
                }
            }
            button type="submit" { (ui.t("filter")) }
        }
        div.card {
            @if rows.is_empty() {
                p.muted { (ui.t("no_interviews")) }
            } @else {
                form #compare method="get" action="/dashboard/compare" {}
                table.stack #interviews {
                    thead { tr {
                        th { span.muted { (ui.t("compare")) } }
                        th { (ui.t("candidate")) }
                        th { (ui.t("status")) }
                        th { (ui.t("match")) }
                        th { (ui.t("source")) }
                        th { (ui.t("created")) }
                    } }
                    tbody {
                        @for (i, name) in rows.iter().zip(&names) {
                            tr data-interview=(i.id) {
                                td data-label=(ui.t("compare")) {
                                    @if i.status == InterviewStatus::Completed {
                                        input type="checkbox" form="compare" name="c" value=(i.candidate_id) aria-label=(ui.fill("compare_one", name));
                                    }
                                }
                                td data-label=(ui.t("candidate")) { a href=(format!("/dashboard/interviews/{}", i.id)) { (name) } }
                                td data-label=(ui.t("status")) {
                                    span {
                                        span class=(format!("pill {}", i.status.as_str())) { (ui.name("interview_status", i.status.as_str())) }
                                        @if i.status == InterviewStatus::Processing {
                                            " " span.muted { (progress(ui, i)) }
                                        }
                                    }
                                }
                                td data-label=(ui.t("match")) { @if let Some(m) = i.match_score { (pct(m)) } @else { "—" } }
                                td.muted data-label=(ui.t("source")) { (ui.name("source", i.source.as_str())) }
                                td.muted data-label=(ui.t("created")) { (super::layout::short_time(i.created_at)) }
                            }
                        }
                    }
                }
                p { button type="submit" form="compare" #compare-submit { (ui.t("compare_selected")) } }
                p.muted {
                    (ui.fill("found", &found.total.to_string()))
                    @if page_no > 0 || (page_no + 1) * PAGE < found.total { " · " }
                    @if page_no > 0 { a href=(format!("?page={}", page_no - 1)) aria-label=(ui.t("previous_page")) { "←" } " " }
                    @if (page_no + 1) * PAGE < found.total { a href=(format!("?page={}", page_no + 1)) aria-label=(ui.t("next_page")) { "→" } }
                }
            }
        }
        div.card {
            h2 style="margin-top:0;font-size:17px" { (ui.t("upload_transcript")) }
            form #upload method="post" action="/dashboard/interviews" {
                input type="hidden" name="csrf" value=(signed.session.csrf_token);
                label for="candidate_id" { (ui.t("candidate_id")) }
                input #candidate_id type="text" name="candidate_id" required maxlength="128";
                label for="candidate_name" { (ui.t("candidate_name")) }
                input #candidate_name type="text" name="candidate_name" maxlength="200";
                label for="vacancy_id" { (ui.t("vacancy_or_project")) }
                input #vacancy_id type="text" name="vacancy_id" required maxlength="128";
                label for="transcript" { (ui.t("transcript_lines")) }
                textarea #transcript name="transcript" rows="8" required {}
                p { button #upload-submit type="submit" { (ui.t("upload_and_analyse")) } }
            }
        }
        div.card {
            h2 style="margin-top:0;font-size:17px" { (ui.t("upload_file")) }
            form #upload-file method="post" action="/dashboard/interviews/upload" enctype="multipart/form-data" {
                input type="hidden" name="csrf" value=(signed.session.csrf_token);
                label for="file-candidate_id" { (ui.t("candidate_id")) }
                input #file-candidate_id type="text" name="candidate_id" required maxlength="128";
                label for="file-candidate_name" { (ui.t("candidate_name")) }
                input #file-candidate_name type="text" name="candidate_name" maxlength="200";
                label for="file-vacancy_id" { (ui.t("vacancy_or_project")) }
                input #file-vacancy_id type="text" name="vacancy_id" required maxlength="128";
                label for="media" { (ui.t("recording_formats")) }
                input #media type="file" name="media" accept="audio/*,video/*";
                label for="transcript-file" { (ui.t("or_transcript_file")) }
                input #transcript-file type="file" name="transcript" accept=".txt,.vtt,.srt,.json";
                p { button #upload-file-submit type="submit" { (ui.t("upload")) } }
            }
        }
    };
    let mut resp = page(&signed, ui, "interviews", ui.t("interviews"), body);
    if busy {
        resp.headers_mut()
            .insert(header::REFRESH, HeaderValue::from_static("5"));
    }
    resp
}

#[derive(Deserialize, Default)]
pub struct UploadForm {
    #[serde(default)]
    pub csrf: String,
    #[serde(default)]
    pub candidate_id: String,
    #[serde(default)]
    pub candidate_name: String,
    #[serde(default)]
    pub vacancy_id: String,
    #[serde(default)]
    pub transcript: String,
}

/// The answer to an upload the API's checks refuse: their reason, and the way back.
fn refused_upload(signed: &Signed, status: StatusCode, e: &ApiError) -> Response {
    let ui = signed.ui;
    let mut resp = page(
        signed,
        ui,
        "interviews",
        ui.t("upload_refused"),
        html! {
            h1 { (ui.t("upload_refused")) }
            div.card {
                (api_problem(ui, e))
                p { a href="/dashboard/interviews" { "← " (ui.t("back")) } }
            }
        },
    );
    *resp.status_mut() = status;
    resp
}

/// Submits a pasted transcript for analysis.
pub async fn upload(
    State(state): State<AppState>,
    signed: Signed,
    Form(f): Form<UploadForm>,
) -> Response {
    if let Err(r) = signed.check_csrf(&f.csrf) {
        return r.into_response();
    }
    let input = InterviewIn {
        candidate_id: f.candidate_id.trim().to_owned(),
        vacancy_id: f.vacancy_id.trim().to_owned(),
        media_url: None,
        transcript: Some(serde_json::Value::String(f.transcript)),
        candidate_name: Some(f.candidate_name.trim().to_owned()).filter(|s| !s.is_empty()),
        candidate_email: None,
        candidate_channel: None,
        interviewer_segments: None,
        language: None,
    };
    match interviews::create_from_json(&state, &signed.user.org_id, input).await {
        Ok(out) => {
            if let Some(w) = &state.wake_workers {
                w.notify_one();
            }
            Redirect::to(&format!("/dashboard/interviews/{}", out.id)).into_response()
        }
        Err(e) if e.status.is_client_error() => {
            refused_upload(&signed, StatusCode::BAD_REQUEST, &e)
        }
        Err(e) => e.into_response(),
    }
}

/// Scores as horizontal SVG bars, drawn on the server, each under its skill's name.
pub(crate) fn score_chart(ui: Ui, a: &Analysis) -> Markup {
    let Some(scores) = &a.scores else {
        return html! {};
    };
    let row_h = 38;
    let height = row_h * scores.len() + 4;
    html! {
        svg #score-chart role="img" aria-label=(ui.t("scores_by_skill")) viewBox=(format!("0 0 400 {height}")) width="100%" style="max-width:560px" {
            @for (n, (skill, s)) in scores.iter().enumerate() {
                @let y = n * row_h;
                text x="0" y=(y + 14) font-size="15" fill="#1d2330" { (ui.name("skill", skill.as_str())) }
                rect x="0" y=(y + 20) width="340" height="14" rx="4" fill="#e3e6ec" {}
                rect x="0" y=(y + 20) width=(format!("{:.1}", 340.0 * s.score.clamp(0.0, 1.0))) height="14" rx="4" fill="#2f5bd3" {}
                text x="348" y=(y + 32) font-size="14" fill="#1d2330" { (pct(s.score)) }
            }
        }
    }
}

/// The name of a recommendation (`consider`, ...) as stored.
fn recommendation(ui: Ui, name: &str) -> &str {
    ui.name("recommendation", name)
}

/// The candidate page of one interview.
pub async fn show(State(state): State<AppState>, signed: Signed, PathId(id): PathId) -> Response {
    let ui = signed.ui;
    let Some(id) = InterviewId::from_session_id(&id) else {
        return not_found(&signed);
    };
    let i = match state.store.get_interview(&signed.user.org_id, &id).await {
        Ok(Some(i)) => i,
        Ok(None) => return not_found(&signed),
        Err(e) => return ApiError::from(e).into_response(),
    };
    let analysis = match stored_analysis(&i) {
        Ok(a) => a,
        Err(e) => return e.into_response(),
    };
    let overrides = match state.store.list_overrides(&signed.user.org_id, &i.id).await {
        Ok(o) => o,
        Err(e) => return ApiError::from(e).into_response(),
    };
    let name = state
        .store
        .get_candidate(&signed.user.org_id, &i.candidate_id)
        .await
        .ok()
        .flatten()
        .and_then(|c| c.name)
        .unwrap_or_else(|| i.candidate_id.clone());
    let fit = match analysis.as_ref().and_then(|a| a.culture.as_ref()) {
        Some(culture) => match crate::culture::company_profile(&state, &signed.user.org_id).await {
            Ok(company) => Some(talentd_analysis::culture::fit(&company, culture)),
            Err(e) => return e.into_response(),
        },
        None => None,
    };
    let segments = i
        .transcript
        .as_ref()
        .map(|t| t.segments.clone())
        .unwrap_or_default();
    let body = html! {
        p { a href="/dashboard/interviews" { "← " (ui.t("interviews")) } }
        h1 { (name) " " span class=(format!("pill {}", i.status.as_str())) { (ui.name("interview_status", i.status.as_str())) } }
        p.muted {
            (i.vacancy_id) " · " (super::layout::short_time(i.created_at)) " · "
            a #report-link href=(format!("/r/{}", i.report_token)) { (ui.t("printable_report")) }
            " · " a #explanation-link href=(format!("/dashboard/candidates/{}/explanation", i.candidate_id)) { (ui.t("explanation_for_candidate")) }
        }
        form #revoke-report method="post" action=(format!("/dashboard/interviews/{}/report-link", i.id)) {
            input type="hidden" name="csrf" value=(signed.session.csrf_token);
            button.link type="submit" { (ui.t("revoke_report_link")) }
        }
        @if i.status == InterviewStatus::Processing {
            p.card { (ui.fill("analysing", &progress(ui, &i))) }
        }
        @if i.status == InterviewStatus::Failed {
            div.card {
                p.error role="alert" { (ui.t("analysis_failed")) }
                @if let Some(m) = &i.error_message { p.muted lang="en" { (m) } }
            }
        }
        @if let Some(a) = &analysis {
            div.card {
                div style="display:flex;gap:12px 24px;flex-wrap:wrap" {
                    @if let Some(m) = a.match_score { div { span.muted { (ui.t("match")) } br; strong #match style="font-size:24px" { (pct(m)) } } }
                    div {
                        span.muted { (ui.t("ai_recommendation")) } br;
                        strong #ai-recommendation { (a.recommendation.map(recommendation_name).map(|r| recommendation(ui, r)).unwrap_or("—")) }
                    }
                    @if let Some(o) = overrides.first() {
                        div {
                            span.muted { (ui.t("recruiters_decision")) } br;
                            strong #human-recommendation { (recommendation(ui, &o.recommendation)) }
                        }
                    }
                }
                @if !a.summary.is_empty() { p lang="en" { (a.summary) } }
                (score_chart(ui, a))
            }
            @if let Some(scores) = &a.scores {
                div.card #evidence {
                    h2 style="margin-top:0;font-size:17px" { (ui.t("scores_and_quotes")) }
                    @for (skill, s) in scores {
                        h3 style="font-size:15px;margin:14px 0 4px" { (ui.name("skill", skill.as_str())) " — " (pct(s.score)) span.muted { " (" (ui.fill("confidence", &pct(s.confidence))) ")" } }
                        ul style="margin:0;padding-left:18px" {
                            @for e in &s.evidence {
                                li {
                                    @match e.direction {
                                        Direction::Raised => span style="color:var(--good)" title=(ui.t("raised")) { "▲ " },
                                        Direction::Lowered => span style="color:var(--bad)" title=(ui.t("lowered")) { "▼ " },
                                    }
                                    a.quote href=(format!("#seg-{}", e.segment)) { "“" (e.quote) "”" }
                                    span.muted lang="en" { " — " (e.anchor) }
                                }
                            }
                        }
                    }
                }
            }
            @if !a.strengths.is_empty() || !a.risks.is_empty() {
                div.card {
                    @if !a.strengths.is_empty() { h2 style="margin-top:0;font-size:17px" { (ui.t("strengths")) } ul lang="en" { @for s in &a.strengths { li { (s) } } } }
                    @if !a.risks.is_empty() { h2 style="font-size:17px" { (ui.t("risks")) } ul { @for r in &a.risks { li { b lang="en" { (r.message) } " " a href=(format!("#seg-{}", r.segment)) { "“" (r.quote) "”" } } } } }
                }
            }
            @if let Some(f) = &fit {
                div.card #culture-fit {
                    h2 style="margin-top:0;font-size:17px" { (ui.fill("culture_fit_of", &pct(f.fit_score))) }
                    p.muted { span style="color:#2f5bd3" { "■" } " " (ui.t("company")) " " span style="color:#1f7a45;margin-left:12px" { "■" } " " (ui.t("candidate")) }
                    (fit_chart(ui, f))
                    @if !f.matches.is_empty() { p { b { (ui.t("where_they_agree")) ": " } span lang="en" { (f.matches.join("; ")) } } }
                    @if !f.attention.is_empty() { p { b { (ui.t("worth_a_conversation")) ": " } span lang="en" { (f.attention.join("; ")) } } }
                }
            }
            div.card #decision {
                h2 style="margin-top:0;font-size:17px" { (ui.t("your_decision")) }
                p.muted { (ui.t("decision_help")) }
                form #override method="post" action=(format!("/dashboard/interviews/{}/decision", i.id)) {
                    input type="hidden" name="csrf" value=(signed.session.csrf_token);
                    label for="recommendation" { (ui.t("recommendation")) }
                    select #recommendation name="recommendation" {
                        @for r in RECOMMENDATIONS { option value=(r) { (recommendation(ui, r)) } }
                    }
                    label for="reason" { (ui.t("reason")) }
                    textarea #reason name="reason" rows="3" required maxlength=(MAX_REASON) {}
                    p { button #override-submit type="submit" { (ui.t("record_decision")) } }
                }
                @if !overrides.is_empty() {
                    h3 style="font-size:15px" { (ui.t("audit_trail")) }
                    ul #audit { @for o in &overrides { (audit_item(ui, o)) } }
                }
            }
        }
        @if !segments.is_empty() {
            div.card #transcript {
                h2 style="margin-top:0;font-size:17px" { (ui.t("transcript")) }
                @for (n, seg) in segments.iter().enumerate() {
                    p id=(format!("seg-{n}")) style="margin:6px 0" {
                        b { (match seg.speaker { Speaker::Interviewer => ui.t("interviewer"), Speaker::Candidate => ui.t("candidate") }) ": " }
                        (seg.text)
                    }
                }
            }
        }
        (super::erasure_page::erase_form(&signed, &i.candidate_id))
    };
    let mut resp = page(&signed, ui, "interviews", &name, body);
    if matches!(
        i.status,
        InterviewStatus::Processing | InterviewStatus::InProgress
    ) {
        resp.headers_mut()
            .insert(header::REFRESH, HeaderValue::from_static("5"));
    }
    resp
}

/// The company's and the candidate's seven dimensions as paired SVG bars, each pair
/// under its dimension's name.
pub(crate) fn fit_chart(ui: Ui, f: &talentd_analysis::culture::Fit) -> Markup {
    let row_h = 48;
    let height = row_h * f.dimensions.len() + 4;
    html! {
        svg #fit-chart role="img" aria-label=(ui.t("fit_chart")) viewBox=(format!("0 0 400 {height}")) width="100%" style="max-width:560px" {
            @for (n, (d, v)) in f.dimensions.iter().enumerate() {
                @let y = n * row_h;
                text x="0" y=(y + 14) font-size="15" fill="#1d2330" { (ui.name("dimension", d.as_str())) }
                rect x="0" y=(y + 20) width=(format!("{:.1}", 400.0 * v.company.clamp(0.0, 1.0))) height="10" rx="3" fill="#2f5bd3" {}
                rect x="0" y=(y + 32) width=(format!("{:.1}", 400.0 * v.candidate.clamp(0.0, 1.0))) height="10" rx="3" fill="#1f7a45" {}
            }
        }
    }
}

fn audit_item(ui: Ui, o: &OverrideRow) -> Markup {
    html! { li { (super::layout::short_time(o.created_at)) " · " (o.user_email) " · " b { (recommendation(ui, &o.recommendation)) } " — " (o.reason) } }
}

#[derive(Deserialize, Default)]
pub struct DecisionForm {
    #[serde(default)]
    pub csrf: String,
    #[serde(default)]
    pub recommendation: String,
    #[serde(default)]
    pub reason: String,
}

/// Records a recruiter's decision over the AI's recommendation.
pub async fn decide(
    State(state): State<AppState>,
    signed: Signed,
    PathId(id): PathId,
    Form(f): Form<DecisionForm>,
) -> Response {
    if let Err(r) = signed.check_csrf(&f.csrf) {
        return r.into_response();
    }
    let Some(id) = InterviewId::from_session_id(&id) else {
        return not_found(&signed);
    };
    let back = format!("/dashboard/interviews/{id}");
    match state.store.get_interview(&signed.user.org_id, &id).await {
        Ok(Some(i)) if i.status == InterviewStatus::Completed => {}
        Ok(Some(_)) => {
            let msg = signed.ui.t("nothing_to_decide");
            return notice(&signed, StatusCode::CONFLICT, msg, &back);
        }
        Ok(None) => return not_found(&signed),
        Err(e) => return ApiError::from(e).into_response(),
    }
    let reason = f.reason.trim();
    if !RECOMMENDATIONS.contains(&f.recommendation.as_str())
        || reason.is_empty()
        || reason.chars().count() > MAX_REASON
    {
        let msg = signed.ui.fill("decision_needs", &MAX_REASON.to_string());
        return notice(&signed, StatusCode::BAD_REQUEST, &msg, &back);
    }
    let o = OverrideRow {
        id: format!("ovr_{}", talentd_core::id::random_token(24)),
        org_id: signed.user.org_id.clone(),
        interview_id: id.clone(),
        user_id: signed.user.id.clone(),
        user_email: signed.user.email.clone(),
        recommendation: f.recommendation.clone(),
        reason: reason.to_owned(),
        created_at: to_millis(state.clock.now()),
    };
    if let Err(e) = state.store.add_override(&o).await {
        return ApiError::from(e).into_response();
    }
    tracing::info!(interview = %id, user = %signed.user.id, "recorded a recruiter's decision");
    Redirect::to(&format!("/dashboard/interviews/{id}#decision")).into_response()
}

#[derive(Deserialize, Default)]
pub struct CsrfForm {
    #[serde(default)]
    pub csrf: String,
}

/// Revokes the interview's report link: a new token replaces it, so whoever had the old
/// link can no longer read the report.
pub async fn revoke_report_link(
    State(state): State<AppState>,
    signed: Signed,
    PathId(id): PathId,
    Form(f): Form<CsrfForm>,
) -> Response {
    if let Err(r) = signed.check_csrf(&f.csrf) {
        return r.into_response();
    }
    let Some(id) = InterviewId::from_session_id(&id) else {
        return not_found(&signed);
    };
    let token = talentd_core::id::random_token(32);
    let now = to_millis(state.clock.now());
    match state
        .store
        .replace_report_token(&signed.user.org_id, &id, &token, now)
        .await
    {
        Ok(true) => {
            tracing::info!(interview = %id, user = %signed.user.id, "revoked a report link");
            Redirect::to(&format!("/dashboard/interviews/{id}")).into_response()
        }
        Ok(false) => not_found(&signed),
        Err(e) => ApiError::from(e).into_response(),
    }
}

/// Submits a recording or a transcript file from the dashboard's multipart form.
pub async fn upload_file(
    State(state): State<AppState>,
    signed: Signed,
    req: axum::extract::Request,
) -> Response {
    let expected = signed.session.csrf_token.clone();
    let check = move |c: &str| super::session::same_secret(c, &expected);
    let result = interviews::create_from_multipart(&state, &signed.user.org_id, req, &check).await;
    match result {
        Ok(out) => {
            if let Some(w) = &state.wake_workers {
                w.notify_one();
            }
            Redirect::to(&format!("/dashboard/interviews/{}", out.id)).into_response()
        }
        Err(e) if e.status == StatusCode::FORBIDDEN => super::session::forbidden(signed.ui),
        Err(e) if e.status.is_client_error() => refused_upload(&signed, e.status, &e),
        Err(e) => e.into_response(),
    }
}
