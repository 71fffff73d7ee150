//! From matched anchors and language features to a score, a confidence and the
//! evidence for each competency.
//!
//! Every unit of the candidate's speech that resembles a competency's anchors becomes
//! an item of evidence with a *level* (where on the scale the behaviour sits: 1 for
//! the high anchors, 0 for the low ones) and a *weight* (how relevant and how
//! convincing it is). Language features add items of their own. The score is the
//! weighted mean of the levels, pulled toward 0.5 by a prior worth `PRIOR_WEIGHT`
//! items, so that little evidence cannot give an extreme score.

use super::features::{Mode, Negation, Subject};
use super::rubric::{RUBRIC, anchor_sentence};
use super::units::{Speech, Unit, UnitKind};
use super::{Direction, Evidence, SkillScore};
use std::collections::BTreeMap;
use talentd_core::template::Competency;

/// Similarity below which a unit says nothing about a competency.
const RELEVANCE_FLOOR: f64 = 0.30;
/// Similarity at which a unit is fully relevant.
const RELEVANCE_FULL: f64 = 0.60;
/// A unit counts for a competency only while its best match there is within this of
/// its best match for any competency: a sentence is mostly about one thing.
const COMPETITION: f64 = 0.25;
/// Lean (see `Match::lean`) that makes a unit fully high (or fully low).
const POLARITY_SCALE: f64 = 0.08;
/// Level of a negated good behaviour ("I did not plan"), as a polarity.
const NEGATED_GOOD: f64 = -0.8;
/// Level of a denied bad behaviour ("I didn't panic"): good, but less telling than a
/// good behaviour described.
const NEGATED_BAD: f64 = 0.6;
/// Weight of the prior at 0.5, in items of full weight.
const PRIOR_WEIGHT: f64 = 1.5;
/// Evidence weight at which confidence reaches one half.
const CONFIDENCE_HALF: f64 = 3.0;
/// Evidence items shown per competency.
const MAX_EVIDENCE: usize = 5;

/// The rubric's anchors as unit vectors, per competency in `Competency::ALL` order.
#[derive(Clone, Debug)]
pub(crate) struct AnchorVectors {
    high: Vec<Vec<Vec<f32>>>,
    low: Vec<Vec<Vec<f32>>>,
}

/// All anchor sentences to embed, competency by competency, high ones first.
pub(crate) fn anchor_texts() -> Vec<String> {
    RUBRIC
        .iter()
        .flat_map(|a| a.high.iter().chain(a.low))
        .map(|a| anchor_sentence(a))
        .collect()
}

impl AnchorVectors {
    /// Splits the vectors of `anchor_texts()` back into competencies.
    pub(crate) fn new(vectors: Vec<Vec<f32>>) -> Option<Self> {
        if vectors.len() != anchor_texts().len() {
            return None;
        }
        let mut it = vectors.into_iter();
        let mut high = Vec::new();
        let mut low = Vec::new();
        for a in &RUBRIC {
            high.push(it.by_ref().take(a.high.len()).collect());
            low.push(it.by_ref().take(a.low.len()).collect());
        }
        Some(Self { high, low })
    }
}

/// Cosine similarity of unit vectors, rounded to 4 decimals so that the last bits of
/// the model's arithmetic cannot change a result.
fn similarity(a: &[f32], b: &[f32]) -> f64 {
    let dot: f64 = a
        .iter()
        .zip(b)
        .map(|(x, y)| f64::from(*x) * f64::from(*y))
        .sum();
    (dot * 10_000.0).round() / 10_000.0
}

/// How a unit matches one competency's high and low anchors: the mean similarity of
/// the two best anchors on each side (one anchor alone matches on stray words too
/// easily), and the index of the best one.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Match {
    pub high: (f64, usize),
    pub low: (f64, usize),
    /// Mean similarity to all high anchors minus mean similarity to all low ones:
    /// which end the unit sits at. Averaging over every anchor cancels the topic the
    /// two ends share and single words that happen to match one anchor.
    pub lean: f64,
}

fn best(v: &[f32], anchors: &[Vec<f32>]) -> (f64, usize) {
    let (mut first, mut second, mut index) = (f64::MIN, f64::MIN, 0);
    for (i, a) in anchors.iter().enumerate() {
        let s = similarity(v, a);
        if s > first {
            second = first;
            first = s;
            index = i;
        } else if s > second {
            second = s;
        }
    }
    let mean = if second > f64::MIN {
        (first + second) / 2.0
    } else {
        first
    };
    ((mean * 10_000.0).round() / 10_000.0, index)
}

fn mean(v: &[f32], anchors: &[Vec<f32>]) -> f64 {
    if anchors.is_empty() {
        return 0.0;
    }
    let sum: f64 = anchors.iter().map(|a| similarity(v, a)).sum();
    ((sum / anchors.len() as f64) * 10_000.0).round() / 10_000.0
}

/// Matches every unit vector with every competency's anchors.
pub(crate) fn matches(units: &[Vec<f32>], anchors: &AnchorVectors) -> Vec<[Match; 6]> {
    units
        .iter()
        .map(|v| {
            std::array::from_fn(|k| Match {
                high: best(v, &anchors.high[k]),
                low: best(v, &anchors.low[k]),
                lean: mean(v, &anchors.high[k]) - mean(v, &anchors.low[k]),
            })
        })
        .collect()
}

/// One item of evidence before aggregation.
#[derive(Clone, Debug)]
struct Item {
    unit: usize,
    anchor: String,
    /// Where the behaviour sits on the scale, in [0, 1].
    level: f64,
    /// Relevance times credibility, in [0, 1.3].
    weight: f64,
}

impl Item {
    /// How strongly it pushes the score away from the middle, in [0, 1].
    fn strength(&self) -> f64 {
        (self.weight * (self.level - 0.5).abs() * 2.0).clamp(0.0, 1.0)
    }
}

/// The item a unit's anchor match gives for competency `k`, if it is relevant.
fn matched_item(unit_index: usize, unit: &Unit, m: &[Match; 6], k: usize) -> Option<Item> {
    let strongest = m
        .iter()
        .map(|x| x.high.0.max(x.low.0))
        .fold(f64::MIN, f64::max);
    let mk = m[k].high.0.max(m[k].low.0);
    let relevance = ((mk - RELEVANCE_FLOOR) / (RELEVANCE_FULL - RELEVANCE_FLOOR)).clamp(0.0, 1.0)
        * (1.0 - (strongest - mk) / COMPETITION).clamp(0.0, 1.0);
    if relevance <= 0.0 {
        return None;
    }
    let entry = &RUBRIC[k];
    let competency = Competency::ALL[k];
    let high_anchor = entry.high[m[k].high.1];
    let low_anchor = entry.low[m[k].low.1];
    let mut polarity = (m[k].lean / POLARITY_SCALE).clamp(-1.0, 1.0);
    let mut weight = relevance;
    let f = &unit.features;
    let mut label = if polarity >= 0.0 {
        high_anchor
    } else {
        low_anchor
    }
    .to_owned();
    // Skills a person shows by doing the thing themselves.
    let ownership_skill = matches!(
        competency,
        Competency::Leadership | Competency::Planning | Competency::Logic
    );

    match unit.kind {
        UnitKind::Plain => {}
        UnitKind::Negated => match f.negation {
            // The model reads "I did not plan" much like "I planned"; which way it
            // counts comes from what was negated.
            Some(Negation::DeniesBad) => {
                polarity = NEGATED_BAD;
                label = format!("the opposite of \"{low_anchor}\"");
            }
            _ => {
                polarity = NEGATED_GOOD;
                label = format!("the opposite of \"{high_anchor}\"");
            }
        },
        UnitKind::Attributed => {
            if ownership_skill && polarity > 0.0 {
                // Someone else did the good thing: no credit to the candidate, and a
                // sign of standing back.
                polarity *= -0.5;
                weight *= 0.7;
                label = format!("credited to someone else: \"{high_anchor}\"");
            } else {
                // How others behaved or felt is context, not the candidate's behaviour.
                weight *= 0.3;
                label = format!("said of someone else: \"{label}\"");
            }
            if f.negated {
                weight *= 0.3;
            }
        }
        UnitKind::Situation => {
            weight *= if f.negated { 0.1 } else { 0.2 };
        }
    }
    if f.setup && !f.ownership && unit.kind == UnitKind::Plain {
        // The scene of a story ("I had a pupil who stopped …") tells the problem, not
        // how the candidate behaved.
        weight *= 0.2;
    }
    if f.passive && competency == Competency::Leadership && unit.kind != UnitKind::Negated {
        // "I did the part I was given" is never leadership, whatever else it says.
        polarity = -polarity.abs().max(0.5);
        label = low_anchor.to_owned();
    }
    if f.subject == Subject::Generic {
        weight *= 0.6;
    }
    match f.mode {
        Mode::Concrete => {
            // Specific accounts of what happened are the best evidence.
            weight *= 1.0 + 0.1 * f64::from(f.specifics.min(3));
        }
        Mode::General => {
            weight *= 0.7;
            if polarity > 0.0 {
                // Self-descriptions ("I'm a natural leader") are claims, not behaviour.
                polarity *= if f.claim { 0.3 } else { 0.6 };
            }
        }
        Mode::Neutral => weight *= 0.85,
    }
    if polarity > 0.0 {
        polarity *= (1.0 - 0.25 * f64::from(f.hedges)).max(0.4);
        if f.subject == Subject::We && Competency::ALL[k] == Competency::Leadership {
            polarity *= 0.8;
        }
    }
    Some(Item {
        unit: unit_index,
        anchor: label,
        level: 0.5 + 0.5 * polarity,
        weight,
    })
}

const OWNERSHIP: &str =
    "ownership: describes own decisions and actions (\"I decided\", \"I organised\")";
const SHARED: &str = "shared ownership: decisions and actions of the team (\"we decided\")";
const PASSIVITY: &str =
    "passivity: waits for or defers to others (\"I was told\", \"someone else handled it\")";
const STRUCTURE: &str = "situation, action and result told in order";
const SPECIFIC: &str = "specific details: numbers, durations, named tools or outcomes";
const HEDGING: &str = "hedges and fillers (\"maybe\", \"I guess\", \"um\")";
const VAGUE: &str = "vague: no concrete example or detail";
const MEASURED: &str = "measured result: numbers tied to what was done";
const INVESTIGATES: &str =
    "checks the facts before acting (\"I checked\", \"I compared\", \"I noticed\")";
const ASSUMES: &str = "acts on an unchecked assumption (\"I figured\", \"my gut\")";
const ATTENDS: &str = "attends to the other person (\"I listened\", \"asked how they were\")";
const DISMISSES: &str =
    "brushes the other person off (\"not my problem\", \"told them to calm down\")";
const TIMED: &str = "time-bound detail: durations, dates or milestones";

/// Items from language features for competency `c`.
fn feature_items(speech: &Speech, c: Competency, items: &mut Vec<Item>) {
    for (i, u) in speech.units.iter().enumerate() {
        let f = &u.features;
        let own = matches!(f.subject, Subject::Me | Subject::We);
        match c {
            Competency::Leadership => {
                if f.ownership && u.kind == UnitKind::Plain {
                    let (level, weight, anchor) = if f.subject == Subject::Me {
                        (0.85, 0.4, OWNERSHIP)
                    } else {
                        (0.7, 0.25, SHARED)
                    };
                    items.push(Item {
                        unit: i,
                        anchor: anchor.into(),
                        level,
                        weight,
                    });
                }
                if f.passive && !(u.kind == UnitKind::Negated && own) {
                    items.push(Item {
                        unit: i,
                        anchor: PASSIVITY.into(),
                        level: 0.15,
                        weight: 0.5,
                    });
                }
            }
            Competency::Logic => {
                if u.own_concrete() && f.outcome && f.specifics > 0 && !f.negated {
                    items.push(Item {
                        unit: i,
                        anchor: MEASURED.into(),
                        level: 0.7,
                        weight: 0.15,
                    });
                }
                if f.investigates && u.kind == UnitKind::Plain && f.mode == Mode::Concrete {
                    items.push(Item {
                        unit: i,
                        anchor: INVESTIGATES.into(),
                        level: 0.75,
                        weight: 0.3,
                    });
                }
                if f.assumes {
                    items.push(Item {
                        unit: i,
                        anchor: ASSUMES.into(),
                        level: 0.2,
                        weight: 0.4,
                    });
                }
            }
            Competency::Empathy => {
                let lacks = u.kind == UnitKind::Negated && f.negation == Some(Negation::LacksGood);
                if f.attends && own && !lacks {
                    items.push(Item {
                        unit: i,
                        anchor: ATTENDS.into(),
                        level: 0.8,
                        weight: 0.35,
                    });
                }
                if f.dismisses || (f.attends && lacks) {
                    items.push(Item {
                        unit: i,
                        anchor: DISMISSES.into(),
                        level: 0.15,
                        weight: 0.45,
                    });
                }
            }
            Competency::Planning if own && f.timed && !f.negated && u.kind == UnitKind::Plain => {
                items.push(Item {
                    unit: i,
                    anchor: TIMED.into(),
                    level: 0.75,
                    weight: 0.2,
                });
            }
            _ => {}
        }
    }
    if c != Competency::Communication {
        return;
    }
    for a in &speech.answers {
        let units = &speech.units[a.first..a.first + a.count];
        if units.is_empty() {
            continue;
        }
        if a.structured {
            items.push(Item {
                unit: a.first,
                anchor: STRUCTURE.into(),
                level: 0.85,
                weight: 0.5,
            });
        }
        let specifics: u32 = units.iter().map(|u| u.features.specifics).sum();
        if specifics >= 2 && a.words >= 20 {
            let best = (0..units.len())
                .max_by_key(|&j| (units[j].features.specifics, usize::MAX - j))
                .unwrap_or(0);
            items.push(Item {
                unit: a.first + best,
                anchor: SPECIFIC.into(),
                level: 0.8,
                weight: 0.3,
            });
        }
        let hedged: u32 = units
            .iter()
            .map(|u| u.features.hedges + u.features.fillers)
            .sum();
        let density = f64::from(hedged) / a.words.max(1) as f64;
        if hedged >= 2 && density >= 0.04 {
            let worst = (0..units.len())
                .max_by_key(|&j| {
                    let f = &units[j].features;
                    (f.hedges + f.fillers, usize::MAX - j)
                })
                .unwrap_or(0);
            items.push(Item {
                unit: a.first + worst,
                anchor: HEDGING.into(),
                level: 0.2,
                weight: (density * 6.0).min(0.6),
            });
        }
        if a.words >= 12 && specifics == 0 && !units.iter().any(Unit::own_concrete) {
            items.push(Item {
                unit: a.first,
                anchor: VAGUE.into(),
                level: 0.35,
                weight: 0.25,
            });
        }
    }
}

fn round2(x: f64) -> f64 {
    let r = (x * 100.0).round() / 100.0;
    // No "-0.0" in the JSON.
    if r == 0.0 { 0.0 } else { r }
}

/// Scores every competency.
pub(crate) fn score(speech: &Speech, matched: &[[Match; 6]]) -> BTreeMap<Competency, SkillScore> {
    let mut out = BTreeMap::new();
    for (k, c) in Competency::ALL.into_iter().enumerate() {
        let mut items: Vec<Item> = speech
            .units
            .iter()
            .zip(matched)
            .enumerate()
            .filter_map(|(i, (u, m))| matched_item(i, u, m, k))
            .collect();
        feature_items(speech, c, &mut items);

        let total: f64 = items.iter().map(|i| i.weight).sum();
        let weighted: f64 = items.iter().map(|i| i.weight * i.level).sum();
        let score = (PRIOR_WEIGHT * 0.5 + weighted) / (PRIOR_WEIGHT + total);
        let confidence = total / (total + CONFIDENCE_HALF);

        // Strongest first; ties by position, then anchor, so the order is stable.
        items.sort_by(|a, b| {
            b.strength()
                .total_cmp(&a.strength())
                .then(a.unit.cmp(&b.unit))
                .then(a.anchor.cmp(&b.anchor))
        });
        let evidence = items
            .iter()
            .filter(|i| round2(i.strength()) > 0.0)
            .take(MAX_EVIDENCE)
            .map(|i| {
                let u = &speech.units[i.unit];
                Evidence {
                    quote: u.quote.clone(),
                    segment: u.segment,
                    start: u.start,
                    end: u.end,
                    anchor: i.anchor.clone(),
                    direction: if i.level >= 0.5 {
                        Direction::Raised
                    } else {
                        Direction::Lowered
                    },
                    weight: round2(i.strength()),
                }
            })
            .collect();
        out.insert(
            c,
            SkillScore {
                score: round2(score.clamp(0.0, 1.0)),
                confidence: round2(confidence.clamp(0.0, 1.0)),
                evidence,
            },
        );
    }
    out
}
