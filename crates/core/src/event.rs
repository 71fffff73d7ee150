//! Events: what happened, recorded in the outbox in the same transaction as the change,
//! later delivered to webhooks.

use crate::id::{EventId, OrgId};
use serde::{Deserialize, Serialize};

/// The kinds of events talentd emits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
pub enum EventType {
    #[serde(rename = "project.created")]
    ProjectCreated,
    #[serde(rename = "interview.started")]
    InterviewStarted,
    #[serde(rename = "interview.completed")]
    InterviewCompleted,
    #[serde(rename = "report.ready")]
    ReportReady,
    #[serde(rename = "candidate.scored")]
    CandidateScored,
    #[serde(rename = "candidate.request_created")]
    CandidateRequestCreated,
    #[serde(rename = "webhook.test")]
    WebhookTest,
}

impl EventType {
    pub const ALL: [EventType; 7] = [
        EventType::ProjectCreated,
        EventType::InterviewStarted,
        EventType::InterviewCompleted,
        EventType::ReportReady,
        EventType::CandidateScored,
        EventType::CandidateRequestCreated,
        EventType::WebhookTest,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EventType::ProjectCreated => "project.created",
            EventType::InterviewStarted => "interview.started",
            EventType::InterviewCompleted => "interview.completed",
            EventType::ReportReady => "report.ready",
            EventType::CandidateScored => "candidate.scored",
            EventType::CandidateRequestCreated => "candidate.request_created",
            EventType::WebhookTest => "webhook.test",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|e| e.as_str() == s)
    }
}

/// An event as recorded: `data` is the small JSON object integrators receive.
#[derive(Clone, Debug, PartialEq)]
pub struct Event {
    pub id: EventId,
    pub org_id: OrgId,
    pub kind: EventType,
    pub data: serde_json::Value,
    pub created_at_ms: i64,
}

impl Event {
    pub fn new(
        org_id: OrgId,
        kind: EventType,
        data: serde_json::Value,
        created_at_ms: i64,
    ) -> Self {
        Self {
            id: EventId::generate(),
            org_id,
            kind,
            data,
            created_at_ms,
        }
    }

    /// The envelope delivered to receivers: `{id, type, created_at, data}`.
    pub fn envelope(&self) -> serde_json::Value {
        serde_json::json!({
            "id": self.id,
            "type": self.kind.as_str(),
            "created_at": crate::timefmt::format_millis(self.created_at_ms),
            "data": self.data,
        })
    }
}
