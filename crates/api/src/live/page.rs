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
        "You may ask the company for an interview with a person instead, or for your data to be deleted, at any time, by replying to the invitation you received.",
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
        "Вы можете в любой момент попросить компанию провести интервью с человеком или удалить ваши данные, ответив на полученное приглашение.",
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
    };
    let data = Data {
        token: &token,
        candidate_id: candidate_id.as_deref(),
        lang: q.lang.as_deref().and_then(Lang::parse).map(Lang::as_str),
        words: w,
    };
    page(StatusCode::OK, w, &heading, "consent", Some(data), body)
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
                data-record=[data.as_ref().map(|d| d.words.record)] {
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
      if (e.status === 401 || e.status === 404) { session = null; localStorage.removeItem(storeKey); setState("consent"); }
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

  if (session && session.id) { body.dataset.session = session.id; resume(); }
})();
"#;
