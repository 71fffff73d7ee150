//! Interview status and source.

use serde::{Deserialize, Serialize};

/// Where an interview's processing stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum InterviewStatus {
    /// A live interview the candidate is still answering.
    #[serde(rename = "in_progress")]
    InProgress,
    Processing,
    Completed,
    Failed,
    /// A live interview left unfinished, closed without analysis for lack of evidence.
    Abandoned,
}

impl InterviewStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::InProgress => "in_progress",
            Self::Processing => "processing",
            Self::Completed => "completed",
            Self::Failed => "failed",
            Self::Abandoned => "abandoned",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [
            Self::InProgress,
            Self::Processing,
            Self::Completed,
            Self::Failed,
            Self::Abandoned,
        ]
        .into_iter()
        .find(|v| v.as_str() == s)
    }
}

/// How an interview came in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum InterviewSource {
    /// Uploaded by an integrator (recording or transcript).
    Upload,
    /// Held with Tami through a project's interview link.
    Live,
}

impl InterviewSource {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Upload => "upload",
            Self::Live => "live",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Upload, Self::Live]
            .into_iter()
            .find(|v| v.as_str() == s)
    }
}

/// What a processing interview is doing now.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Stage {
    /// Waiting for a worker.
    Queued,
    /// Downloading the recording from `media_url`.
    Fetching,
    /// Decoding the recording to audio.
    Decoding,
    /// Speech-to-text.
    Transcribing,
    /// Scoring the transcript.
    Analyzing,
}

impl Stage {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Queued => "queued",
            Self::Fetching => "fetching",
            Self::Decoding => "decoding",
            Self::Transcribing => "transcribing",
            Self::Analyzing => "analyzing",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [
            Self::Queued,
            Self::Fetching,
            Self::Decoding,
            Self::Transcribing,
            Self::Analyzing,
        ]
        .into_iter()
        .find(|v| v.as_str() == s)
    }
}
