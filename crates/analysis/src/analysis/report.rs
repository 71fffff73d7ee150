//! The report around the scores: match with the vacancy, strengths, recommendation and
//! a short summary, all derived by fixed rules from the scores and risks.

use super::rubric::anchors;
use super::{Recommendation, Risk, RiskKind, SkillScore};
use std::collections::BTreeMap;
use talentd_core::project::CompetencyWeights;
use talentd_core::template::Competency;

/// Match at or above this: strongly recommended (before risks).
pub const STRONG_MATCH: f64 = 0.75;
/// Match at or above this: recommended.
pub const GOOD_MATCH: f64 = 0.60;
/// Match at or above this: consider; below it, not recommended.
pub const FAIR_MATCH: f64 = 0.45;
/// Weighted confidence below this caps the recommendation at "consider".
pub const THIN_EVIDENCE: f64 = 0.30;
/// Scores at or above this (with confidence at or above `THIN_EVIDENCE`) are strengths.
pub const STRENGTH_SCORE: f64 = 0.65;
/// Scores at or below this (with enough confidence) are named as gaps.
pub const GAP_SCORE: f64 = 0.45;

pub(crate) fn round2(x: f64) -> f64 {
    let r = (x * 100.0).round() / 100.0;
    if r == 0.0 { 0.0 } else { r }
}

/// Competency weights with missing ones as 0; all equal when none is positive.
fn effective_weights(weights: &CompetencyWeights) -> [f64; 6] {
    let w: [f64; 6] = std::array::from_fn(|k| {
        weights
            .get(&Competency::ALL[k])
            .copied()
            .filter(|w| w.is_finite() && *w > 0.0)
            .unwrap_or(0.0)
    });
    if w.iter().sum::<f64>() > 0.0 {
        w
    } else {
        [1.0; 6]
    }
}

/// The weighted mean of the scores by the vacancy's weights, two decimals.
pub fn match_score(scores: &BTreeMap<Competency, SkillScore>, weights: &CompetencyWeights) -> f64 {
    let w = effective_weights(weights);
    let (mut sum, mut total) = (0.0, 0.0);
    for (k, c) in Competency::ALL.into_iter().enumerate() {
        if let Some(s) = scores.get(&c) {
            sum += w[k] * s.score;
            total += w[k];
        }
    }
    if total > 0.0 {
        round2(sum / total)
    } else {
        0.0
    }
}

/// The confidence of the scores, weighted like the match.
fn weighted_confidence(
    scores: &BTreeMap<Competency, SkillScore>,
    weights: &CompetencyWeights,
) -> f64 {
    let w = effective_weights(weights);
    let (mut sum, mut total) = (0.0, 0.0);
    for (k, c) in Competency::ALL.into_iter().enumerate() {
        if let Some(s) = scores.get(&c) {
            sum += w[k] * s.confidence;
            total += w[k];
        }
    }
    if total > 0.0 { sum / total } else { 0.0 }
}

fn demote(r: Recommendation) -> Recommendation {
    match r {
        Recommendation::StronglyRecommended => Recommendation::Recommended,
        Recommendation::Recommended => Recommendation::Consider,
        _ => Recommendation::NotRecommended,
    }
}

/// The recommendation: from the match by `STRONG_MATCH`, `GOOD_MATCH` and
/// `FAIR_MATCH`; any risk caps it at "recommended"; hostility, or two risks or more,
/// lowers it one step further; thin evidence caps it at "consider".
pub fn recommendation(
    match_score: f64,
    risks: &[Risk],
    scores: &BTreeMap<Competency, SkillScore>,
    weights: &CompetencyWeights,
) -> Recommendation {
    let mut r = if match_score >= STRONG_MATCH {
        Recommendation::StronglyRecommended
    } else if match_score >= GOOD_MATCH {
        Recommendation::Recommended
    } else if match_score >= FAIR_MATCH {
        Recommendation::Consider
    } else {
        Recommendation::NotRecommended
    };
    if !risks.is_empty() && r == Recommendation::StronglyRecommended {
        r = Recommendation::Recommended;
    }
    let hostile = risks
        .iter()
        .any(|x| x.kind == RiskKind::HostilityToFormerEmployers);
    if hostile || risks.len() >= 2 {
        r = demote(r);
    }
    if weighted_confidence(scores, weights) < THIN_EVIDENCE
        && matches!(
            r,
            Recommendation::StronglyRecommended | Recommendation::Recommended
        )
    {
        r = Recommendation::Consider;
    }
    r
}

/// Competencies by score, highest first (ties in `Competency::ALL` order).
fn ranked(scores: &BTreeMap<Competency, SkillScore>) -> Vec<(Competency, &SkillScore)> {
    let mut v: Vec<(Competency, &SkillScore)> = scores.iter().map(|(c, s)| (*c, s)).collect();
    v.sort_by(|a, b| b.1.score.total_cmp(&a.1.score).then(a.0.cmp(&b.0)));
    v
}

/// Plain-language strengths, strongest first, at most three.
pub fn strengths(scores: &BTreeMap<Competency, SkillScore>) -> Vec<String> {
    ranked(scores)
        .into_iter()
        .filter(|(_, s)| s.score >= STRENGTH_SCORE && s.confidence >= THIN_EVIDENCE)
        .take(3)
        .map(|(c, _)| anchors(c).strength.to_owned())
        .collect()
}

fn name(c: Competency) -> &'static str {
    match c {
        Competency::Leadership => "leadership",
        Competency::Communication => "communication",
        Competency::Empathy => "empathy",
        Competency::Logic => "logic",
        Competency::Planning => "planning",
        Competency::StressTolerance => "stress tolerance",
    }
}

/// Two or three sentences for a recruiter.
pub fn summary(
    words: usize,
    answers: usize,
    scores: &BTreeMap<Competency, SkillScore>,
    match_score: f64,
    risks: &[Risk],
) -> String {
    let ranked = ranked(scores);
    let mut out = format!(
        "Scored from {words} words the candidate spoke in {answers} answers; match {match_score:.2} \
         for this vacancy's weights."
    );
    let top: Vec<String> = ranked
        .iter()
        .filter(|(_, s)| s.score >= STRENGTH_SCORE && s.confidence >= THIN_EVIDENCE)
        .take(2)
        .map(|(c, s)| format!("{} ({:.2})", name(*c), s.score))
        .collect();
    let gap = ranked
        .iter()
        .rev()
        .find(|(_, s)| s.score <= GAP_SCORE && s.confidence >= THIN_EVIDENCE);
    match (top.is_empty(), gap) {
        (false, Some((c, s))) => out.push_str(&format!(
            " Strongest: {}; weakest: {} ({:.2}) — {}.",
            top.join(" and "),
            name(*c),
            s.score,
            anchors(*c).gap.to_lowercase()
        )),
        (false, None) => out.push_str(&format!(" Strongest: {}.", top.join(" and "))),
        (true, Some((c, s))) => out.push_str(&format!(
            " No clear strength; weakest: {} ({:.2}) — {}.",
            name(*c),
            s.score,
            anchors(*c).gap.to_lowercase()
        )),
        (true, None) => out.push_str(" No competency stands out either way."),
    }
    if risks.is_empty() {
        out.push_str(" No risks found in what the candidate said.");
    } else {
        let list: Vec<String> = risks.iter().map(|r| r.message.to_lowercase()).collect();
        out.push_str(&format!(" To check: {}.", list.join("; ")));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scores(values: [f64; 6]) -> BTreeMap<Competency, SkillScore> {
        Competency::ALL
            .into_iter()
            .zip(values)
            .map(|(c, v)| {
                (
                    c,
                    SkillScore {
                        score: v,
                        confidence: 0.6,
                        evidence: Vec::new(),
                    },
                )
            })
            .collect()
    }

    #[test]
    fn match_is_the_weighted_mean_with_missing_weights_zero() {
        let s = scores([0.9, 0.5, 0.5, 0.5, 0.3, 0.5]);
        let mut w = CompetencyWeights::new();
        w.insert(Competency::Leadership, 3.0);
        w.insert(Competency::Planning, 1.0);
        assert_eq!(match_score(&s, &w), 0.75);
        assert_eq!(match_score(&s, &CompetencyWeights::new()), 0.53);
    }

    #[test]
    fn recommendation_thresholds_and_risks() {
        let s = scores([0.8; 6]);
        let w = CompetencyWeights::new();
        assert_eq!(
            recommendation(0.8, &[], &s, &w),
            Recommendation::StronglyRecommended
        );
        assert_eq!(
            recommendation(0.6, &[], &s, &w),
            Recommendation::Recommended
        );
        assert_eq!(recommendation(0.45, &[], &s, &w), Recommendation::Consider);
        assert_eq!(
            recommendation(0.44, &[], &s, &w),
            Recommendation::NotRecommended
        );
        let risk = |kind| Risk {
            kind,
            message: String::new(),
            quote: String::new(),
            segment: 0,
            start: None,
            end: None,
        };
        assert_eq!(
            recommendation(0.8, &[risk(RiskKind::NoticePeriod)], &s, &w),
            Recommendation::Recommended
        );
        assert_eq!(
            recommendation(0.8, &[risk(RiskKind::HostilityToFormerEmployers)], &s, &w),
            Recommendation::Consider
        );
    }
}
