//! The signed-in user's own settings: interface language and password.

use super::layout::{Ui, page};
use super::password;
use super::session::Signed;
use crate::AppState;
use crate::error::ApiError;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
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
    ui: Ui,
    status: StatusCode,
    note: Option<&str>,
    error: Option<&str>,
) -> Response {
    let ru = ui == Ui::Ru;
    let current = signed.user.language.as_deref().unwrap_or("");
    let csrf = &signed.session.csrf_token;
    let title = if ru {
        "Мой профиль"
    } else {
        "My account"
    };
    let body = html! {
        h1 { (title) }
        p.muted { (signed.user.email) " · " (signed.user.role.as_str()) }
        @if let Some(n) = note { p #saved role="status" { (n) } }
        @if let Some(e) = error { p.error role="alert" { (e) } }
        form.card #language-form method="post" action="/dashboard/account/language" {
            input type="hidden" name="csrf" value=(csrf);
            label for="language" { @if ru { "Язык интерфейса" } @else { "Interface language" } }
            select #language name="language" {
                option value="" selected[current.is_empty()] { @if ru { "Как в браузере" } @else { "As the browser says" } }
                option value="en" selected[current == "en"] { "English" }
                option value="ru" selected[current == "ru"] { "Русский" }
            }
            p { button type="submit" { @if ru { "Сохранить" } @else { "Save" } } }
        }
        form.card #password-form method="post" action="/dashboard/account/password" {
            input type="hidden" name="csrf" value=(csrf);
            label for="current" { @if ru { "Текущий пароль" } @else { "Current password" } }
            input #current type="password" name="current" autocomplete="current-password" required;
            label for="new" { @if ru { "Новый пароль (не короче 12 символов)" } @else { "New password (12 characters or more)" } }
            input #new type="password" name="new" autocomplete="new-password" required minlength="12";
            p { button type="submit" { @if ru { "Сменить пароль" } @else { "Change the password" } } }
        }
    };
    let mut resp = page(signed, ui, "", title, body);
    *resp.status_mut() = status;
    resp
}

/// The account page.
pub async fn show(signed: Signed, headers: HeaderMap, Query(q): Query<Saved>) -> Response {
    let ui = Ui::pick(signed.user.language.as_deref(), &headers);
    let note = q.saved.is_some().then(|| {
        if ui == Ui::Ru {
            "Сохранено."
        } else {
            "Saved."
        }
    });
    render(&signed, ui, StatusCode::OK, note, None)
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
    headers: HeaderMap,
    Form(f): Form<PasswordForm>,
) -> Response {
    if let Err(r) = signed.check_csrf(&f.csrf) {
        return r.into_response();
    }
    let ui = Ui::pick(signed.user.language.as_deref(), &headers);
    let phc = signed.user.password_hash.clone();
    let current = f.current.clone();
    let ok = tokio::task::spawn_blocking(move || password::verify(&current, &phc))
        .await
        .unwrap_or(false);
    if !ok {
        let msg = if ui == Ui::Ru {
            "Текущий пароль неверен."
        } else {
            "The current password is wrong."
        };
        return render(&signed, ui, StatusCode::BAD_REQUEST, None, Some(msg));
    }
    if let Err(msg) = password::check_strength(&f.new) {
        return render(&signed, ui, StatusCode::BAD_REQUEST, None, Some(&msg));
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
