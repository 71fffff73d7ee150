//! The candidate's explanation in the dashboard, in the recruiter's interface language,
//! as `GET /v1/candidates/{id}/explanation` gives it: text to forward to a candidate
//! who asks how their result came about.

use super::layout::{not_found, page};
use super::session::Signed;
use crate::AppState;
use crate::explanation::explanation_of;
use crate::extract::PathId;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use maud::html;
use talentd_analysis::explanation::Language;

pub async fn show(State(state): State<AppState>, signed: Signed, PathId(id): PathId) -> Response {
    let ui = signed.ui;
    let org = &signed.user.org_id;
    match state.store.get_candidate(org, &id).await {
        Ok(Some(_)) => {}
        Ok(None) => return not_found(&signed),
        Err(e) => return crate::ApiError::from(e).into_response(),
    }
    let lang = Language::parse(ui.code()).unwrap_or_default();
    let explanation = match explanation_of(&state, org, &id, lang).await {
        Ok(e) => e,
        Err(e) => return e.into_response(),
    };
    let title = ui.t("explanation_for_candidate");
    let body = html! {
        p { a href="/dashboard/interviews" { "← " (ui.t("interviews")) } }
        h1 { (title) }
        p.muted { (id) " · " (ui.t("explanation_intro")) }
        div.card #explanation lang=(ui.code()) style="white-space:pre-wrap" { (explanation.text) }
    };
    page(&signed, ui, "interviews", title, body)
}
