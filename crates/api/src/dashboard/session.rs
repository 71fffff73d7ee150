//! Dashboard sign-in sessions: an HttpOnly, SameSite=Lax cookie holding a random token
//! (the database keeps its SHA-256), sliding 12-hour expiry, and a CSRF token per
//! session that every form posts back.

use super::layout::Ui;
use crate::AppState;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use cookie::{Cookie, SameSite};
use talentd_core::apikey;
use talentd_core::id::random_token;
use talentd_core::timefmt::to_millis;
use talentd_store::{UserRow, WebSessionRow};

/// The session cookie.
pub const SESSION_COOKIE: &str = "talentd_session";
/// The cookie that carries the sign-in form's CSRF token before there is a session.
pub const SIGNIN_CSRF_COOKIE: &str = "talentd_signin";
/// A session unused this long ends.
pub const IDLE_MS: i64 = 12 * 3600 * 1000;
/// How often the expiry is moved forward (saves a write per request).
const TOUCH_EVERY_MS: i64 = 5 * 60 * 1000;

/// A cookie's value from the request.
pub fn cookie_value<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|c| c.name() == name)
        .and_then(|c| c.value_raw())
}

/// Whether cookies must be `Secure`: when talentd is served over https.
pub fn secure(state: &AppState) -> bool {
    state.config.public_url.starts_with("https://")
}

/// A `Set-Cookie` value scoped to the dashboard.
pub fn set_cookie(state: &AppState, name: &str, value: &str, max_age_secs: i64) -> HeaderValue {
    let c = Cookie::build((name, value))
        .path("/dashboard")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(secure(state))
        .max_age(cookie::time::Duration::seconds(max_age_secs))
        .build();
    HeaderValue::from_str(&c.to_string()).unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// Compares two secrets in time independent of where they differ.
pub fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// Starts a session for `user`: the row to store and the cookie's token.
pub fn new_session(user: &UserRow, now: i64) -> (WebSessionRow, String) {
    let token = random_token(43);
    (
        WebSessionRow {
            id_hash: apikey::hash(&token),
            user_id: user.id.clone(),
            csrf_token: random_token(32),
            created_at: now,
            expires_at: now + IDLE_MS,
            last_seen_at: now,
        },
        token,
    )
}

/// A signed-in user. As an extractor it sends anyone without a session to the
/// sign-in page, back to where they were going.
#[derive(Clone, Debug)]
pub struct Signed {
    pub user: UserRow,
    pub session: WebSessionRow,
    /// The interface language: the user's setting, else the browser's.
    pub ui: Ui,
}

impl Signed {
    /// Refuses a form whose CSRF token is not the session's.
    pub fn check_csrf(&self, posted: &str) -> Result<(), Forbidden> {
        if same_secret(posted, &self.session.csrf_token) {
            Ok(())
        } else {
            Err(Forbidden(self.ui))
        }
    }

    /// Refuses a user who may not manage the organisation's settings.
    pub fn require_admin(&self) -> Result<(), Forbidden> {
        if self.user.role.manages_settings() {
            Ok(())
        } else {
            Err(Forbidden(self.ui))
        }
    }
}

/// A forged or stale form, or a page the role may not see; told in the user's language.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Forbidden(pub Ui);

impl IntoResponse for Forbidden {
    fn into_response(self) -> Response {
        forbidden(self.0)
    }
}

/// The answer to a forged or stale form, or to a page the role may not see: a page (the
/// API's JSON error would be all a browser showed of a plain-text answer).
pub fn forbidden(ui: Ui) -> Response {
    super::layout::bare(
        ui,
        StatusCode::FORBIDDEN,
        ui.t("forbidden"),
        maud::html! {
            div.narrow.card {
                p.error role="alert" { (ui.t("forbidden")) }
                p { a href="/dashboard" { "← " (ui.t("projects")) } }
            }
        },
    )
}

/// Where sign-in sends someone who asked for `path`.
pub fn to_sign_in(path_and_query: &str) -> Response {
    let next = if path_and_query.starts_with("/dashboard") && !path_and_query.starts_with("//") {
        path_and_query
    } else {
        "/dashboard"
    };
    let encoded: String = url::form_urlencoded::byte_serialize(next.as_bytes()).collect();
    Redirect::to(&format!("/dashboard/sign-in?next={encoded}")).into_response()
}

impl FromRequestParts<AppState> for Signed {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let target = parts
            .uri
            .path_and_query()
            .map(|p| p.as_str().to_owned())
            .unwrap_or_else(|| "/dashboard".to_owned());
        let Some(token) = cookie_value(&parts.headers, SESSION_COOKIE) else {
            return Err(to_sign_in(&target));
        };
        let now = to_millis(state.clock.now());
        let hash = apikey::hash(token);
        let found = state.store.get_web_session(&hash, now).await.map_err(|e| {
            tracing::error!(error = %e, "cannot read a dashboard session");
            crate::ApiError::internal_opaque().into_response()
        })?;
        let Some((session, user)) = found else {
            return Err(to_sign_in(&target));
        };
        if now - session.last_seen_at >= TOUCH_EVERY_MS
            && let Err(e) = state
                .store
                .touch_web_session(&hash, now, now + IDLE_MS)
                .await
        {
            tracing::warn!(error = %e, "cannot extend a dashboard session");
        }
        let ui = Ui::pick(user.language.as_deref(), &parts.headers);
        if let Some(slot) = parts.extensions.get::<crate::audit::ActorSlot>() {
            slot.fill(crate::audit::Actor::user(&user));
        }
        Ok(Signed { user, session, ui })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_compare_whole() {
        assert!(same_secret("abc", "abc"));
        assert!(!same_secret("abc", "abd"));
        assert!(!same_secret("abc", "abcd"));
        assert!(!same_secret("", "a"));
    }

    #[test]
    fn sign_in_returns_only_to_dashboard_pages() {
        let loc = |r: Response| {
            r.headers()
                .get(header::LOCATION)
                .unwrap()
                .to_str()
                .unwrap()
                .to_owned()
        };
        assert_eq!(
            loc(to_sign_in("/dashboard/projects?status=active")),
            "/dashboard/sign-in?next=%2Fdashboard%2Fprojects%3Fstatus%3Dactive"
        );
        assert_eq!(
            loc(to_sign_in("https://evil.example/")),
            "/dashboard/sign-in?next=%2Fdashboard"
        );
    }
}
