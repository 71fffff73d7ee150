//! Optional LLM wording of Tami's follow-ups and closing. The policy has already
//! decided what the message does; a configured phraser may only reword it, its output
//! is checked, and a slow or failing phraser falls back to the policy's own words.

use crate::AppState;
use talentd_interviewer::{LiveState, MessageKind, ProbeKind, Reply, Role};
use talentd_llm::{PhraseKind, PhraseRequest, Source, phrase_or_fallback};

fn reason(kind: Option<ProbeKind>) -> &'static str {
    match kind {
        Some(ProbeKind::TooShort) => "the answer is very short",
        Some(ProbeKind::Vague) => "the answer is vague",
        Some(ProbeKind::Hypothetical) => {
            "the answer says what the candidate would do, not what they did"
        }
        Some(ProbeKind::MissingAction) => "the answer does not say what the candidate did",
        Some(ProbeKind::MissingResult) => "the answer does not say how it ended",
        None => "the interview is over",
    }
}

/// Rewords `reply` (and the stored turn) when a phraser is configured.
pub async fn rephrase(state: &AppState, live: &mut LiveState, reply: &mut Reply) {
    let Some(phraser) = state.phraser.as_deref() else {
        return;
    };
    let kind = match reply.message.kind {
        MessageKind::FollowUp => PhraseKind::FollowUp,
        MessageKind::Closing => PhraseKind::Closing,
        _ => return,
    };
    let d = &live.dialogue;
    let answer = d
        .transcript()
        .iter()
        .rev()
        .find(|t| t.role == Role::Candidate)
        .map(|t| t.text.clone())
        .unwrap_or_default();
    let req = PhraseRequest {
        kind,
        lang: d.language(),
        question: d.current_question().unwrap_or_default().to_owned(),
        answer,
        reason: reason(reply.probe).to_owned(),
        fallback: reply.message.text.clone(),
        company_name: d.plan().company_name.clone(),
    };
    let phrased = phrase_or_fallback(Some(phraser), &req, state.config.llm_deadline).await;
    if let Some(note) = &phrased.note {
        tracing::info!(phraser = phraser.name(), note = %note, "kept Tami's own wording");
    }
    if phrased.source == Source::Llm && live.dialogue.rephrase_last(&phrased.text) {
        reply.message.text = phrased.text;
    }
}
