//! The candidate page behind a project's `interview_url` (`/i/{token}`): the AI notice
//! and consent, then the chat with Tami, with voice answers where the browser can
//! record. One self-contained document (inline style and script, no external assets)
//! that works on a phone and by keyboard; it speaks only the public session API.
//!
//! Query parameters an ATS may put in the link: `candidate_id`, `name`, `email` (shown
//! filled in and locked) and `lang` (`en` or `ru`, the page's and Tami's language).

use super::service::{self, Closed};
use crate::AppState;
use crate::extract::PathId;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use maud::{DOCTYPE, Markup, PreEscaped, html};
use serde::Deserialize;
use talentd_interviewer::Lang;

pub fn router() -> axum::Router<AppState> {
    axum::Router::new().route("/i/{token}", axum::routing::get(candidate_page))
}

/// What an ATS may put in the link.
#[derive(Deserialize, Default)]
pub struct LinkQuery {
    pub candidate_id: Option<String>,
    pub name: Option<String>,
    pub email: Option<String>,
    pub lang: Option<String>,
}

/// The page's words in one language.
struct Words {
    lang: &'static str,
    title: &'static str,
    intro: &'static str,
    notice_title: &'static str,
    notice: [&'static str; 4],
    name: &'static str,
    email: &'static str,
    optional: &'static str,
    consent: &'static str,
    start: &'static str,
    answer: &'static str,
    send: &'static str,
    record: &'static str,
    stop: &'static str,
    heard: &'static str,
    progress: &'static str,
    waiting: &'static str,
    done: &'static str,
    closed_title: &'static str,
    not_found: &'static str,
    error: &'static str,
    rights_title: &'static str,
    rights_intro: &'static str,
    request_legend: &'static str,
    kind_human: &'static str,
    kind_deletion: &'static str,
    message: &'static str,
    request_send: &'static str,
    request_sent: &'static str,
    demo_legend: &'static str,
    demo_note: &'static str,
    sex: &'static str,
    race: &'static str,
    unanswered: &'static str,
    sex_options: [(&'static str, &'static str); 3],
    race_options: [(&'static str, &'static str); 8],
    demo_send: &'static str,
    demo_sent: &'static str,
}

const EN: Words = Words {
    lang: "en",
    title: "Interview",
    intro: "A short written interview with Tami. Tami asks one question at a time and may ask you to say more. Answer in your own words; there are no trick questions. It usually takes 15–25 minutes, and you can leave and come back on this device.",
    notice_title: "Before you start",
    notice: [
        "Tami is an AI interviewer. An AI conducts this interview and analyses your answers to produce a report on work skills (such as communication and problem solving) for the hiring team. People at the company make every decision; the AI does not.",
        "What is stored: your name, your email if you give it, your messages with their times, and signals such as leaving this page or pasting text. Voice answers are turned into text; the recording is deleted at once.",
        "How long: the company keeps the interview for its hiring process and deletes it on request.",
        "You may ask the company for an interview with a person instead, or for your data to be deleted, at any time, with the form under “Your rights and choices” at the bottom of this page.",
    ],
    name: "Your name",
    email: "Email",
    optional: "(optional)",
    consent: "I understand that an AI conducts and analyses this interview, and I agree to take part.",
    start: "Start the interview",
    answer: "Your answer",
    send: "Send",
    record: "Answer by voice",
    stop: "Stop recording",
    heard: "Check the text of your voice answer, correct it if needed, then send it.",
    progress: "Question {n} of {total}",
    waiting: "Tami is writing…",
    done: "The interview is complete. Thank you! You can close this page.",
    closed_title: "This interview is closed",
    not_found: "This interview link does not exist. Check the link you received.",
    error: "Something went wrong. Your answers so far are saved.",
    rights_title: "Your rights and choices",
    rights_intro: "You can ask the company, at any time, for an interview with a person instead of the AI, or for everything it holds about you to be deleted. The company is told at once and answers you by email.",
    request_legend: "I would like",
    kind_human: "an interview with a person instead of the AI",
    kind_deletion: "my data to be deleted",
    message: "Anything to add",
    request_send: "Send my request",
    request_sent: "Your request was sent. The company will contact you.",
    demo_legend: "Voluntary questions about you",
    demo_note: "Optional. Your answers are never used to assess you and are never shown with your results; they are only counted together with everyone else's, to check that the process treats all groups fairly.",
    sex: "Sex",
    race: "Race/ethnicity",
    unanswered: "No answer",
    sex_options: [
        ("female", "Female"),
        ("male", "Male"),
        ("prefer_not_to_say", "Prefer not to say"),
    ],
    race_options: [
        ("hispanic_or_latino", "Hispanic or Latino"),
        ("white", "White"),
        ("black_or_african_american", "Black or African American"),
        (
            "native_hawaiian_or_other_pacific_islander",
            "Native Hawaiian or Other Pacific Islander",
        ),
        ("asian", "Asian"),
        (
            "american_indian_or_alaska_native",
            "American Indian or Alaska Native",
        ),
        ("two_or_more_races", "Two or more races"),
        ("prefer_not_to_say", "Prefer not to say"),
    ],
    demo_send: "Save my answers",
    demo_sent: "Saved. Thank you.",
};

const RU: Words = Words {
    lang: "ru",
    title: "Интервью",
    intro: "Короткое письменное интервью с Тами. Тами задаёт по одному вопросу и может попросить рассказать подробнее. Отвечайте своими словами, подвохов нет. Обычно это занимает 15–25 минут; можно уйти и вернуться на этом устройстве.",
    notice_title: "Перед началом",
    notice: [
        "Тами — ИИ-интервьюер. Интервью проводит и анализирует ИИ: по вашим ответам составляется отчёт о рабочих навыках (например, коммуникации и решении задач) для команды найма. Все решения принимают люди в компании, а не ИИ.",
        "Что сохраняется: ваше имя, email (если вы его укажете), ваши сообщения и время их отправки, а также сигналы вроде ухода со страницы или вставки текста. Голосовые ответы превращаются в текст, запись сразу удаляется.",
        "Как долго: компания хранит интервью для процесса найма и удаляет его по запросу.",
        "Вы можете в любой момент попросить компанию провести интервью с человеком или удалить ваши данные — формой в разделе «Ваши права и выбор» внизу страницы.",
    ],
    name: "Ваше имя",
    email: "Email",
    optional: "(необязательно)",
    consent: "Я понимаю, что интервью проводит и анализирует ИИ, и согласен(на) участвовать.",
    start: "Начать интервью",
    answer: "Ваш ответ",
    send: "Отправить",
    record: "Ответить голосом",
    stop: "Остановить запись",
    heard: "Проверьте текст голосового ответа, исправьте при необходимости и отправьте.",
    progress: "Вопрос {n} из {total}",
    waiting: "Тами пишет…",
    done: "Интервью завершено. Спасибо! Страницу можно закрыть.",
    closed_title: "Это интервью закрыто",
    not_found: "Такой ссылки на интервью нет. Проверьте полученную ссылку.",
    error: "Что-то пошло не так. Ваши ответы сохранены.",
    rights_title: "Ваши права и выбор",
    rights_intro: "Вы можете в любой момент попросить компанию провести интервью с человеком вместо ИИ или удалить всё, что она о вас хранит. Компания получит запрос сразу и ответит вам по email.",
    request_legend: "Я хочу",
    kind_human: "интервью с человеком вместо ИИ",
    kind_deletion: "удалить мои данные",
    message: "Комментарий",
    request_send: "Отправить запрос",
    request_sent: "Запрос отправлен. Компания свяжется с вами.",
    demo_legend: "Добровольные вопросы о вас",
    demo_note: "Необязательно. Ответы никогда не используются для вашей оценки и не показываются рядом с вашими результатами; они лишь подсчитываются вместе с ответами других, чтобы проверить, что отбор справедлив ко всем группам.",
    sex: "Пол",
    race: "Раса/этническая принадлежность",
    unanswered: "Без ответа",
    sex_options: [
        ("female", "Женский"),
        ("male", "Мужской"),
        ("prefer_not_to_say", "Предпочитаю не указывать"),
    ],
    race_options: [
        ("hispanic_or_latino", "Латиноамериканец(ка)"),
        ("white", "Белый(ая)"),
        (
            "black_or_african_american",
            "Темнокожий(ая) / афроамериканец(ка)",
        ),
        (
            "native_hawaiian_or_other_pacific_islander",
            "Коренной житель Гавайев или островов Тихого океана",
        ),
        ("asian", "Азиат(ка)"),
        (
            "american_indian_or_alaska_native",
            "Коренной житель Америки или Аляски",
        ),
        ("two_or_more_races", "Две расы и более"),
        ("prefer_not_to_say", "Предпочитаю не указывать"),
    ],
    demo_send: "Сохранить ответы",
    demo_sent: "Сохранено. Спасибо.",
};

fn words_for(q: &LinkQuery, headers: &HeaderMap) -> &'static Words {
    let asked = q.lang.as_deref().and_then(Lang::parse).or_else(|| {
        let accept = headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())?;
        accept
            .trim_start()
            .to_ascii_lowercase()
            .starts_with("ru")
            .then_some(Lang::Ru)
    });
    match asked {
        Some(Lang::Ru) => &RU,
        _ => &EN,
    }
}

/// Only what the API would accept, so that a bad link parameter is dropped, not shown.
fn clean(v: Option<&str>, max: usize) -> Option<String> {
    v.map(str::trim)
        .filter(|s| !s.is_empty() && s.chars().count() <= max && !s.chars().any(char::is_control))
        .map(str::to_owned)
}

/// The interview page of a project's link.
pub async fn candidate_page(
    State(state): State<AppState>,
    PathId(token): PathId,
    Query(q): Query<LinkQuery>,
    headers: HeaderMap,
) -> Response {
    let w = words_for(&q, &headers);
    let project = match service::project_of_link(&state, &token).await {
        Ok(p) => p,
        Err(e) if e.status == StatusCode::NOT_FOUND => {
            return page(
                StatusCode::NOT_FOUND,
                w,
                w.title,
                "closed",
                None,
                html! {
                    h1 { (w.title) }
                    p { (w.not_found) }
                },
            );
        }
        Err(e) => return error_page(w, &e),
    };
    if super::limits::check(
        &state,
        format!("link-view:{}", project.id),
        &super::limits::VIEWS_PER_LINK,
    )
    .await
    .is_err()
    {
        return error_page(
            w,
            &crate::ApiError::for_status(StatusCode::TOO_MANY_REQUESTS),
        );
    }
    let company = project.company_name.clone();
    let heading = match &company {
        Some(c) => format!("{} · {c}", project.name),
        None => project.name.clone(),
    };
    match service::closed(&state, &project).await {
        Ok(None) => {}
        Ok(Some(why)) => {
            let detail = match (why, w.lang) {
                (Closed::Completed, "ru") => "Набор на эту позицию завершён.",
                (Closed::Expired, "ru") => "Срок действия ссылки истёк.",
                (Closed::Full, "ru") => "Все места на интервью уже заняты.",
                (Closed::Completed, _) => "The company has finished interviewing for this role.",
                (Closed::Expired, _) => "The interview link has expired.",
                (Closed::Full, _) => "All interview places for this role have been taken.",
            };
            return page(
                StatusCode::GONE,
                w,
                &heading,
                "closed",
                None,
                html! {
                    h1 { (w.closed_title) }
                    p.meta { (heading) }
                    p { (detail) " " @if w.lang == "ru" { "Если это ошибка, ответьте на полученное приглашение." } @else { "If you think this is a mistake, reply to the invitation you received." } }
                },
            );
        }
        Err(e) => return error_page(w, &e),
    }

    let candidate_id =
        clean(q.candidate_id.as_deref(), 128).filter(|id| talentd_core::id::valid_external_id(id));
    let name = clean(q.name.as_deref(), 100);
    let email = clean(q.email.as_deref(), 254);
    let body = html! {
        header.top {
            @if let Some(c) = &company { p.company { (c) } }
            h1 { (project.name) }
        }
        section #intro {
            p { (w.intro) }
            form #start-form novalidate {
                fieldset.notice {
                    legend { (w.notice_title) }
                    @for n in w.notice { p { (n) } }
                }
                label for="candidate-name" { (w.name) }
                input #candidate-name name="candidate_name" type="text" autocomplete="name"
                    maxlength="100" required value=[name.as_deref()] readonly[name.is_some()];
                label for="candidate-email" { (w.email) " " span.muted { (w.optional) } }
                input #candidate-email name="candidate_email" type="email" autocomplete="email"
                    maxlength="254" value=[email.as_deref()] readonly[email.is_some()];
                label.check for="consent" {
                    input #consent name="consent" type="checkbox" required;
                    span { (w.consent) }
                }
                p #start-error .error role="alert" {}
                button #start type="submit" { (w.start) }
            }
        }
        section #chat hidden {
            div #progress-box {
                span #progress aria-live="polite" {}
                progress #progress-bar max="1" value="0" {}
            }
            ol #messages aria-live="polite" aria-label="Conversation" {}
            p #typing .muted hidden { (w.waiting) }
            p #chat-error .error role="alert" {}
            form #answer-form {
                label for="answer" { (w.answer) }
                textarea #answer name="answer" rows="4" maxlength="4000" {}
                p #heard .muted hidden { (w.heard) }
                div.actions {
                    button #record type="button" hidden { (w.record) }
                    button #send type="submit" { (w.send) }
                }
            }
            p #done-note hidden { (w.done) }
        }
        (rights(w))
    };
    let data = Data {
        token: &token,
        candidate_id: candidate_id.as_deref(),
        lang: q.lang.as_deref().and_then(Lang::parse).map(Lang::as_str),
        words: w,
    };
    page(StatusCode::OK, w, &heading, "consent", Some(data), body)
}

/// The candidate's rights: a request to the company (a person instead of the AI, or
/// deletion) at any time, and, once a session exists, the voluntary demographics.
fn rights(w: &'static Words) -> Markup {
    html! {
        section #rights {
            details #rights-box {
                summary { (w.rights_title) }
                p { (w.rights_intro) }
                form #request-form novalidate {
                    fieldset.plain {
                        legend { (w.request_legend) }
                        label.check { input type="radio" name="kind" value="human_alternative" checked; span { (w.kind_human) } }
                        label.check { input type="radio" name="kind" value="deletion"; span { (w.kind_deletion) } }
                    }
                    div #request-contact {
                        label for="request-name" { (w.name) }
                        input #request-name type="text" autocomplete="name" maxlength="100";
                        label for="request-email" { (w.email) }
                        input #request-email type="email" autocomplete="email" maxlength="254";
                    }
                    label for="request-message" { (w.message) " " span.muted { (w.optional) } }
                    textarea #request-message rows="2" maxlength="2000" {}
                    p #request-status role="status" {}
                    button #request-send type="submit" { (w.request_send) }
                }
                form #demographics-form hidden novalidate {
                    fieldset.plain {
                        legend { (w.demo_legend) }
                        p.muted { (w.demo_note) }
                        label for="demo-sex" { (w.sex) }
                        select #demo-sex {
                            option value="" { (w.unanswered) }
                            @for (code, name) in w.sex_options { option value=(code) { (name) } }
                        }
                        label for="demo-race" { (w.race) }
                        select #demo-race {
                            option value="" { (w.unanswered) }
                            @for (code, name) in w.race_options { option value=(code) { (name) } }
                        }
                    }
                    p #demo-status role="status" {}
                    button #demo-send type="submit" { (w.demo_send) }
                }
            }
        }
    }
}

fn error_page(w: &'static Words, e: &crate::ApiError) -> Response {
    if e.status.is_server_error() {
        tracing::error!(error = %e, "cannot show the candidate page");
    }
    page(
        e.status,
        w,
        w.title,
        "error",
        None,
        html! {
            h1 { (w.title) }
            p { (w.error) }
        },
    )
}

/// What the script needs, written into the page as data attributes.
struct Data<'a> {
    token: &'a str,
    candidate_id: Option<&'a str>,
    lang: Option<&'static str>,
    words: &'static Words,
}

fn page(
    status: StatusCode,
    w: &'static Words,
    title: &str,
    state: &str,
    data: Option<Data<'_>>,
    body: Markup,
) -> Response {
    let doc: Markup = html! {
        (DOCTYPE)
        html lang=(w.lang) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="robots" content="noindex";
                title { (title) }
                style { (PreEscaped(STYLE)) }
            }
            body data-state=(state)
                data-token=[data.as_ref().map(|d| d.token)]
                data-candidate-id=[data.as_ref().and_then(|d| d.candidate_id)]
                data-lang=[data.as_ref().and_then(|d| d.lang)]
                data-progress=[data.as_ref().map(|d| d.words.progress)]
                data-error=[data.as_ref().map(|d| d.words.error)]
                data-stop=[data.as_ref().map(|d| d.words.stop)]
                data-record=[data.as_ref().map(|d| d.words.record)]
                data-request-sent=[data.as_ref().map(|d| d.words.request_sent)]
                data-demo-sent=[data.as_ref().map(|d| d.words.demo_sent)] {
                main { (body) }
                @if data.is_some() { script { (PreEscaped(SCRIPT)) } }
            }
        }
    };
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
             connect-src 'self'; media-src 'self' blob:; form-action 'none'; base-uri 'none'; \
             frame-ancestors 'none'",
        ),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(
        "permissions-policy",
        HeaderValue::from_static("microphone=(self), camera=(), geolocation=()"),
    );
    resp
}

const STYLE: &str = r#"
:root { --fg:#1d2330; --muted:#5b6475; --line:#d9dde5; --accent:#2f5bd3; --tami:#eef2fb; --me:#e9f6ee; --bad:#b4372f; }
* { box-sizing: border-box; }
body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); margin: 0; background: #f6f7f9; }
main { max-width: 720px; margin: 0 auto; padding: 20px 16px 40px; background: #fff; min-height: 100vh; }
h1 { font-size: 22px; margin: 0 0 12px; }
.company { margin: 0; color: var(--muted); font-weight: 600; }
.muted { color: var(--muted); font-weight: normal; }
.error { color: var(--bad); min-height: 1.5em; margin: 6px 0; }
fieldset.notice { border: 1px solid var(--line); border-radius: 8px; padding: 8px 14px; margin: 0 0 16px; }
fieldset.notice legend { font-weight: 700; padding: 0 4px; }
fieldset.notice p { margin: 6px 0; font-size: 15px; }
label { display: block; font-weight: 600; margin: 12px 0 4px; }
label.check { display: flex; gap: 10px; align-items: flex-start; font-weight: normal; }
label.check input { width: 22px; height: 22px; margin-top: 2px; flex: none; }
input[type=text], input[type=email], textarea { width: 100%; font: inherit; padding: 10px 12px; border: 1px solid var(--line); border-radius: 8px; }
input[readonly] { background: #f1f3f6; color: var(--muted); }
textarea { resize: vertical; min-height: 96px; }
button { font: inherit; font-weight: 600; padding: 10px 18px; border-radius: 8px; border: 1px solid var(--accent); background: var(--accent); color: #fff; cursor: pointer; min-height: 44px; }
button[type=button] { background: #fff; color: var(--accent); }
button:disabled { opacity: .55; cursor: default; }
button.recording { background: var(--bad); border-color: var(--bad); color: #fff; }
:focus-visible { outline: 3px solid #f2b705; outline-offset: 2px; }
#start { margin-top: 14px; width: 100%; }
#progress-box { position: sticky; top: 0; background: #fff; padding: 6px 0 8px; border-bottom: 1px solid var(--line); display: flex; gap: 12px; align-items: center; }
#progress-box progress { flex: 1; height: 8px; }
#messages { list-style: none; padding: 0; margin: 16px 0; display: flex; flex-direction: column; gap: 10px; }
.msg { max-width: 88%; padding: 10px 14px; border-radius: 12px; white-space: pre-wrap; overflow-wrap: anywhere; }
.msg.tami { background: var(--tami); align-self: flex-start; border-bottom-left-radius: 4px; }
.msg.candidate { background: var(--me); align-self: flex-end; border-bottom-right-radius: 4px; }
.msg .who { display: block; font-size: 12px; color: var(--muted); font-weight: 700; }
.actions { display: flex; gap: 10px; justify-content: flex-end; margin-top: 10px; flex-wrap: wrap; }
#done-note { font-weight: 600; padding: 12px 14px; background: var(--me); border-radius: 8px; }
body[data-state=waiting] #send, body[data-state=waiting] #record { opacity: .55; }
#rights { margin-top: 28px; border-top: 1px solid var(--line); padding-top: 12px; }
#rights summary { font-weight: 700; cursor: pointer; min-height: 44px; display: flex; align-items: center; }
fieldset.plain { border: 0; padding: 0; margin: 8px 0; }
fieldset.plain legend { font-weight: 600; padding: 0; }
select { width: 100%; font: inherit; padding: 10px 12px; border: 1px solid var(--line); border-radius: 8px; background: #fff; }
#demographics-form { margin-top: 20px; }
@media (max-width: 480px) { main { padding: 14px 12px 32px; } .msg { max-width: 96%; } .actions button { flex: 1; } }
"#;

const SCRIPT: &str = r#"
(function () {
  "use strict";
  var body = document.body, $ = function (id) { return document.getElementById(id); };
  var link = body.dataset.token, storeKey = "talentd-session:" + link;
  var session = null, sent = 0;
  try { session = JSON.parse(localStorage.getItem(storeKey) || "null"); } catch (e) { session = null; }

  function setState(s) { body.dataset.state = s; }
  function show(id, on) { $(id).hidden = !on; }
  function save() { try { localStorage.setItem(storeKey, JSON.stringify(session)); } catch (e) {} }

  function call(method, path, payload, raw) {
    var headers = {};
    if (session) headers["Authorization"] = "Bearer " + session.token;
    var opts = { method: method, headers: headers };
    if (raw) { opts.body = raw; headers["Content-Type"] = raw.type || "application/octet-stream"; }
    else if (payload !== undefined) { opts.body = JSON.stringify(payload); headers["Content-Type"] = "application/json"; }
    return fetch(path, opts).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (j) {
        if (!r.ok) { var e = new Error((j.error && j.error.message) || ("HTTP " + r.status)); e.status = r.status; e.code = j.error && j.error.code; throw e; }
        return j;
      });
    });
  }

  function addMessage(role, text) {
    var li = document.createElement("li");
    li.className = "msg " + (role === "interviewer" ? "tami" : "candidate");
    var who = document.createElement("span");
    who.className = "who";
    who.textContent = role === "interviewer" ? "Tami" : (document.documentElement.lang === "ru" ? "Вы" : "You");
    li.appendChild(who);
    li.appendChild(document.createTextNode(text));
    $("messages").appendChild(li);
    li.scrollIntoView({ block: "nearest" });
  }

  function setProgress(p, done) {
    var n = Math.min(p.answered + (done ? 0 : 1), p.total);
    $("progress").textContent = body.dataset.progress.replace("{n}", n).replace("{total}", p.total);
    $("progress-bar").max = Math.max(p.total, 1);
    $("progress-bar").value = done ? p.total : p.answered;
  }

  function finish() {
    setState("done");
    $("answer-form").hidden = true;
    show("done-note", true);
    show("typing", false);
  }

  function openChat() {
    show("intro", false);
    show("chat", true);
    if (window.MediaRecorder && navigator.mediaDevices && navigator.mediaDevices.getUserMedia) show("record", true);
  }

  function resume() {
    call("GET", "/v1/public/sessions/" + session.id).then(function (s) {
      openChat();
      sent = 0;
      s.messages.forEach(function (m) { if (m.role === "candidate") sent++; addMessage(m.role, m.text); });
      setProgress(s.progress, s.done);
      if (s.done) finish(); else { setState("chat"); $("answer").focus(); }
    }).catch(function (e) {
      if (e.status === 401 || e.status === 404) { session = null; localStorage.removeItem(storeKey); rightsMode(); setState("consent"); }
      else { setState("error"); $("start-error").textContent = body.dataset.error; }
    });
  }

  $("start-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    var name = $("candidate-name").value.trim(), email = $("candidate-email").value.trim();
    if (!name) { $("start-error").textContent = $("candidate-name").labels[0].textContent + " ?"; $("candidate-name").focus(); return; }
    if (!$("consent").checked) { $("start-error").textContent = $("consent").parentNode.textContent.trim(); $("consent").focus(); return; }
    $("start").disabled = true;
    var payload = { candidate_name: name, consent: true };
    if (email) payload.candidate_email = email;
    if (body.dataset.candidateId) payload.candidate_id = body.dataset.candidateId;
    if (body.dataset.lang) payload.language = body.dataset.lang;
    call("POST", "/v1/public/links/" + link + "/sessions", payload).then(function (s) {
      session = { id: s.session_id, token: s.session_token };
      save();
      rightsMode();
      body.dataset.session = s.session_id;
      openChat();
      addMessage("interviewer", s.message.text);
      setProgress(s.progress, s.done);
      if (s.done) finish(); else { setState("chat"); $("answer").focus(); }
    }).catch(function (e) {
      $("start").disabled = false;
      $("start-error").textContent = e.message;
      if (e.status === 410) setState("closed");
    });
  });

  function send(text, attempt) {
    setState("waiting");
    show("typing", true);
    $("send").disabled = true;
    return call("POST", "/v1/public/sessions/" + session.id + "/messages", { text: text, turn: sent }).then(function (r) {
      sent++;
      addMessage("interviewer", r.message.text);
      $("answer").value = "";
      show("heard", false);
      $("chat-error").textContent = "";
      setProgress(r.progress, r.done);
      if (r.done) finish(); else { setState("chat"); $("answer").focus(); }
    }).catch(function (e) {
      // A dropped connection: the same turn again is answered once, never twice.
      if (!e.status && attempt < 3) return new Promise(function (ok) { setTimeout(ok, 1000 * (attempt + 1)); }).then(function () { return send(text, attempt + 1); });
      if (e.code === "turn_mismatch") { $("messages").textContent = ""; resume(); return; }
      setState("chat");
      $("chat-error").textContent = e.message;
    }).then(function () { $("send").disabled = false; show("typing", body.dataset.state === "waiting"); });
  }

  $("answer-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    var text = $("answer").value.trim();
    if (!text || body.dataset.state !== "chat") return;
    addMessage("candidate", text);
    send(text, 0);
  });
  $("answer").addEventListener("keydown", function (ev) {
    if (ev.key === "Enter" && (ev.ctrlKey || ev.metaKey)) { ev.preventDefault(); $("answer-form").requestSubmit(); }
  });

  function signal(payload) {
    if (!session || body.dataset.state === "done") return;
    call("POST", "/v1/public/sessions/" + session.id + "/signals", payload).catch(function () {});
  }
  $("answer").addEventListener("paste", function (ev) {
    var t = (ev.clipboardData && ev.clipboardData.getData("text")) || "";
    if (t.length) signal({ kind: "paste", chars: t.length });
  });
  var hiddenAt = null;
  document.addEventListener("visibilitychange", function () {
    if (document.hidden) hiddenAt = Date.now();
    else if (hiddenAt !== null) { signal({ kind: "tab_hidden", duration_ms: Date.now() - hiddenAt }); hiddenAt = null; }
  });

  var recorder = null, chunks = [];
  $("record").addEventListener("click", function () {
    var btn = $("record");
    if (recorder) { recorder.stop(); return; }
    navigator.mediaDevices.getUserMedia({ audio: true }).then(function (stream) {
      chunks = [];
      recorder = new MediaRecorder(stream);
      recorder.ondataavailable = function (e) { if (e.data.size) chunks.push(e.data); };
      recorder.onstop = function () {
        stream.getTracks().forEach(function (t) { t.stop(); });
        btn.classList.remove("recording");
        btn.textContent = body.dataset.record;
        var blob = new Blob(chunks, { type: recorder.mimeType || "audio/webm" });
        recorder = null;
        setState("waiting");
        call("POST", "/v1/public/sessions/" + session.id + "/audio", undefined, blob).then(function (r) {
          var box = $("answer");
          box.value = (box.value ? box.value + " " : "") + r.text;
          show("heard", true);
          box.focus();
        }).catch(function (e) { $("chat-error").textContent = e.message; })
          .then(function () { setState("chat"); });
      };
      recorder.start();
      btn.classList.add("recording");
      btn.textContent = body.dataset.stop;
    }).catch(function (e) { $("chat-error").textContent = e.message; });
  });

  // Without a session the company needs a name and an email to answer; with one, the
  // request is tied to the interview and the voluntary questions can be answered.
  function rightsMode() { show("request-contact", !session); show("demographics-form", !!session); }
  $("request-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    var kind = document.querySelector("input[name=kind]:checked").value;
    var payload = { kind: kind }, msg = $("request-message").value.trim(), path;
    if (msg) payload.message = msg;
    if (session) path = "/v1/public/sessions/" + session.id + "/requests";
    else {
      payload.name = $("request-name").value.trim();
      payload.email = $("request-email").value.trim();
      path = "/v1/public/links/" + link + "/requests";
    }
    $("request-send").disabled = true;
    call("POST", path, payload).then(function () {
      $("request-status").textContent = body.dataset.requestSent;
      $("request-message").value = "";
    }).catch(function (e) { $("request-status").textContent = e.message; })
      .then(function () { $("request-send").disabled = false; });
  });
  $("demographics-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    if (!session) return;
    var payload = { sex: $("demo-sex").value || null, race_ethnicity: $("demo-race").value || null };
    $("demo-send").disabled = true;
    call("PUT", "/v1/public/sessions/" + session.id + "/demographics", payload).then(function () {
      $("demo-status").textContent = body.dataset.demoSent;
    }).catch(function (e) { $("demo-status").textContent = e.message; })
      .then(function () { $("demo-send").disabled = false; });
  });
  rightsMode();

  if (session && session.id) { body.dataset.session = session.id; resume(); }
})();
"#;
