//! A candidate's OCP preferences inferred from what they said in the interview.
//!
//! Each clause of the candidate's speech (never the interviewer's) is embedded and
//! compared with plain statements of valuing and of disliking each item. A clause counts
//! for an item only when it is close to one of them (above [`THRESHOLD`]), has the same
//! polarity (a negated clause never matches an affirmative statement), sides with the
//! closer of the two (valuing or disliking), and is among the clause's best matches.
//! Items nobody spoke to stay at the neutral 5.

use super::items::{ITEM_COUNT, index_of, items};
use super::statements::{STATEMENTS, STATEMENTS_VERSION};
use super::text::{self, Clause};
use super::{CandidateCulture, ItemPreference, round2};
use crate::{AnalysisError, Embed};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, OnceLock};
use talentd_core::transcript::Transcript;

/// Least cosine similarity between a clause and a statement for the clause to count.
const THRESHOLD: f32 = 0.55;
/// A clause counts for every item whose match is at most this far below its best one,
/// so a sentence about experimenting moves the closely related items too, but not
/// everything it faintly resembles.
const NEAR_BEST: f32 = 0.06;
/// How much closer to one side (valuing or disliking) than to the other a clause must be.
const SIDE_MARGIN: f32 = 0.02;
/// What a match just above the threshold weighs (an exact match weighs 1): crossing
/// the threshold is already evidence.
const BASE_WEIGHT: f32 = 0.3;
/// How fast evidence saturates: the item moves `4 * tanh(net / SCALE)` piles from 5.
const SCALE: f64 = 0.8;
/// Clauses shorter than this (in words) say too little to match ("Yes, sure.").
const MIN_WORDS: usize = 3;
/// Most clauses considered (about ten hours of speech); later ones are ignored.
const MAX_CLAUSES: usize = 5_000;
/// Most quotes kept per item.
const MAX_EVIDENCE: usize = 3;
/// Texts per call to the embedder.
const BATCH: usize = 64;

/// One statement of the bank, embedded.
struct Statement {
    item: usize,
    pro: bool,
    negative: bool,
    vector: Vec<f32>,
}

/// Infers the candidate's 54-item preference profile from their own speech.
///
/// Deterministic: the same transcript and model give identical output (values rounded
/// to two decimals). Names and gendered words are neutralised before matching, so
/// swapping them changes no value; quotes are the candidate's words verbatim.
pub fn infer_candidate(
    embedder: &dyn Embed,
    transcript: &Transcript,
) -> Result<CandidateCulture, AnalysisError> {
    let clauses: Vec<Clause> = transcript
        .candidate_segments()
        .flat_map(|(_, seg)| text::clauses(&seg.text))
        .filter(|c| text::word_count(&c.neutral) >= MIN_WORDS)
        .take(MAX_CLAUSES)
        .collect();
    if clauses.is_empty() {
        return Ok(CandidateCulture::neutral());
    }
    let statements = statement_vectors(embedder)?;
    let clause_vectors = embed_unique(embedder, clauses.iter().map(|c| c.neutral.as_str()))?;
    let dim = statements.first().map_or(0, |s| s.vector.len());
    if clause_vectors.values().any(|v| v.len() != dim) {
        return Err(AnalysisError::Model(
            "the embedder returned vectors of different sizes".into(),
        ));
    }

    // Per item: net evidence and the (weight, clause) pairs that moved it.
    let mut net = [0.0f64; ITEM_COUNT];
    let mut moved: Vec<Vec<(f32, usize)>> = vec![Vec::new(); ITEM_COUNT];
    for (ci, clause) in clauses.iter().enumerate() {
        let Some(v) = clause_vectors.get(clause.neutral.as_str()) else {
            continue;
        };
        let negative = text::is_negative(&clause.neutral);
        let mut best_pro = [f32::NEG_INFINITY; ITEM_COUNT];
        let mut best_con = [f32::NEG_INFINITY; ITEM_COUNT];
        for st in statements.iter().filter(|s| s.negative == negative) {
            let sim = dot(v, &st.vector);
            let slot = if st.pro {
                &mut best_pro[st.item]
            } else {
                &mut best_con[st.item]
            };
            if sim > *slot {
                *slot = sim;
            }
        }
        let best = (0..ITEM_COUNT)
            .map(|i| best_pro[i].max(best_con[i]))
            .fold(f32::NEG_INFINITY, f32::max);
        if best < THRESHOLD {
            continue;
        }
        for i in 0..ITEM_COUNT {
            let (pro, con) = (best_pro[i], best_con[i]);
            let sim = pro.max(con);
            // A clause about as close to valuing as to disliking says nothing either way.
            if sim < THRESHOLD || sim < best - NEAR_BEST || (pro - con).abs() < SIDE_MARGIN {
                continue;
            }
            let weight = BASE_WEIGHT + (1.0 - BASE_WEIGHT) * (sim - THRESHOLD) / (1.0 - THRESHOLD);
            net[i] += if pro > con {
                f64::from(weight)
            } else {
                -f64::from(weight)
            };
            moved[i].push((weight, ci));
        }
    }

    let items = items()
        .iter()
        .enumerate()
        .map(|(i, it)| {
            let value = if moved[i].is_empty() {
                5.0
            } else {
                round2((5.0 + 4.0 * (net[i] / SCALE).tanh()).clamp(1.0, 9.0))
            };
            let mut m = moved[i].clone();
            // Strongest first; earlier clauses first among equals.
            m.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
            let mut evidence: Vec<String> = Vec::new();
            for (_, ci) in m {
                let quote = &clauses[ci].quote;
                if !evidence.contains(quote) {
                    evidence.push(quote.clone());
                }
                if evidence.len() == MAX_EVIDENCE {
                    break;
                }
            }
            ItemPreference {
                item: it.id.to_owned(),
                value,
                evidence,
            }
        })
        .collect();
    Ok(CandidateCulture { items })
}

fn dot(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

fn normalised(mut v: Vec<f32>) -> Vec<f32> {
    let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
    if norm > 0.0 && norm.is_finite() {
        v.iter_mut().for_each(|x| *x /= norm);
    }
    v
}

/// Embeds each distinct text once, in batches; vectors are re-normalised defensively.
fn embed_unique<'a>(
    embedder: &dyn Embed,
    texts: impl Iterator<Item = &'a str>,
) -> Result<BTreeMap<&'a str, Vec<f32>>, AnalysisError> {
    let mut unique: Vec<&str> = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for t in texts {
        if seen.insert(t) {
            unique.push(t);
        }
    }
    let mut out = BTreeMap::new();
    for chunk in unique.chunks(BATCH) {
        let vectors = embedder.embed(chunk)?;
        if vectors.len() != chunk.len() {
            return Err(AnalysisError::Model(format!(
                "the embedder returned {} vectors for {} texts",
                vectors.len(),
                chunk.len()
            )));
        }
        for (t, v) in chunk.iter().zip(vectors) {
            out.insert(*t, normalised(v));
        }
    }
    Ok(out)
}

/// Embeds the statement bank now rather than during the first inference.
pub fn prepare(embedder: &dyn Embed) -> Result<(), AnalysisError> {
    statement_vectors(embedder).map(|_| ())
}

/// The statement bank embedded with this model, computed once per model and process:
/// the bank is fixed, and embedding it costs more than a typical interview.
fn statement_vectors(embedder: &dyn Embed) -> Result<Arc<Vec<Statement>>, AnalysisError> {
    static CACHE: OnceLock<Mutex<BTreeMap<String, Arc<Vec<Statement>>>>> = OnceLock::new();
    let key = format!("{}|{STATEMENTS_VERSION}", embedder.model_id());
    let cache = CACHE.get_or_init(|| Mutex::new(BTreeMap::new()));
    // A poisoned lock only means another thread panicked mid-insert of a whole entry.
    if let Some(hit) = cache
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .get(&key)
        .cloned()
    {
        return Ok(hit);
    }
    let mut layout: Vec<(usize, bool, &str)> = Vec::new();
    for st in &STATEMENTS {
        let Some(i) = index_of(st.id) else {
            continue;
        };
        layout.extend(st.pro.iter().map(|t| (i, true, *t)));
        layout.extend(st.con.iter().map(|t| (i, false, *t)));
    }
    let vectors = embed_unique(embedder, layout.iter().map(|(_, _, t)| *t))?;
    let mut statements = Vec::with_capacity(layout.len());
    let mut dim = None;
    for (item, pro, t) in layout {
        let Some(v) = vectors.get(t) else {
            continue;
        };
        if *dim.get_or_insert(v.len()) != v.len() || v.is_empty() {
            return Err(AnalysisError::Model(
                "the embedder returned vectors of different sizes".into(),
            ));
        }
        statements.push(Statement {
            item,
            pro,
            negative: text::is_negative(t),
            vector: v.clone(),
        });
    }
    let statements = Arc::new(statements);
    cache
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .insert(key, statements.clone());
    Ok(statements)
}

#[cfg(test)]
mod tests {
    use super::*;
    use talentd_core::transcript::Speaker;

    /// A bag-of-words embedder: each lowercase word hashed into one of 512 dimensions.
    /// Crude, but deterministic and enough to test the mechanics without the model.
    struct Words(&'static str);

    impl Embed for Words {
        fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, AnalysisError> {
            Ok(texts
                .iter()
                .map(|t| {
                    let mut v = vec![0.0f32; 512];
                    for w in t
                        .to_lowercase()
                        .split(|c: char| !c.is_alphanumeric() && c != '\'')
                        .filter(|w| !w.is_empty())
                    {
                        let h = w.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
                            (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
                        });
                        v[(h % 512) as usize] += 1.0;
                    }
                    normalised(v)
                })
                .collect())
        }
        fn model_id(&self) -> &str {
            self.0
        }
    }

    fn transcript(lines: &[(Speaker, &str)]) -> Transcript {
        Transcript::from_turns(lines)
    }

    fn value(c: &CandidateCulture, id: &str) -> f64 {
        c.items
            .iter()
            .find(|i| i.item == id)
            .map(|i| i.value)
            .unwrap_or(f64::NAN)
    }

    #[test]
    fn exact_statements_move_their_item_with_evidence() {
        let e = Words("test-words-1");
        let t = transcript(&[
            (Speaker::Interviewer, "What do you value?"),
            (Speaker::Candidate, "I love trying new approaches."),
        ]);
        let c = infer_candidate(&e, &t).unwrap();
        assert_eq!(c.items.len(), 54);
        assert!(value(&c, "ocp_07") > 6.0, "{}", value(&c, "ocp_07"));
        let it = &c.items[6];
        assert_eq!(
            it.evidence,
            vec!["I love trying new approaches.".to_owned()]
        );
        // Untouched items stay neutral without evidence.
        assert_eq!(value(&c, "ocp_45"), 5.0);
        assert!(c.items[44].evidence.is_empty());
    }

    #[test]
    fn a_negated_clause_never_counts_for_the_affirmative() {
        let e = Words("test-words-2");
        let t = transcript(&[(Speaker::Candidate, "I don't enjoy taking risks.")]);
        let c = infer_candidate(&e, &t).unwrap();
        assert!(value(&c, "ocp_08") < 5.0, "{}", value(&c, "ocp_08"));
    }

    #[test]
    fn interviewer_speech_and_silence_change_nothing() {
        let e = Words("test-words-3");
        let quiet = transcript(&[(Speaker::Candidate, "Yes.")]);
        let c = infer_candidate(&e, &quiet).unwrap();
        assert_eq!(c, CandidateCulture::neutral());
        let asked = transcript(&[
            (
                Speaker::Interviewer,
                "I love trying new approaches. I enjoy taking risks.",
            ),
            (Speaker::Candidate, "Yes."),
        ]);
        assert_eq!(infer_candidate(&e, &asked).unwrap(), c);
    }

    #[test]
    fn deterministic_and_blind_to_names() {
        let e = Words("test-words-4");
        let a = transcript(&[(
            Speaker::Candidate,
            "John and I love trying new approaches. He taught me to take calculated risks.",
        )]);
        let b = transcript(&[(
            Speaker::Candidate,
            "Priya and I love trying new approaches. She taught me to take calculated risks.",
        )]);
        let ca = infer_candidate(&e, &a).unwrap();
        assert_eq!(ca, infer_candidate(&e, &a).unwrap());
        let cb = infer_candidate(&e, &b).unwrap();
        let values = |c: &CandidateCulture| c.items.iter().map(|i| i.value).collect::<Vec<_>>();
        assert_eq!(values(&ca), values(&cb));
    }

    struct Broken;
    impl Embed for Broken {
        fn embed(&self, _: &[&str]) -> Result<Vec<Vec<f32>>, AnalysisError> {
            Ok(vec![])
        }
        fn model_id(&self) -> &str {
            "test-broken"
        }
    }

    #[test]
    fn a_misbehaving_embedder_is_an_error_not_a_panic() {
        let t = transcript(&[(Speaker::Candidate, "I love trying new approaches.")]);
        assert!(infer_candidate(&Broken, &t).is_err());
    }
}
