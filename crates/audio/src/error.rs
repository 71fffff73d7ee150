//! The one error type of talentd-audio, with stable codes for API clients.

use std::path::PathBuf;

/// Why a file could not be turned into 16 kHz PCM.
#[derive(Debug, thiserror::Error)]
pub enum AudioError {
    /// No audio track, or a container or codec that is not supported.
    #[error("unsupported media: {reason}")]
    Unsupported {
        /// What was found instead of decodable audio.
        reason: String,
    },
    /// The file is damaged or truncated beyond what can be salvaged.
    #[error("the media is damaged: {reason}")]
    Corrupt {
        /// What went wrong while decoding.
        reason: String,
    },
    /// The file is empty, or decodes to no samples.
    #[error("the media holds no audio")]
    Empty,
    /// The recording is longer than the limit.
    #[error("the recording is longer than the limit of {max_secs} s")]
    TooLong {
        /// The limit in seconds.
        max_secs: u64,
    },
    /// Reading the local file failed.
    #[error("local file {path}: {source}")]
    Io {
        /// The local path.
        path: PathBuf,
        /// The operating-system error.
        #[source]
        source: std::io::Error,
    },
}

impl AudioError {
    /// The stable snake_case code of this error, for API error bodies.
    pub fn code(&self) -> &'static str {
        match self {
            AudioError::Unsupported { .. } => "unsupported_media",
            AudioError::Corrupt { .. } => "media_corrupt",
            AudioError::Empty => "media_empty",
            AudioError::TooLong { .. } => "media_too_long",
            AudioError::Io { .. } => "media_io",
        }
    }
}
