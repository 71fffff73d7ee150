//! The 54 value statements of the original OCP and their seven dimensions.

use super::Dimension;
use serde::Serialize;

/// One of the OCP's 54 value statements.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct OcpItem {
    /// `ocp_01` .. `ocp_54`, in the instrument's order.
    pub id: &'static str,
    /// The statement as raters sort it.
    pub text: &'static str,
    /// The dimension it belongs to; `None` for the 11 items that load on no single
    /// organisational factor (they count only in the full 54-item profile correlation).
    pub dimension: Option<Dimension>,
}

impl Dimension {
    /// All seven, in TalentMind's order.
    pub const ALL: [Dimension; 7] = [
        Dimension::Innovation,
        Dimension::Stability,
        Dimension::People,
        Dimension::Results,
        Dimension::Detail,
        Dimension::Team,
        Dimension::Competitiveness,
    ];

    /// The API name, as serialised: `innovation`, `stability`, ...
    pub fn as_str(self) -> &'static str {
        match self {
            Dimension::Innovation => "innovation",
            Dimension::Stability => "stability",
            Dimension::People => "people",
            Dimension::Results => "results",
            Dimension::Detail => "detail",
            Dimension::Team => "team",
            Dimension::Competitiveness => "competitiveness",
        }
    }

    /// A name a recruiter understands (the OCP's factor names, in plain words).
    pub fn label(self) -> &'static str {
        match self {
            Dimension::Innovation => "Innovation and risk-taking",
            Dimension::Stability => "Stability and predictability",
            Dimension::People => "Respect for people",
            Dimension::Results => "Outcome orientation",
            Dimension::Detail => "Attention to detail",
            Dimension::Team => "Team orientation",
            Dimension::Competitiveness => "Competitiveness and drive",
        }
    }
}

impl std::fmt::Display for Dimension {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How many items a profile has.
pub const ITEM_COUNT: usize = 54;

use Dimension::{Competitiveness, Detail, Innovation, People, Results, Stability, Team};

const fn item(id: &'static str, text: &'static str, dimension: Option<Dimension>) -> OcpItem {
    OcpItem {
        id,
        text,
        dimension,
    }
}

static ITEMS: [OcpItem; ITEM_COUNT] = [
    item("ocp_01", "Flexibility", Some(Innovation)),
    item("ocp_02", "Adaptability", Some(Innovation)),
    item("ocp_03", "Stability", Some(Stability)),
    item("ocp_04", "Predictability", Some(Stability)),
    item("ocp_05", "Being innovative", Some(Innovation)),
    item(
        "ocp_06",
        "Being quick to take advantage of opportunities",
        Some(Innovation),
    ),
    item("ocp_07", "A willingness to experiment", Some(Innovation)),
    item("ocp_08", "Risk taking", Some(Innovation)),
    item("ocp_09", "Being careful", Some(Stability)),
    item("ocp_10", "Autonomy", None),
    item("ocp_11", "Being rule oriented", Some(Stability)),
    item("ocp_12", "Being analytical", Some(Detail)),
    item("ocp_13", "Paying attention to detail", Some(Detail)),
    item("ocp_14", "Being precise", Some(Detail)),
    item("ocp_15", "Being team oriented", Some(Team)),
    item("ocp_16", "Sharing information freely", Some(Team)),
    item(
        "ocp_17",
        "Emphasizing a single culture throughout the organization",
        None,
    ),
    item("ocp_18", "Being people oriented", Some(People)),
    item("ocp_19", "Fairness", Some(People)),
    item(
        "ocp_20",
        "Respect for the individual's rights",
        Some(People),
    ),
    item("ocp_21", "Tolerance", Some(People)),
    item("ocp_22", "Informality", None),
    item("ocp_23", "Being easy going", None),
    item("ocp_24", "Being calm", None),
    item("ocp_25", "Being supportive", Some(People)),
    item("ocp_26", "Being aggressive", Some(Competitiveness)),
    item("ocp_27", "Decisiveness", Some(Competitiveness)),
    item("ocp_28", "Action orientation", Some(Results)),
    item("ocp_29", "Taking initiative", Some(Competitiveness)),
    item("ocp_30", "Being reflective", None),
    item("ocp_31", "Achievement orientation", Some(Results)),
    item("ocp_32", "Being demanding", Some(Results)),
    item(
        "ocp_33",
        "Taking individual responsibility",
        Some(Competitiveness),
    ),
    item(
        "ocp_34",
        "Having high expectations for performance",
        Some(Results),
    ),
    item(
        "ocp_35",
        "Opportunities for professional growth",
        Some(People),
    ),
    item("ocp_36", "High pay for good performance", Some(Results)),
    item("ocp_37", "Security of employment", Some(Stability)),
    item("ocp_38", "Offers praise for good performance", Some(People)),
    item("ocp_39", "Low level of conflict", Some(Stability)),
    item(
        "ocp_40",
        "Confronting conflict directly",
        Some(Competitiveness),
    ),
    item("ocp_41", "Developing friends at work", Some(Team)),
    item("ocp_42", "Fitting in", Some(Team)),
    item("ocp_43", "Working in collaboration with others", Some(Team)),
    item("ocp_44", "Enthusiasm for the job", None),
    item("ocp_45", "Working long hours", Some(Competitiveness)),
    item(
        "ocp_46",
        "Not being constrained by many rules",
        Some(Innovation),
    ),
    item("ocp_47", "An emphasis on quality", Some(Results)),
    item("ocp_48", "Being distinctive / different from others", None),
    item("ocp_49", "Having a good reputation", None),
    item("ocp_50", "Being socially responsible", None),
    item("ocp_51", "Being results oriented", Some(Results)),
    item("ocp_52", "Having a clear guiding philosophy", None),
    item("ocp_53", "Being competitive", Some(Competitiveness)),
    item("ocp_54", "Being highly organized", Some(Detail)),
];

/// The 54 OCP items in the instrument's order (O'Reilly, Chatman & Caldwell, 1991).
pub fn items() -> &'static [OcpItem] {
    &ITEMS
}

/// Indices (into [`items`]) of a dimension's items.
pub(crate) fn dimension_indices(dimension: Dimension) -> impl Iterator<Item = usize> {
    ITEMS
        .iter()
        .enumerate()
        .filter(move |(_, it)| it.dimension == Some(dimension))
        .map(|(i, _)| i)
}

/// The index of an item id (`ocp_07` → 6).
pub(crate) fn index_of(id: &str) -> Option<usize> {
    ITEMS.iter().position(|it| it.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn fifty_four_items_with_ordered_unique_ids() {
        assert_eq!(items().len(), 54);
        for (i, it) in items().iter().enumerate() {
            assert_eq!(it.id, format!("ocp_{:02}", i + 1));
        }
        let texts: BTreeSet<_> = items().iter().map(|i| i.text).collect();
        assert_eq!(texts.len(), 54);
    }

    #[test]
    fn forty_three_items_map_onto_the_seven_dimensions() {
        let counts: Vec<usize> = Dimension::ALL
            .iter()
            .map(|&d| dimension_indices(d).count())
            .collect();
        // innovation, stability, people, results, detail, team, competitiveness
        assert_eq!(counts, vec![7, 6, 7, 7, 4, 5, 7]);
        assert_eq!(counts.iter().sum::<usize>(), 43);
        assert_eq!(items().iter().filter(|i| i.dimension.is_none()).count(), 11);
    }

    #[test]
    fn dimension_names_match_serde() {
        for d in Dimension::ALL {
            let json = serde_json::to_string(&d).unwrap();
            assert_eq!(json, format!("\"{}\"", d.as_str()));
            assert!(!d.label().is_empty());
        }
        assert_eq!(Dimension::Innovation.label(), "Innovation and risk-taking");
        assert_eq!(index_of("ocp_07"), Some(6));
        assert_eq!(index_of("ocp_99"), None);
    }
}
