//! The analysis of one interview: types shared with storage and the API, and the
//! [`Analyzer`] that produces them.
//!
//! Only the candidate's words are scored. They are cut into units (`units`), names and
//! gendered words neutralised (`text`), described by transparent language features
//! (`features`), embedded once in one batch and matched against a behaviourally
//! anchored rubric (`rubric`); `score` turns matches and features into scores with
//! evidence, `risks` finds what a recruiter must know, and `report` derives the match,
//! strengths, recommendation and summary. docs/scoring.md explains it all.

mod features;
pub mod report;
pub mod risks;
pub mod rubric;
mod score;
mod text;
mod units;

use crate::culture::CandidateCulture;
use crate::{AnalysisError, Embed};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};
use talentd_core::project::CompetencyWeights;
use talentd_core::template::Competency;
use talentd_core::transcript::Transcript;

/// Whether the interview could be scored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Outcome {
    /// Enough candidate speech: every competency has a score.
    Scored,
    /// Too little candidate speech to judge: no scores, no match.
    InsufficientEvidence {
        /// Why, in plain language.
        reason: String,
    },
}

/// Which way a piece of evidence moved a score.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// The quote pushed the score up.
    Raised,
    /// The quote pushed the score down.
    Lowered,
}

/// A quote of the candidate that moved a score, and why.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    /// The candidate's words (one sentence or a short span).
    pub quote: String,
    /// Index of the transcript segment the quote comes from.
    pub segment: usize,
    /// Segment start in seconds, when the transcript has times.
    pub start: Option<f64>,
    /// Segment end in seconds, when the transcript has times.
    pub end: Option<f64>,
    /// The rubric anchor (or language feature) the quote matched, in plain language.
    pub anchor: String,
    /// Whether it raised or lowered the score.
    pub direction: Direction,
    /// How much it moved the score, in [0, 1]: its relevance times how clearly it
    /// sits at the high or the low end.
    pub weight: f64,
}

/// One soft skill's score.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SkillScore {
    /// In [0, 1], two decimals.
    pub score: f64,
    /// In [0, 1], two decimals: how much evidence there was.
    pub confidence: f64,
    /// Strongest first.
    pub evidence: Vec<Evidence>,
}

/// Kinds of things a recruiter must know.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RiskKind {
    /// Expectations well above the range, or very high.
    SalaryExpectations,
    /// Three months or more before the candidate can start.
    NoticePeriod,
    /// Several jobs in a short time.
    FrequentJobChanges,
    /// Insults or contempt for former employers or colleagues.
    HostilityToFormerEmployers,
    /// Limited hours, days or places the candidate can work.
    Availability,
    /// Anything else worth a recruiter's attention.
    Other,
}

/// Something the candidate said that a recruiter must know.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Risk {
    /// What kind of risk.
    pub kind: RiskKind,
    /// Plain-language statement for the report, e.g. "Salary expectations well above the range".
    pub message: String,
    /// The candidate's sentence that shows it.
    pub quote: String,
    /// Index of the transcript segment the quote comes from.
    pub segment: usize,
    /// Segment start in seconds, when known.
    pub start: Option<f64>,
    /// Segment end in seconds, when known.
    pub end: Option<f64>,
}

/// The hiring recommendation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Recommendation {
    /// Strong match and no risk.
    StronglyRecommended,
    /// Good match.
    Recommended,
    /// Fair match, thin evidence, or risks to check.
    Consider,
    /// Weak match.
    NotRecommended,
}

/// The full analysis of one interview.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Analysis {
    /// Whether the interview could be scored.
    pub outcome: Outcome,
    /// All six competencies when scored; `None` when evidence is insufficient.
    pub scores: Option<BTreeMap<Competency, SkillScore>>,
    /// Weighted mean of the scores by the vacancy's weights, two decimals.
    pub match_score: Option<f64>,
    /// Plain-language strengths, strongest first.
    pub strengths: Vec<String>,
    /// What a recruiter must know, with quotes.
    pub risks: Vec<Risk>,
    /// Two or three sentences for a recruiter.
    pub summary: String,
    /// `None` when evidence is insufficient.
    pub recommendation: Option<Recommendation>,
    /// The candidate's inferred culture preferences (54 OCP items with evidence).
    pub culture: Option<CandidateCulture>,
    /// Words the candidate spoke.
    pub candidate_words: usize,
    /// The embedding model's id.
    pub model_version: String,
    /// [`rubric::RUBRIC_VERSION`] at the time of the analysis.
    pub rubric_version: String,
}

pub use risks::VacancyFacts;
pub use rubric::RUBRIC_VERSION;

/// Fewest candidate words that can be scored.
pub const MIN_CANDIDATE_WORDS: usize = 60;
/// Fewest sentences of four words or more that can be scored.
pub const MIN_FULL_SENTENCES: usize = 5;
/// Fewest different words that can be scored ("yes yes yes …" is not evidence).
pub const MIN_DISTINCT_WORDS: usize = 30;
/// Share of answers of one or two words above which the interview is not scored.
pub const MAX_SHORT_ANSWER_SHARE: f64 = 0.8;
/// Smallest share of Latin letters: the embedding model reads English only.
pub const MIN_LATIN_SHARE: f64 = 0.6;

/// Runs analyses with one loaded embedding model.
///
/// The rubric's anchors are embedded once, at the first analysis (or at
/// [`Analyzer::prepare`]), and shared by clones.
#[derive(Clone)]
pub struct Analyzer {
    embedder: Arc<dyn Embed>,
    anchors: Arc<OnceLock<score::AnchorVectors>>,
}

impl std::fmt::Debug for Analyzer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Analyzer")
            .field("model", &self.embedder.model_id())
            .field("anchors_ready", &self.anchors.get().is_some())
            .finish()
    }
}

impl Analyzer {
    /// An analyzer over this embedding model; nothing is embedded yet.
    pub fn new(embedder: Arc<dyn Embed>) -> Self {
        Self {
            embedder,
            anchors: Arc::new(OnceLock::new()),
        }
    }

    /// The embedding model.
    pub fn embedder(&self) -> &dyn Embed {
        &*self.embedder
    }

    /// Embeds the rubric's anchors and the culture statements now rather than at the
    /// first analysis.
    pub fn prepare(&self) -> Result<(), AnalysisError> {
        self.anchor_vectors()?;
        crate::culture::prepare_inference(&*self.embedder)
    }

    fn anchor_vectors(&self) -> Result<&score::AnchorVectors, AnalysisError> {
        if let Some(a) = self.anchors.get() {
            return Ok(a);
        }
        let texts = score::anchor_texts();
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let vectors = self.embedder.embed(&refs)?;
        let anchors = score::AnchorVectors::new(vectors).ok_or_else(|| {
            AnalysisError::Model("the embedder returned the wrong number of vectors".into())
        })?;
        // Two threads may embed at once; both get the same vectors, one is kept.
        Ok(self.anchors.get_or_init(|| anchors))
    }

    /// Analyses a transcript for a vacancy with these competency weights.
    pub fn analyze(
        &self,
        transcript: &Transcript,
        weights: &CompetencyWeights,
    ) -> Result<Analysis, AnalysisError> {
        self.analyze_for(transcript, weights, &VacancyFacts::default())
    }

    /// Like [`Analyzer::analyze`], but not scored when `gate` gives a reason (e.g. the
    /// recording was transcribed with low confidence): the same answer as for too
    /// little evidence, with that reason.
    pub fn analyze_gated(
        &self,
        transcript: &Transcript,
        weights: &CompetencyWeights,
        gate: Option<String>,
    ) -> Result<Analysis, AnalysisError> {
        let facts = VacancyFacts::default();
        match gate {
            None => self.analyze_for(transcript, weights, &facts),
            Some(reason) => {
                let mut prepared = self.prepare_speech(transcript);
                prepared.gate = Some(reason);
                self.finish(transcript, weights, &facts, prepared, &[])
            }
        }
    }

    /// Like [`Analyzer::analyze`], with what the vacancy says about pay, so that
    /// salary expectations are compared with its range.
    pub fn analyze_for(
        &self,
        transcript: &Transcript,
        weights: &CompetencyWeights,
        facts: &VacancyFacts,
    ) -> Result<Analysis, AnalysisError> {
        self.analyze_timed(transcript, weights, facts)
            .map(|(analysis, _)| analysis)
    }

    /// Like [`Analyzer::analyze_for`], also telling how long each stage took (for
    /// benchmarks and logs).
    pub fn analyze_timed(
        &self,
        transcript: &Transcript,
        weights: &CompetencyWeights,
        facts: &VacancyFacts,
    ) -> Result<(Analysis, StageTimes), AnalysisError> {
        let started = Instant::now();
        let prepared = self.prepare_speech(transcript);
        let prepare = started.elapsed();
        let started = Instant::now();
        let vectors = match &prepared.gate {
            Some(_) => Vec::new(),
            None => self.embed_units(&prepared.speech)?,
        };
        let embed = started.elapsed();
        let units = prepared.speech.units.len();
        let started = Instant::now();
        let analysis = self.finish(transcript, weights, facts, prepared, &vectors)?;
        let times = StageTimes {
            prepare,
            embed,
            score: started.elapsed(),
            units,
        };
        Ok((analysis, times))
    }

    /// Cuts the candidate's speech into units and applies the gate (no model work).
    fn prepare_speech(&self, transcript: &Transcript) -> Prepared {
        let neutraliser = text::Neutraliser::new(transcript);
        let speech = units::speech(transcript, &neutraliser);
        let gate = gate(&speech);
        Prepared { speech, gate }
    }

    /// Embeds every unit in one batched call.
    fn embed_units(&self, speech: &units::Speech) -> Result<Vec<Vec<f32>>, AnalysisError> {
        let texts: Vec<&str> = speech.units.iter().map(|u| u.embed_text.as_str()).collect();
        let vectors = self.embedder.embed(&texts)?;
        if vectors.len() != texts.len() {
            return Err(AnalysisError::Model(
                "the embedder returned the wrong number of vectors".into(),
            ));
        }
        Ok(vectors)
    }

    fn finish(
        &self,
        transcript: &Transcript,
        weights: &CompetencyWeights,
        facts: &VacancyFacts,
        prepared: Prepared,
        vectors: &[Vec<f32>],
    ) -> Result<Analysis, AnalysisError> {
        let Prepared { speech, gate } = prepared;
        let risks = risks::detect(transcript, facts);
        let base = Analysis {
            outcome: Outcome::Scored,
            scores: None,
            match_score: None,
            strengths: Vec::new(),
            risks,
            summary: String::new(),
            recommendation: None,
            culture: None,
            candidate_words: transcript.candidate_words(),
            model_version: self.embedder.model_id().to_owned(),
            rubric_version: RUBRIC_VERSION.to_owned(),
        };
        if let Some(reason) = gate {
            let summary = format!(
                "Not scored: {reason} Ask for longer answers with concrete examples, then \
                 analyse again."
            );
            return Ok(Analysis {
                outcome: Outcome::InsufficientEvidence { reason },
                summary,
                ..base
            });
        }
        let anchors = self.anchor_vectors()?;
        let matched = score::matches(vectors, anchors);
        let scores = score::score(&speech, &matched);
        let match_score = report::match_score(&scores, weights);
        let recommendation = report::recommendation(match_score, &base.risks, &scores, weights);
        let summary = report::summary(
            speech.words,
            speech.answers.len(),
            &scores,
            match_score,
            &base.risks,
        );
        Ok(Analysis {
            strengths: report::strengths(&scores),
            scores: Some(scores),
            match_score: Some(match_score),
            summary,
            recommendation: Some(recommendation),
            culture: Some(crate::culture::infer_candidate(
                &Reuse::new(&*self.embedder, &speech, vectors),
                transcript,
            )?),
            ..base
        })
    }
}

/// An embedder that answers from the vectors this analysis already computed and asks
/// the model only for texts it has not seen, so the culture inference does not embed
/// the candidate's speech a second time.
struct Reuse<'a> {
    inner: &'a dyn Embed,
    known: std::collections::HashMap<&'a str, &'a [f32]>,
}

impl<'a> Reuse<'a> {
    fn new(inner: &'a dyn Embed, speech: &'a units::Speech, vectors: &'a [Vec<f32>]) -> Self {
        let known = speech
            .units
            .iter()
            .zip(vectors)
            .map(|(u, v)| (u.embed_text.as_str(), v.as_slice()))
            .collect();
        Self { inner, known }
    }
}

impl Embed for Reuse<'_> {
    fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, AnalysisError> {
        let missing: Vec<&str> = texts
            .iter()
            .copied()
            .filter(|t| !self.known.contains_key(t))
            .collect();
        let fresh = self.inner.embed(&missing)?;
        let fresh: std::collections::HashMap<&str, Vec<f32>> =
            missing.into_iter().zip(fresh).collect();
        texts
            .iter()
            .map(|t| match self.known.get(t) {
                Some(v) => Ok(v.to_vec()),
                None => fresh.get(t).cloned().ok_or_else(|| {
                    AnalysisError::Model("the embedder returned too few vectors".into())
                }),
            })
            .collect()
    }

    fn model_id(&self) -> &str {
        self.inner.model_id()
    }
}

/// How long the stages of one analysis took.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StageTimes {
    /// Cutting the candidate's speech into units, neutralising, features, the gate.
    pub prepare: Duration,
    /// Embedding every unit (one batched call to the model).
    pub embed: Duration,
    /// Matching, scoring, risks and the report (and the anchors, the first time).
    pub score: Duration,
    /// Units of evidence embedded.
    pub units: usize,
}

/// The candidate's speech, cut up, and the gate's verdict.
struct Prepared {
    speech: units::Speech,
    /// Why the interview cannot be scored, if it cannot.
    gate: Option<String>,
}

/// Why the candidate's speech is too thin to score, if it is.
fn gate(speech: &units::Speech) -> Option<String> {
    if speech.words > 0 && speech.latin_share < MIN_LATIN_SHARE {
        return Some(
            "the candidate spoke mostly in a language other than English, and the scoring \
             model reads English only."
                .into(),
        );
    }
    if speech.words < MIN_CANDIDATE_WORDS {
        return Some(format!(
            "the candidate spoke only {} words; at least {MIN_CANDIDATE_WORDS} are needed.",
            speech.words
        ));
    }
    let answers = speech.answers.len().max(1);
    let short = speech.answers.iter().filter(|a| a.words <= 2).count();
    if short as f64 / answers as f64 > MAX_SHORT_ANSWER_SHARE {
        return Some(format!(
            "{short} of {} answers were one or two words.",
            speech.answers.len()
        ));
    }
    if speech.full_sentences < MIN_FULL_SENTENCES {
        return Some(format!(
            "the candidate said only {} sentences of four words or more; at least \
             {MIN_FULL_SENTENCES} are needed.",
            speech.full_sentences
        ));
    }
    if speech.distinct_words < MIN_DISTINCT_WORDS {
        return Some(format!(
            "the candidate used only {} different words.",
            speech.distinct_words
        ));
    }
    None
}
