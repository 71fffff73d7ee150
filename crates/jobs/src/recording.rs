//! The stage in front of analysis for recordings: fetch the `media_url` (or take the
//! uploaded file), decode it to 16 kHz PCM, transcribe it, and attribute each segment
//! to the interviewer or the candidate. The transcript is stored before analysis, so
//! a retry after a crash does not transcribe twice.

use crate::progress::Progress;
use crate::worker::Ctx;
use crate::{JobError, MediaOptions};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use talentd_audio::{Attribution, Method, Side, Span};
use talentd_core::InterviewId;
use talentd_core::interview::Stage;
use talentd_core::transcript::{Segment, Speaker, Transcript};
use talentd_store::InterviewRow;

/// What speech-to-text and attribution found, shown with the interview.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize, PartialEq)]
pub struct SpeechInfo {
    /// The speech-to-text model, e.g. `whisper-base`.
    pub model: String,
    /// Detected (or given) language, e.g. `en`.
    pub language: String,
    pub duration_secs: f64,
    pub channels: usize,
    /// How speech was attributed: `channels`, `voices`, `turn_taking` or `given`.
    pub attribution: String,
    pub attribution_confidence: f32,
    /// Share of the candidate's words transcribed with low confidence.
    pub low_confidence_share: f32,
}

/// Where an interview's recording lives on this machine.
pub fn media_path(media_dir: &Path, interview: &InterviewId) -> PathBuf {
    media_dir.join(format!("{interview}.media"))
}

/// A segment's confidence from Whisper's mean token log-probability.
fn confidence(avg_logprob: f32) -> f32 {
    avg_logprob.exp().clamp(0.0, 1.0)
}

/// Turns a recording into a transcript with what speech-to-text found.
pub(crate) async fn transcribe(
    ctx: &Ctx,
    interview: &InterviewRow,
    options: &MediaOptions,
    progress: &Progress,
) -> Result<(Transcript, SpeechInfo), JobError> {
    let whisper = ctx.engines.whisper.clone().ok_or_else(|| JobError::Retry {
        code: "stt_model_missing",
        message: "the speech-to-text model is not installed on this server \
                  (run scripts/fetch-models.sh)"
            .into(),
    })?;
    let path = media_path(&ctx.config.media_dir, &interview.id);
    let result = transcribe_file(ctx, interview, options, progress, &path, whisper).await;
    // With a bucket, the local file is only this worker's working copy; without one, a
    // recording whose candidate was erased meanwhile must not outlive the purge.
    if ctx.config.remote_media.is_some()
        || matches!(
            ctx.store.get_interview_any_org(&interview.id).await,
            Ok(None)
        )
    {
        let _ = tokio::fs::remove_file(&path).await;
    }
    result
}

async fn transcribe_file(
    ctx: &Ctx,
    interview: &InterviewRow,
    options: &MediaOptions,
    progress: &Progress,
    path: &Path,
    whisper: Arc<talentd_stt::Whisper>,
) -> Result<(Transcript, SpeechInfo), JobError> {
    let path = path.to_owned();
    let mut have_file = tokio::fs::metadata(&path)
        .await
        .map(|m| m.is_file() && m.len() > 0)
        .unwrap_or(false);
    if let (false, Some(bucket)) = (have_file, &ctx.config.remote_media) {
        let object = talentd_media::MediaStore::name_of(interview.id.as_str());
        have_file = bucket
            .download(&object, &path)
            .await
            .map_err(|e| JobError::Retry {
                code: "media_storage_unavailable",
                message: e.to_string(),
            })?;
    }
    if !have_file {
        let Some(url) = interview.media_url.as_deref() else {
            return Err(JobError::Permanent {
                code: "media_missing",
                message: "the uploaded recording is no longer on this server; upload it again"
                    .into(),
            });
        };
        fetch(ctx, url, &path, progress).await?;
    }

    progress.set(Stage::Decoding, 0.0);
    let decode_progress = progress.clone();
    let decode_path = path.clone();
    let audio = tokio::task::spawn_blocking(move || {
        talentd_audio::decode_file(&decode_path, &mut |f| {
            decode_progress.set(Stage::Decoding, f)
        })
    })
    .await
    .map_err(|e| JobError::transient(format!("decoding crashed: {e}")))?
    .map_err(|e| JobError::Permanent {
        code: e.code(),
        message: e.to_string(),
    })?;

    progress.set(Stage::Transcribing, 0.0);
    let options = options.clone();
    let stt_progress = progress.clone();
    let (transcript, info) = tokio::task::spawn_blocking(move || {
        transcribe_audio(&whisper, &audio, &options, &mut |f| {
            stt_progress.set(Stage::Transcribing, f)
        })
    })
    .await
    .map_err(|e| JobError::transient(format!("speech-to-text crashed: {e}")))??;
    Ok((transcript, info))
}

async fn fetch(ctx: &Ctx, url: &str, path: &Path, progress: &Progress) -> Result<(), JobError> {
    progress.set(Stage::Fetching, 0.0);
    let fetcher = talentd_fetch::Fetcher::new(ctx.config.fetch.clone())
        .map_err(|e| JobError::transient(format!("cannot build the HTTP client: {e}")))?;
    if let Some(dir) = path.parent() {
        tokio::fs::create_dir_all(dir)
            .await
            .map_err(|e| JobError::transient(format!("cannot create {}: {e}", dir.display())))?;
    }
    // Download beside the final name and rename, so a file under the final name is
    // always whole.
    let partial = path.with_extension("part");
    let p = progress.clone();
    let report = move |done: u64, total: Option<u64>| {
        if let Some(total) = total.filter(|t| *t > 0) {
            p.set(Stage::Fetching, done as f32 / total as f32);
        }
    };
    match fetcher.fetch_to(url, &partial, &report).await {
        Ok(_) => {}
        Err(e) => {
            let code = e.code();
            let message = e.to_string();
            // A server that is down or slow may come back; everything else is final.
            return Err(
                if matches!(code, "media_unreachable" | "media_timeout")
                    || (code == "media_http_error" && message.contains(" 5"))
                {
                    JobError::Retry { code, message }
                } else {
                    JobError::Permanent { code, message }
                },
            );
        }
    }
    tokio::fs::rename(&partial, path)
        .await
        .map_err(|e| JobError::transient(format!("cannot keep the download: {e}")))?;
    Ok(())
}

/// The pure part once audio is decoded: speech-to-text and attribution.
pub fn transcribe_audio(
    whisper: &Arc<talentd_stt::Whisper>,
    audio: &talentd_audio::Audio,
    options: &MediaOptions,
    progress: &mut dyn FnMut(f32),
) -> Result<(Transcript, SpeechInfo), JobError> {
    let mono = audio.mono();
    let opts = talentd_stt::TranscribeOptions {
        language: options.language.clone(),
    };
    let started = std::time::Instant::now();
    let result = whisper
        .transcribe(&mono, &opts, progress)
        .map_err(|e| JobError::Permanent {
            code: e.code(),
            message: e.to_string(),
        })?;
    let audio_secs = mono.len() as f64 / talentd_stt::SAMPLE_RATE as f64;
    if audio_secs > 0.0 {
        metrics::histogram!("talentd_stt_real_time_factor", "model" => whisper.name().to_owned())
            .record(started.elapsed().as_secs_f64() / audio_secs);
    }
    drop(mono);
    let spans: Vec<Span> = result
        .segments
        .iter()
        .map(|s| Span {
            start: s.start,
            end: s.end,
            text: s.text.clone(),
        })
        .collect();
    if spans.is_empty() {
        return Err(JobError::Permanent {
            code: "no_speech",
            message: "no speech was found in the recording".into(),
        });
    }
    let attribution: Attribution = match &options.interviewer_segments {
        Some(ranges) => talentd_audio::attribute_given(&spans, ranges),
        None => talentd_audio::attribute(audio, &spans, options.candidate_channel),
    };
    let mut segments = Vec::with_capacity(spans.len());
    let (mut words, mut low_words) = (0usize, 0usize);
    for ((span, side), seg) in spans.iter().zip(&attribution.sides).zip(&result.segments) {
        let speaker = match side {
            Side::Interviewer => Speaker::Interviewer,
            Side::Candidate => Speaker::Candidate,
        };
        if speaker == Speaker::Candidate {
            let n = span.text.split_whitespace().count();
            words += n;
            if confidence(seg.avg_logprob) < LOW_CONFIDENCE {
                low_words += n;
            }
        }
        segments.push(Segment {
            speaker,
            text: span.text.trim().to_owned(),
            start: Some(round_ms(span.start)),
            end: Some(round_ms(span.end)),
        });
    }
    let info = SpeechInfo {
        model: whisper.name().to_owned(),
        language: result.language.clone(),
        duration_secs: round_ms(audio.duration_secs()),
        channels: audio.channels.len(),
        attribution: method_name(attribution.method).to_owned(),
        attribution_confidence: attribution.confidence,
        low_confidence_share: if words == 0 {
            0.0
        } else {
            low_words as f32 / words as f32
        },
    };
    Ok((Transcript { segments }, info))
}

/// Below this a segment counts as transcribed with low confidence: Whisper's own
/// threshold of a mean log-probability of -1.
pub const LOW_CONFIDENCE: f32 = 0.3679;

fn method_name(m: Method) -> &'static str {
    match m {
        Method::Channels => "channels",
        Method::Voices => "voices",
        Method::TurnTaking => "turn_taking",
        Method::Given => "given",
    }
}

fn round_ms(secs: f64) -> f64 {
    (secs * 1000.0).round() / 1000.0
}
