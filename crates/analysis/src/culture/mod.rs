//! The Organizational Culture Profile (O'Reilly, Chatman & Caldwell, 1991): 54 value
//! statements in seven dimensions; company profiles from Q-sorts; a candidate's
//! preferences inferred from what they said; fit as a profile correlation.
//!
//! Everything here is pure over plain data, except that [`infer_candidate`] calls the
//! embedding model it is given. See `docs/culture.md` for the decisions behind it.

mod fit;
mod infer;
mod items;
mod profile;
mod statements;
mod text;

pub use fit::{DimensionFit, Fit, fit};
pub use infer::{infer_candidate, prepare as prepare_inference};
pub use items::{ITEM_COUNT, OcpItem, items};
pub use profile::{
    CompanyProfile, DISTRIBUTION, SortError, default_profile, dimension_scores, profile_from_sorts,
    validate_sort,
};

use serde::{Deserialize, Serialize};

/// The seven dimensions (TalentMind's names for the OCP's seven factors).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Dimension {
    /// Innovation: flexibility, experimenting, risk taking, few rules.
    Innovation,
    /// Stability: predictability, care, rules, security, little conflict.
    Stability,
    /// Respect for people: fairness, tolerance, support, growth, praise.
    People,
    /// Outcome orientation: achievement, high expectations, results, quality.
    Results,
    /// Attention to detail: analysis, precision, organisation.
    Detail,
    /// Team orientation: teamwork, sharing information, collaboration.
    Team,
    /// Aggressiveness/competitiveness: competing, decisiveness, initiative.
    Competitiveness,
}

/// A candidate's inferred preference for one OCP item.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ItemPreference {
    /// The item's id, e.g. `ocp_01`.
    pub item: String,
    /// Preference on the Q-sort's 1–9 scale (9: most desirable; 5: neutral or unknown).
    pub value: f64,
    /// Quotes of the candidate that moved it, strongest first (at most 3).
    pub evidence: Vec<String>,
}

/// A candidate's 54-item preference profile.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CandidateCulture {
    /// One entry per OCP item, in the order of [`items`].
    pub items: Vec<ItemPreference>,
}

impl CandidateCulture {
    /// Every item at the neutral 5 with no evidence: what an interview that shows
    /// nothing about values gives.
    pub fn neutral() -> Self {
        Self {
            items: items()
                .iter()
                .map(|it| ItemPreference {
                    item: it.id.to_owned(),
                    value: 5.0,
                    evidence: Vec::new(),
                })
                .collect(),
        }
    }

    /// The 54 values in item order; a missing or non-numeric item reads as 5.
    pub fn values(&self) -> Vec<f64> {
        let mut values = vec![5.0; ITEM_COUNT];
        for p in &self.items {
            if let Some(i) = items::index_of(&p.item)
                && p.value.is_finite()
            {
                values[i] = p.value.clamp(1.0, 9.0);
            }
        }
        values
    }

    /// How many items have evidence.
    pub fn evidence_items(&self) -> usize {
        self.evidenced().iter().filter(|&&e| e).count()
    }

    /// Per item (in order): whether the candidate's speech gave evidence for it.
    fn evidenced(&self) -> Vec<bool> {
        let mut out = vec![false; ITEM_COUNT];
        for p in &self.items {
            if let Some(i) = items::index_of(&p.item) {
                out[i] |= !p.evidence.is_empty();
            }
        }
        out
    }
}

/// Rounds to two decimals (never yielding `-0.0`).
pub(crate) fn round2(x: f64) -> f64 {
    let r = (x * 100.0).round() / 100.0;
    if r == 0.0 { 0.0 } else { r }
}
