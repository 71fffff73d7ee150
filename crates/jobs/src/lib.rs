//! Workers of the durable queue. Each job is claimed with a lease that a heartbeat
//! extends while it runs; a crashed worker's job is taken again when its lease runs
//! out. Failures are retried with exponential backoff up to a bound, and a job that
//! cannot succeed ends its interview `failed` with a reason.

pub mod backoff;
mod pipeline;
mod worker;

pub use pipeline::{ANALYZE_INTERVIEW, analyze_job, report_url, score_map};
pub use worker::{JobOutcome, Worker, WorkerConfig};

use thiserror::Error;

/// Why a job did not finish.
#[derive(Debug, Error)]
pub enum JobError {
    /// Worth another attempt (a database hiccup, a crash of the analysis).
    #[error("transient: {0}")]
    Transient(String),
    /// Cannot succeed: the interview ends `failed` with this code and message.
    #[error("{code}: {message}")]
    Permanent { code: &'static str, message: String },
    #[error("storage: {0}")]
    Store(#[from] talentd_store::StoreError),
}
