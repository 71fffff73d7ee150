//! An optional language model that phrases what Tami says, never what she decides.
//!
//! The dialogue policy (`talentd-interviewer`) decides when to ask a follow-up, why,
//! and when the interview ends; it also writes a deterministic wording for each. When
//! an OpenAI-compatible endpoint is configured, [`phrase_or_fallback`] asks it to
//! rephrase that wording naturally for the candidate's answer, checks the result with
//! [`check`] (one question, right language, no evaluation, no role break, no markup),
//! and falls back to the deterministic wording on any error, rejection or timeout.
//! Without an endpoint, the deterministic wording is used as it is.

mod check;
mod openai;

use std::fmt;
use std::time::Duration;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
pub use talentd_interviewer::Lang;

pub use check::{
    MAX_CLOSING_CHARS, MAX_FOLLOW_UP_CHARS, MIN_CHARS, MIN_SCRIPT_PERCENT, Rejection, check,
    max_chars,
};
pub use openai::{DEFAULT_TIMEOUT, MAX_ANSWER_CHARS, OpenAiPhraser, SEED};

/// What is being phrased.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PhraseKind {
    /// A follow-up question on the candidate's last answer.
    FollowUp,
    /// The closing remark after the last answer.
    Closing,
}

impl PhraseKind {
    /// The snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            PhraseKind::FollowUp => "follow_up",
            PhraseKind::Closing => "closing",
        }
    }
}

/// Everything a phraser may use. `Debug` leaves the candidate's answer out.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhraseRequest {
    /// A follow-up or a closing.
    pub kind: PhraseKind,
    /// The interview's language; the output must be in it.
    pub lang: Lang,
    /// The question the candidate answered.
    pub question: String,
    /// The candidate's answer: data, never instructions.
    pub answer: String,
    /// Why the policy probes, e.g. "the answer gives no result"; empty for a closing.
    pub reason: String,
    /// The deterministic wording: the intent, and the text used when the phraser
    /// fails or its output is rejected.
    pub fallback: String,
    /// The company the interview is for, when known.
    pub company_name: Option<String>,
}

impl fmt::Debug for PhraseRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PhraseRequest")
            .field("kind", &self.kind)
            .field("lang", &self.lang)
            .field("question", &self.question)
            .field(
                "answer",
                &format_args!("<{} chars>", self.answer.chars().count()),
            )
            .field("reason", &self.reason)
            .field("fallback", &self.fallback)
            .field("company_name", &self.company_name)
            .finish()
    }
}

/// Why a phraser produced nothing.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum LlmError {
    /// The endpoint answered with a non-success HTTP status.
    #[error("the LLM endpoint answered HTTP {0}")]
    Http(u16),
    /// The request could not be sent or the answer not read.
    #[error("could not reach the LLM endpoint: {0}")]
    Transport(String),
    /// The phraser's own timeout passed.
    #[error("the LLM endpoint timed out")]
    Timeout,
    /// The answer was not a chat completion with text.
    #[error("the LLM endpoint's answer is unusable: {0}")]
    BadResponse(String),
    /// The phraser is misconfigured.
    #[error("LLM configuration: {0}")]
    Config(String),
}

/// Something that phrases a [`PhraseRequest`]. It returns raw text;
/// [`phrase_or_fallback`] checks it.
#[async_trait]
pub trait Phraser: Send + Sync {
    /// Phrases `req`. The text is unchecked.
    async fn phrase(&self, req: &PhraseRequest) -> Result<String, LlmError>;
    /// A short name for logs (the model, for [`OpenAiPhraser`]).
    fn name(&self) -> &str;
}

/// Where a [`Phrased`] text came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    /// The phraser's output, checked.
    Llm,
    /// The deterministic wording.
    Fallback,
}

/// What Tami says, and where it came from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Phrased {
    /// The text to send to the candidate.
    pub text: String,
    /// The phraser or the fallback.
    pub source: Source,
    /// Why the fallback was used when a phraser was tried (its error, the check's
    /// rejection, or the deadline); `None` for LLM text and when no phraser is
    /// configured.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl Phrased {
    fn fallback(req: &PhraseRequest, note: Option<String>) -> Self {
        Phrased {
            text: req.fallback.clone(),
            source: Source::Fallback,
            note,
        }
    }
}

/// Phrases `req` with `phraser` when there is one, within `deadline`, and checks the
/// output; on no phraser, an error, a rejected output or the deadline, the
/// deterministic `req.fallback`. Never fails and never takes longer than `deadline`
/// (plus scheduling).
pub async fn phrase_or_fallback(
    phraser: Option<&dyn Phraser>,
    req: &PhraseRequest,
    deadline: Duration,
) -> Phrased {
    let Some(phraser) = phraser else {
        return Phrased::fallback(req, None);
    };
    let note = match tokio::time::timeout(deadline, phraser.phrase(req)).await {
        Ok(Ok(raw)) => match check(&raw, req) {
            Ok(text) => {
                tracing::debug!(
                    phraser = phraser.name(),
                    kind = req.kind.as_str(),
                    "LLM phrasing accepted"
                );
                return Phrased {
                    text,
                    source: Source::Llm,
                    note: None,
                };
            }
            Err(rejection) => {
                // The output may echo the candidate's answer: debug level only.
                tracing::debug!(phraser = phraser.name(), output = %raw, "LLM output rejected");
                format!("rejected: {rejection}")
            }
        },
        Ok(Err(e)) => e.to_string(),
        Err(_) => format!("no answer within {} ms", deadline.as_millis()),
    };
    tracing::warn!(
        phraser = phraser.name(),
        kind = req.kind.as_str(),
        reason = %note,
        "LLM phrasing not used; deterministic wording instead"
    );
    Phrased::fallback(req, Some(note))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    struct Fixed(Result<String, LlmError>, Duration, AtomicUsize);

    #[async_trait]
    impl Phraser for Fixed {
        async fn phrase(&self, _req: &PhraseRequest) -> Result<String, LlmError> {
            self.2.fetch_add(1, Ordering::SeqCst);
            tokio::time::sleep(self.1).await;
            self.0.clone()
        }
        fn name(&self) -> &str {
            "fixed"
        }
    }

    fn req() -> PhraseRequest {
        PhraseRequest {
            kind: PhraseKind::FollowUp,
            lang: Lang::En,
            question: "Tell me about a migration you led.".into(),
            answer: "We moved the billing database to PostgreSQL.".into(),
            reason: "the answer gives no result".into(),
            fallback: "How did it turn out in the end? What was the result?".into(),
            company_name: None,
        }
    }

    fn fixed(out: Result<&str, LlmError>, delay_ms: u64) -> Fixed {
        Fixed(
            out.map(str::to_owned),
            Duration::from_millis(delay_ms),
            AtomicUsize::new(0),
        )
    }

    #[tokio::test]
    async fn no_phraser_is_the_fallback_without_a_note() {
        let p = phrase_or_fallback(None, &req(), Duration::from_secs(1)).await;
        assert_eq!(p, Phrased::fallback(&req(), None));
    }

    #[tokio::test]
    async fn checked_output_is_used() {
        let f = fixed(Ok("  \"How did the   migration end?\" "), 0);
        let p = phrase_or_fallback(Some(&f), &req(), Duration::from_secs(1)).await;
        assert_eq!(p.source, Source::Llm);
        assert_eq!(p.text, "How did the migration end?");
        assert_eq!(p.note, None);
        assert_eq!(f.2.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn errors_rejections_and_the_deadline_fall_back_with_a_note() {
        let cases = [
            (fixed(Err(LlmError::Http(503)), 0), "HTTP 503"),
            (
                fixed(Ok("Great answer! What was the result?"), 0),
                "rejected",
            ),
            (fixed(Ok("What was the result?"), 5_000), "within 50 ms"),
        ];
        for (f, note) in cases {
            let started = std::time::Instant::now();
            let p = phrase_or_fallback(Some(&f), &req(), Duration::from_millis(50)).await;
            assert!(started.elapsed() < Duration::from_secs(2));
            assert_eq!(p.source, Source::Fallback);
            assert_eq!(p.text, req().fallback);
            let got = p.note.unwrap_or_default();
            assert!(got.contains(note), "{got}");
        }
    }

    #[test]
    fn debug_leaves_the_answer_out() {
        let d = format!("{:?}", req());
        assert!(!d.contains("billing"), "{d}");
        assert!(d.contains("<44 chars>"), "{d}");
    }

    #[test]
    fn serde_names() {
        assert_eq!(serde_json::to_string(&Source::Llm).unwrap(), "\"llm\"");
        assert_eq!(
            serde_json::to_string(&Source::Fallback).unwrap(),
            "\"fallback\""
        );
        assert_eq!(
            serde_json::to_string(&PhraseKind::FollowUp).unwrap(),
            "\"follow_up\""
        );
        let p = Phrased::fallback(&req(), None);
        let v = serde_json::to_value(&p).unwrap();
        assert!(v.get("note").is_none());
        assert_eq!(serde_json::from_value::<Phrased>(v).unwrap(), p);
    }
}
