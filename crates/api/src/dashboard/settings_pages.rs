//! Settings (admins only): API keys, webhooks and users. Secrets are shown once, on the
//! page that answers their creation, and never again.

use super::layout::{Ui, page};
use super::session::Signed;
use crate::AppState;
use crate::error::ApiError;
use crate::extract::PathId;
use crate::provision::{self, UserError};
use crate::webhooks::{self, WebhookIn};
use axum::Form;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
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
    ui: Ui,
    status: StatusCode,
    revealed: Option<Revealed>,
    error: Option<String>,
) -> Response {
    if let Err(f) = signed.require_admin() {
        return f.into_response();
    }
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
    let csrf = &signed.session.csrf_token;
    let ru = ui == Ui::Ru;
    let body = html! {
        h1 { (ui.t("settings")) }
        @if let Some(r) = &revealed {
            div.card #revealed role="status" style="border-color:var(--good)" {
                p { b { (r.what) } " — " @if ru { "показывается только сейчас; сохраните его." } @else { "shown only now; store it safely." } }
                p { code.link #secret { (r.secret) } }
            }
        }
        @if let Some(e) = &error { p.error role="alert" { (e) } }
        div.card #api-keys {
            h2 style="margin-top:0;font-size:17px" { @if ru { "API-ключи" } @else { "API keys" } }
            table {
                thead { tr { th { "Name" } th { "Key" } th { (ui.t("created")) } th { @if ru { "Использован" } @else { "Last used" } } th { (ui.t("status")) } th {} } }
                tbody {
                    @for k in &keys {
                        tr data-key=(k.id) {
                            td { (k.name) } td { code { (k.prefix) "…" } }
                            td.muted { (super::layout::short_time(k.created_at)) } td.muted { (when(k.last_used_at)) }
                            td { @if k.revoked_at.is_some() { span.pill.completed { "revoked" } } @else { span.pill { "active" } } }
                            td {
                                @if k.revoked_at.is_none() {
                                    (post_button(&format!("/dashboard/settings/api-keys/{}/rotate", k.id), csrf, if ru { "Заменить" } else { "Rotate" }))
                                    (post_button(&format!("/dashboard/settings/api-keys/{}/revoke", k.id), csrf, if ru { "Отозвать" } else { "Revoke" }))
                                }
                            }
                        }
                    }
                }
            }
            form #new-key method="post" action="/dashboard/settings/api-keys" style="display:flex;gap:10px;align-items:end;flex-wrap:wrap;margin-top:12px" {
                input type="hidden" name="csrf" value=(csrf);
                div { label for="key-name" { "Name" } input #key-name type="text" name="name" maxlength="100"; }
                button type="submit" { @if ru { "Создать ключ" } @else { "Create a key" } }
            }
        }
        div.card #webhooks {
            h2 style="margin-top:0;font-size:17px" { "Webhooks" }
            table {
                thead { tr { th { "URL" } th { "Events" } th { (ui.t("status")) } th { (ui.t("created")) } } }
                tbody {
                    @for w in &hooks {
                        tr { td { a href=(format!("/dashboard/settings/webhooks/{}", w.id)) { code.link { (w.url) } } } td { (w.events.join(", ")) } td { span.pill { (w.status) } } td.muted { (super::layout::short_time(w.created_at)) } }
                    }
                }
            }
            form #new-webhook method="post" action="/dashboard/settings/webhooks" style="margin-top:12px" {
                input type="hidden" name="csrf" value=(csrf);
                label for="webhook-url" { "URL" }
                input #webhook-url type="text" name="url" required placeholder="https://";
                fieldset style="border:none;padding:0;margin:8px 0" {
                    legend.muted { "Events" }
                    @for e in EventType::ALL.into_iter().filter(|e| *e != EventType::WebhookTest) {
                        label style="display:inline-flex;gap:6px;margin-right:14px;font-weight:normal" {
                            input type="checkbox" name="events" value=(e.as_str()) checked[e != EventType::ProjectCreated];
                            (e.as_str())
                        }
                    }
                }
                button type="submit" { @if ru { "Добавить webhook" } @else { "Add the webhook" } }
            }
        }
        div.card #users {
            h2 style="margin-top:0;font-size:17px" { @if ru { "Пользователи" } @else { "Users" } }
            table {
                thead { tr { th { (ui.t("email")) } th { "Role" } th { @if ru { "Последний вход" } @else { "Last sign-in" } } } }
                tbody {
                    @for u in &users {
                        tr data-user=(u.id) {
                            td { (u.email) }
                            td {
                                @if u.id == signed.user.id {
                                    (u.role.as_str())
                                } @else {
                                    form method="post" action=(format!("/dashboard/settings/users/{}/role", u.id)) style="display:flex;gap:6px" {
                                        input type="hidden" name="csrf" value=(csrf);
                                        select name="role" aria-label="Role" {
                                            option value="recruiter" selected[u.role == Role::Recruiter] { "recruiter" }
                                            option value="admin" selected[u.role == Role::Admin] { "admin" }
                                        }
                                        button.link type="submit" { @if ru { "Сохранить" } @else { "Save" } }
                                    }
                                }
                            }
                            td.muted { (when(u.last_sign_in_at)) }
                            td {
                                @if u.id != signed.user.id {
                                    (post_button(&format!("/dashboard/settings/users/{}/delete", u.id), csrf, if ru { "Удалить" } else { "Remove" }))
                                }
                            }
                        }
                    }
                }
            }
            form #new-user method="post" action="/dashboard/settings/users" style="display:flex;gap:10px;align-items:end;flex-wrap:wrap;margin-top:12px" {
                input type="hidden" name="csrf" value=(csrf);
                div { label for="user-email" { (ui.t("email")) } input #user-email type="email" name="email" required; }
                div { label for="user-role" { "Role" } select #user-role name="role" { option value="recruiter" { "recruiter" } option value="admin" { "admin" } } }
                button type="submit" { @if ru { "Добавить пользователя" } @else { "Add a user" } }
            }
        }
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
pub async fn show(State(state): State<AppState>, signed: Signed, headers: HeaderMap) -> Response {
    let ui = Ui::pick(signed.user.language.as_deref(), &headers);
    render(&state, &signed, ui, StatusCode::OK, None, None).await
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
    headers: HeaderMap,
    Form(f): Form<NameForm>,
) -> Response {
    if let Err(r) = guard(&signed, &f.csrf) {
        return r.into_response();
    }
    let ui = Ui::pick(signed.user.language.as_deref(), &headers);
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
        what: "API key",
        secret,
    };
    render(&state, &signed, ui, StatusCode::OK, Some(revealed), None).await
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
        return (StatusCode::NOT_FOUND, "Not found").into_response();
    };
    let now = to_millis(state.clock.now());
    match state
        .store
        .revoke_api_key(&signed.user.org_id, &id, now)
        .await
    {
        Ok(Some(_)) => Redirect::to("/dashboard/settings").into_response(),
        Ok(None) => (StatusCode::NOT_FOUND, "Not found").into_response(),
        Err(e) => ApiError::from(e).into_response(),
    }
}

/// Replaces an API key with a new one, shown once; the old one stops working.
pub async fn rotate_key(
    State(state): State<AppState>,
    signed: Signed,
    headers: HeaderMap,
    PathId(id): PathId,
    Form(f): Form<CsrfForm>,
) -> Response {
    if let Err(r) = guard(&signed, &f.csrf) {
        return r.into_response();
    }
    let ui = Ui::pick(signed.user.language.as_deref(), &headers);
    let Some(id) = ApiKeyId::parse(&id) else {
        return (StatusCode::NOT_FOUND, "Not found").into_response();
    };
    let old = match state.store.get_api_key(&signed.user.org_id, &id).await {
        Ok(Some(k)) => k,
        Ok(None) => return (StatusCode::NOT_FOUND, "Not found").into_response(),
        Err(e) => return ApiError::from(e).into_response(),
    };
    let now = to_millis(state.clock.now());
    let (key, secret) = provision::new_key(&signed.user.org_id, &old.name, now);
    match state.store.rotate_api_key(&id, &key).await {
        Ok(Some(_)) => {
            let revealed = Revealed {
                what: "API key",
                secret,
            };
            render(&state, &signed, ui, StatusCode::OK, Some(revealed), None).await
        }
        Ok(None) => (StatusCode::NOT_FOUND, "Not found").into_response(),
        Err(e) => {
            let msg = ApiError::from(e).message.to_string();
            render(&state, &signed, ui, StatusCode::CONFLICT, None, Some(msg)).await
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
    headers: HeaderMap,
    Form(f): Form<WebhookForm>,
) -> Response {
    if let Err(r) = guard(&signed, &f.csrf) {
        return r.into_response();
    }
    let ui = Ui::pick(signed.user.language.as_deref(), &headers);
    let input = WebhookIn {
        url: f.url.trim().to_owned(),
        events: f.events,
    };
    match webhooks::create(&state, &signed.user.org_id, input).await {
        Ok(w) => {
            let revealed = w.secret.map(|secret| Revealed {
                what: "Webhook signing secret",
                secret,
            });
            render(&state, &signed, ui, StatusCode::OK, revealed, None).await
        }
        Err(e) if e.status.is_client_error() => {
            let msg = e.message.to_string();
            render(
                &state,
                &signed,
                ui,
                StatusCode::BAD_REQUEST,
                None,
                Some(msg),
            )
            .await
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
    headers: HeaderMap,
    Form(f): Form<UserForm>,
) -> Response {
    if let Err(r) = guard(&signed, &f.csrf) {
        return r.into_response();
    }
    let ui = Ui::pick(signed.user.language.as_deref(), &headers);
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
                what: "One-time password",
                secret,
            });
            render(&state, &signed, ui, StatusCode::OK, revealed, None).await
        }
        Err(e @ (UserError::Email(_) | UserError::Taken | UserError::Password(_))) => {
            render(
                &state,
                &signed,
                ui,
                StatusCode::BAD_REQUEST,
                None,
                Some(e.to_string()),
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
    headers: HeaderMap,
    PathId(id): PathId,
) -> Response {
    if let Err(f) = signed.require_admin() {
        return f.into_response();
    }
    let ui = Ui::pick(signed.user.language.as_deref(), &headers);
    let ru = ui == Ui::Ru;
    let org = &signed.user.org_id;
    let w = match webhooks::load(&state, org, &id).await {
        Ok(w) => w,
        Err(e) if e.status == StatusCode::NOT_FOUND => {
            return (StatusCode::NOT_FOUND, "Not found").into_response();
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
        h1 { "Webhook" }
        div.card {
            p { code.link { (w.url) } }
            p { span.pill #webhook-status { (w.status) } " " span.muted { (w.events.join(", ")) } }
            @if let Some(r) = &w.disabled_reason { p.error { (r) } }
            p style="display:flex;gap:14px;flex-wrap:wrap" {
                (post_button(&format!("{base}/test"), csrf, if ru { "Отправить тестовое событие" } else { "Send a test event" }))
                (post_button(&format!("{base}/verify"), csrf, if ru { "Проверить снова" } else { "Verify again" }))
            }
        }
        div.card #deliveries {
            h2 style="margin-top:0;font-size:17px" { @if ru { "Доставки" } @else { "Deliveries" } " (" (deliveries.total) ")" }
            table {
                thead { tr { th { "Event" } th { (ui.t("status")) } th { "Attempts" } th { "Next" } th {} } }
                tbody {
                    @for (d, attempts) in &deliveries.items {
                        tr data-delivery=(d.id) {
                            td { (d.event_type) br; span.muted { (super::layout::short_time(d.created_at)) } }
                            td { span.pill { (d.status) } }
                            td {
                                @for a in attempts {
                                    div.muted {
                                        (super::layout::short_time(a.attempted_at)) " · "
                                        @if let Some(c) = a.status_code { (c) } @else { (a.error.as_deref().unwrap_or("error")) }
                                        " · " (a.latency_ms) " ms"
                                    }
                                }
                            }
                            td.muted { (d.next_attempt_at.map(super::layout::short_time).unwrap_or_default()) }
                            td { (post_button(&format!("{base}/deliveries/{}/retry", d.id), csrf, if ru { "Повторить" } else { "Retry" })) }
                        }
                    }
                }
            }
        }
    };
    page(&signed, ui, "settings", "Webhook", body)
}

/// What a webhook action answers: back to the endpoint's page, or the reason it failed.
fn after_action(result: Result<(), ApiError>, base: &str) -> Response {
    match result {
        Ok(()) => Redirect::to(base).into_response(),
        Err(e) if e.status == StatusCode::NOT_FOUND => {
            (StatusCode::NOT_FOUND, "Not found").into_response()
        }
        Err(e) if e.status.is_client_error() => (e.status, e.message.to_string()).into_response(),
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
    after_action(r, &format!("/dashboard/settings/webhooks/{id}"))
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
    after_action(r, &format!("/dashboard/settings/webhooks/{id}"))
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
    after_action(r, &format!("/dashboard/settings/webhooks/{id}"))
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
    let id = talentd_core::UserId::parse(id)
        .ok_or_else(|| (StatusCode::NOT_FOUND, "Not found").into_response())?;
    if id == signed.user.id {
        return Err((
            StatusCode::CONFLICT,
            "You cannot change your own role or account here.",
        )
            .into_response());
    }
    match state.store.get_user(&signed.user.org_id, &id).await {
        Ok(Some(u)) => Ok(u),
        Ok(None) => Err((StatusCode::NOT_FOUND, "Not found").into_response()),
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
        return (StatusCode::BAD_REQUEST, "Unknown role.").into_response();
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
