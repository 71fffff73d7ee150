//! How a candidate's interviews combine into one score, report and culture profile.
//! Pure functions over analyses.

use std::collections::BTreeMap;
use talentd_analysis::culture::{CandidateCulture, ItemPreference};
use talentd_analysis::{Analysis, Outcome, Recommendation, Risk};

/// A candidate's combined result over their completed interviews.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Combined {
    /// Interviews that produced scores.
    pub interviews_scored: usize,
    /// Per skill: the confidence-weighted mean over the scored interviews.
    pub scores: Option<BTreeMap<String, f64>>,
    /// The mean of the scored interviews' match values.
    pub match_score: Option<f64>,
    /// From the most recent scored interview.
    pub strengths: Vec<String>,
    pub recommendation: Option<Recommendation>,
    pub summary: Option<String>,
    /// Every interview's risks, each quote once.
    pub risks: Vec<Risk>,
    /// Per OCP item, the mean over the interviews that gave evidence for it.
    pub culture: Option<CandidateCulture>,
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// Combines analyses given oldest first.
pub fn combine(analyses: &[Analysis]) -> Combined {
    let scored: Vec<&Analysis> = analyses
        .iter()
        .filter(|a| a.outcome == Outcome::Scored && a.scores.is_some())
        .collect();
    let mut out = Combined {
        interviews_scored: scored.len(),
        ..Combined::default()
    };
    if !scored.is_empty() {
        let mut sums: BTreeMap<String, (f64, f64, f64, usize)> = BTreeMap::new();
        for a in &scored {
            for (skill, s) in a.scores.iter().flatten() {
                let e = sums.entry(skill.as_str().to_owned()).or_default();
                e.0 += s.score * s.confidence;
                e.1 += s.confidence;
                e.2 += s.score;
                e.3 += 1;
            }
        }
        out.scores = Some(
            sums.into_iter()
                .map(|(k, (weighted, conf, plain, n))| {
                    let v = if conf > 0.0 {
                        weighted / conf
                    } else {
                        plain / n as f64
                    };
                    (k, round2(v))
                })
                .collect(),
        );
        let matches: Vec<f64> = scored.iter().filter_map(|a| a.match_score).collect();
        if !matches.is_empty() {
            out.match_score = Some(round2(matches.iter().sum::<f64>() / matches.len() as f64));
        }
        if let Some(latest) = scored.last() {
            out.strengths = latest.strengths.clone();
            out.recommendation = latest.recommendation;
            out.summary = Some(latest.summary.clone());
        }
    }
    for a in analyses {
        for r in &a.risks {
            if !out
                .risks
                .iter()
                .any(|x| x.kind == r.kind && x.quote == r.quote)
            {
                out.risks.push(r.clone());
            }
        }
    }
    out.culture = combine_culture(analyses.iter().filter_map(|a| a.culture.as_ref()));
    out
}

fn combine_culture<'a>(
    cultures: impl Iterator<Item = &'a CandidateCulture>,
) -> Option<CandidateCulture> {
    let cultures: Vec<&CandidateCulture> = cultures.collect();
    let first = cultures.first()?;
    if cultures.len() == 1 {
        return Some((*first).clone());
    }
    let items = first
        .items
        .iter()
        .map(|item| {
            let with_evidence: Vec<&ItemPreference> = cultures
                .iter()
                .filter_map(|c| c.items.iter().find(|i| i.item == item.item))
                .filter(|i| !i.evidence.is_empty())
                .collect();
            if with_evidence.is_empty() {
                return item.clone();
            }
            let value =
                with_evidence.iter().map(|i| i.value).sum::<f64>() / with_evidence.len() as f64;
            let mut evidence: Vec<String> = with_evidence
                .iter()
                .flat_map(|i| i.evidence.clone())
                .collect();
            evidence.truncate(3);
            ItemPreference {
                value: round2(value),
                evidence,
                ..item.clone()
            }
        })
        .collect();
    Some(CandidateCulture { items })
}

#[cfg(test)]
mod tests {
    use super::*;
    use talentd_analysis::{RiskKind, SkillScore};
    use talentd_core::template::Competency;

    fn analysis(score: f64, confidence: f64, m: f64, quote: &str) -> Analysis {
        let scores = Competency::ALL
            .into_iter()
            .map(|c| {
                (
                    c,
                    SkillScore {
                        score,
                        confidence,
                        evidence: Vec::new(),
                    },
                )
            })
            .collect();
        Analysis {
            outcome: Outcome::Scored,
            scores: Some(scores),
            match_score: Some(m),
            strengths: vec![format!("strength {score}")],
            risks: vec![Risk {
                kind: RiskKind::NoticePeriod,
                message: "Long notice period".into(),
                quote: quote.into(),
                segment: 0,
                start: None,
                end: None,
            }],
            summary: String::new(),
            recommendation: Some(Recommendation::Consider),
            culture: None,
            candidate_words: 100,
            model_version: "m".into(),
            rubric_version: "r".into(),
        }
    }

    #[test]
    fn skills_weigh_by_confidence_and_risks_appear_once() {
        let a = analysis(0.8, 0.9, 0.7, "three months");
        let b = analysis(0.2, 0.1, 0.5, "three months");
        let c = combine(&[a, b]);
        assert_eq!(c.interviews_scored, 2);
        // (0.8*0.9 + 0.2*0.1) / 1.0
        assert_eq!(c.scores.as_ref().unwrap()["leadership"], 0.74);
        assert_eq!(c.match_score, Some(0.6));
        assert_eq!(
            c.strengths,
            vec!["strength 0.2".to_owned()],
            "latest interview's"
        );
        assert_eq!(c.risks.len(), 1);
    }

    #[test]
    fn insufficient_interviews_do_not_count() {
        let mut quiet = analysis(0.0, 0.0, 0.0, "x");
        quiet.outcome = Outcome::InsufficientEvidence {
            reason: "too short".into(),
        };
        quiet.scores = None;
        quiet.match_score = None;
        let c = combine(&[quiet]);
        assert_eq!(c.interviews_scored, 0);
        assert!(c.scores.is_none() && c.match_score.is_none());
        assert_eq!(c.risks.len(), 1, "what was said still counts as a risk");
    }
}
