//! Voice answers: a short recording from the candidate page, decoded and transcribed
//! with the same Whisper model as uploaded recordings. The file lives only while it is
//! decoded; transcriptions run one at a time per process so that voice answers cannot
//! starve the API of CPU.

use crate::AppState;
use crate::error::ApiError;
use axum::body::{Body, Bytes};
use axum::http::StatusCode;
use std::time::Duration;
use talentd_core::id::random_token;
use talentd_interviewer::Lang;
use tokio::sync::Semaphore;

/// Largest voice answer accepted, in bytes.
pub const MAX_AUDIO_BYTES: usize = 16 * 1024 * 1024;
/// Longest voice answer accepted, in seconds.
pub const MAX_AUDIO_SECS: f64 = 300.0;
/// How long a voice answer waits for the transcriber before a 503.
const QUEUE_WAIT: Duration = Duration::from_secs(30);

static TRANSCRIBING: Semaphore = Semaphore::const_new(1);

/// What was heard.
pub struct Heard {
    pub text: String,
    pub language: String,
    pub duration_secs: f64,
}

/// Reads the whole body, which the body-limit layer caps at [`MAX_AUDIO_BYTES`].
pub async fn read_body(body: Body) -> Result<Bytes, ApiError> {
    let bytes = axum::body::to_bytes(body, usize::MAX)
        .await
        .map_err(|_| ApiError::for_status(StatusCode::PAYLOAD_TOO_LARGE))?;
    if bytes.is_empty() {
        return Err(ApiError::invalid("body", "the recording is empty"));
    }
    Ok(bytes)
}

fn unavailable(message: &'static str) -> ApiError {
    ApiError::new(
        StatusCode::SERVICE_UNAVAILABLE,
        "speech_unavailable",
        message,
    )
}

/// Decodes and transcribes a recording in the interview's language.
pub async fn transcribe(state: &AppState, bytes: Bytes, lang: Lang) -> Result<Heard, ApiError> {
    let whisper = state.whisper.clone().ok_or_else(|| {
        unavailable("voice answers are not available here; type the answer instead")
    })?;
    let _slot = tokio::time::timeout(QUEUE_WAIT, TRANSCRIBING.acquire())
        .await
        .map_err(|_| unavailable("voice answers are busy; try again or type the answer"))?
        .map_err(|_| unavailable("voice answers are not available"))?;
    let dir = state.config.media_dir.join("answers");
    tokio::fs::create_dir_all(&dir)
        .await
        .map_err(|e| ApiError::internal(&e))?;
    let path = dir.join(format!("{}.audio", random_token(24)));
    tokio::fs::write(&path, &bytes)
        .await
        .map_err(|e| ApiError::internal(&e))?;
    drop(bytes);
    let decode_path = path.clone();
    let result = tokio::task::spawn_blocking(move || {
        let audio = talentd_audio::decode_file(&decode_path, &mut |_| {});
        let _ = std::fs::remove_file(&decode_path);
        let audio = audio
            .map_err(|e| ApiError::invalid("body", format!("the recording cannot be read: {e}")))?;
        let duration = audio.duration_secs();
        if duration > MAX_AUDIO_SECS {
            return Err(ApiError::invalid(
                "body",
                format!("a voice answer may last at most {MAX_AUDIO_SECS:.0} s"),
            ));
        }
        let opts = talentd_stt::TranscribeOptions {
            language: Some(lang.as_str().to_owned()).filter(|_| whisper.multilingual()),
        };
        let t = whisper
            .transcribe(&audio.mono(), &opts, &mut |_| {})
            .map_err(|e| ApiError::invalid("body", e.to_string()))?;
        let text = t
            .segments
            .iter()
            .map(|s| s.text.trim())
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        Ok(Heard {
            text,
            language: t.language,
            duration_secs: (duration * 10.0).round() / 10.0,
        })
    })
    .await;
    let _ = tokio::fs::remove_file(&path).await;
    let heard = result.map_err(|e| ApiError::internal(&e))??;
    if heard.text.is_empty() {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "no_speech",
            "no speech was heard in the recording; try again closer to the microphone",
        ));
    }
    Ok(heard)
}
