//! Person–organisation fit: the OCP's profile comparison of the company's 54 item values
//! with the candidate's, plus the dimensions where they meet or part.

use super::items::{ITEM_COUNT, dimension_indices};
use super::profile::{CompanyProfile, dimension_scores, pearson, value_at};
use super::{CandidateCulture, Dimension, round2};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A dimension score of each side, in [0, 1].
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct DimensionFit {
    pub company: f64,
    pub candidate: f64,
}

/// How well a candidate's preferences fit the company's culture.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Fit {
    /// `(r + 1) / 2` of the profile correlation, in [0, 1], two decimals; 0.5 when the
    /// candidate showed no preferences at all.
    pub fit_score: f64,
    /// Pearson correlation of the two 54-item profiles, in [-1, 1], two decimals; 0 when
    /// undefined (a flat profile).
    pub correlation: f64,
    /// Dimensions both value alike and clearly, as short phrases for a recruiter.
    pub matches: Vec<String>,
    /// The largest gaps (and a note when evidence was thin), as short phrases.
    pub attention: Vec<String>,
    /// Each dimension's score on both sides.
    pub dimensions: BTreeMap<Dimension, DimensionFit>,
    /// How many of the 54 items the candidate's speech gave evidence for.
    pub evidence_items: usize,
}

/// How far from the neutral 0.5 a dimension score must be to count as expressed.
const CLEAR: f64 = 0.05;
/// Largest difference between the two sides for a match.
const CLOSE: f64 = 0.10;
/// Smallest difference that needs a recruiter's attention.
const GAP: f64 = 0.15;
/// Most phrases in `matches` and in the gap part of `attention`.
const MAX_PHRASES: usize = 3;
/// With fewer items evidenced than this, `attention` says the evidence was thin.
const FEW_ITEMS: usize = 5;

/// Compares the company's profile with the candidate's (the OCP's profile comparison).
///
/// The candidate's values are read by item id; an item they lack reads as the neutral 5,
/// as does a missing or non-numeric company value.
pub fn fit(company: &CompanyProfile, candidate: &CandidateCulture) -> Fit {
    let company_values: Vec<f64> = (0..ITEM_COUNT)
        .map(|i| value_at(&company.values, i))
        .collect();
    let candidate_values = candidate.values();
    let evidenced = candidate.evidenced();
    let evidence_items = evidenced.iter().filter(|&&e| e).count();

    let company_dims = dimension_scores(&company_values);
    let candidate_dims = dimension_scores(&candidate_values);
    let dimensions: BTreeMap<Dimension, DimensionFit> = Dimension::ALL
        .iter()
        .map(|&d| {
            (
                d,
                DimensionFit {
                    company: company_dims.get(&d).copied().unwrap_or(0.5),
                    candidate: candidate_dims.get(&d).copied().unwrap_or(0.5),
                },
            )
        })
        .collect();

    let Some(r) = pearson(&company_values, &candidate_values) else {
        // A flat profile has no correlation: say so rather than invent one.
        let why = if evidence_items == 0 {
            "Too little evidence in the interview of what the candidate values to judge culture fit"
        } else {
            "The candidate's values and the company profile cannot be compared (one of them is flat)"
        };
        return Fit {
            fit_score: 0.5,
            correlation: 0.0,
            matches: Vec::new(),
            attention: vec![why.to_owned()],
            dimensions,
            evidence_items,
        };
    };

    let shown = |d: Dimension| dimension_indices(d).any(|i| evidenced[i]);
    let mut matches: Vec<(f64, Dimension, String)> = Vec::new();
    let mut gaps: Vec<(f64, Dimension, String)> = Vec::new();
    for (&d, f) in &dimensions {
        let (co, ca) = (f.company, f.candidate);
        let gap = (co - ca).abs();
        let label = d.label();
        let co_side = side(co);
        if shown(d) && gap <= CLOSE + 1e-9 && co_side != 0 && co_side == side(ca) {
            let phrase = if co_side > 0 {
                format!("{label}: valued by both the company and the candidate")
            } else {
                format!("{label}: a low priority for both the company and the candidate")
            };
            matches.push((gap, d, phrase));
        }
        if gap + 1e-9 < GAP {
            continue;
        }
        let phrase = if ca < co {
            if !shown(d) {
                format!("{label}: the company rates it high, the candidate did not show it")
            } else if side(ca) < 0 && co_side > 0 {
                format!("{label}: the company rates it high, the candidate leans away from it")
            } else {
                format!("{label}: the company values it more than the candidate does")
            }
        } else if !shown(d) {
            // The candidate sits at neutral and the company rates it low: no concern.
            continue;
        } else if co_side < 0 {
            format!("{label}: the candidate values it, the company rates it low")
        } else {
            format!("{label}: the candidate values it more than the company does")
        };
        gaps.push((gap, d, phrase));
    }
    // Closest matches and widest gaps first; the dimension order breaks ties.
    matches.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    gaps.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut attention: Vec<String> = gaps
        .into_iter()
        .take(MAX_PHRASES)
        .map(|(_, _, p)| p)
        .collect();
    if evidence_items < FEW_ITEMS {
        attention.push(format!(
            "Little evidence: only {evidence_items} of 54 values came up in the interview"
        ));
    }
    Fit {
        fit_score: round2((r + 1.0) / 2.0),
        correlation: round2(r),
        matches: matches
            .into_iter()
            .take(MAX_PHRASES)
            .map(|(_, _, p)| p)
            .collect(),
        attention,
        dimensions,
        evidence_items,
    }
}

/// +1 above neutral, -1 below, 0 around it.
fn side(score: f64) -> i8 {
    if score >= 0.5 + CLEAR - 1e-9 {
        1
    } else if score <= 0.5 - CLEAR + 1e-9 {
        -1
    } else {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::culture::profile::default_profile;
    use crate::culture::{ItemPreference, items};

    fn candidate(values: &[f64], evidence: bool) -> CandidateCulture {
        CandidateCulture {
            items: items()
                .iter()
                .zip(values)
                .map(|(it, &v)| ItemPreference {
                    item: it.id.to_owned(),
                    value: v,
                    evidence: if evidence && v != 5.0 {
                        vec!["quote".into()]
                    } else {
                        vec![]
                    },
                })
                .collect(),
        }
    }

    #[test]
    fn identical_and_reversed() {
        let c = default_profile();
        let same = fit(&c, &candidate(&c.values, true));
        assert_eq!((same.fit_score, same.correlation), (1.0, 1.0));
        let reversed: Vec<f64> = c.values.iter().map(|v| 10.0 - v).collect();
        let rev = fit(&c, &candidate(&reversed, true));
        assert_eq!((rev.fit_score, rev.correlation), (0.0, -1.0));
    }

    #[test]
    fn flat_candidate_is_half_with_a_note() {
        let f = fit(&default_profile(), &CandidateCulture::neutral());
        assert_eq!(f.fit_score, 0.5);
        assert_eq!(f.correlation, 0.0);
        assert_eq!(f.evidence_items, 0);
        assert!(f.matches.is_empty());
        assert_eq!(f.attention.len(), 1);
        assert!(f.attention[0].starts_with("Too little evidence"));
    }

    #[test]
    fn gaps_and_matches_in_words() {
        // Company: detail items high; candidate showed no detail but shares innovation.
        let mut company = vec![5.0; 54];
        let mut cand = vec![5.0; 54];
        for i in dimension_indices(Dimension::Detail) {
            company[i] = 8.0;
        }
        for i in dimension_indices(Dimension::Innovation) {
            company[i] = 7.0;
            cand[i] = 7.0;
        }
        let profile = CompanyProfile {
            values: company,
            raters: 1,
            agreement: None,
        };
        let f = fit(&profile, &candidate(&cand, true));
        assert_eq!(
            f.matches,
            vec!["Innovation and risk-taking: valued by both the company and the candidate"]
        );
        assert_eq!(
            f.attention[0],
            "Attention to detail: the company rates it high, the candidate did not show it"
        );
        assert_eq!(f.evidence_items, 7);
        assert_eq!(f.dimensions[&Dimension::Detail].company, 0.88);
        assert_eq!(f.dimensions[&Dimension::Detail].candidate, 0.5);
        let json = serde_json::to_value(&f).unwrap();
        assert!(json["dimensions"]["detail"]["company"].is_number());
    }
}
