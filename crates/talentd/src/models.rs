//! Loading the analysis models fetched by `scripts/fetch-models.sh`.

use std::path::Path;
use std::sync::Arc;
use talentd_analysis::{AnalysisError, Analyzer, Embedder};

/// The analyzer with its embedding model, or what is missing.
pub fn load_analyzer(models_dir: &Path) -> Result<Analyzer, AnalysisError> {
    let embedder = Embedder::load(models_dir)?;
    Ok(Analyzer::new(Arc::new(embedder)))
}

/// The Whisper model folder for a model name (`base`, `tiny.en`).
pub fn whisper_dir(models_dir: &Path, model: &str) -> std::path::PathBuf {
    models_dir.join(format!("whisper-{model}"))
}

/// The speech-to-text model, or what is missing.
pub fn load_whisper(
    models_dir: &Path,
    model: &str,
) -> Result<Arc<talentd_stt::Whisper>, talentd_stt::SttError> {
    talentd_stt::Whisper::load(&whisper_dir(models_dir, model)).map(Arc::new)
}
