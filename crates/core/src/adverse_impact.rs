//! Adverse-impact arithmetic, as a bias audit under NYC Local Law 144 (6 RCNY § 5-301)
//! computes it and as the four-fifths rule of the Uniform Guidelines (29 CFR
//! 1607.4(D)) reads it:
//!
//! - **selection rate**: the share of a category's candidates who were selected (here:
//!   recommended, or decided for by a recruiter);
//! - **scoring rate**: the share of a category's candidates who scored above the median
//!   score of the whole sample;
//! - **impact ratio**: a category's rate divided by the highest category's rate;
//! - **flag**: an impact ratio under 0.8;
//! - categories holding under 2% of the candidates with a known category are reported
//!   but left out of the impact ratios (and of the highest rate), as LL144 allows;
//! - candidates whose category is unknown are counted and left out of every rate.
//!
//! Pure functions over plain rows: the store gathers the rows, the API formats them.

use serde::Serialize;

/// Impact ratios under this are flagged (the four-fifths rule).
pub const FOUR_FIFTHS: f64 = 0.8;
/// Categories under this share of the known candidates are left out of the ratios.
pub const MIN_SHARE: f64 = 0.02;

/// One candidate as the audit sees them: a category (None when unknown), whether they
/// were selected, and their score when they have one.
#[derive(Clone, Debug, PartialEq)]
pub struct AuditRow {
    pub category: Option<String>,
    pub selected: bool,
    pub score: Option<f64>,
}

/// One category's line of a table.
#[derive(Clone, Debug, PartialEq, Serialize, utoipa::ToSchema)]
pub struct CategoryRate {
    pub category: String,
    /// Candidates in the category (for scoring rates: those with a score).
    pub count: u64,
    /// Of them, selected (or scoring above the median).
    pub positive: u64,
    /// `positive / count`.
    pub rate: f64,
    /// `rate / highest rate`; absent for an excluded category or when no category has
    /// a positive outcome.
    pub impact_ratio: Option<f64>,
    /// Under 2% of the known candidates: left out of the ratios.
    pub excluded: bool,
    /// Impact ratio under 0.8.
    pub flagged: bool,
}

/// A table of rates by category.
#[derive(Clone, Debug, PartialEq, Serialize, utoipa::ToSchema)]
pub struct RateTable {
    pub categories: Vec<CategoryRate>,
    /// Candidates whose category is unknown: counted, not rated.
    pub unknown: u64,
    /// Candidates in the table, unknown included.
    pub total: u64,
}

/// Rates of `positive` among the rows of each known category, with impact ratios.
/// Categories come out in name order.
fn table(rows: &[(Option<&str>, bool)]) -> RateTable {
    let mut counts: std::collections::BTreeMap<&str, (u64, u64)> = Default::default();
    let mut unknown = 0;
    for (category, positive) in rows {
        match category {
            Some(c) => {
                let e = counts.entry(c).or_default();
                e.0 += 1;
                e.1 += u64::from(*positive);
            }
            None => unknown += 1,
        }
    }
    let known: u64 = counts.values().map(|(n, _)| n).sum();
    let mut categories: Vec<CategoryRate> = counts
        .into_iter()
        .map(|(category, (count, positive))| CategoryRate {
            category: category.to_owned(),
            count,
            positive,
            rate: positive as f64 / count as f64,
            impact_ratio: None,
            excluded: (count as f64) < MIN_SHARE * known as f64,
            flagged: false,
        })
        .collect();
    let highest = categories
        .iter()
        .filter(|c| !c.excluded)
        .map(|c| c.rate)
        .fold(0.0_f64, f64::max);
    if highest > 0.0 {
        for c in categories.iter_mut().filter(|c| !c.excluded) {
            let ratio = c.rate / highest;
            c.impact_ratio = Some(ratio);
            // A ratio of exactly four-fifths is not adverse; the margin keeps float
            // rounding (0.4 / 0.5) from saying otherwise.
            c.flagged = ratio < FOUR_FIFTHS - 1e-9;
        }
    }
    RateTable {
        categories,
        unknown,
        total: rows.len() as u64,
    }
}

/// Selection rates by category.
pub fn selection_rates(rows: &[AuditRow]) -> RateTable {
    let pairs: Vec<(Option<&str>, bool)> = rows
        .iter()
        .map(|r| (r.category.as_deref(), r.selected))
        .collect();
    table(&pairs)
}

/// The median of the scores (the mean of the middle two for an even count).
pub fn median(scores: &[f64]) -> Option<f64> {
    let mut s: Vec<f64> = scores.iter().copied().filter(|x| x.is_finite()).collect();
    if s.is_empty() {
        return None;
    }
    s.sort_by(f64::total_cmp);
    let mid = s.len() / 2;
    Some(if s.len().is_multiple_of(2) {
        (s[mid - 1] + s[mid]) / 2.0
    } else {
        s[mid]
    })
}

/// Scoring rates by category: the share scoring above the median of every scored
/// candidate (unknown categories included in the median, as the whole sample is).
/// Candidates without a score are left out. Returns the median with the table.
pub fn scoring_rates(rows: &[AuditRow]) -> (Option<f64>, RateTable) {
    let scored: Vec<&AuditRow> = rows.iter().filter(|r| r.score.is_some()).collect();
    let scores: Vec<f64> = scored.iter().filter_map(|r| r.score).collect();
    let m = median(&scores);
    let pairs: Vec<(Option<&str>, bool)> = scored
        .iter()
        .map(|r| {
            let above = match (r.score, m) {
                (Some(s), Some(m)) => s > m,
                _ => false,
            };
            (r.category.as_deref(), above)
        })
        .collect();
    (m, table(&pairs))
}

/// The intersectional category of two (`Female · Asian`); unknown when either is.
pub fn intersect(a: Option<&str>, b: Option<&str>) -> Option<String> {
    Some(format!("{} · {}", a?, b?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(spec: &[(Option<&str>, u64, u64)]) -> Vec<AuditRow> {
        let mut out = Vec::new();
        for (category, n, selected) in spec {
            for i in 0..*n {
                out.push(AuditRow {
                    category: category.map(str::to_owned),
                    selected: i < *selected,
                    score: None,
                });
            }
        }
        out
    }

    fn line<'a>(t: &'a RateTable, c: &str) -> &'a CategoryRate {
        t.categories.iter().find(|x| x.category == c).unwrap()
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    /// By sex, computed by hand: 1,390 selected of the 4,850 with a known sex.
    #[test]
    fn selection_rates_and_impact_ratios_match_a_hand_computed_table() {
        // Male: 1,000 of 2,500 (0.40); Female: 390 of 2,350 (0.166); 150 unknown.
        let t = selection_rates(&rows(&[
            (Some("Male"), 2500, 1000),
            (Some("Female"), 2350, 390),
            (None, 150, 30),
        ]));
        assert_eq!((t.total, t.unknown), (5000, 150));
        let m = line(&t, "Male");
        let f = line(&t, "Female");
        assert!(close(m.rate, 0.4) && close(f.rate, 390.0 / 2350.0));
        assert_eq!(m.impact_ratio, Some(1.0));
        // 0.16596 / 0.4 = 0.41489...
        assert!(close(f.impact_ratio.unwrap(), (390.0 / 2350.0) / 0.4));
        assert!(f.flagged && !m.flagged);
        assert!(!m.excluded && !f.excluded);
    }

    #[test]
    fn categories_under_two_percent_are_reported_but_not_rated() {
        // 1,000 known: "Native Hawaiian or Pacific Islander" has 15 (1.5%), a 100% rate
        // that must not become the highest.
        let t = selection_rates(&rows(&[
            (Some("White"), 600, 300),
            (Some("Asian"), 385, 154),
            (Some("Native Hawaiian or Pacific Islander"), 15, 15),
            (None, 40, 0),
        ]));
        let small = line(&t, "Native Hawaiian or Pacific Islander");
        assert!(small.excluded && small.impact_ratio.is_none() && !small.flagged);
        assert_eq!(small.count, 15);
        assert_eq!(line(&t, "White").impact_ratio, Some(1.0));
        // Asian 0.4 / White 0.5 = 0.8: exactly four-fifths is not flagged.
        let asian = line(&t, "Asian");
        assert!(close(asian.impact_ratio.unwrap(), 0.8));
        assert!(!asian.flagged);
        assert_eq!(t.unknown, 40);
        // Exactly 2% is not excluded.
        let t = selection_rates(&rows(&[(Some("A"), 98, 10), (Some("B"), 2, 1)]));
        assert!(!line(&t, "B").excluded);
    }

    #[test]
    fn scoring_rates_use_the_median_of_the_whole_sample() {
        // Scores 1..=10 (median 5.5); A has 1,2,3,9,10 (2 above); B has 4,5,6,7,8 (3 above);
        // one unknown with 100 moves the median to 6 and is not rated.
        let mut r: Vec<AuditRow> = [1.0, 2.0, 3.0, 9.0, 10.0]
            .iter()
            .map(|s| AuditRow {
                category: Some("A".into()),
                selected: false,
                score: Some(*s),
            })
            .chain([4.0, 5.0, 6.0, 7.0, 8.0].iter().map(|s| AuditRow {
                category: Some("B".into()),
                selected: false,
                score: Some(*s),
            }))
            .collect();
        let (m, t) = scoring_rates(&r);
        assert_eq!(m, Some(5.5));
        assert!(close(line(&t, "A").rate, 0.4) && close(line(&t, "B").rate, 0.6));
        assert!(close(line(&t, "A").impact_ratio.unwrap(), 0.4 / 0.6));
        assert!(line(&t, "A").flagged);
        r.push(AuditRow {
            category: None,
            selected: false,
            score: Some(100.0),
        });
        r.push(AuditRow {
            category: Some("A".into()),
            selected: true,
            score: None,
        });
        let (m, t) = scoring_rates(&r);
        assert_eq!(m, Some(6.0));
        // Above 6: A has 9, 10 (2 of 5); B has 7, 8 (2 of 5); the unscored one is not counted.
        assert_eq!((line(&t, "A").count, line(&t, "A").positive), (5, 2));
        assert_eq!(line(&t, "B").positive, 2);
        assert_eq!(t.unknown, 1);
        assert_eq!(line(&t, "A").impact_ratio, Some(1.0));
    }

    #[test]
    fn intersectional_categories_need_both_parts() {
        assert_eq!(
            intersect(Some("Female"), Some("Asian")).as_deref(),
            Some("Female · Asian")
        );
        assert_eq!(intersect(Some("Female"), None), None);
        let people = [
            ("Female", "Asian", true),
            ("Female", "Asian", false),
            ("Male", "Asian", true),
            ("Female", "White", true),
        ];
        let r: Vec<AuditRow> = people
            .iter()
            .map(|(s, race, sel)| AuditRow {
                category: intersect(Some(s), Some(race)),
                selected: *sel,
                score: None,
            })
            .collect();
        let t = selection_rates(&r);
        assert_eq!(t.categories.len(), 3);
        assert!(close(line(&t, "Female · Asian").impact_ratio.unwrap(), 0.5));
    }

    #[test]
    fn no_positive_outcome_gives_no_ratio_and_no_flag() {
        let t = selection_rates(&rows(&[(Some("A"), 10, 0), (Some("B"), 10, 0)]));
        assert!(
            t.categories
                .iter()
                .all(|c| c.impact_ratio.is_none() && !c.flagged)
        );
        assert_eq!(median(&[]), None);
        assert_eq!(median(&[3.0, 1.0, 2.0]), Some(2.0));
    }
}
