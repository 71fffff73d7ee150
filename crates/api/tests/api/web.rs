//! The dashboard as a browser reaches it: a client that carries its cookies by hand and
//! follows no redirect, sign-in through the real form, and pages read and posted with
//! the session cookie.

use crate::support::TestApp;
use reqwest::StatusCode;
use reqwest::header::{COOKIE, SET_COOKIE};

/// Every test user's password.
pub const PASSWORD: &str = "a long enough password";

/// A browser that keeps no cookies and follows no redirects: the test carries them.
pub fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// The whole `Set-Cookie` line of the cookie `name`.
pub fn cookie_of(resp: &reqwest::Response, name: &str) -> Option<String> {
    resp.headers()
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .map(str::to_owned)
}

/// The value in a `Set-Cookie` line.
pub fn value(set_cookie: &str) -> &str {
    set_cookie
        .split(';')
        .next()
        .unwrap()
        .split_once('=')
        .unwrap()
        .1
}

/// The value of the hidden input `name` (the first one).
pub fn hidden(html: &str, name: &str) -> String {
    let at = html
        .find(&format!("name=\"{name}\" value=\""))
        .unwrap_or_else(|| panic!("no {name} in {html}"));
    let rest = &html[at + name.len() + 15..];
    rest[..rest.find('"').unwrap()].to_owned()
}

/// Posts the sign-in form as a browser does; the answer carries the session cookie.
pub async fn sign_in(app: &TestApp, email: &str, password: &str) -> reqwest::Response {
    let b = browser();
    let page = b.get(app.url("/dashboard/sign-in")).send().await.unwrap();
    let csrf_cookie = cookie_of(&page, "talentd_signin").expect("csrf cookie");
    let html = page.text().await.unwrap();
    let csrf = hidden(&html, "csrf");
    b.post(app.url("/dashboard/sign-in"))
        .header(COOKIE, format!("talentd_signin={}", value(&csrf_cookie)))
        .form(&[
            ("csrf", csrf.as_str()),
            ("next", "/dashboard"),
            ("email", email),
            ("password", password),
        ])
        .send()
        .await
        .unwrap()
}

/// Signs in with [`PASSWORD`]; returns the `Cookie` header (`talentd_session=...`).
pub async fn session(app: &TestApp, email: &str) -> String {
    let r = sign_in(app, email, PASSWORD).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    format!(
        "talentd_session={}",
        value(&cookie_of(&r, "talentd_session").unwrap())
    )
}

/// A page, as the signed-in user sees it.
pub async fn get_html(app: &TestApp, cookie: &str, path: &str) -> (StatusCode, String) {
    let r = browser()
        .get(app.url(path))
        .header(COOKIE, cookie)
        .send()
        .await
        .unwrap();
    (r.status(), r.text().await.unwrap())
}

/// A form posted by the signed-in user.
pub async fn post_form(
    app: &TestApp,
    cookie: &str,
    path: &str,
    form: &[(&str, &str)],
) -> reqwest::Response {
    browser()
        .post(app.url(path))
        .header(COOKIE, cookie)
        .form(form)
        .send()
        .await
        .unwrap()
}

/// A form posted by the signed-in user: the status and the page.
pub async fn post_form_html(
    app: &TestApp,
    cookie: &str,
    path: &str,
    form: &[(&str, &str)],
) -> (StatusCode, String) {
    let r = post_form(app, cookie, path, form).await;
    (r.status(), r.text().await.unwrap())
}
