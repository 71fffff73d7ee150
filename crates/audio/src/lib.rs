//! Recordings to 16 kHz PCM, channel by channel, and the attribution of speech to the
//! interviewer or the candidate.
//!
//! - [`decode_file`] turns a media file (mp3, m4a/mp4, wav, flac, ogg, webm/mkv) into
//!   [`Audio`]: 16 kHz, one channel or two kept apart.
//! - [`attribute`] decides, for each timed span of a transcript, whether the interviewer
//!   or the candidate said it: by channel energy for two-channel recordings, by voice
//!   clustering for one channel, by turn-taking when the voices cannot be told apart.
//!   [`attribute_given`] uses the interviewer's time ranges when a client supplies them.

mod decode;
mod error;
mod resample;
mod speakers;
mod voice;

pub use decode::{
    Audio, MAX_CONSECUTIVE_BAD_PACKETS, MAX_DURATION_SECS, MIN_SALVAGE_SECS, decode_file,
};
pub use error::AudioError;
pub use resample::TARGET_RATE;
pub use speakers::{
    Attribution, Method, Side, Span, attribute, attribute_given, is_question_like, turn_taking,
};
