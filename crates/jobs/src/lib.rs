//! Workers of the durable queue. Each job is claimed with a lease that a heartbeat
//! extends while it runs; a crashed worker's job is taken again when its lease runs
//! out. Failures are retried with exponential backoff up to a bound, and a job that
//! cannot succeed ends its interview `failed` with a reason.

pub mod backoff;
pub mod delivery;
pub mod erasure;
mod pipeline;
pub mod progress;
pub mod recording;
pub mod sessions;
mod worker;

pub use delivery::{Deliverer, DeliveryConfig, DeliveryOutcome};
pub use erasure::{PURGE_CANDIDATE, RetentionSweep, erase_candidate};
pub use pipeline::{ANALYZE_INTERVIEW, analyze_job, report_url, score_map};
pub use recording::{SpeechInfo, media_path};
pub use sessions::{Sweeper, Swept};
pub use worker::{Engines, JobOutcome, Worker, WorkerConfig};

/// Every kind of job the workers run (the metrics report each, even when empty).
pub const JOB_KINDS: &[&str] = &[ANALYZE_INTERVIEW, PURGE_CANDIDATE];

use serde::{Deserialize, Serialize};

use thiserror::Error;

/// How a recording is to be transcribed and attributed, as the client asked.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct MediaOptions {
    /// The channel (0 left, 1 right) that carries the candidate in a stereo recording.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub candidate_channel: Option<usize>,
    /// The interviewer's time ranges in seconds, when the client knows them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interviewer_segments: Option<Vec<(f64, f64)>>,
    /// The spoken language (`en`, `ru`, ...), detected when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// Size of an uploaded recording; absent for a `media_url`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uploaded_bytes: Option<u64>,
}

/// Why a job did not finish.
#[derive(Debug, Error)]
pub enum JobError {
    /// Worth another attempt (a database hiccup, a crash of the analysis).
    #[error("transient: {0}")]
    Transient(String),
    /// Worth another attempt; if none is left, the interview fails with this code.
    #[error("{code}: {message}")]
    Retry { code: &'static str, message: String },
    /// Cannot succeed: the interview ends `failed` with this code and message.
    #[error("{code}: {message}")]
    Permanent { code: &'static str, message: String },
    #[error("storage: {0}")]
    Store(#[from] talentd_store::StoreError),
}

impl JobError {
    pub(crate) fn transient(message: impl Into<String>) -> Self {
        Self::Transient(message.into())
    }
}
