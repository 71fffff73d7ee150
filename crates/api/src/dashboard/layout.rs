//! The dashboard's page shell: navigation, the signed-in user, one stylesheet, the
//! interface language, and the pages that say what went wrong.

use super::session::Signed;
use super::words::{NAMES, WORDS};
use crate::error::ApiError;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use maud::{DOCTYPE, Markup, PreEscaped, html};

/// The interface language.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ui {
    En,
    Ru,
}

impl Ui {
    /// The user's setting, else the browser's first language.
    pub fn pick(user_setting: Option<&str>, headers: &HeaderMap) -> Ui {
        let asked = user_setting.map(str::to_owned).or_else(|| {
            headers
                .get(header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .map(|v| v.trim_start().to_ascii_lowercase())
        });
        match asked {
            Some(a) if a.starts_with("ru") => Ui::Ru,
            _ => Ui::En,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Ui::En => "en",
            Ui::Ru => "ru",
        }
    }

    /// The word for `key` in this language (the key itself when missing).
    pub fn t(self, key: &'static str) -> &'static str {
        WORDS
            .iter()
            .find(|(k, _, _)| *k == key)
            .map(|(_, en, ru)| self.choose(en, ru))
            .unwrap_or(key)
    }

    /// The word for `key` with `value` in the place of its `{}`.
    pub fn fill(self, key: &'static str, value: &str) -> String {
        self.t(key).replacen("{}", value, 1)
    }

    /// The name of a value of `kind` (an interview status, a skill, an OCP statement...)
    /// in this language; the value itself when it has none.
    pub fn name<'a>(self, kind: &str, value: &'a str) -> &'a str {
        NAMES
            .iter()
            .find(|(k, v, _, _)| *k == kind && *v == value)
            .map(|(_, _, en, ru)| self.choose(en, ru))
            .unwrap_or(value)
    }

    fn choose(self, en: &'static str, ru: &'static str) -> &'static str {
        match self {
            Ui::En => en,
            Ui::Ru => ru,
        }
    }
}

const STYLE: &str = r#"
:root { --fg:#1d2330; --muted:#545d6e; --line:#d9dde5; --accent:#2f5bd3; --bg:#f4f5f8; --bad:#b4372f; --good:#1f7a45; }
* { box-sizing: border-box; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); margin: 0; background: var(--bg); }
a { color: var(--accent); }
header.bar { display: flex; flex-wrap: wrap; align-items: center; gap: 6px 18px; padding: 10px 20px; background: #fff; border-bottom: 1px solid var(--line); }
header.bar .brand { font-weight: 800; color: var(--fg); text-decoration: none; margin-right: 8px; }
header.bar nav { display: flex; flex-wrap: wrap; gap: 4px 14px; flex: 1; }
header.bar nav a { text-decoration: none; padding: 4px 2px; color: var(--muted); font-weight: 600; }
header.bar nav a[aria-current=page] { color: var(--fg); border-bottom: 2px solid var(--accent); }
header.bar .who { color: var(--muted); font-size: 14px; display: flex; flex-wrap: wrap; gap: 4px 10px; align-items: center; min-width: 0; }
header.bar .who a { overflow-wrap: anywhere; }
main { max-width: 1100px; margin: 0 auto; padding: 20px; }
h1 { font-size: 22px; margin: 4px 0 16px; }
.card { background: #fff; border: 1px solid var(--line); border-radius: 10px; padding: 16px 18px; margin-bottom: 16px; overflow-x: auto; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 8px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-size: 13px; color: var(--muted); font-weight: 600; }
label { display: block; font-weight: 600; margin: 12px 0 4px; }
input[type=text], input[type=email], input[type=password], input[type=number], input[type=datetime-local], select, textarea { width: 100%; font: inherit; padding: 9px 11px; border: 1px solid var(--line); border-radius: 8px; background: #fff; }
button, .button { font: inherit; font-weight: 600; padding: 9px 16px; border-radius: 8px; border: 1px solid var(--accent); background: var(--accent); color: #fff; cursor: pointer; text-decoration: none; display: inline-block; }
button.link { background: none; border: none; color: var(--accent); padding: 0; font-weight: 600; text-align: left; }
.muted { color: var(--muted); }
.error { color: var(--bad); font-weight: 600; }
.pill { display: inline-block; padding: 1px 8px; border-radius: 999px; font-size: 13px; background: #e8ecf6; }
.pill.completed, .pill.expired { background: #eee; color: var(--muted); }
:focus-visible { outline: 3px solid #f2b705; outline-offset: 2px; }
.narrow { max-width: 420px; margin: 8vh auto; }
code.link { word-break: break-all; font-size: 13px; }
h1, h2, h3, td, li, p { overflow-wrap: break-word; }
#piles th, #piles td { text-align: center; padding: 4px 2px; }
@media (max-width: 600px) {
  main { padding: 12px; } th, td { padding: 6px; } header.bar { padding: 8px 12px; } .card { padding: 14px; }
  table.stack thead { display: none; }
  table.stack tr { display: block; padding: 8px 0; border-bottom: 1px solid var(--line); }
  table.stack td { display: flex; gap: 10px; align-items: baseline; padding: 3px 0; border: none; }
  table.stack td[data-label]::before { content: attr(data-label); flex: 0 0 38%; color: var(--muted); font-size: 13px; font-weight: 600; }
  table.stack td:empty { display: none; }
}
"#;

fn document(ui: Ui, title: &str, header_html: Markup, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang=(ui.code()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="robots" content="noindex";
                title { (title) " · talentd" }
                style { (PreEscaped(STYLE)) }
            }
            body { (header_html) main { (body) } }
        }
    }
}

/// A time for a table: `2026-12-03 07:30` (UTC).
pub fn short_time(ms: i64) -> String {
    let t = talentd_core::timefmt::format_millis(ms);
    t.get(..16).unwrap_or(&t).replace('T', " ")
}

/// The headers every dashboard page has: no caching, no framing, no external sources.
pub fn respond(status: StatusCode, doc: Markup) -> Response {
    let mut resp = (status, doc.into_string()).into_response();
    let h = resp.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; \
             img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; \
             frame-ancestors 'none'",
        ),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    h.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    resp
}

/// A page for a signed-in user, with the navigation; `current` is the nav key.
pub fn page(signed: &Signed, ui: Ui, current: &str, title: &str, body: Markup) -> Response {
    let nav = [
        ("projects", "/dashboard"),
        ("interviews", "/dashboard/interviews"),
        ("culture", "/dashboard/culture"),
        ("fairness", "/dashboard/reports"),
        ("settings", "/dashboard/settings"),
    ];
    let bar = html! {
        header.bar {
            a.brand href="/dashboard" { "talentd" }
            nav aria-label=(ui.t("nav_main")) {
                @for (key, href) in nav {
                    @if key == current {
                        a href=(href) aria-current="page" { (ui.t(key)) }
                    } @else {
                        a href=(href) { (ui.t(key)) }
                    }
                }
            }
            div.who {
                a #account href="/dashboard/account" title=(ui.t("my_account")) { (signed.user.email) }
                span { (ui.name("role", signed.user.role.as_str())) }
                form method="post" action="/dashboard/sign-out" {
                    input type="hidden" name="csrf" value=(signed.session.csrf_token);
                    button.link type="submit" { (ui.t("sign_out")) }
                }
            }
        }
    };
    respond(StatusCode::OK, document(ui, title, bar, body))
}

/// A page without navigation (sign-in).
pub fn bare(ui: Ui, status: StatusCode, title: &str, body: Markup) -> Response {
    respond(status, document(ui, title, html! {}, body))
}

/// A short page that says what went wrong, with the way back to `back`.
pub fn notice(signed: &Signed, status: StatusCode, message: &str, back: &str) -> Response {
    let ui = signed.ui;
    let mut resp = page(
        signed,
        ui,
        "",
        message,
        html! {
            div.card {
                p.error role="alert" { (message) }
                p { a href=(back) { "← " (ui.t("back")) } }
            }
        },
    );
    *resp.status_mut() = status;
    resp
}

/// The page for something that is not there (or is another organisation's).
pub fn not_found(signed: &Signed) -> Response {
    notice(
        signed,
        StatusCode::NOT_FOUND,
        signed.ui.t("not_found"),
        "/dashboard",
    )
}

/// The form's name for a field the API's checks name in `ApiError::param`.
fn field_name(ui: Ui, param: &str) -> Option<&'static str> {
    Some(match param {
        "project_name" => ui.t("position_or_project"),
        "company_name" => ui.t("company_shown"),
        "instructions" => ui.t("instructions_for_tami"),
        "template_id" => ui.t("question_template"),
        "expires_at" => ui.t("link_closes"),
        "max_sessions" => ui.t("most_sessions"),
        "competency_weights" => ui.t("competency_weights"),
        "candidate_id" => ui.t("candidate_id"),
        "candidate_name" => ui.t("candidate_name"),
        "vacancy_id" => ui.t("vacancy_or_project"),
        "transcript" => ui.t("transcript"),
        "media" => ui.t("recording"),
        "url" => ui.t("url"),
        "events" => ui.t("events"),
        "candidate_ids" => ui.t("candidates"),
        "criteria" => ui.t("rank_by"),
        "sorts" => ui.t("your_sort"),
        _ => return None,
    })
}

/// A refusal by the API's own checks, as a form shows it. In Russian the field is named
/// in Russian and the API's exact reason follows, as the API words it (English).
pub fn api_problem(ui: Ui, e: &ApiError) -> Markup {
    let field = e.param.as_deref().map(|p| field_name(ui, p).unwrap_or(p));
    html! {
        p.error role="alert" {
            @match (ui, field) {
                (Ui::En, _) => { (e.message) @if let Some(p) = &e.param { " (" (p) ")" } }
                (Ui::Ru, Some(f)) => { (ui.fill("check_field", f)) br; span.muted lang="en" { (e.message) } }
                (Ui::Ru, None) => { (ui.t("request_refused")) br; span.muted lang="en" { (e.message) } }
            }
        }
    }
}
