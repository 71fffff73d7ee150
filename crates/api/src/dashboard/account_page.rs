//! The signed-in user's own settings: interface language and password.

use super::layout::page;
use super::password;
use super::session::Signed;
use crate::AppState;
use crate::error::ApiError;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::html;
use serde::Deserialize;
use talentd_core::timefmt::to_millis;

#[derive(Deserialize, Default)]
pub struct Saved {
    pub saved: Option<String>,
}

fn render(
    signed: &Signed,
    status: StatusCode,
    note: Option<&str>,
    error: Option<&str>,
) -> Response {
    let ui = signed.ui;
    let current = signed.user.language.as_deref().unwrap_or("");
    let csrf = &signed.session.csrf_token;
    let title = ui.t("my_account");
    let body = html! {
        h1 { (title) }
        p.muted { (signed.user.email) " · " (ui.name("role", signed.user.role.as_str())) }
        @if let Some(n) = note { p #saved role="status" { (n) } }
        @if let Some(e) = error { p.error role="alert" { (e) } }
        form.card #language-form method="post" action="/dashboard/account/language" {
            input type="hidden" name="csrf" value=(csrf);
            label for="language" { (ui.t("interface_language")) }
            select #language name="language" {
                option value="" selected[current.is_empty()] { (ui.t("as_the_browser")) }
                option value="en" selected[current == "en"] lang="en" { "English" }
                option value="ru" selected[current == "ru"] lang="ru" { "Русский" }
            }
            p { button #language-save type="submit" { (ui.t("save")) } }
        }
        form.card #password-form method="post" action="/dashboard/account/password" {
            input type="hidden" name="csrf" value=(csrf);
            label for="current" { (ui.t("current_password")) }
            input #current type="password" name="current" autocomplete="current-password" required;
            label for="new" { (ui.fill("new_password", &password::MIN_LEN.to_string())) }
            input #new type="password" name="new" autocomplete="new-password" required minlength=(password::MIN_LEN);
            p { button #password-save type="submit" { (ui.t("change_password")) } }
        }
    };
    let mut resp = page(signed, ui, "", title, body);
    *resp.status_mut() = status;
    resp
}

/// The account page.
pub async fn show(signed: Signed, Query(q): Query<Saved>) -> Response {
    let note = q.saved.is_some().then(|| signed.ui.t("saved"));
    render(&signed, StatusCode::OK, note, None)
}

#[derive(Deserialize, Default)]
pub struct LanguageForm {
    #[serde(default)]
    pub csrf: String,
    #[serde(default)]
    pub language: String,
}

/// Sets the interface language (blank follows the browser).
pub async fn set_language(
    State(state): State<AppState>,
    signed: Signed,
    Form(f): Form<LanguageForm>,
) -> Response {
    if let Err(r) = signed.check_csrf(&f.csrf) {
        return r.into_response();
    }
    let mut user = signed.user.clone();
    user.language = match f.language.as_str() {
        "en" | "ru" => Some(f.language.clone()),
        _ => None,
    };
    user.updated_at = to_millis(state.clock.now());
    match state.store.update_user(&user).await {
        Ok(_) => Redirect::to("/dashboard/account?saved=1").into_response(),
        Err(e) => ApiError::from(e).into_response(),
    }
}

#[derive(Deserialize, Default)]
pub struct PasswordForm {
    #[serde(default)]
    pub csrf: String,
    #[serde(default)]
    pub current: String,
    #[serde(default)]
    pub new: String,
}

/// Changes the password after checking the current one.
pub async fn set_password(
    State(state): State<AppState>,
    signed: Signed,
    Form(f): Form<PasswordForm>,
) -> Response {
    if let Err(r) = signed.check_csrf(&f.csrf) {
        return r.into_response();
    }
    let ui = signed.ui;
    let phc = signed.user.password_hash.clone();
    let current = f.current.clone();
    let ok = tokio::task::spawn_blocking(move || password::verify(&current, &phc))
        .await
        .unwrap_or(false);
    if !ok {
        let msg = ui.t("current_password_wrong");
        return render(&signed, StatusCode::BAD_REQUEST, None, Some(msg));
    }
    if let Some(weak) = password::weakness(&f.new) {
        let msg = match weak {
            password::Weak::TooShort => {
                ui.fill("password_too_short", &password::MIN_LEN.to_string())
            }
            password::Weak::TooLong => ui.fill("password_too_long", &password::MAX_LEN.to_string()),
        };
        return render(&signed, StatusCode::BAD_REQUEST, None, Some(&msg));
    }
    let new = f.new.clone();
    let hash = match tokio::task::spawn_blocking(move || password::hash(&new)).await {
        Ok(Ok(h)) => h,
        _ => return ApiError::internal_opaque().into_response(),
    };
    let mut user = signed.user.clone();
    user.password_hash = hash;
    user.updated_at = to_millis(state.clock.now());
    match state.store.update_user(&user).await {
        Ok(_) => {
            tracing::info!(user = %user.id, "changed a dashboard password");
            Redirect::to("/dashboard/account?saved=1").into_response()
        }
        Err(e) => ApiError::from(e).into_response(),
    }
}
