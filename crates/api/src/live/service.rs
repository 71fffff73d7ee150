//! A live interview's steps over the store: open a link, start a session, take an
//! answer, record a signal, end a session. The dialogue itself is the interviewer
//! crate's pure policy; this module loads it, calls it and saves it.

use crate::AppState;
use crate::error::ApiError;
use axum::http::StatusCode;
use serde_json::json;
use talentd_core::event::{Event, EventType};
use talentd_core::id::random_token;
use talentd_core::interview::{InterviewSource, InterviewStatus};
use talentd_core::project::{ProjectStatus, effective_status};
use talentd_core::timefmt::{format_millis, to_millis};
use talentd_core::{InterviewId, apikey};
use talentd_interviewer::session::{MAX_CANDIDATE_TURNS, SessionError};
use talentd_interviewer::{
    Interview, Lang, LiveState, Message, MessageKind, Plan, PlanInput, Reply, Role, Signal,
};
use talentd_store::{
    CandidateRow, InterviewRow, NewSession, ProjectRow, SessionEnd, SessionRow, SessionStart,
};

/// Prefix of a candidate's session token.
pub const SESSION_TOKEN_PREFIX: &str = "sst_";
/// How many times a step reloads the session when another request saved it first.
const SAVE_ATTEMPTS: usize = 3;

/// Why a link cannot take new sessions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Closed {
    Completed,
    Expired,
    Full,
}

impl Closed {
    pub fn message(self) -> &'static str {
        match self {
            Closed::Completed => "this interview is closed",
            Closed::Expired => "this interview link has expired",
            Closed::Full => "this interview has reached its number of sessions",
        }
    }

    pub fn error(self) -> ApiError {
        ApiError::new(StatusCode::GONE, "interview_closed", self.message())
    }
}

/// The project behind a link, or 404.
pub async fn project_of_link(state: &AppState, token: &str) -> Result<ProjectRow, ApiError> {
    // Tokens are 32 alphanumerics; anything else is not worth a query.
    if token.is_empty() || token.len() > 64 || !token.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(ApiError::not_found("interview link"));
    }
    state
        .store
        .get_project_by_link(token)
        .await?
        .ok_or_else(|| ApiError::not_found("interview link"))
}

/// Whether the project still takes sessions.
pub async fn closed(state: &AppState, p: &ProjectRow) -> Result<Option<Closed>, ApiError> {
    let now = to_millis(state.clock.now());
    match effective_status(p.status, p.expires_at, now) {
        ProjectStatus::Completed => return Ok(Some(Closed::Completed)),
        ProjectStatus::Expired => return Ok(Some(Closed::Expired)),
        ProjectStatus::Active => {}
    }
    if let Some(max) = p.max_sessions
        && state.store.count_project_sessions(&p.id).await? >= max
    {
        return Ok(Some(Closed::Full));
    }
    Ok(None)
}

/// What a candidate gives to start.
pub struct Start {
    pub candidate_name: String,
    pub candidate_email: Option<String>,
    pub candidate_id: Option<String>,
    pub language: Option<Lang>,
}

/// A started session: its id, the token shown once, and the greeting.
pub struct Started {
    pub interview: InterviewRow,
    pub token: String,
    pub live: LiveState,
    pub greeting: Message,
}

/// The question plan of a project.
async fn plan_of(
    state: &AppState,
    p: &ProjectRow,
    language: Option<Lang>,
) -> Result<Plan, ApiError> {
    let template = match &p.template_id {
        Some(t) => match talentd_core::TemplateId::parse(t) {
            Some(id) => state
                .store
                .get_template(&p.org_id, &id)
                .await?
                .map(|t| t.questions)
                .unwrap_or_default(),
            None => Vec::new(),
        },
        None => Vec::new(),
    };
    Ok(Plan::build(&PlanInput {
        project_name: p.name.clone(),
        company_name: p.company_name.clone(),
        instructions: p.instructions.clone(),
        template,
        weights: p.competency_weights.clone(),
        language,
        ..PlanInput::default()
    }))
}

/// A seed for the wording, fixed per session so a resumed session reads the same.
fn seed_of(id: &InterviewId) -> u64 {
    id.as_str().bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Starts a session on an open project: the candidate, the interview, the greeting,
/// and `interview.started`, in one transaction.
pub async fn start(state: &AppState, p: &ProjectRow, s: Start) -> Result<Started, ApiError> {
    if let Some(c) = closed(state, p).await? {
        return Err(c.error());
    }
    let now = to_millis(state.clock.now());
    let id = InterviewId::generate();
    let plan = plan_of(state, p, s.language).await?;
    let (dialogue, greeting) = Interview::start(plan, &s.candidate_name, seed_of(&id), now);
    let live = LiveState {
        dialogue,
        signals: Vec::new(),
        started_ms: now,
    };
    // The link's candidate id when the ATS passed one; otherwise a fresh candidate, never
    // one found by an email nobody verified.
    let candidate_id = s
        .candidate_id
        .unwrap_or_else(|| format!("cand_{}", random_token(16).to_ascii_lowercase()));
    let token = format!("{SESSION_TOKEN_PREFIX}{}", random_token(40));
    let interview = InterviewRow {
        id: id.clone(),
        org_id: p.org_id.clone(),
        candidate_id: candidate_id.clone(),
        vacancy_id: p.id.to_string(),
        project_id: Some(p.id.clone()),
        source: InterviewSource::Live,
        status: InterviewStatus::InProgress,
        media_url: None,
        transcript: None,
        analysis: None,
        match_score: None,
        error_code: None,
        error_message: None,
        report_token: random_token(32),
        created_at: now,
        updated_at: now,
        completed_at: None,
        stage: None,
        progress: 0.0,
        media: None,
        speech: None,
    };
    let started = Event::new(
        p.org_id.clone(),
        EventType::InterviewStarted,
        json!({
            "id": id,
            "session_id": id.session_id(),
            "project_id": p.id,
            "candidate_id": candidate_id,
            "started_at": format_millis(now),
        }),
        now,
    );
    let new = NewSession {
        candidate: CandidateRow {
            org_id: p.org_id.clone(),
            id: candidate_id,
            name: Some(s.candidate_name),
            email: s.candidate_email,
            position: Some(p.name.clone()),
            created_at: now,
            updated_at: now,
        },
        state: state_json(&live)?,
        token_hash: apikey::hash(&token),
        max_sessions: p.max_sessions,
        events: vec![started],
        interview,
    };
    match state.store.create_session(&new).await? {
        SessionStart::Started => {}
        SessionStart::Full => return Err(Closed::Full.error()),
    }
    if let Some(wake) = &state.wake_deliveries {
        wake.notify_one();
    }
    Ok(Started {
        interview: new.interview,
        token,
        live,
        greeting,
    })
}

fn state_json(live: &LiveState) -> Result<serde_json::Value, ApiError> {
    serde_json::to_value(live).map_err(|e| ApiError::internal(&e))
}

/// A session loaded for its candidate.
pub struct Loaded {
    pub row: SessionRow,
    pub live: LiveState,
}

/// Loads a session and checks the candidate's token: 404 for an unknown session, 401
/// for a wrong token.
pub async fn load(state: &AppState, id: &str, token: Option<&str>) -> Result<Loaded, ApiError> {
    let id = InterviewId::from_session_id(id).ok_or_else(|| ApiError::not_found("session"))?;
    let token = token.ok_or_else(|| {
        ApiError::unauthorized("missing session token: send Authorization: Bearer <session_token>")
    })?;
    // An unknown session and someone else's answer alike, so that a token holder cannot
    // probe which session ids exist.
    let invalid = || ApiError::unauthorized("invalid session token");
    let row = state.store.get_session(&id).await?.ok_or_else(invalid)?;
    if !token.starts_with(SESSION_TOKEN_PREFIX) || apikey::hash(token) != row.token_hash {
        return Err(invalid());
    }
    let live: LiveState =
        serde_json::from_value(row.state.clone()).map_err(|e| ApiError::internal(&e))?;
    Ok(Loaded { row, live })
}

/// Tami's answer to a candidate message.
pub struct Answered {
    pub reply: Reply,
    /// True when the same message was already taken and this is its stored reply.
    pub replayed: bool,
}

/// The last message Tami sent, as a reply.
fn last_reply(d: &Interview) -> Option<Reply> {
    let t = d
        .transcript()
        .iter()
        .rev()
        .find(|t| t.role == Role::Interviewer)?;
    let kind = match t.kind.as_str() {
        "greeting" => MessageKind::Greeting,
        "question" => MessageKind::Question,
        "follow_up" => MessageKind::FollowUp,
        "redirect" => MessageKind::Redirect,
        _ => MessageKind::Closing,
    };
    Some(Reply {
        message: Message {
            kind,
            text: t.text.clone(),
        },
        done: d.is_done(),
        progress: d.progress(),
        probe: None,
    })
}

fn candidate_turns(d: &Interview) -> usize {
    d.transcript()
        .iter()
        .filter(|t| t.role == Role::Candidate)
        .count()
}

/// The API's answer to a message the dialogue refuses.
pub fn session_error(e: SessionError) -> ApiError {
    match e {
        SessionError::Finished => ApiError::new(
            StatusCode::CONFLICT,
            "session_finished",
            "the interview is already finished",
        ),
        SessionError::EmptyAnswer => ApiError::invalid("text", "the answer is empty"),
        SessionError::TooLong { max } => ApiError::invalid(
            "text",
            format!("the answer is longer than {max} characters"),
        ),
        SessionError::TooManyTurns { max } => ApiError::new(
            StatusCode::CONFLICT,
            "session_finished",
            format!("the interview has reached its limit of {max} messages"),
        ),
    }
}

/// Takes a candidate message. `turn`, when given, is how many messages the candidate
/// had sent before this one: a repeat of the last message with the same `turn` gets
/// the stored reply again instead of a second answer, and a stale `turn` is a 409.
pub async fn answer(
    state: &AppState,
    id: &str,
    token: Option<&str>,
    text: &str,
    turn: Option<usize>,
) -> Result<Answered, ApiError> {
    for _ in 0..SAVE_ATTEMPTS {
        let Loaded { row, mut live } = load(state, id, token).await?;
        let sent = candidate_turns(&live.dialogue);
        if let Some(turn) = turn
            && turn != sent
        {
            let last_text = live
                .dialogue
                .transcript()
                .iter()
                .rev()
                .find(|t| t.role == Role::Candidate)
                .map(|t| t.text.as_str());
            if turn + 1 == sent
                && last_text == Some(text.trim())
                && let Some(reply) = last_reply(&live.dialogue)
            {
                return Ok(Answered {
                    reply,
                    replayed: true,
                });
            }
            return Err(ApiError::new(
                StatusCode::CONFLICT,
                "turn_mismatch",
                format!(
                    "the session has {sent} messages from the candidate, not {turn}; reload it"
                ),
            )
            .param("turn"));
        }
        if row.interview.status != InterviewStatus::InProgress || live.dialogue.is_done() {
            return Err(session_error(SessionError::Finished));
        }
        let now = to_millis(state.clock.now());
        let mut reply = match live.dialogue.answer(text, now) {
            Ok(r) => r,
            Err(SessionError::TooManyTurns { .. }) if sent >= MAX_CANDIDATE_TURNS => {
                // The turn budget is spent: close politely rather than refuse forever.
                let message = live.dialogue.finish(now).map_err(session_error)?;
                Reply {
                    message,
                    done: true,
                    progress: live.dialogue.progress(),
                    probe: None,
                }
            }
            Err(e) => return Err(session_error(e)),
        };
        crate::live::phrasing::rephrase(state, &mut live, &mut reply).await;
        let saved = if reply.done {
            end(state, &row, &live, now).await?
        } else {
            state
                .store
                .save_session(&row.interview.id, &state_json(&live)?, row.version, now)
                .await?
        };
        if saved {
            return Ok(Answered {
                reply,
                replayed: false,
            });
        }
    }
    Err(ApiError::new(
        StatusCode::CONFLICT,
        "session_busy",
        "the session changed while this message was taken; reload it",
    ))
}

/// Ends a session: analysed when it finished or has evidence, otherwise closed
/// `abandoned`. False when another request saved the session first.
pub async fn end(
    state: &AppState,
    row: &SessionRow,
    live: &LiveState,
    now: i64,
) -> Result<bool, ApiError> {
    let how = talentd_jobs::sessions::end_of(row, live, now);
    let done = state
        .store
        .finish_session(
            &row.interview.id,
            &state_json(live)?,
            row.version,
            &how,
            now,
        )
        .await?;
    if done {
        let wake = match how {
            SessionEnd::Analyse { .. } => &state.wake_workers,
            SessionEnd::Abandon { .. } => &state.wake_deliveries,
        };
        if let Some(w) = wake {
            w.notify_one();
        }
    }
    Ok(done)
}

/// Records an integrity signal; false when the session already holds its maximum.
pub async fn signal(
    state: &AppState,
    id: &str,
    token: Option<&str>,
    mut signal: Signal,
) -> Result<bool, ApiError> {
    for _ in 0..SAVE_ATTEMPTS {
        let Loaded { row, mut live } = load(state, id, token).await?;
        if row.interview.status != InterviewStatus::InProgress {
            return Err(session_error(SessionError::Finished));
        }
        let now = to_millis(state.clock.now());
        signal.at_ms = now;
        if !live.record_signal(signal.clone()) {
            return Ok(false);
        }
        if state
            .store
            .save_session(&row.interview.id, &state_json(&live)?, row.version, now)
            .await?
        {
            return Ok(true);
        }
    }
    Err(ApiError::new(
        StatusCode::CONFLICT,
        "session_busy",
        "the session changed while the signal was recorded; retry",
    ))
}
