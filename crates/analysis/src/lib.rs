//! Transcript analysis: what the candidate said, scored against behaviourally anchored
//! rubrics with a local sentence-embedding model and transparent language features;
//! risks a recruiter must know; the candidate's culture preferences (OCP) and their fit
//! with the company's profile.
//!
//! Everything here is pure over plain data except [`embed::Embedder`], which loads the
//! embedding model from disk. The same transcript always gives the same analysis.

pub mod analysis;
pub mod culture;
pub mod embed;
pub mod error;
pub mod explanation;

pub use analysis::{
    Analysis, Analyzer, Direction, Evidence, Outcome, Recommendation, Risk, RiskKind, SkillScore,
};
pub use embed::{Embed, Embedder};
pub use error::AnalysisError;
