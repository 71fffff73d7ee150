//! Candidate erasure in the dashboard: the "Delete candidate's data" button of the
//! candidate page (a form that needs a ticked confirmation), the page that answers it
//! with the receipt, and the organisation's retention on the settings page.

use super::layout::{Ui, not_found, notice, page};
use super::session::Signed;
use crate::AppState;
use crate::error::ApiError;
use crate::extract::PathId;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use serde::Deserialize;
use talentd_core::erasure::{MAX_RETENTION_DAYS, valid_retention_days};

/// The candidate page's button, inside a disclosure, with the box to tick.
pub(crate) fn erase_form(signed: &Signed, candidate_id: &str) -> Markup {
    let ui = signed.ui;
    html! {
        details.card #erase-candidate {
            summary { (ui.t("erase_candidate")) }
            p.muted { (ui.t("erase_help")) }
            form #erase method="post" action=(format!("/dashboard/candidates/{candidate_id}/delete")) {
                input type="hidden" name="csrf" value=(signed.session.csrf_token);
                label style="display:flex;gap:8px;font-weight:normal" {
                    input #erase-confirm type="checkbox" name="confirm" value="yes" required;
                    (ui.t("erase_confirm"))
                }
                p { button #erase-submit type="submit" style="background:var(--bad)" { (ui.t("erase_candidate")) } }
            }
        }
    }
}

#[derive(Deserialize, Default)]
pub struct EraseForm {
    #[serde(default)]
    pub csrf: String,
    #[serde(default)]
    pub confirm: String,
}

/// Erases the candidate as `DELETE /v1/candidates/{id}` does, for the signed-in user;
/// answers with the receipt.
pub async fn erase(
    State(state): State<AppState>,
    signed: Signed,
    PathId(candidate_id): PathId,
    Form(f): Form<EraseForm>,
) -> Response {
    if let Err(r) = signed.check_csrf(&f.csrf) {
        return r.into_response();
    }
    let ui = signed.ui;
    if f.confirm != "yes" {
        let msg = ui.t("erase_needs_confirm");
        return notice(
            &signed,
            StatusCode::BAD_REQUEST,
            msg,
            "/dashboard/interviews",
        );
    }
    let org = &signed.user.org_id;
    let receipt =
        match crate::erasures::erase(&state, org, &candidate_id, signed.user.id.as_str()).await {
            Ok(r) => r,
            Err(e) if e.status == StatusCode::NOT_FOUND => return not_found(&signed),
            Err(e) => return e.into_response(),
        };
    tracing::info!(erasure = %receipt.id, user = %signed.user.id, "erased a candidate");
    let purge_by = super::layout::short_time(receipt.purge_by);
    let body = html! {
        h1 { (ui.t("erased_title")) }
        div.card #erased role="status" {
            p { (ui.fill("erased_body", &purge_by)) }
            p { (ui.t("erasure_receipt")) ": " code #receipt { (receipt.id) } }
            p { a href="/dashboard/interviews" { "← " (ui.t("interviews")) } }
        }
    };
    page(&signed, ui, "interviews", ui.t("erased_title"), body)
}

/// The settings page's retention card.
pub(crate) fn retention_card(ui: Ui, csrf: &str, days: Option<i64>) -> Markup {
    html! {
        div.card #retention {
            h2 style="margin-top:0;font-size:17px" { (ui.t("retention")) }
            p.muted { (ui.t("retention_help")) }
            form method="post" action="/dashboard/settings/retention" style="display:flex;gap:10px;align-items:end;flex-wrap:wrap" {
                input type="hidden" name="csrf" value=(csrf);
                div {
                    label for="retention-days" { (ui.t("retention_days")) }
                    input #retention-days type="number" name="retention_days" min="1" max=(MAX_RETENTION_DAYS)
                        value=[days];
                }
                button type="submit" { (ui.t("save")) }
            }
        }
    }
}

#[derive(Deserialize, Default)]
pub struct RetentionForm {
    #[serde(default)]
    pub csrf: String,
    #[serde(default)]
    pub retention_days: String,
}

/// Sets the organisation's retention (admins only); empty keeps candidates until
/// deleted.
pub async fn set_retention(
    State(state): State<AppState>,
    signed: Signed,
    Form(f): Form<RetentionForm>,
) -> Response {
    if let Err(r) = signed
        .check_csrf(&f.csrf)
        .and_then(|_| signed.require_admin())
    {
        return r.into_response();
    }
    let text = f.retention_days.trim();
    let days = if text.is_empty() {
        None
    } else {
        match text.parse::<i64>() {
            Ok(d) if valid_retention_days(d) => Some(d),
            _ => {
                let msg = signed.ui.t("retention_invalid");
                return notice(&signed, StatusCode::BAD_REQUEST, msg, "/dashboard/settings");
            }
        }
    };
    if let Err(e) = state
        .store
        .set_retention_days(&signed.user.org_id, days)
        .await
    {
        return ApiError::from(e).into_response();
    }
    tracing::info!(user = %signed.user.id, ?days, "set the candidate retention");
    Redirect::to("/dashboard/settings#retention").into_response()
}
