use thiserror::Error;

/// What can go wrong in analysis.
#[derive(Debug, Error)]
pub enum AnalysisError {
    /// The model files are not where they should be (run the setup step).
    #[error("model files missing in {dir}: {what} (run scripts/fetch-models.sh)")]
    ModelMissing { dir: String, what: String },
    /// The model could not be loaded or run.
    #[error("model error: {0}")]
    Model(String),
}
