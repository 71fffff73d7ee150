//! Interviews in the dashboard: one list across live sessions and uploads (refreshing
//! while any is processing), a transcript upload form, and the candidate page with the
//! scores drawn as SVG, each score's quotes linked to the transcript, and the
//! recruiter's decision over the AI's recommendation.

use super::layout::{Ui, page};
use super::session::Signed;
use crate::AppState;
use crate::error::ApiError;
use crate::extract::PathId;
use crate::interviews::{self, InterviewIn, stored_analysis};
use axum::Form;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use serde::Deserialize;
use talentd_analysis::{Analysis, Direction, Recommendation};
use talentd_core::InterviewId;
use talentd_core::interview::{InterviewStatus, Stage};
use talentd_core::timefmt::{format_millis, to_millis};
use talentd_store::{InterviewRow, OverrideRow};

/// Interviews shown on one page.
const PAGE: i64 = 50;
/// Longest reason for a decision.
const MAX_REASON: usize = 2000;

#[derive(Deserialize, Default)]
pub struct ListQuery {
    pub status: Option<String>,
    pub source: Option<String>,
    pub page: Option<i64>,
}

fn recommendation_name(r: Recommendation) -> &'static str {
    match r {
        Recommendation::StronglyRecommended => "strongly_recommended",
        Recommendation::Recommended => "recommended",
        Recommendation::Consider => "consider",
        Recommendation::NotRecommended => "not_recommended",
    }
}

const RECOMMENDATIONS: [&str; 4] = [
    "strongly_recommended",
    "recommended",
    "consider",
    "not_recommended",
];

use crate::report_page::{pct, skill_name as label};

/// Every interview, newest first, with filters.
pub async fn list(
    State(state): State<AppState>,
    signed: Signed,
    headers: HeaderMap,
    Query(q): Query<ListQuery>,
) -> Response {
    let ui = Ui::pick(signed.user.language.as_deref(), &headers);
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
    let ru = ui == Ui::Ru;
    let statuses = [
        "in_progress",
        "processing",
        "completed",
        "failed",
        "abandoned",
    ];
    let body = html! {
        h1 { (ui.t("interviews")) }
        form.card #filters method="get" action="/dashboard/interviews" style="display:flex;gap:12px;flex-wrap:wrap;align-items:end" {
            div {
                label for="status" { (ui.t("status")) }
                select #status name="status" {
                    option value="" { "—" }
                    @for s in statuses {
                        option value=(s) selected[q.status.as_deref() == Some(s)] { (label(s)) }
                    }
                }
            }
            div {
                label for="source" { @if ru { "Источник" } @else { "Source" } }
                select #source name="source" {
                    option value="" { "—" }
                    option value="live" selected[source.as_deref() == Some("live")] { @if ru { "Интервью с Тами" } @else { "Live with Tami" } }
                    option value="upload" selected[source.as_deref() == Some("upload")] { @if ru { "Загрузка" } @else { "Upload" } }
                }
            }
            button type="submit" { @if ru { "Показать" } @else { "Filter" } }
        }
        div.card {
            @if rows.is_empty() {
                p.muted { @if ru { "Интервью не найдено." } @else { "No interviews." } }
            } @else {
                form #compare method="get" action="/dashboard/compare" {}
                table #interviews {
                    thead { tr {
                        th { span.muted { @if ru { "Сравнить" } @else { "Compare" } } }
                        th { @if ru { "Кандидат" } @else { "Candidate" } }
                        th { (ui.t("status")) }
                        th { @if ru { "Соответствие" } @else { "Match" } }
                        th { @if ru { "Источник" } @else { "Source" } }
                        th { (ui.t("created")) }
                    } }
                    tbody {
                        @for (i, name) in rows.iter().zip(&names) {
                            tr data-interview=(i.id) {
                                td {
                                    @if i.status == InterviewStatus::Completed {
                                        input type="checkbox" form="compare" name="c" value=(i.candidate_id) aria-label="Compare";
                                    }
                                }
                                td { a href=(format!("/dashboard/interviews/{}", i.id)) { (name) } }
                                td {
                                    span class=(format!("pill {}", i.status.as_str())) { (label(i.status.as_str())) }
                                    @if i.status == InterviewStatus::Processing {
                                        " " span.muted { (i.stage.unwrap_or(Stage::Queued).as_str()) " " (pct(i.progress)) }
                                    }
                                }
                                td { @if let Some(m) = i.match_score { (pct(m)) } @else { "—" } }
                                td.muted { (i.source.as_str()) }
                                td.muted { (super::layout::short_time(i.created_at)) }
                            }
                        }
                    }
                }
                p { button type="submit" form="compare" #compare-submit { @if ru { "Сравнить выбранных" } @else { "Compare the selected candidates" } } }
                p.muted { (found.total) " · " @if page_no > 0 { a href=(format!("?page={}", page_no - 1)) { "←" } " " } @if (page_no + 1) * PAGE < found.total { a href=(format!("?page={}", page_no + 1)) { "→" } } }
            }
        }
        div.card {
            h2 style="margin-top:0;font-size:17px" { @if ru { "Загрузить расшифровку" } @else { "Upload a transcript" } }
            form #upload method="post" action="/dashboard/interviews" {
                input type="hidden" name="csrf" value=(signed.session.csrf_token);
                label for="candidate_id" { @if ru { "ID кандидата" } @else { "Candidate id" } }
                input #candidate_id type="text" name="candidate_id" required maxlength="128";
                label for="candidate_name" { @if ru { "Имя кандидата" } @else { "Candidate name" } }
                input #candidate_name type="text" name="candidate_name" maxlength="200";
                label for="vacancy_id" { @if ru { "Вакансия или проект (prj_…)" } @else { "Vacancy or project (prj_…)" } }
                input #vacancy_id type="text" name="vacancy_id" required maxlength="128";
                label for="transcript" { @if ru { "Расшифровка («Interviewer: …» / «Candidate: …», WebVTT или SRT)" } @else { "Transcript (\"Interviewer: …\" / \"Candidate: …\" lines, WebVTT or SRT)" } }
                textarea #transcript name="transcript" rows="8" required {}
                p { button #upload-submit type="submit" { @if ru { "Загрузить и проанализировать" } @else { "Upload and analyse" } } }
            }
        }
        div.card {
            h2 style="margin-top:0;font-size:17px" { @if ru { "Загрузить запись или файл расшифровки" } @else { "Upload a recording or a transcript file" } }
            form #upload-file method="post" action="/dashboard/interviews/upload" enctype="multipart/form-data" {
                input type="hidden" name="csrf" value=(signed.session.csrf_token);
                label for="file-candidate_id" { @if ru { "ID кандидата" } @else { "Candidate id" } }
                input #file-candidate_id type="text" name="candidate_id" required maxlength="128";
                label for="file-candidate_name" { @if ru { "Имя кандидата" } @else { "Candidate name" } }
                input #file-candidate_name type="text" name="candidate_name" maxlength="200";
                label for="file-vacancy_id" { @if ru { "Вакансия или проект (prj_…)" } @else { "Vacancy or project (prj_…)" } }
                input #file-vacancy_id type="text" name="vacancy_id" required maxlength="128";
                label for="media" { @if ru { "Запись (mp3, m4a, mp4, wav, ogg, webm)" } @else { "Recording (mp3, m4a, mp4, wav, ogg, webm)" } }
                input #media type="file" name="media" accept="audio/*,video/*";
                label for="transcript-file" { @if ru { "…или файл расшифровки (.txt, .vtt, .srt, .json)" } @else { "…or a transcript file (.txt, .vtt, .srt, .json)" } }
                input #transcript-file type="file" name="transcript" accept=".txt,.vtt,.srt,.json";
                p { button #upload-file-submit type="submit" { @if ru { "Загрузить" } @else { "Upload" } } }
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

/// The answer to an upload the API's checks refuse: their message, and a way back.
fn refused_upload(status: StatusCode, e: &ApiError) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        html! {
            p.error { (e.message) @if let Some(p) = &e.param { " (" (p) ")" } }
            p { a href="/dashboard/interviews" { "← Back" } }
        }
        .into_string(),
    )
        .into_response()
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
        Err(e) if e.status.is_client_error() => refused_upload(StatusCode::BAD_REQUEST, &e),
        Err(e) => e.into_response(),
    }
}

/// Scores as horizontal SVG bars, drawn on the server.
pub(crate) fn score_chart(a: &Analysis) -> Markup {
    let Some(scores) = &a.scores else {
        return html! {};
    };
    let row_h = 30;
    let height = row_h * scores.len() + 10;
    html! {
        svg #score-chart role="img" aria-label="Scores by skill" viewBox=(format!("0 0 400 {height}")) width="100%" style="max-width:560px" {
            @for (n, (skill, s)) in scores.iter().enumerate() {
                @let y = n * row_h + 6;
                text x="0" y=(y + 14) font-size="12" fill="#1d2330" { (label(skill.as_str())) }
                rect x="130" y=(y) width="220" height="16" rx="4" fill="#e3e6ec" {}
                rect x="130" y=(y) width=(format!("{:.1}", 220.0 * s.score.clamp(0.0, 1.0))) height="16" rx="4" fill="#2f5bd3" {}
                text x="356" y=(y + 13) font-size="12" fill="#1d2330" { (pct(s.score)) }
            }
        }
    }
}

/// The candidate page of one interview.
pub async fn show(
    State(state): State<AppState>,
    signed: Signed,
    headers: HeaderMap,
    PathId(id): PathId,
) -> Response {
    let ui = Ui::pick(signed.user.language.as_deref(), &headers);
    let Some(id) = InterviewId::from_session_id(&id) else {
        return (StatusCode::NOT_FOUND, "Not found").into_response();
    };
    let i = match state.store.get_interview(&signed.user.org_id, &id).await {
        Ok(Some(i)) => i,
        Ok(None) => return (StatusCode::NOT_FOUND, "Not found").into_response(),
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
    let ru = ui == Ui::Ru;
    let segments = i
        .transcript
        .as_ref()
        .map(|t| t.segments.clone())
        .unwrap_or_default();
    let body = html! {
        p { a href="/dashboard/interviews" { "← " (ui.t("interviews")) } }
        h1 { (name) " " span class=(format!("pill {}", i.status.as_str())) { (label(i.status.as_str())) } }
        p.muted {
            (i.vacancy_id) " · " (format_millis(i.created_at)) " · "
            a #report-link href=(format!("/r/{}", i.report_token)) { @if ru { "Отчёт для печати" } @else { "Printable report" } }
        }
        form #revoke-report method="post" action=(format!("/dashboard/interviews/{}/report-link", i.id)) {
            input type="hidden" name="csrf" value=(signed.session.csrf_token);
            button.link type="submit" { @if ru { "Отозвать ссылку на отчёт (выдать новую)" } @else { "Revoke the report link (issue a new one)" } }
        }
        @if i.status == InterviewStatus::Processing {
            p.card { @if ru { "Идёт анализ: " } @else { "Analysing: " } (i.stage.unwrap_or(Stage::Queued).as_str()) " " (pct(i.progress)) }
        }
        @if let Some(a) = &analysis {
            div.card {
                div style="display:flex;gap:24px;flex-wrap:wrap" {
                    @if let Some(m) = a.match_score { div { span.muted { @if ru { "Соответствие" } @else { "Match" } } br; strong #match style="font-size:24px" { (pct(m)) } } }
                    div {
                        span.muted { @if ru { "Рекомендация ИИ" } @else { "AI recommendation" } } br;
                        strong #ai-recommendation { (a.recommendation.map(recommendation_name).map(label).unwrap_or_else(|| "—".into())) }
                    }
                    @if let Some(o) = overrides.first() {
                        div {
                            span.muted { @if ru { "Решение рекрутера" } @else { "Recruiter's decision" } } br;
                            strong #human-recommendation { (label(&o.recommendation)) }
                        }
                    }
                }
                @if !a.summary.is_empty() { p { (a.summary) } }
                (score_chart(a))
            }
            @if let Some(scores) = &a.scores {
                div.card #evidence {
                    h2 style="margin-top:0;font-size:17px" { @if ru { "Оценки и цитаты" } @else { "Scores and the quotes behind them" } }
                    @for (skill, s) in scores {
                        h3 style="font-size:15px;margin:14px 0 4px" { (label(skill.as_str())) " — " (pct(s.score)) span.muted { " (confidence " (pct(s.confidence)) ")" } }
                        ul style="margin:0;padding-left:18px" {
                            @for e in &s.evidence {
                                li {
                                    @match e.direction { Direction::Raised => span style="color:var(--good)" { "▲ " }, Direction::Lowered => span style="color:var(--bad)" { "▼ " } }
                                    a.quote href=(format!("#seg-{}", e.segment)) { "“" (e.quote) "”" }
                                    span.muted { " — " (e.anchor) }
                                }
                            }
                        }
                    }
                }
            }
            @if !a.strengths.is_empty() || !a.risks.is_empty() {
                div.card {
                    @if !a.strengths.is_empty() { h2 style="margin-top:0;font-size:17px" { @if ru { "Сильные стороны" } @else { "Strengths" } } ul { @for s in &a.strengths { li { (s) } } } }
                    @if !a.risks.is_empty() { h2 style="font-size:17px" { @if ru { "Риски" } @else { "Risks" } } ul { @for r in &a.risks { li { b { (r.message) } " " a href=(format!("#seg-{}", r.segment)) { "“" (r.quote) "”" } } } } }
                }
            }
            @if let Some(f) = &fit {
                div.card #culture-fit {
                    h2 style="margin-top:0;font-size:17px" { @if ru { "Соответствие культуре: " } @else { "Culture fit: " } (pct(f.fit_score)) }
                    p.muted { span style="color:#2f5bd3" { "■" } @if ru { " компания  " } @else { " company  " } span style="color:#1f7a45" { "■" } @if ru { " кандидат" } @else { " candidate" } }
                    (fit_chart(f))
                    @if !f.matches.is_empty() { p { b { @if ru { "Совпадает: " } @else { "Where they agree: " } } (f.matches.join("; ")) } }
                    @if !f.attention.is_empty() { p { b { @if ru { "Стоит обсудить: " } @else { "Worth a conversation: " } } (f.attention.join("; ")) } }
                }
            }
            div.card #decision {
                h2 style="margin-top:0;font-size:17px" { @if ru { "Ваше решение" } @else { "Your decision" } }
                p.muted { @if ru { "ИИ лишь советует. Ваше решение и его причина сохраняются в журнале и видны в API рядом с рекомендацией ИИ." } @else { "The AI only advises. Your decision and its reason are kept in an audit trail and shown in the API beside the AI's recommendation." } }
                form #override method="post" action=(format!("/dashboard/interviews/{}/decision", i.id)) {
                    input type="hidden" name="csrf" value=(signed.session.csrf_token);
                    label for="recommendation" { @if ru { "Рекомендация" } @else { "Recommendation" } }
                    select #recommendation name="recommendation" {
                        @for r in RECOMMENDATIONS { option value=(r) { (label(r)) } }
                    }
                    label for="reason" { @if ru { "Причина" } @else { "Reason" } }
                    textarea #reason name="reason" rows="3" required maxlength="2000" {}
                    p { button #override-submit type="submit" { @if ru { "Сохранить решение" } @else { "Record the decision" } } }
                }
                @if !overrides.is_empty() {
                    h3 style="font-size:15px" { @if ru { "Журнал решений" } @else { "Audit trail" } }
                    ul #audit { @for o in &overrides { (audit_item(o)) } }
                }
            }
        }
        @if !segments.is_empty() {
            div.card #transcript {
                h2 style="margin-top:0;font-size:17px" { @if ru { "Расшифровка" } @else { "Transcript" } }
                @for (n, seg) in segments.iter().enumerate() {
                    p id=(format!("seg-{n}")) style="margin:6px 0" {
                        b { (label(match seg.speaker { talentd_core::transcript::Speaker::Interviewer => "interviewer", talentd_core::transcript::Speaker::Candidate => "candidate" })) ": " }
                        (seg.text)
                    }
                }
            }
        }
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

/// The company's and the candidate's seven dimensions as paired SVG bars.
pub(crate) fn fit_chart(f: &talentd_analysis::culture::Fit) -> Markup {
    let row_h = 34;
    let height = row_h * f.dimensions.len() + 6;
    html! {
        svg #fit-chart role="img" aria-label="Culture dimensions: company and candidate" viewBox=(format!("0 0 400 {height}")) width="100%" style="max-width:560px" {
            @for (n, (d, v)) in f.dimensions.iter().enumerate() {
                @let y = n * row_h + 4;
                text x="0" y=(y + 16) font-size="12" fill="#1d2330" { (d.label()) }
                rect x="150" y=(y) width=(format!("{:.1}", 200.0 * v.company.clamp(0.0, 1.0))) height="11" rx="3" fill="#2f5bd3" {}
                rect x="150" y=(y + 13) width=(format!("{:.1}", 200.0 * v.candidate.clamp(0.0, 1.0))) height="11" rx="3" fill="#1f7a45" {}
            }
        }
    }
}

fn audit_item(o: &OverrideRow) -> Markup {
    html! { li { (format_millis(o.created_at)) " · " (o.user_email) " · " b { (label(&o.recommendation)) } " — " (o.reason) } }
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
        return (StatusCode::NOT_FOUND, "Not found").into_response();
    };
    match state.store.get_interview(&signed.user.org_id, &id).await {
        Ok(Some(i)) if i.status == InterviewStatus::Completed => {}
        Ok(Some(_)) => {
            return (
                StatusCode::CONFLICT,
                "The interview has no analysis to decide on yet.",
            )
                .into_response();
        }
        Ok(None) => return (StatusCode::NOT_FOUND, "Not found").into_response(),
        Err(e) => return ApiError::from(e).into_response(),
    }
    let reason = f.reason.trim();
    if !RECOMMENDATIONS.contains(&f.recommendation.as_str())
        || reason.is_empty()
        || reason.chars().count() > MAX_REASON
    {
        return (
            StatusCode::BAD_REQUEST,
            "Choose a recommendation and give a reason (at most 2000 characters).",
        )
            .into_response();
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
        return (StatusCode::NOT_FOUND, "Not found").into_response();
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
        Ok(false) => (StatusCode::NOT_FOUND, "Not found").into_response(),
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
        Err(e) if e.status == StatusCode::FORBIDDEN => super::session::forbidden(),
        Err(e) if e.status.is_client_error() => refused_upload(e.status, &e),
        Err(e) => e.into_response(),
    }
}
