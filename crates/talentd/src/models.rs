//! Loading the analysis models fetched by `scripts/fetch-models.sh`.

use std::path::Path;
use std::sync::Arc;
use talentd_analysis::{AnalysisError, Analyzer, Embedder};

/// The analyzer with its embedding model, or what is missing.
pub fn load_analyzer(models_dir: &Path) -> Result<Analyzer, AnalysisError> {
    let embedder = Embedder::load(models_dir)?;
    Ok(Analyzer::new(Arc::new(embedder)))
}
