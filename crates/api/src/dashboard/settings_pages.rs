//! Settings (admins only): API keys, webhooks and users. Secrets are shown once, on the
//! page that answers their creation, and never again.

use super::layout::{api_problem, not_found, notice, page};
use super::session::Signed;
use crate::AppState;
use crate::error::ApiError;
use crate::extract::PathId;
use crate::provision::{self, UserError};
use crate::webhooks::{self, WebhookIn};
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use serde::Deserialize;
use talentd_core::ApiKeyId;
use talentd_core::event::EventType;
use talentd_core::timefmt::to_millis;
use talentd_core::user::Role;

/// A secret to show once, with what it is.
struct Revealed {
    what: &'static str,
    secret: String,
}

fn when(ms: Option<i64>) -> String {
    ms.map(super::layout::short_time)
        .unwrap_or_else(|| "—".to_owned())
}

async fn render(
    state: &AppState,
    signed: &Signed,
    status: StatusCode,
    revealed: Option<Revealed>,
    error: Option<Markup>,
) -> Response {
    if let Err(f) = signed.require_admin() {
        return f.into_response();
    }
    let ui = signed.ui;
    let org = &signed.user.org_id;
    let keys = match state.store.list_api_keys(org, 100, 0).await {
        Ok(k) => k.items,
        Err(e) => return ApiError::from(e).into_response(),
    };
    let hooks = match state.store.list_webhooks(org).await {
        Ok(h) => h,
        Err(e) => return ApiError::from(e).into_response(),
    };
    let users = match state.store.list_users(org).await {
        Ok(u) => u,
        Err(e) => return ApiError::from(e).into_response(),
    };
    let retention = match state.store.retention_days(org).await {
        Ok(d) => d,
        Err(e) => return ApiError::from(e).into_response(),
    };
    let csrf = &signed.session.csrf_token;
    let roles = [Role::Recruiter, Role::Admin];
    let body = html! {
        h1 { (ui.t("settings")) }
        p { a #audit-link href="/dashboard/audit" { (ui.t("audit_log")) } }
        @if let Some(r) = &revealed {
            div.card #revealed role="status" style="border-color:var(--good)" {
                p { b { (r.what) } " — " (ui.t("shown_only_now")) }
                p { code.link #secret { (r.secret) } }
            }
        }
        @if let Some(e) = error { (e) }
        div.card #api-keys {
            h2 style="margin-top:0;font-size:17px" { (ui.t("api_keys")) }
            table.stack {
                thead { tr { th { (ui.t("name")) } th { (ui.t("key")) } th { (ui.t("created")) } th { (ui.t("last_used")) } th { (ui.t("status")) } th { span.muted { (ui.t("actions")) } } } }
                tbody {
                    @for k in &keys {
                        tr data-key=(k.id) {
                            td data-label=(ui.t("name")) { (k.name) } td data-label=(ui.t("key")) { code { (k.prefix) "…" } }
                            td.muted data-label=(ui.t("created")) { (super::layout::short_time(k.created_at)) } td.muted data-label=(ui.t("last_used")) { (when(k.last_used_at)) }
                            td data-label=(ui.t("status")) { @if k.revoked_at.is_some() { span.pill.completed { (ui.t("key_revoked")) } } @else { span.pill { (ui.t("key_active")) } } }
                            td {
                                @if k.revoked_at.is_none() {
                                    (post_button(&format!("/dashboard/settings/api-keys/{}/rotate", k.id), csrf, ui.t("rotate")))
                                    (post_button(&format!("/dashboard/settings/api-keys/{}/revoke", k.id), csrf, ui.t("revoke")))
                                }
                            }
                        }
                    }
                }
            }
            form #new-key method="post" action="/dashboard/settings/api-keys" style="display:flex;gap:10px;align-items:end;flex-wrap:wrap;margin-top:12px" {
                input type="hidden" name="csrf" value=(csrf);
                div { label for="key-name" { (ui.t("name")) } input #key-name type="text" name="name" maxlength="100"; }
                button type="submit" { (ui.t("create_key")) }
            }
        }
        div.card #webhooks {
            h2 style="margin-top:0;font-size:17px" { (ui.t("webhooks")) }
            table.stack {
                thead { tr { th { (ui.t("url")) } th { (ui.t("events")) } th { (ui.t("status")) } th { (ui.t("created")) } } }
                tbody {
                    @for w in &hooks {
                        tr {
                            td data-label=(ui.t("url")) { a href=(format!("/dashboard/settings/webhooks/{}", w.id)) { code.link { (w.url) } } }
                            td data-label=(ui.t("events")) { span { (w.events.join(", ")) } }
                            td data-label=(ui.t("status")) { span.pill { (ui.name("webhook_status", &w.status)) } }
                            td.muted data-label=(ui.t("created")) { (super::layout::short_time(w.created_at)) }
                        }
                    }
                }
            }
            form #new-webhook method="post" action="/dashboard/settings/webhooks" style="margin-top:12px" {
                input type="hidden" name="csrf" value=(csrf);
                label for="webhook-url" { (ui.t("url")) }
                input #webhook-url type="text" name="url" required placeholder="https://";
                fieldset style="border:none;padding:0;margin:8px 0;min-width:0" {
                    legend.muted { (ui.t("events")) }
                    @for e in EventType::ALL.into_iter().filter(|e| *e != EventType::WebhookTest) {
                        label style="display:inline-flex;gap:6px;margin-right:14px;font-weight:normal" {
                            input type="checkbox" name="events" value=(e.as_str()) checked[e != EventType::ProjectCreated];
                            code { (e.as_str()) }
                        }
                    }
                }
                button type="submit" { (ui.t("add_webhook")) }
            }
        }
        div.card #users {
            h2 style="margin-top:0;font-size:17px" { (ui.t("users")) }
            table.stack {
                thead { tr { th { (ui.t("email")) } th { (ui.t("role")) } th { (ui.t("last_sign_in")) } th { span.muted { (ui.t("actions")) } } } }
                tbody {
                    @for u in &users {
                        tr data-user=(u.id) {
                            td data-label=(ui.t("email")) { span { (u.email) } }
                            td data-label=(ui.t("role")) {
                                @if u.id == signed.user.id {
                                    (ui.name("role", u.role.as_str()))
                                } @else {
                                    form method="post" action=(format!("/dashboard/settings/users/{}/role", u.id)) style="display:flex;gap:6px" {
                                        input type="hidden" name="csrf" value=(csrf);
                                        select name="role" aria-label=(ui.fill("role_of", &u.email)) {
                                            @for r in roles {
                                                option value=(r.as_str()) selected[u.role == r] { (ui.name("role", r.as_str())) }
                                            }
                                        }
                                        button.link type="submit" { (ui.t("save")) }
                                    }
                                }
                            }
                            td.muted data-label=(ui.t("last_sign_in")) { (when(u.last_sign_in_at)) }
                            td {
                                @if u.id != signed.user.id {
                                    (post_button(&format!("/dashboard/settings/users/{}/delete", u.id), csrf, ui.t("remove")))
                                }
                            }
                        }
                    }
                }
            }
            form #new-user method="post" action="/dashboard/settings/users" style="display:flex;gap:10px;align-items:end;flex-wrap:wrap;margin-top:12px" {
                input type="hidden" name="csrf" value=(csrf);
                div { label for="user-email" { (ui.t("email")) } input #user-email type="email" name="email" required; }
                div {
                    label for="user-role" { (ui.t("role")) }
                    select #user-role name="role" { @for r in roles { option value=(r.as_str()) { (ui.name("role", r.as_str())) } } }
                }
                button type="submit" { (ui.t("add_user")) }
            }
        }
        (super::erasure_page::retention_card(ui, csrf, retention))
    };
    let mut resp = page(signed, ui, "settings", ui.t("settings"), body);
    *resp.status_mut() = status;
    resp
}

fn post_button(action: &str, csrf: &str, text: &str) -> Markup {
    html! {
        form method="post" action=(action) style="display:inline;margin-right:8px" {
            input type="hidden" name="csrf" value=(csrf);
            button.link type="submit" { (text) }
        }
    }
}

/// The settings page.
pub async fn show(State(state): State<AppState>, signed: Signed) -> Response {
    render(&state, &signed, StatusCode::OK, None, None).await
}

#[derive(Deserialize, Default)]
pub struct NameForm {
    #[serde(default)]
    pub csrf: String,
    #[serde(default)]
    pub name: String,
}

/// Checks the form's token and the role.
fn guard(signed: &Signed, csrf: &str) -> Result<(), super::session::Forbidden> {
    signed.check_csrf(csrf).and_then(|_| signed.require_admin())
}

/// Creates an API key and shows it once.
pub async fn create_key(
    State(state): State<AppState>,
    signed: Signed,
    Form(f): Form<NameForm>,
) -> Response {
    if let Err(r) = guard(&signed, &f.csrf) {
        return r.into_response();
    }
    let name: String = f.name.trim().chars().take(100).collect();
    let name = if name.is_empty() {
        "dashboard".to_owned()
    } else {
        name
    };
    let now = to_millis(state.clock.now());
    let (key, secret) = provision::new_key(&signed.user.org_id, &name, now);
    if let Err(e) = state.store.insert_api_key(&key).await {
        return ApiError::from(e).into_response();
    }
    let revealed = Revealed {
        what: signed.ui.t("api_key"),
        secret,
    };
    render(&state, &signed, StatusCode::OK, Some(revealed), None).await
}

#[derive(Deserialize, Default)]
pub struct CsrfForm {
    #[serde(default)]
    pub csrf: String,
}

/// Revokes an API key.
pub async fn revoke_key(
    State(state): State<AppState>,
    signed: Signed,
    PathId(id): PathId,
    Form(f): Form<CsrfForm>,
) -> Response {
    if let Err(r) = guard(&signed, &f.csrf) {
        return r.into_response();
    }
    let Some(id) = ApiKeyId::parse(&id) else {
        return not_found(&signed);
    };
    let now = to_millis(state.clock.now());
    match state
        .store
        .revoke_api_key(&signed.user.org_id, &id, now)
        .await
    {
        Ok(Some(_)) => Redirect::to("/dashboard/settings").into_response(),
        Ok(None) => not_found(&signed),
        Err(e) => ApiError::from(e).into_response(),
    }
}

/// Replaces an API key with a new one, shown once; the old one stops working.
pub async fn rotate_key(
    State(state): State<AppState>,
    signed: Signed,
    PathId(id): PathId,
    Form(f): Form<CsrfForm>,
) -> Response {
    if let Err(r) = guard(&signed, &f.csrf) {
        return r.into_response();
    }
    let Some(id) = ApiKeyId::parse(&id) else {
        return not_found(&signed);
    };
    let old = match state.store.get_api_key(&signed.user.org_id, &id).await {
        Ok(Some(k)) => k,
        Ok(None) => return not_found(&signed),
        Err(e) => return ApiError::from(e).into_response(),
    };
    let now = to_millis(state.clock.now());
    let (key, secret) = provision::new_key(&signed.user.org_id, &old.name, now);
    match state.store.rotate_api_key(&id, &key).await {
        Ok(Some(_)) => {
            let revealed = Revealed {
                what: signed.ui.t("api_key"),
                secret,
            };
            render(&state, &signed, StatusCode::OK, Some(revealed), None).await
        }
        Ok(None) => not_found(&signed),
        Err(e) => {
            tracing::warn!(error = %e, "cannot rotate an API key");
            let msg = html! { p.error role="alert" { (signed.ui.t("rotate_failed")) } };
            render(&state, &signed, StatusCode::CONFLICT, None, Some(msg)).await
        }
    }
}

/// The webhook form: a URL and the checked events.
#[derive(Debug, Default)]
pub struct WebhookForm {
    pub csrf: String,
    pub url: String,
    pub events: Vec<String>,
}

impl<'de> Deserialize<'de> for WebhookForm {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // Repeated `events` fields arrive as pairs.
        let pairs: Vec<(String, String)> = Vec::deserialize(d)?;
        let mut f = WebhookForm::default();
        for (k, v) in pairs {
            match k.as_str() {
                "csrf" => f.csrf = v,
                "url" => f.url = v,
                "events" => f.events.push(v),
                _ => {}
            }
        }
        Ok(f)
    }
}

/// Registers a webhook endpoint and shows its secret once.
pub async fn create_webhook(
    State(state): State<AppState>,
    signed: Signed,
    Form(f): Form<WebhookForm>,
) -> Response {
    if let Err(r) = guard(&signed, &f.csrf) {
        return r.into_response();
    }
    let input = WebhookIn {
        url: f.url.trim().to_owned(),
        events: f.events,
    };
    match webhooks::create(&state, &signed.user.org_id, input).await {
        Ok(w) => {
            let revealed = w.secret.map(|secret| Revealed {
                what: signed.ui.t("webhook_secret"),
                secret,
            });
            render(&state, &signed, StatusCode::OK, revealed, None).await
        }
        Err(e) if e.status.is_client_error() => {
            let msg = api_problem(signed.ui, &e);
            render(&state, &signed, StatusCode::BAD_REQUEST, None, Some(msg)).await
        }
        Err(e) => e.into_response(),
    }
}

#[derive(Deserialize, Default)]
pub struct UserForm {
    #[serde(default)]
    pub csrf: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub role: String,
}

/// Adds a user to the organisation and shows the one-time password once.
pub async fn create_user(
    State(state): State<AppState>,
    signed: Signed,
    Form(f): Form<UserForm>,
) -> Response {
    if let Err(r) = guard(&signed, &f.csrf) {
        return r.into_response();
    }
    let role = Role::parse(&f.role).unwrap_or(Role::Recruiter);
    match provision::create_user(
        &*state.store,
        &*state.clock,
        &signed.user.org_id,
        &f.email,
        role,
        None,
    )
    .await
    {
        Ok(u) => {
            let revealed = u.password.map(|secret| Revealed {
                what: signed.ui.t("one_time_password"),
                secret,
            });
            render(&state, &signed, StatusCode::OK, revealed, None).await
        }
        Err(e @ (UserError::Email(_) | UserError::Taken | UserError::Password(_))) => {
            let why = match e {
                UserError::Email(_) => signed.ui.t("not_an_email"),
                UserError::Taken => signed.ui.t("user_taken"),
                _ => signed.ui.t("password_refused"),
            };
            render(
                &state,
                &signed,
                StatusCode::BAD_REQUEST,
                None,
                Some(html! { p.error role="alert" { (why) } }),
            )
            .await
        }
        Err(e) => {
            tracing::error!(error = %e, "cannot create a user");
            ApiError::internal_opaque().into_response()
        }
    }
}

/// One webhook endpoint: its status, a test event, a new challenge, and its deliveries
/// with every attempt, each delivery retriable.
pub async fn webhook(
    State(state): State<AppState>,
    signed: Signed,
    PathId(id): PathId,
) -> Response {
    if let Err(f) = signed.require_admin() {
        return f.into_response();
    }
    let ui = signed.ui;
    let org = &signed.user.org_id;
    let w = match webhooks::load(&state, org, &id).await {
        Ok(w) => w,
        Err(e) if e.status == StatusCode::NOT_FOUND => {
            return not_found(&signed);
        }
        Err(e) => return e.into_response(),
    };
    let deliveries = match state.store.list_deliveries(org, &w.id, 50, 0).await {
        Ok(p) => p,
        Err(e) => return ApiError::from(e).into_response(),
    };
    let csrf = &signed.session.csrf_token;
    let base = format!("/dashboard/settings/webhooks/{}", w.id);
    let body = html! {
        p { a href="/dashboard/settings" { "← " (ui.t("settings")) } }
        h1 { (ui.t("webhook")) }
        div.card {
            p { code.link { (w.url) } }
            p { span.pill #webhook-status { (ui.name("webhook_status", &w.status)) } " " span.muted { (w.events.join(", ")) } }
            @if let Some(r) = &w.disabled_reason { p.error lang="en" { (r) } }
            p style="display:flex;gap:14px;flex-wrap:wrap" {
                (post_button(&format!("{base}/test"), csrf, ui.t("send_test_event")))
                (post_button(&format!("{base}/verify"), csrf, ui.t("verify_again")))
            }
        }
        div.card #deliveries {
            h2 style="margin-top:0;font-size:17px" { (ui.t("deliveries")) " (" (deliveries.total) ")" }
            table.stack {
                thead { tr { th { (ui.t("event")) } th { (ui.t("status")) } th { (ui.t("attempts")) } th { (ui.t("next_attempt")) } th { span.muted { (ui.t("actions")) } } } }
                tbody {
                    @for (d, attempts) in &deliveries.items {
                        tr data-delivery=(d.id) {
                            td data-label=(ui.t("event")) { span { code { (d.event_type) } br; span.muted { (super::layout::short_time(d.created_at)) } } }
                            td data-label=(ui.t("status")) { span.pill { (ui.name("delivery_status", &d.status)) } }
                            td data-label=(ui.t("attempts")) {
                                div {
                                @for a in attempts {
                                    div.muted {
                                        (super::layout::short_time(a.attempted_at)) " · "
                                        @if let Some(c) = a.status_code { (c) } @else { span lang="en" { (a.error.as_deref().unwrap_or(ui.t("error"))) } }
                                        " · " (ui.fill("ms", &a.latency_ms.to_string()))
                                    }
                                }
                                }
                            }
                            td.muted data-label=(ui.t("next_attempt")) { (d.next_attempt_at.map(super::layout::short_time).unwrap_or_default()) }
                            td { (post_button(&format!("{base}/deliveries/{}/retry", d.id), csrf, ui.t("retry"))) }
                        }
                    }
                }
            }
        }
    };
    page(&signed, ui, "settings", ui.t("webhook"), body)
}

/// What a webhook action answers: back to the endpoint's page, or the reason it failed.
fn after_action(signed: &Signed, result: Result<(), ApiError>, base: &str) -> Response {
    match result {
        Ok(()) => Redirect::to(base).into_response(),
        Err(e) if e.status == StatusCode::NOT_FOUND => not_found(signed),
        Err(e) if e.status.is_client_error() => {
            let ui = signed.ui;
            let mut resp = page(
                signed,
                ui,
                "settings",
                ui.t("webhook"),
                html! {
                    h1 { (ui.t("webhook")) }
                    div.card {
                        (api_problem(ui, &e))
                        p { a href=(base) { "← " (ui.t("back")) } }
                    }
                },
            );
            *resp.status_mut() = e.status;
            resp
        }
        Err(e) => e.into_response(),
    }
}

/// Queues a test event for the endpoint.
pub async fn webhook_test(
    State(state): State<AppState>,
    signed: Signed,
    PathId(id): PathId,
    Form(f): Form<CsrfForm>,
) -> Response {
    if let Err(r) = guard(&signed, &f.csrf) {
        return r.into_response();
    }
    let r = webhooks::send_test(&state, &signed.user.org_id, &id)
        .await
        .map(|_| ());
    after_action(&signed, r, &format!("/dashboard/settings/webhooks/{id}"))
}

/// Sends the endpoint a new verification challenge.
pub async fn webhook_verify(
    State(state): State<AppState>,
    signed: Signed,
    PathId(id): PathId,
    Form(f): Form<CsrfForm>,
) -> Response {
    if let Err(r) = guard(&signed, &f.csrf) {
        return r.into_response();
    }
    let r = webhooks::verify(&state, &signed.user.org_id, &id)
        .await
        .map(|_| ());
    after_action(&signed, r, &format!("/dashboard/settings/webhooks/{id}"))
}

/// Sends a delivery again now.
pub async fn webhook_retry(
    State(state): State<AppState>,
    signed: Signed,
    axum::extract::Path((id, delivery)): axum::extract::Path<(String, String)>,
    Form(f): Form<CsrfForm>,
) -> Response {
    if let Err(r) = guard(&signed, &f.csrf) {
        return r.into_response();
    }
    let r = webhooks::retry(&state, &signed.user.org_id, &id, &delivery)
        .await
        .map(|_| ());
    after_action(&signed, r, &format!("/dashboard/settings/webhooks/{id}"))
}

#[derive(Deserialize, Default)]
pub struct RoleForm {
    #[serde(default)]
    pub csrf: String,
    #[serde(default)]
    pub role: String,
}

/// The organisation's user `id`, never the signed-in one (an admin cannot lock
/// themselves out).
async fn other_user(
    state: &AppState,
    signed: &Signed,
    id: &str,
) -> Result<talentd_store::UserRow, Response> {
    let id = talentd_core::UserId::parse(id).ok_or_else(|| not_found(signed))?;
    if id == signed.user.id {
        let msg = signed.ui.t("not_yourself");
        return Err(notice(
            signed,
            StatusCode::CONFLICT,
            msg,
            "/dashboard/settings",
        ));
    }
    match state.store.get_user(&signed.user.org_id, &id).await {
        Ok(Some(u)) => Ok(u),
        Ok(None) => Err(not_found(signed)),
        Err(e) => Err(ApiError::from(e).into_response()),
    }
}

/// Changes another user's role.
pub async fn set_role(
    State(state): State<AppState>,
    signed: Signed,
    PathId(id): PathId,
    Form(f): Form<RoleForm>,
) -> Response {
    if let Err(r) = guard(&signed, &f.csrf) {
        return r.into_response();
    }
    let mut user = match other_user(&state, &signed, &id).await {
        Ok(u) => u,
        Err(r) => return r,
    };
    let Some(role) = Role::parse(&f.role) else {
        let msg = signed.ui.t("unknown_role");
        return notice(&signed, StatusCode::BAD_REQUEST, msg, "/dashboard/settings");
    };
    user.role = role;
    user.updated_at = to_millis(state.clock.now());
    match state.store.update_user(&user).await {
        Ok(_) => Redirect::to("/dashboard/settings").into_response(),
        Err(e) => ApiError::from(e).into_response(),
    }
}

/// Removes another user and ends their sessions.
pub async fn delete_user(
    State(state): State<AppState>,
    signed: Signed,
    PathId(id): PathId,
    Form(f): Form<CsrfForm>,
) -> Response {
    if let Err(r) = guard(&signed, &f.csrf) {
        return r.into_response();
    }
    let user = match other_user(&state, &signed, &id).await {
        Ok(u) => u,
        Err(r) => return r,
    };
    match state.store.delete_user(&signed.user.org_id, &user.id).await {
        Ok(_) => {
            tracing::info!(user = %user.id, by = %signed.user.id, "removed a dashboard user");
            Redirect::to("/dashboard/settings").into_response()
        }
        Err(e) => ApiError::from(e).into_response(),
    }
}
