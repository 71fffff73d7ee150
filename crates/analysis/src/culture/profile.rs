//! Company profiles: raters' Q-sorts, their average and agreement, the default profile,
//! and dimension scores.

use super::items::{ITEM_COUNT, dimension_indices, items};
use super::{Dimension, round2};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The OCP's forced distribution: how many of the 54 items go into each pile, pile 1
/// (least characteristic) to pile 9 (most characteristic).
pub const DISTRIBUTION: [usize; 9] = [2, 4, 6, 9, 12, 9, 6, 4, 2];

/// Why a sort or a set of sorts is refused.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SortError {
    /// The item (0-based index into [`items`]) at fault, when one is.
    pub index: Option<usize>,
    /// What is wrong, in words a person entering the sort can act on.
    pub message: String,
}

impl std::fmt::Display for SortError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for SortError {}

/// Checks one rater's Q-sort: exactly 54 piles, each 1..=9, following [`DISTRIBUTION`].
pub fn validate_sort(values: &[u8]) -> Result<(), SortError> {
    if values.len() != ITEM_COUNT {
        return Err(SortError {
            index: None,
            message: format!(
                "a sort has exactly {ITEM_COUNT} values (the pile, 1 to 9, of each OCP item in order), got {}",
                values.len()
            ),
        });
    }
    if let Some((i, v)) = values
        .iter()
        .enumerate()
        .find(|(_, v)| !(1..=9).contains(*v))
    {
        let it = &items()[i];
        return Err(SortError {
            index: Some(i),
            message: format!(
                "item {} ({}, \"{}\") is in pile {v}; piles are 1 to 9",
                i + 1,
                it.id,
                it.text
            ),
        });
    }
    let mut counts = [0usize; 9];
    for &v in values {
        counts[usize::from(v) - 1] += 1;
    }
    let wrong: Vec<String> = counts
        .iter()
        .zip(DISTRIBUTION)
        .enumerate()
        .filter(|(_, (have, need))| **have != *need)
        .map(|(p, (&have, need))| {
            let (diff, which) = if have > need {
                (have - need, "too many")
            } else {
                (need - have, "too few")
            };
            format!(
                "pile {} has {have} item{} but needs {need} ({diff} {which})",
                p + 1,
                if have == 1 { "" } else { "s" }
            )
        })
        .collect();
    if wrong.is_empty() {
        Ok(())
    } else {
        Err(SortError {
            index: None,
            message: format!(
                "the sort must follow the forced 2-4-6-9-12-9-6-4-2 distribution: {}",
                wrong.join("; ")
            ),
        })
    }
}

/// A company's culture: the 54 item values, averaged over its raters' sorts.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CompanyProfile {
    /// 54 values on 1..9 in the order of [`items`] (two decimals).
    pub values: Vec<f64>,
    /// How many sorts were averaged; 0 for [`default_profile`].
    pub raters: usize,
    /// Mean pairwise Pearson correlation between the raters' sorts (two decimals): how
    /// clearly the culture is shared. `None` with fewer than two raters.
    pub agreement: Option<f64>,
}

impl CompanyProfile {
    /// The seven dimension scores of this profile (see [`dimension_scores`]).
    pub fn dimensions(&self) -> BTreeMap<Dimension, f64> {
        dimension_scores(&self.values)
    }
}

/// Averages raters' sorts into a company profile. Each sort is validated; with several
/// raters an error names the rater (1-based), and `index` is the item at fault.
pub fn profile_from_sorts(sorts: &[Vec<u8>]) -> Result<CompanyProfile, SortError> {
    if sorts.is_empty() {
        return Err(SortError {
            index: None,
            message: "at least one rater's sort is needed".into(),
        });
    }
    for (r, sort) in sorts.iter().enumerate() {
        validate_sort(sort).map_err(|e| {
            if sorts.len() > 1 {
                SortError {
                    index: e.index,
                    message: format!("rater {}: {}", r + 1, e.message),
                }
            } else {
                e
            }
        })?;
    }
    let n = sorts.len() as f64;
    let values = (0..ITEM_COUNT)
        .map(|i| round2(sorts.iter().map(|s| f64::from(s[i])).sum::<f64>() / n))
        .collect();
    let agreement = (sorts.len() > 1).then(|| {
        let as_f64: Vec<Vec<f64>> = sorts
            .iter()
            .map(|s| s.iter().map(|&v| f64::from(v)).collect())
            .collect();
        let mut total = 0.0;
        let mut pairs = 0usize;
        for a in 0..as_f64.len() {
            for b in a + 1..as_f64.len() {
                // Valid sorts all follow the forced distribution, so neither is flat.
                total += pearson(&as_f64[a], &as_f64[b]).unwrap_or(0.0);
                pairs += 1;
            }
        }
        round2(total / pairs as f64)
    });
    Ok(CompanyProfile {
        values,
        raters: sorts.len(),
        agreement,
    })
}

/// The default sort, item by item (see [`default_profile`]).
const DEFAULT_SORT: [u8; ITEM_COUNT] = [
    6, 7, 5, 4, 6, 5, 5, 3, 6, 6, // ocp_01..10
    2, 5, 6, 5, 5, 8, 2, 5, 8, 7, // ocp_11..20
    3, 4, 2, 5, 5, 1, 7, 4, 8, 3, // ocp_21..30
    4, 4, 7, 5, 4, 4, 7, 3, 6, 6, // ocp_31..40
    4, 2, 6, 7, 1, 3, 9, 3, 8, 6, // ocp_41..50
    5, 9, 5, 4, // ocp_51..54
];

/// The profile used until a company sorts its own: a *balanced* culture.
///
/// It is itself a valid forced sort (so a candidate's fit with it is a real profile
/// correlation) with `raters: 0`. Every one of the seven dimensions averages exactly
/// pile 5, so it states no emphasis among them (all dimension scores 0.5). The spread
/// the forced distribution demands is given, within each dimension and among the 11
/// other items, to constructive forms over costly extremes: an emphasis on quality, a
/// clear guiding philosophy, fairness, sharing information and taking initiative high;
/// working long hours, being aggressive, rule orientation, pressure to fit in or to
/// follow a single culture low. Fit against it therefore says whether a candidate values
/// a fair, open, quality-minded workplace, not whether they fit a particular company.
pub fn default_profile() -> CompanyProfile {
    CompanyProfile {
        values: DEFAULT_SORT.iter().map(|&v| f64::from(v)).collect(),
        raters: 0,
        agreement: None,
    }
}

/// Each dimension's mean item value mapped from 1..9 onto [0, 1], two decimals. Missing
/// or non-finite values read as the neutral 5.
pub fn dimension_scores(values: &[f64]) -> BTreeMap<Dimension, f64> {
    Dimension::ALL
        .iter()
        .map(|&d| {
            let (sum, n) = dimension_indices(d)
                .fold((0.0, 0usize), |(s, n), i| (s + value_at(values, i), n + 1));
            let mean = if n == 0 { 5.0 } else { sum / n as f64 };
            (d, round2(((mean - 1.0) / 8.0).clamp(0.0, 1.0)))
        })
        .collect()
}

/// The value of item `i` on 1..9, neutral when missing or not a number.
pub(crate) fn value_at(values: &[f64], i: usize) -> f64 {
    match values.get(i) {
        Some(v) if v.is_finite() => v.clamp(1.0, 9.0),
        _ => 5.0,
    }
}

/// Pearson correlation; `None` when either side has no variance.
pub(crate) fn pearson(a: &[f64], b: &[f64]) -> Option<f64> {
    let n = a.len().min(b.len());
    if n < 2 {
        return None;
    }
    let (a, b) = (&a[..n], &b[..n]);
    let ma = a.iter().sum::<f64>() / n as f64;
    let mb = b.iter().sum::<f64>() / n as f64;
    let (mut sab, mut saa, mut sbb) = (0.0, 0.0, 0.0);
    for (x, y) in a.iter().zip(b) {
        let (dx, dy) = (x - ma, y - mb);
        sab += dx * dy;
        saa += dx * dx;
        sbb += dy * dy;
    }
    if saa <= 1e-12 || sbb <= 1e-12 {
        return None;
    }
    Some((sab / (saa.sqrt() * sbb.sqrt())).clamp(-1.0, 1.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A valid sort: items in order filled into piles 1, 1, 2, 2, 2, 2, 3, ...
    fn ascending() -> Vec<u8> {
        DISTRIBUTION
            .iter()
            .enumerate()
            .flat_map(|(p, &n)| std::iter::repeat_n(p as u8 + 1, n))
            .collect()
    }

    #[test]
    fn default_profile_is_a_valid_balanced_sort() {
        let p = default_profile();
        let sort: Vec<u8> = p.values.iter().map(|&v| v as u8).collect();
        assert_eq!(validate_sort(&sort), Ok(()));
        assert_eq!(p.raters, 0);
        assert_eq!(p.agreement, None);
        for (d, s) in p.dimensions() {
            assert_eq!(s, 0.5, "{d}");
        }
        let mean = p.values.iter().sum::<f64>() / 54.0;
        assert!((mean - 5.0).abs() < 1e-9);
    }

    #[test]
    fn validation_names_the_pile() {
        assert_eq!(validate_sort(&ascending()), Ok(()));
        let mut s = ascending();
        s[0] = 9; // pile 1 loses one, pile 9 gains one
        let e = validate_sort(&s).unwrap_err();
        assert_eq!(e.index, None);
        assert!(
            e.message
                .contains("pile 1 has 1 item but needs 2 (1 too few)")
        );
        assert!(
            e.message
                .contains("pile 9 has 3 items but needs 2 (1 too many)")
        );
        s[0] = 0;
        let e = validate_sort(&s).unwrap_err();
        assert_eq!(e.index, Some(0));
        assert!(e.message.contains("ocp_01"), "{e}");
        let e = validate_sort(&s[..53]).unwrap_err();
        assert!(e.message.contains("got 53"));
    }

    #[test]
    fn pearson_edges() {
        assert_eq!(pearson(&[1.0, 2.0], &[5.0, 5.0]), None);
        assert_eq!(pearson(&[1.0], &[1.0]), None);
        let r = pearson(&[1.0, 2.0, 3.0], &[3.0, 2.0, 1.0]).unwrap();
        assert!((r + 1.0).abs() < 1e-12);
    }

    #[test]
    fn dimension_scores_read_missing_as_neutral() {
        let s = dimension_scores(&[]);
        assert!(s.values().all(|&v| v == 0.5));
        let s = dimension_scores(&[f64::NAN; 54]);
        assert!(s.values().all(|&v| v == 0.5));
        let s = dimension_scores(&[9.0; 54]);
        assert!(s.values().all(|&v| v == 1.0));
    }
}
