//! Interview projects: status rules and competency weights.

use crate::template::Competency;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A project's status as the API reports it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ProjectStatus {
    /// Open for interviews.
    Active,
    /// Closed by the organisation.
    Completed,
    /// Past its `expires_at`, or closed as expired.
    Expired,
}

impl ProjectStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ProjectStatus::Active => "active",
            ProjectStatus::Completed => "completed",
            ProjectStatus::Expired => "expired",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Active, Self::Completed, Self::Expired]
            .into_iter()
            .find(|v| v.as_str() == s)
    }
}

/// The status a reader sees: a stored `active` project past its expiry reads `expired`.
pub fn effective_status(
    stored: ProjectStatus,
    expires_at_ms: Option<i64>,
    now_ms: i64,
) -> ProjectStatus {
    match (stored, expires_at_ms) {
        (ProjectStatus::Active, Some(exp)) if exp <= now_ms => ProjectStatus::Expired,
        (s, _) => s,
    }
}

/// Relative weight of each competency in a project's match score.
pub type CompetencyWeights = BTreeMap<Competency, f64>;

/// Every competency weighted equally.
pub fn default_weights() -> CompetencyWeights {
    Competency::ALL.into_iter().map(|c| (c, 1.0)).collect()
}

/// The weights a project gets when none are given: each competency weighs as many as
/// the template questions that probe it, plus two when the instructions name it
/// ("focus on leadership"); with neither, all weigh the same.
pub fn derived_weights(
    questions: &[crate::template::Question],
    instructions: &str,
) -> CompetencyWeights {
    let text = instructions.to_lowercase();
    let mut w: CompetencyWeights = Competency::ALL.into_iter().map(|c| (c, 0.0)).collect();
    for q in questions {
        for c in &q.competencies {
            *w.entry(*c).or_default() += 1.0;
        }
    }
    for c in Competency::ALL {
        let named = match c {
            Competency::StressTolerance => text.contains("stress") || text.contains("pressure"),
            other => text.contains(other.as_str()),
        };
        if named {
            *w.entry(c).or_default() += 2.0;
        }
    }
    if w.values().all(|v| *v == 0.0) {
        return default_weights();
    }
    w
}

/// Fills missing competencies with weight 0 when some are given, and checks that the
/// weights are finite, non-negative and not all zero.
pub fn normalise_weights(given: &CompetencyWeights) -> Result<CompetencyWeights, &'static str> {
    if given
        .values()
        .any(|w| !w.is_finite() || *w < 0.0 || *w > 100.0)
    {
        return Err("weights must be numbers between 0 and 100");
    }
    if given.values().all(|w| *w == 0.0) {
        return Err("at least one weight must be above 0");
    }
    Ok(Competency::ALL
        .into_iter()
        .map(|c| (c, given.get(&c).copied().unwrap_or(0.0)))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn active_projects_past_expiry_read_expired() {
        use ProjectStatus::*;
        assert_eq!(effective_status(Active, Some(100), 100), Expired);
        assert_eq!(effective_status(Active, Some(101), 100), Active);
        assert_eq!(effective_status(Active, None, 100), Active);
        assert_eq!(effective_status(Completed, Some(1), 100), Completed);
    }

    #[test]
    fn weights_follow_the_template_and_the_instructions() {
        use crate::template::{Question, builtin};
        let t = builtin("tpl_sales").unwrap();
        let w = derived_weights(&t.questions(), "Focus on leadership.");
        assert_eq!(w[&Competency::Planning], 2.0);
        assert_eq!(w[&Competency::Leadership], 4.0);
        assert_eq!(derived_weights(&[], "Be kind."), default_weights());
        let q = Question {
            text: "q".into(),
            competencies: vec![Competency::Logic],
        };
        let w = derived_weights(&[q], "Ask about working under pressure");
        assert_eq!(w[&Competency::StressTolerance], 2.0);
        assert_eq!(w[&Competency::Empathy], 0.0);
    }

    #[test]
    fn weights_are_checked_and_completed() {
        let mut w = CompetencyWeights::new();
        w.insert(Competency::Logic, 2.0);
        let n = normalise_weights(&w).unwrap();
        assert_eq!(n.len(), 6);
        assert_eq!(n[&Competency::Leadership], 0.0);
        w.insert(Competency::Logic, -1.0);
        assert!(normalise_weights(&w).is_err());
        w.insert(Competency::Logic, 0.0);
        assert!(normalise_weights(&w).is_err());
    }
}
