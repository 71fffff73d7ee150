//! Speech-to-text with OpenAI Whisper, run on the CPU with candle from the
//! CTranslate2 weights that `scripts/fetch-models.sh` installs
//! (`<models dir>/whisper-base/`, `<models dir>/whisper-tiny.en/`).
//!
//! [`Whisper::load`] reads a model folder once; [`Whisper::transcribe`] turns 16 kHz
//! mono samples into timestamped segments. The pipeline follows OpenAI's
//! `transcribe()`: log-mel spectrogram, 30 s windows seeking by the last timestamp,
//! greedy decoding with timestamp rules, no-speech detection and temperature fallback.
//! On top of it, windows without voice (by energy and spectral flatness) are not
//! decoded, segments are kept to where there is voice, and repetition loops are cut.

mod ct2;
mod decode;
mod kernels;
mod mel;
mod model;
mod vad;
mod vocab;

use std::fmt;
use std::path::{Path, PathBuf};

pub use mel::SAMPLE_RATE;

/// The files a model folder must hold.
pub const MODEL_FILES: [&str; 4] = [
    "model.bin",
    "config.json",
    "tokenizer.json",
    "vocabulary.txt",
];

/// The folder names `scripts/fetch-models.sh` installs under the models folder.
pub const MODEL_DIR_NAMES: [&str; 2] = ["whisper-base", "whisper-tiny.en"];

/// Errors of speech-to-text.
#[derive(Debug, thiserror::Error)]
pub enum SttError {
    /// The model folder or some of its files are absent.
    #[error(
        "speech-to-text model missing: {dir} lacks {what}; run `bash scripts/fetch-models.sh` \
         (it installs the models into $TALENTD_MODELS_DIR, default ./models)"
    )]
    ModelMissing {
        /// The folder looked in.
        dir: String,
        /// The missing files.
        what: String,
    },
    /// A model file is present but unreadable or inconsistent.
    #[error("speech-to-text model invalid: {0}")]
    ModelInvalid(String),
    /// A language was asked for that the model cannot transcribe.
    #[error("language {language:?} is not supported by {model}")]
    LanguageUnsupported {
        /// The language asked for.
        language: String,
        /// The model's name.
        model: String,
    },
    /// Transcription failed while running the model.
    #[error("speech-to-text failed: {0}")]
    Failed(String),
}

impl SttError {
    /// A stable, machine-readable code for the error.
    pub fn code(&self) -> &'static str {
        match self {
            Self::ModelMissing { .. } => "stt_model_missing",
            Self::ModelInvalid(_) => "stt_model_invalid",
            Self::LanguageUnsupported { .. } => "stt_language_unsupported",
            Self::Failed(_) => "stt_failed",
        }
    }
}

impl From<candle_core::Error> for SttError {
    fn from(e: candle_core::Error) -> Self {
        Self::Failed(e.to_string())
    }
}

/// Options of one transcription.
#[derive(Debug, Clone, Default)]
pub struct TranscribeOptions {
    /// The spoken language as a code (`en`, `ru`, ...); `None` detects it from the
    /// first 30 s with voice (multilingual models; English-only models use English).
    pub language: Option<String>,
}

/// A transcript.
#[derive(Debug, Clone)]
pub struct Transcription {
    /// The language given or detected (`en` when no speech was found and none was
    /// given).
    pub language: String,
    /// The segments in time order; none where there is no speech.
    pub segments: Vec<Segment>,
    /// Length of the audio in seconds.
    pub duration_secs: f64,
}

/// One timestamped stretch of speech.
#[derive(Debug, Clone, PartialEq)]
pub struct Segment {
    /// Start, in seconds from the beginning of the audio.
    pub start: f64,
    /// End, in seconds; never before `start`.
    pub end: f64,
    /// The text, trimmed.
    pub text: String,
    /// Mean log-probability of the tokens of the window the segment came from.
    pub avg_logprob: f32,
    /// Probability the model gave to "no speech" in that window.
    pub no_speech_prob: f32,
}

/// A Whisper model loaded from a CTranslate2 folder; cheap to share (`Send + Sync`),
/// and each call to [`Whisper::transcribe`] keeps its own decoding state.
pub struct Whisper {
    name: String,
    dir: PathBuf,
    model: model::Model,
    vocab: vocab::Vocab,
    multilingual: bool,
}

const _: fn() = || {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Whisper>();
};

impl fmt::Debug for Whisper {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Whisper")
            .field("name", &self.name)
            .field("dir", &self.dir)
            .field("dims", &self.model.dims)
            .finish_non_exhaustive()
    }
}

impl Whisper {
    /// Loads a model folder such as `models/whisper-base` (fp16 weights are widened
    /// to f32: about 300 MB of memory for base, 150 MB for tiny).
    ///
    /// Fails with `stt_model_missing` when the folder or a file is absent and with
    /// `stt_model_invalid` when a file cannot be read or does not describe a Whisper
    /// model.
    pub fn load(dir: &Path) -> Result<Self, SttError> {
        let missing: Vec<&str> = MODEL_FILES
            .iter()
            .copied()
            .filter(|f| !dir.join(f).is_file())
            .collect();
        if !missing.is_empty() {
            return Err(SttError::ModelMissing {
                dir: dir.display().to_string(),
                what: missing.join(", "),
            });
        }
        let bin = dir.join("model.bin");
        let ct2 = ct2::Ct2Model::read(&bin)
            .map_err(|e| SttError::ModelInvalid(format!("{}: {e}", bin.display())))?;
        let model = model::Model::from_ct2(&ct2)
            .map_err(|e| SttError::ModelInvalid(format!("{}: {e}", bin.display())))?;
        drop(ct2);
        let vocab = vocab::Vocab::load(dir, model.dims.n_vocab)
            .map_err(|e| SttError::ModelInvalid(format!("{}: {e}", dir.display())))?;
        let name = dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| "whisper".to_string());
        // OpenAI's rule: multilingual vocabularies have 51865 tokens or more.
        let multilingual = model.dims.n_vocab >= 51_865;
        tracing::debug!(name, ?model.dims, "whisper model loaded");
        Ok(Self {
            name,
            dir: dir.to_path_buf(),
            model,
            vocab,
            multilingual,
        })
    }

    /// The model's name: its folder name, e.g. `whisper-base` or `whisper-tiny.en`.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Whether the model transcribes languages other than English.
    pub fn multilingual(&self) -> bool {
        self.multilingual
    }

    /// The language codes the model can transcribe (`["en"]` for English-only
    /// models).
    pub fn languages(&self) -> Vec<&str> {
        if self.multilingual {
            self.vocab
                .languages
                .iter()
                .map(|(c, _)| c.as_str())
                .collect()
        } else {
            vec!["en"]
        }
    }

    /// Transcribes 16 kHz mono samples (in [-1, 1]; non-finite values count as
    /// silence). `progress` is called with the fraction done, from 0 to 1.
    ///
    /// Fails with `stt_language_unsupported` for a language the model lacks and with
    /// `stt_failed` when the model cannot run.
    pub fn transcribe(
        &self,
        samples_16k_mono: &[f32],
        opts: &TranscribeOptions,
        progress: &mut dyn FnMut(f32),
    ) -> Result<Transcription, SttError> {
        let asked = opts
            .language
            .as_deref()
            .map(|l| l.trim().to_ascii_lowercase())
            .filter(|l| !l.is_empty() && l != "auto");
        let language_token = match &asked {
            None => None,
            Some(code) if !self.multilingual => {
                if code != "en" {
                    return Err(self.unsupported(code));
                }
                None
            }
            Some(code) => Some(
                self.vocab
                    .language_token(code)
                    .ok_or_else(|| self.unsupported(code))?,
            ),
        };

        let cleaned: Vec<f32>;
        let samples = if samples_16k_mono.iter().all(|s| s.is_finite()) {
            samples_16k_mono
        } else {
            cleaned = samples_16k_mono
                .iter()
                .map(|&s| if s.is_finite() { s } else { 0.0 })
                .collect();
            &cleaned
        };
        let duration_secs = samples.len() as f64 / SAMPLE_RATE as f64;

        let mut vad = vad::VadBuilder::default();
        let mel = mel::log_mel(samples, self.model.dims.n_mels, |power| vad.push(power));
        let vad = vad.finish();
        let transcriber = decode::Transcriber::new(&self.model, &self.vocab);
        let (language, raw) = transcriber.run(
            samples,
            &mel,
            &vad,
            language_token,
            self.multilingual,
            progress,
        )?;

        let language = if self.multilingual {
            language
                .and_then(|t| self.vocab.language_code(t))
                .map(str::to_string)
        } else {
            Some("en".to_string())
        };
        Ok(Transcription {
            language: language.or(asked).unwrap_or_else(|| "en".to_string()),
            segments: raw
                .into_iter()
                .map(|s| Segment {
                    start: s.start,
                    end: s.end,
                    text: s.text,
                    avg_logprob: s.avg_logprob,
                    no_speech_prob: s.no_speech_prob,
                })
                .collect(),
            duration_secs,
        })
    }

    fn unsupported(&self, language: &str) -> SttError {
        SttError::LanguageUnsupported {
            language: language.to_string(),
            model: self.name.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_folder_names_the_setup_command() {
        let dir = std::env::temp_dir().join("talentd-stt-no-such-model");
        let err = Whisper::load(&dir).unwrap_err();
        assert_eq!(err.code(), "stt_model_missing");
        let msg = err.to_string();
        assert!(msg.contains("scripts/fetch-models.sh"), "{msg}");
        assert!(msg.contains("talentd-stt-no-such-model"), "{msg}");
        assert!(msg.contains("model.bin"), "{msg}");
    }

    #[test]
    fn garbage_model_is_invalid() {
        let dir = tempfile::tempdir().unwrap();
        for f in MODEL_FILES {
            std::fs::write(dir.path().join(f), b"not a model").unwrap();
        }
        let err = Whisper::load(dir.path()).unwrap_err();
        assert_eq!(err.code(), "stt_model_invalid", "{err}");
    }

    #[test]
    fn error_codes_are_stable() {
        assert_eq!(SttError::Failed("x".into()).code(), "stt_failed");
        assert_eq!(
            SttError::LanguageUnsupported {
                language: "xx".into(),
                model: "m".into()
            }
            .code(),
            "stt_language_unsupported"
        );
    }
}
