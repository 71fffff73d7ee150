//! Live interviews with Tami through a project's link: the candidate page (`/i/{token}`)
//! and the public JSON API it uses, which any other front end may use as well. These
//! routes take no API key: a session is reached with the token its start returned.

pub mod limits;
pub mod page;
pub mod phrasing;
pub mod rights;
pub mod service;
pub mod speech;

use crate::AppState;
use crate::error::ApiError;
use crate::extract::{Json, PathId};
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use serde::{Deserialize, Serialize};
use talentd_core::id::valid_external_id;
use talentd_core::timefmt::format_millis;
use talentd_interviewer::{Lang, LiveState, Message, Progress, Signal, SignalKind};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_link))
        .routes(routes!(start_session))
        .routes(routes!(get_session))
        .routes(routes!(send_message))
        .routes(routes!(send_signal))
        .routes(routes!(transcribe_answer))
        .merge(rights::router())
}

/// The session token from `Authorization: Bearer ...`.
fn session_token(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then_some(token.trim())
}

/// What an interview link leads to.
#[derive(Serialize, Deserialize, utoipa::ToSchema)]
pub struct LinkOut {
    pub success: bool,
    /// The role interviewed for.
    pub project_name: String,
    pub company_name: Option<String>,
}

/// Details of an open interview link (what a candidate page shows before consent).
#[utoipa::path(get, path = "/v1/public/links/{token}", tag = "live",
    security(()),
    params(("token" = String, Path, description = "The token of the project's `interview_url`")),
    responses(
        (status = 200, body = LinkOut),
        (status = 404, description = "No such link", body = crate::error::ErrorBody),
        (status = 410, description = "The project is completed, expired or full", body = crate::error::ErrorBody),
        (status = 429, description = "Too many views of this link", body = crate::error::ErrorBody),
    ))]
pub async fn get_link(
    State(state): State<AppState>,
    PathId(token): PathId,
) -> Result<axum::Json<LinkOut>, ApiError> {
    let p = service::project_of_link(&state, &token).await?;
    limits::check(
        &state,
        format!("link-view:{}", p.id),
        &limits::VIEWS_PER_LINK,
    )
    .await?;
    if let Some(c) = service::closed(&state, &p).await? {
        return Err(c.error());
    }
    Ok(axum::Json(LinkOut {
        success: true,
        project_name: p.name,
        company_name: p.company_name,
    }))
}

/// A candidate starting an interview.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"candidate_name": "Alex Kim", "candidate_email": "alex@example.com", "consent": true}))]
pub struct SessionIn {
    /// How Tami addresses the candidate (1–100 characters).
    pub candidate_name: String,
    pub candidate_email: Option<String>,
    /// The ATS's candidate id, passed in the link as `?candidate_id=`; a new candidate
    /// is created when absent.
    pub candidate_id: Option<String>,
    /// Must be `true`: the candidate agrees to an interview conducted and analysed by
    /// an AI, as the page explains.
    pub consent: bool,
    /// `en` or `ru`; otherwise the candidate's first answer decides.
    pub language: Option<String>,
}

/// Something Tami says.
#[derive(Serialize, Deserialize, utoipa::ToSchema)]
pub struct MessageOut {
    /// `greeting`, `question`, `follow_up`, `redirect` (back to the question after an
    /// off-topic message) or `closing`.
    pub kind: String,
    pub text: String,
}

impl From<&Message> for MessageOut {
    fn from(m: &Message) -> Self {
        Self {
            kind: m.kind.as_str().to_owned(),
            text: m.text.clone(),
        }
    }
}

/// How far the interview is.
#[derive(Serialize, Deserialize, utoipa::ToSchema)]
pub struct ProgressOut {
    /// Questions answered.
    pub answered: usize,
    /// Questions planned.
    pub total: usize,
}

impl From<Progress> for ProgressOut {
    fn from(p: Progress) -> Self {
        Self {
            answered: p.answered,
            total: p.total,
        }
    }
}

/// A started session. Keep `session_token`: it is shown only here.
#[derive(Serialize, Deserialize, utoipa::ToSchema)]
pub struct SessionStartOut {
    pub success: bool,
    /// `ses_...`
    pub session_id: String,
    /// Send as `Authorization: Bearer <session_token>` on the session's requests.
    pub session_token: String,
    /// The greeting with the first question.
    pub message: MessageOut,
    pub progress: ProgressOut,
    pub done: bool,
}

fn check_text(param: &str, v: &str, max: usize) -> Result<String, ApiError> {
    let v = v.trim();
    if v.is_empty() {
        return Err(ApiError::invalid(param, format!("{param} is required")));
    }
    if v.chars().count() > max || v.chars().any(char::is_control) {
        return Err(ApiError::invalid(
            param,
            format!("{param} must be at most {max} characters on one line"),
        ));
    }
    Ok(v.to_owned())
}

impl SessionIn {
    fn check(self) -> Result<service::Start, ApiError> {
        if !self.consent {
            return Err(ApiError::invalid(
                "consent",
                "the candidate must agree to an AI-conducted interview (consent: true)",
            ));
        }
        let candidate_name = check_text("candidate_name", &self.candidate_name, 100)?;
        let candidate_email = match self.candidate_email.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(e) => {
                let e = check_text("candidate_email", e, 254)?;
                let ok = e
                    .split_once('@')
                    .is_some_and(|(l, d)| !l.is_empty() && d.contains('.') && !e.contains(' '));
                if !ok {
                    return Err(ApiError::invalid(
                        "candidate_email",
                        "candidate_email must be an email address",
                    ));
                }
                Some(e)
            }
        };
        let candidate_id = match self.candidate_id.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(id) if valid_external_id(id) => Some(id.to_owned()),
            Some(_) => {
                return Err(ApiError::invalid(
                    "candidate_id",
                    "candidate_id must be 1-128 letters, digits, '-', '_', '.' or ':'",
                ));
            }
        };
        let language = match self.language.as_deref().map(str::trim) {
            None | Some("") => None,
            Some("en") => Some(Lang::En),
            Some("ru") => Some(Lang::Ru),
            Some(_) => return Err(ApiError::invalid("language", "language must be en or ru")),
        };
        Ok(service::Start {
            candidate_name,
            candidate_email,
            candidate_id,
            language,
        })
    }
}

/// Start an interview with Tami on a project's link.
///
/// Needs the candidate's consent. Answers with the session's id and token (shown once)
/// and Tami's greeting with the first question; emits `interview.started`.
#[utoipa::path(post, path = "/v1/public/links/{token}/sessions", tag = "live",
    security(()),
    params(("token" = String, Path, description = "The token of the project's `interview_url`")),
    request_body = SessionIn,
    responses(
        (status = 201, body = SessionStartOut),
        (status = 400, description = "No consent, or an invalid field", body = crate::error::ErrorBody),
        (status = 404, description = "No such link", body = crate::error::ErrorBody),
        (status = 410, description = "The project is completed, expired or full", body = crate::error::ErrorBody),
        (status = 429, description = "Too many sessions started on this link", body = crate::error::ErrorBody),
    ))]
pub async fn start_session(
    State(state): State<AppState>,
    PathId(token): PathId,
    Json(input): Json<SessionIn>,
) -> Result<(StatusCode, axum::Json<SessionStartOut>), ApiError> {
    let p = service::project_of_link(&state, &token).await?;
    let start = input.check()?;
    limits::check(
        &state,
        format!("link-start:{}", p.id),
        &limits::STARTS_PER_LINK,
    )
    .await?;
    let s = service::start(&state, &p, start).await?;
    Ok((
        StatusCode::CREATED,
        axum::Json(SessionStartOut {
            success: true,
            session_id: s.interview.id.session_id(),
            session_token: s.token,
            message: MessageOut::from(&s.greeting),
            progress: s.live.dialogue.progress().into(),
            done: s.live.dialogue.is_done(),
        }),
    ))
}

/// One message of the conversation.
#[derive(Serialize, Deserialize, utoipa::ToSchema)]
pub struct TurnOut {
    /// `interviewer` or `candidate`.
    pub role: String,
    /// Tami's message kind, or for the candidate `answer` or why it was redirected
    /// (`off_topic`, `asks_for_score`, `injection`, ...).
    pub kind: String,
    pub text: String,
    /// RFC 3339.
    pub at: String,
}

/// Turns as the API shows them.
pub fn turns_of(live: &LiveState) -> Vec<TurnOut> {
    live.dialogue
        .transcript()
        .iter()
        .map(|t| TurnOut {
            role: match t.role {
                talentd_interviewer::Role::Interviewer => "interviewer",
                talentd_interviewer::Role::Candidate => "candidate",
            }
            .to_owned(),
            kind: t.kind.clone(),
            text: t.text.clone(),
            at: format_millis(t.at_ms),
        })
        .collect()
}

/// A session as its candidate sees it.
#[derive(Serialize, Deserialize, utoipa::ToSchema)]
pub struct SessionStateOut {
    pub success: bool,
    pub session_id: String,
    /// `in_progress`, then `processing`, `completed`, `failed` or `abandoned`.
    pub status: String,
    pub done: bool,
    pub progress: ProgressOut,
    /// `en` or `ru`.
    pub language: String,
    pub project_name: String,
    pub company_name: Option<String>,
    pub candidate_name: String,
    /// Every message so far, in order.
    pub messages: Vec<TurnOut>,
}

/// Resume a session: every message so far and where it stands.
#[utoipa::path(get, path = "/v1/public/sessions/{id}", tag = "live",
    security(("session_token" = [])),
    params(("id" = String, Path, description = "Session id (`ses_...`)")),
    responses(
        (status = 200, body = SessionStateOut),
        (status = 401, description = "Missing or wrong session token", body = crate::error::ErrorBody),
        (status = 404, description = "No such session", body = crate::error::ErrorBody),
        (status = 429, description = "Too many reads", body = crate::error::ErrorBody),
    ))]
pub async fn get_session(
    State(state): State<AppState>,
    PathId(id): PathId,
    headers: HeaderMap,
) -> Result<axum::Json<SessionStateOut>, ApiError> {
    let loaded = service::load(&state, &id, session_token(&headers)).await?;
    let i = &loaded.row.interview;
    limits::check(
        &state,
        format!("session-read:{}", i.id),
        &limits::READS_PER_SESSION,
    )
    .await?;
    let d = &loaded.live.dialogue;
    Ok(axum::Json(SessionStateOut {
        success: true,
        session_id: i.id.session_id(),
        status: i.status.as_str().to_owned(),
        done: d.is_done() || i.status != talentd_core::interview::InterviewStatus::InProgress,
        progress: d.progress().into(),
        language: d.language().as_str().to_owned(),
        project_name: d.plan().project_name.clone(),
        company_name: d.plan().company_name.clone(),
        candidate_name: d.candidate_name().to_owned(),
        messages: turns_of(&loaded.live),
    }))
}

/// A candidate's message.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"text": "Last year I led the migration of our billing system...", "turn": 0}))]
pub struct MessageIn {
    /// The answer (at most 4000 characters).
    pub text: String,
    /// How many messages the candidate had sent before this one. With it a retried
    /// request (after a dropped connection) gets the same reply instead of counting
    /// twice, and a stale one is a 409.
    pub turn: Option<usize>,
}

/// Tami's reply.
#[derive(Serialize, Deserialize, utoipa::ToSchema)]
pub struct ReplyOut {
    pub success: bool,
    pub message: MessageOut,
    /// True with the closing message; the session is then analysed.
    pub done: bool,
    pub progress: ProgressOut,
    /// True when this repeats the reply to an earlier identical request.
    pub replayed: bool,
}

/// Send the candidate's answer; get Tami's next message.
#[utoipa::path(post, path = "/v1/public/sessions/{id}/messages", tag = "live",
    security(("session_token" = [])),
    params(("id" = String, Path, description = "Session id (`ses_...`)")),
    request_body = MessageIn,
    responses(
        (status = 200, body = ReplyOut),
        (status = 400, description = "Empty or too long", body = crate::error::ErrorBody),
        (status = 401, description = "Missing or wrong session token", body = crate::error::ErrorBody),
        (status = 404, description = "No such session", body = crate::error::ErrorBody),
        (status = 409, description = "The session is finished, or `turn` is stale", body = crate::error::ErrorBody),
        (status = 429, description = "Too many messages", body = crate::error::ErrorBody),
    ))]
pub async fn send_message(
    State(state): State<AppState>,
    PathId(id): PathId,
    headers: HeaderMap,
    input: Result<Json<MessageIn>, ApiError>,
) -> Result<axum::Json<ReplyOut>, ApiError> {
    let token = session_token(&headers);
    // Authenticate before counting, so that strangers cannot spend a session's quota,
    // and before reading the body: without the token the answer is a 401 whatever it is.
    let loaded = service::load(&state, &id, token).await?;
    let Json(input) = input?;
    limits::check(
        &state,
        format!("session-msg:{}", loaded.row.interview.id),
        &limits::MESSAGES_PER_SESSION,
    )
    .await?;
    let a = service::answer(&state, &id, token, &input.text, input.turn).await?;
    Ok(axum::Json(ReplyOut {
        success: true,
        message: MessageOut::from(&a.reply.message),
        done: a.reply.done,
        progress: a.reply.progress.into(),
        replayed: a.replayed,
    }))
}

/// Something the candidate page noticed, for a reviewer.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SignalIn {
    /// `tab_hidden` (the page was left and came back) or `paste`.
    #[schema(value_type = String)]
    pub kind: SignalKind,
    /// For `paste`: characters pasted.
    pub chars: Option<u32>,
    /// For `tab_hidden`: how long the page was hidden, in milliseconds.
    pub duration_ms: Option<u64>,
}

/// Whether a signal was kept.
#[derive(Serialize, Deserialize, utoipa::ToSchema)]
pub struct SignalOut {
    pub success: bool,
    /// False once the session holds its maximum of signals.
    pub recorded: bool,
}

/// Report an integrity signal (tab switch, paste).
///
/// Signals become flags with times on the session for a reviewer; they never change a
/// score.
#[utoipa::path(post, path = "/v1/public/sessions/{id}/signals", tag = "live",
    security(("session_token" = [])),
    params(("id" = String, Path, description = "Session id (`ses_...`)")),
    request_body = SignalIn,
    responses(
        (status = 202, body = SignalOut),
        (status = 401, description = "Missing or wrong session token", body = crate::error::ErrorBody),
        (status = 404, description = "No such session", body = crate::error::ErrorBody),
        (status = 409, description = "The session is finished", body = crate::error::ErrorBody),
        (status = 429, description = "Too many signals", body = crate::error::ErrorBody),
    ))]
pub async fn send_signal(
    State(state): State<AppState>,
    PathId(id): PathId,
    headers: HeaderMap,
    input: Result<Json<SignalIn>, ApiError>,
) -> Result<(StatusCode, axum::Json<SignalOut>), ApiError> {
    let token = session_token(&headers);
    let loaded = service::load(&state, &id, token).await?;
    let Json(input) = input?;
    limits::check(
        &state,
        format!("session-signal:{}", loaded.row.interview.id),
        &limits::SIGNALS_PER_SESSION,
    )
    .await?;
    let signal = Signal {
        kind: input.kind,
        at_ms: 0,
        chars: input.chars,
        duration_ms: input.duration_ms,
    };
    let recorded = service::signal(&state, &id, token, signal).await?;
    Ok((
        StatusCode::ACCEPTED,
        axum::Json(SignalOut {
            success: true,
            recorded,
        }),
    ))
}

/// A voice answer's recording: the request body as it is, bytes.
#[derive(utoipa::ToSchema)]
#[schema(value_type = String, format = Binary)]
pub struct Recording(pub Vec<u8>);

/// The text of a voice answer.
#[derive(Serialize, Deserialize, utoipa::ToSchema)]
pub struct TranscribedOut {
    pub success: bool,
    /// What was heard, for the candidate to check and send as a message.
    pub text: String,
    /// `en` or `ru`.
    pub language: String,
    pub duration_seconds: f64,
}

/// Transcribe a voice answer.
///
/// The body is the recording itself (`audio/webm`, `audio/ogg`, `audio/mp4`,
/// `audio/mpeg` or `audio/wav`; at most 16 MiB and 5 minutes). The text comes back for
/// the candidate to confirm or edit, then send as a message: nothing is added to the
/// interview until then, and the recording is not kept.
#[utoipa::path(post, path = "/v1/public/sessions/{id}/audio", tag = "live",
    security(("session_token" = [])),
    params(("id" = String, Path, description = "Session id (`ses_...`)")),
    request_body(content(
        (Recording = "audio/webm"),
        (Recording = "audio/ogg"),
        (Recording = "audio/mp4"),
        (Recording = "audio/mpeg"),
        (Recording = "audio/wav"),
    )),
    responses(
        (status = 200, body = TranscribedOut),
        (status = 400, description = "Not audio, too long, or no speech heard", body = crate::error::ErrorBody),
        (status = 401, description = "Missing or wrong session token", body = crate::error::ErrorBody),
        (status = 404, description = "No such session", body = crate::error::ErrorBody),
        (status = 413, description = "Larger than 16 MiB", body = crate::error::ErrorBody),
        (status = 429, description = "Too many voice answers", body = crate::error::ErrorBody),
        (status = 503, description = "Speech-to-text is not available here or busy", body = crate::error::ErrorBody),
    ))]
pub async fn transcribe_answer(
    State(state): State<AppState>,
    PathId(id): PathId,
    headers: HeaderMap,
    body: Body,
) -> Result<axum::Json<TranscribedOut>, ApiError> {
    let loaded = service::load(&state, &id, session_token(&headers)).await?;
    if loaded.row.interview.status != talentd_core::interview::InterviewStatus::InProgress {
        return Err(service::session_error(
            talentd_interviewer::SessionError::Finished,
        ));
    }
    limits::check(
        &state,
        format!("session-audio:{}", loaded.row.interview.id),
        &limits::AUDIO_PER_SESSION,
    )
    .await?;
    let bytes = speech::read_body(body).await?;
    let lang = loaded.live.dialogue.language();
    let heard = speech::transcribe(&state, bytes, lang).await?;
    Ok(axum::Json(TranscribedOut {
        success: true,
        text: heard.text,
        language: heard.language,
        duration_seconds: heard.duration_secs,
    }))
}
