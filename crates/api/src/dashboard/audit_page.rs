//! The audit log (admins only): who did what and when, newest first, by page, with a
//! filter by actor.

use super::layout::{page, short_time};
use super::session::Signed;
use crate::AppState;
use crate::error::ApiError;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use maud::html;
use serde::Deserialize;
use talentd_store::AuditFilter;

/// Events shown on one page.
const PAGE: i64 = 50;

#[derive(Deserialize, Default)]
pub struct AuditQuery {
    /// An actor id (`key_...`, `usr_...`); empty for everyone.
    pub actor: Option<String>,
    pub page: Option<i64>,
}

/// A link to page `page_no` keeping the filter.
fn page_link(actor: Option<&str>, page_no: i64) -> String {
    match actor {
        Some(a) => {
            let a: String = url::form_urlencoded::byte_serialize(a.as_bytes()).collect();
            format!("/dashboard/audit?actor={a}&page={page_no}")
        }
        None => format!("/dashboard/audit?page={page_no}"),
    }
}

/// The audit log page.
pub async fn show(
    State(state): State<AppState>,
    signed: Signed,
    Query(q): Query<AuditQuery>,
) -> Response {
    if let Err(f) = signed.require_admin() {
        return f.into_response();
    }
    let ui = signed.ui;
    let org = &signed.user.org_id;
    let actor = q.actor.filter(|a| !a.trim().is_empty());
    let page_no = q.page.unwrap_or(0).clamp(0, 100_000);
    let filter = AuditFilter {
        actor_id: actor.clone(),
        ..AuditFilter::default()
    };
    let found = match state
        .store
        .list_audit_events(org, &filter, PAGE, page_no * PAGE)
        .await
    {
        Ok(p) => p,
        Err(e) => return ApiError::from(e).into_response(),
    };
    // The actors to filter by: the organisation's users and keys, revoked ones too.
    let users = match state.store.list_users(org).await {
        Ok(u) => u,
        Err(e) => return ApiError::from(e).into_response(),
    };
    let keys = match state.store.list_api_keys(org, 100, 0).await {
        Ok(k) => k.items,
        Err(e) => return ApiError::from(e).into_response(),
    };
    let chosen = |id: &str| actor.as_deref() == Some(id);
    let body = html! {
        h1 { (ui.t("audit_log")) }
        p.muted { (ui.t("audit_intro")) }
        form.card #audit-filter method="get" action="/dashboard/audit" style="display:flex;gap:12px;flex-wrap:wrap;align-items:end" {
            div {
                label for="actor" { (ui.t("audit_actor")) }
                select #actor name="actor" {
                    option value="" { (ui.t("any")) }
                    @for u in &users {
                        option value=(u.id) selected[chosen(u.id.as_str())] { (u.email) }
                    }
                    @for k in &keys {
                        option value=(k.id) selected[chosen(k.id.as_str())] { (k.name) " (" (k.prefix) "…)" }
                    }
                }
            }
            button type="submit" { (ui.t("filter")) }
        }
        div.card {
            @if found.items.is_empty() {
                p.muted #no-audit-events { (ui.t("audit_no_events")) }
            } @else {
                table.stack #audit-events {
                    thead { tr {
                        th { (ui.t("audit_when")) }
                        th { (ui.t("audit_actor")) }
                        th { (ui.t("audit_action")) }
                        th { (ui.t("audit_target")) }
                        th { (ui.t("status")) }
                    } }
                    tbody {
                        @for e in &found.items {
                            tr data-event=(e.id) {
                                td.muted data-label=(ui.t("audit_when")) { (short_time(e.created_at)) }
                                td data-label=(ui.t("audit_actor")) {
                                    span {
                                        @if e.actor_label.is_empty() { code { (e.actor_id) } } @else { (e.actor_label) }
                                        " " span.pill { (ui.name("actor_type", e.actor_type.as_str())) }
                                    }
                                }
                                td data-label=(ui.t("audit_action")) {
                                    span {
                                        code { (e.action) }
                                        @if let (Some(m), Some(r)) = (&e.method, &e.route) {
                                            br; span.muted { (m) " " (r) }
                                        }
                                    }
                                }
                                td data-label=(ui.t("audit_target")) { @if let Some(t) = &e.target_id { code { (t) } } }
                                td.muted data-label=(ui.t("status")) { @if let Some(s) = e.status { (s) } }
                            }
                        }
                    }
                }
                p.muted {
                    (ui.fill("found", &found.total.to_string()))
                    @if page_no > 0 || (page_no + 1) * PAGE < found.total { " · " }
                    @if page_no > 0 { a href=(page_link(actor.as_deref(), page_no - 1)) aria-label=(ui.t("previous_page")) { "←" } " " }
                    @if (page_no + 1) * PAGE < found.total { a href=(page_link(actor.as_deref(), page_no + 1)) aria-label=(ui.t("next_page")) { "→" } }
                }
            }
        }
    };
    page(&signed, ui, "settings", ui.t("audit_log"), body)
}
