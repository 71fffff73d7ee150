//! Signing in and out. The sign-in form carries a CSRF token that must match a cookie
//! set with the form (there is no session yet to hold it); attempts are limited per
//! email and per process; unknown emails cost the same time as wrong passwords.

use super::layout::{Ui, bare};
use super::password;
use super::session::{
    SESSION_COOKIE, SIGNIN_CSRF_COOKIE, Signed, cookie_value, new_session, same_secret, set_cookie,
};
use crate::AppState;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use maud::html;
use serde::Deserialize;
use talentd_core::id::random_token;
use talentd_core::plan::Quota;
use talentd_core::timefmt::to_millis;
use talentd_core::user::normalise_email;

/// Sign-in attempts per email.
static ATTEMPTS_PER_EMAIL: [Quota; 2] = [Quota::new("minute", 5, 60), Quota::new("hour", 30, 3600)];
/// Sign-in attempts per process, whatever the email.
static ATTEMPTS_IN_ALL: [Quota; 1] = [Quota::new("minute", 120, 60)];

#[derive(Deserialize, Default)]
pub struct Next {
    pub next: Option<String>,
}

fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with("/dashboard") && !n.starts_with("//") && !n.contains('\\') => {
            n.to_owned()
        }
        _ => "/dashboard".to_owned(),
    }
}

fn form(
    ui: Ui,
    status: StatusCode,
    csrf: &str,
    next: &str,
    email: &str,
    error: Option<&str>,
) -> Response {
    bare(
        ui,
        status,
        ui.t("sign_in"),
        html! {
            div.narrow.card {
                h1 { "talentd" }
                p.muted { (ui.t("sign_in_intro")) }
                form #sign-in method="post" action="/dashboard/sign-in" {
                    input type="hidden" name="csrf" value=(csrf);
                    input type="hidden" name="next" value=(next);
                    label for="email" { (ui.t("email")) }
                    input #email type="email" name="email" autocomplete="username" required value=(email);
                    label for="password" { (ui.t("password")) }
                    input #password type="password" name="password" autocomplete="current-password" required;
                    @if let Some(e) = error { p.error role="alert" { (e) } }
                    p { button #submit type="submit" { (ui.t("sign_in")) } }
                }
            }
        },
    )
}

/// A fresh sign-in form with its CSRF cookie.
fn fresh_form(
    state: &AppState,
    ui: Ui,
    status: StatusCode,
    next: &str,
    email: &str,
    error: Option<&str>,
) -> Response {
    let csrf = random_token(32);
    let mut resp = form(ui, status, &csrf, next, email, error);
    resp.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(state, SIGNIN_CSRF_COOKIE, &csrf, 3600),
    );
    resp
}

/// The sign-in page.
pub async fn sign_in_page(
    State(state): State<AppState>,
    Query(q): Query<Next>,
    headers: HeaderMap,
) -> Response {
    let ui = Ui::pick(None, &headers);
    fresh_form(
        &state,
        ui,
        StatusCode::OK,
        &safe_next(q.next.as_deref()),
        "",
        None,
    )
}

#[derive(Deserialize)]
pub struct SignInForm {
    #[serde(default)]
    pub csrf: String,
    #[serde(default)]
    pub next: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub password: String,
}

/// Checks the credentials and starts a session.
pub async fn sign_in(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(f): Form<SignInForm>,
) -> Response {
    let ui = Ui::pick(None, &headers);
    let expected = cookie_value(&headers, SIGNIN_CSRF_COOKIE).unwrap_or_default();
    if expected.is_empty() || !same_secret(&f.csrf, expected) {
        return super::session::forbidden(ui);
    }
    let next = safe_next(Some(&f.next));
    let shown_email: String = f.email.trim().chars().take(254).collect();
    let now_secs = state.clock.now().unix_timestamp().max(0) as u64;
    let email = normalise_email(&f.email).unwrap_or_default();
    let per_email = state
        .limiter
        .hit(&format!("signin:{email}"), &ATTEMPTS_PER_EMAIL, now_secs)
        .await;
    let in_all = state
        .limiter
        .hit("signin:*", &ATTEMPTS_IN_ALL, now_secs)
        .await;
    if !per_email.allowed || !in_all.allowed {
        let mut resp = form(
            ui,
            StatusCode::TOO_MANY_REQUESTS,
            &f.csrf,
            &next,
            &shown_email,
            Some(ui.t("too_many")),
        );
        let retry = per_email
            .retry_after_secs()
            .max(in_all.retry_after_secs())
            .unwrap_or(60);
        if let Ok(v) = retry.to_string().parse() {
            resp.headers_mut().insert(header::RETRY_AFTER, v);
        }
        return resp;
    }
    let user = match state.store.get_user_by_email(&email).await {
        Ok(u) => u,
        Err(e) => {
            tracing::error!(error = %e, "cannot read a user");
            return crate::ApiError::internal_opaque().into_response();
        }
    };
    let pw = f.password.clone();
    let verified = match user {
        Some(u) => {
            let phc = u.password_hash.clone();
            let ok = tokio::task::spawn_blocking(move || password::verify(&pw, &phc))
                .await
                .unwrap_or(false);
            ok.then_some(u)
        }
        None => {
            let _ = tokio::task::spawn_blocking(move || password::verify_nothing(&pw)).await;
            None
        }
    };
    let Some(user) = verified else {
        return form(
            ui,
            StatusCode::UNAUTHORIZED,
            &f.csrf,
            &next,
            &shown_email,
            Some(ui.t("bad_sign_in")),
        );
    };
    let now = to_millis(state.clock.now());
    let (session, token) = new_session(&user, now);
    if let Err(e) = state.store.create_web_session(&session).await {
        tracing::error!(error = %e, "cannot start a dashboard session");
        return crate::ApiError::internal_opaque().into_response();
    }
    tracing::info!(user = %user.id, org = %user.org_id, "signed in to the dashboard");
    let mut resp = Redirect::to(&next).into_response();
    // There is no session to name the user yet: the audit layer reads them here.
    resp.extensions_mut()
        .insert(crate::audit::Actor::user(&user));
    let h = resp.headers_mut();
    h.append(
        header::SET_COOKIE,
        set_cookie(
            &state,
            SESSION_COOKIE,
            &token,
            super::session::IDLE_MS / 1000,
        ),
    );
    h.append(
        header::SET_COOKIE,
        set_cookie(&state, SIGNIN_CSRF_COOKIE, "", 0),
    );
    resp
}

#[derive(Deserialize)]
pub struct CsrfForm {
    #[serde(default)]
    pub csrf: String,
}

/// Ends the session.
pub async fn sign_out(
    State(state): State<AppState>,
    signed: Signed,
    Form(f): Form<CsrfForm>,
) -> Response {
    if let Err(r) = signed.check_csrf(&f.csrf) {
        return r.into_response();
    }
    if let Err(e) = state
        .store
        .delete_web_session(&signed.session.id_hash)
        .await
    {
        tracing::error!(error = %e, "cannot end a dashboard session");
        return crate::ApiError::internal_opaque().into_response();
    }
    let mut resp = Redirect::to("/dashboard/sign-in").into_response();
    resp.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(&state, SESSION_COOKIE, "", 0),
    );
    resp
}
