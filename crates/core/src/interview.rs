//! Interview status and source.

use serde::{Deserialize, Serialize};

/// Where an interview's processing stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum InterviewStatus {
    Processing,
    Completed,
    Failed,
}

impl InterviewStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Processing => "processing",
            Self::Completed => "completed",
            Self::Failed => "failed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Processing, Self::Completed, Self::Failed]
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
