//! Candidates side by side (2 to 10), ranked by any criterion: the match, a skill, or
//! culture fit. The ranking is the API's `POST /v1/candidates/compare`.

use super::layout::{Ui, api_problem, page};
use super::session::Signed;
use crate::AppState;
use crate::candidates::{CompareIn, combined, compare};
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::html;
use talentd_core::template::Competency;

/// The criteria a ranking can use.
pub const CRITERIA: [&str; 8] = [
    "match",
    "leadership",
    "communication",
    "empathy",
    "logic",
    "planning",
    "stress_tolerance",
    "culture_fit",
];

/// A criterion's name: the match, a skill, or culture fit.
fn criterion(ui: Ui, c: &str) -> &str {
    match c {
        "match" => ui.t("match"),
        "culture_fit" => ui.t("culture_fit"),
        skill => ui.name("skill", skill),
    }
}

/// A share as a whole percentage; a dash when there is none.
pub(crate) fn pct(x: Option<f64>) -> String {
    x.map(|v| format!("{:.0}%", v * 100.0))
        .unwrap_or_else(|| "—".to_owned())
}

/// `?c=cand_1&c=cand_2&criteria=leadership`
pub async fn show(
    State(state): State<AppState>,
    signed: Signed,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Response {
    let ui = signed.ui;
    // A candidate ticked on two of their interviews counts once.
    let mut ids: Vec<String> = Vec::new();
    for (_, v) in pairs.iter().filter(|(k, _)| k == "c") {
        if !ids.contains(v) {
            ids.push(v.clone());
        }
    }
    let criteria = pairs
        .iter()
        .find(|(k, _)| k == "criteria")
        .map(|(_, v)| v.clone())
        .unwrap_or_else(|| "match".to_owned());
    let title = ui.t("compare_candidates");
    let org = &signed.user.org_id;
    let result = compare(
        &state,
        org,
        CompareIn {
            candidate_ids: ids.clone(),
            criteria: Some(criteria.clone()),
        },
    )
    .await;
    let ranking = match result {
        Ok(r) => r,
        Err(e) if e.status.is_client_error() => {
            let mut resp = page(
                &signed,
                ui,
                "interviews",
                title,
                html! {
                    h1 { (title) }
                    (api_problem(ui, &e))
                    p { a href="/dashboard/interviews?status=completed" { "← " (ui.t("interviews")) } }
                },
            );
            *resp.status_mut() = StatusCode::BAD_REQUEST;
            return resp;
        }
        Err(e) => return e.into_response(),
    };
    let mut rows = Vec::new();
    for r in &ranking.ranking {
        let name = state
            .store
            .get_candidate(org, &r.candidate_id)
            .await
            .ok()
            .flatten()
            .and_then(|c| c.name)
            .unwrap_or_else(|| r.candidate_id.clone());
        let c = match combined(&state, org, &r.candidate_id).await {
            Ok((_, c)) => c,
            Err(e) => return e.into_response(),
        };
        rows.push((r, name, c));
    }
    let base: String = ids.iter().map(|id| format!("c={id}&")).collect();
    let body = html! {
        p { a href="/dashboard/interviews?status=completed" { "← " (ui.t("interviews")) } }
        h1 { (title) }
        p #criteria style="display:flex;gap:8px;flex-wrap:wrap" {
            span.muted { (ui.t("rank_by")) ":" }
            @for c in CRITERIA {
                @if c == criteria { strong aria-current="true" { (criterion(ui, c)) } } @else { a href=(format!("?{base}criteria={c}")) { (criterion(ui, c)) } }
            }
        }
        div.card {
            table #ranking {
                thead { tr {
                    th { "#" } th { (ui.t("candidate")) } th { (criterion(ui, &criteria)) } th { (ui.t("match")) }
                    @for s in Competency::ALL { th { (ui.name("skill", s.as_str())) } }
                } }
                tbody {
                    @for (n, (r, name, c)) in rows.iter().enumerate() {
                        tr data-candidate=(r.candidate_id) {
                            td { (n + 1) } td { (name) } td { strong { (pct(r.score)) } } td { (pct(c.match_score)) }
                            @for s in Competency::ALL { td { (pct(c.scores.as_ref().and_then(|m| m.get(s.as_str()).copied()))) } }
                        }
                    }
                }
            }
        }
    };
    page(&signed, ui, "interviews", title, body)
}
