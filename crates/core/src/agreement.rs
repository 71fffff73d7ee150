//! Agreement between the AI's recommendations and recruiters' decisions: how often a
//! person kept the AI's level, moved it up or down, and Cohen's kappa over the four
//! levels. Pure arithmetic over (AI, human) pairs.

use serde::Serialize;

/// The recommendation levels, best first.
pub const LEVELS: [&str; 4] = [
    "strongly_recommended",
    "recommended",
    "consider",
    "not_recommended",
];

/// Whether a level selects the candidate (recommended or better).
pub fn selects(level: &str) -> bool {
    matches!(level, "strongly_recommended" | "recommended")
}

fn rank(level: &str) -> Option<usize> {
    LEVELS.iter().position(|l| *l == level)
}

/// One line of the confusion matrix: for one AI level, how many decisions chose each
/// human level (in [`LEVELS`] order).
#[derive(Clone, Debug, PartialEq, Serialize, utoipa::ToSchema)]
pub struct MatrixRow {
    pub ai: String,
    pub human: Vec<u64>,
}

/// How recruiters' decisions compare with the AI's recommendations.
#[derive(Clone, Debug, PartialEq, Serialize, utoipa::ToSchema)]
pub struct AgreementReport {
    /// Interviews with both an AI recommendation and a recruiter's decision.
    pub decisions: u64,
    /// Decisions at the AI's own level.
    pub same_level: u64,
    /// Decisions above the AI's level (a person thought better of the candidate).
    pub human_higher: u64,
    /// Decisions below it.
    pub human_lower: u64,
    /// `same_level / decisions`.
    pub agreement_rate: Option<f64>,
    /// Share of decisions on the same side of "recommended or better".
    pub selection_agreement_rate: Option<f64>,
    /// Cohen's kappa over the four levels: agreement beyond chance (1 perfect, 0 chance).
    pub kappa: Option<f64>,
    /// Rows by AI level, columns by human level, both in [`LEVELS`] order.
    pub levels: Vec<String>,
    pub matrix: Vec<MatrixRow>,
}

/// The report over `(ai, human)` level pairs; pairs with an unknown level are skipped.
pub fn agreement(pairs: &[(&str, &str)]) -> AgreementReport {
    let mut m = [[0u64; 4]; 4];
    for (ai, human) in pairs {
        if let (Some(a), Some(h)) = (rank(ai), rank(human)) {
            m[a][h] += 1;
        }
    }
    let n: u64 = m.iter().flatten().sum();
    let same: u64 = (0..4).map(|i| m[i][i]).sum();
    // A lower rank is a better level.
    let higher: u64 = (0..4)
        .flat_map(|a| (0..a).map(move |h| (a, h)))
        .map(|(a, h)| m[a][h])
        .sum();
    let lower = n - same - higher;
    let same_side: u64 = (0..4)
        .flat_map(|a| (0..4).map(move |h| (a, h)))
        .filter(|&(a, h)| (a < 2) == (h < 2))
        .map(|(a, h)| m[a][h])
        .sum();
    let rate = |k: u64| (n > 0).then(|| k as f64 / n as f64);
    let kappa = (n > 0)
        .then(|| {
            let nf = n as f64;
            let po = same as f64 / nf;
            let pe: f64 = (0..4)
                .map(|k| {
                    let ai: u64 = m[k].iter().sum();
                    let human: u64 = (0..4).map(|a| m[a][k]).sum();
                    (ai as f64 / nf) * (human as f64 / nf)
                })
                .sum();
            // Chance agreement of 1 (everyone at one level on both sides) leaves kappa
            // undefined.
            (pe < 1.0 - 1e-12).then(|| (po - pe) / (1.0 - pe))
        })
        .flatten();
    AgreementReport {
        decisions: n,
        same_level: same,
        human_higher: higher,
        human_lower: lower,
        agreement_rate: rate(same),
        selection_agreement_rate: rate(same_side),
        kappa,
        levels: LEVELS.iter().map(|l| (*l).to_owned()).collect(),
        matrix: LEVELS
            .iter()
            .zip(m)
            .map(|(ai, row)| MatrixRow {
                ai: (*ai).to_owned(),
                human: row.to_vec(),
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Ten decisions, by hand: 7 at the AI's level, 2 moved down, 1 moved up.
    #[test]
    fn agreement_and_kappa_match_a_hand_computed_table() {
        let r = "recommended";
        let c = "consider";
        let n = "not_recommended";
        let pairs = [
            (r, r),
            (r, r),
            (r, c),
            (r, c),
            (c, c),
            (c, c),
            (c, c),
            (c, r),
            (n, n),
            (n, "not_a_level"),
            (n, n),
        ];
        let rep = agreement(&pairs);
        // The unknown level is skipped.
        assert_eq!(rep.decisions, 10);
        assert_eq!(
            (rep.same_level, rep.human_lower, rep.human_higher),
            (7, 2, 1)
        );
        assert_eq!(rep.agreement_rate, Some(0.7));
        // Same side of "recommended or better": all but the three that crossed.
        assert_eq!(rep.selection_agreement_rate, Some(0.7));
        // AI (4 R, 4 C, 2 N), human (3 R, 5 C, 2 N): pe = 0.12 + 0.2 + 0.04 = 0.36;
        // kappa = (0.7 - 0.36) / 0.64.
        let k = rep.kappa.unwrap();
        assert!((k - 0.34 / 0.64).abs() < 1e-9, "{k}");
        assert_eq!(rep.matrix[1].ai, "recommended");
        assert_eq!(rep.matrix[1].human, vec![0, 2, 2, 0]);
    }

    #[test]
    fn no_decisions_gives_no_rates_and_one_level_everywhere_gives_no_kappa() {
        let empty = agreement(&[]);
        assert_eq!(
            (empty.decisions, empty.agreement_rate, empty.kappa),
            (0, None, None)
        );
        let same = agreement(&[("consider", "consider"), ("consider", "consider")]);
        assert_eq!((same.agreement_rate, same.kappa), (Some(1.0), None));
    }
}
