//! Voluntary self-reported demographics, in the categories a bias audit under NYC Local
//! Law 144 reports (sex; race/ethnicity as in the EEO-1 report), and the adverse-impact
//! report built from them. Nothing that scores a candidate reads these: they are only
//! aggregated, per project or organisation.

use crate::adverse_impact::{AuditRow, RateTable, intersect, scoring_rates, selection_rates};
use serde::{Deserialize, Serialize};

/// Sex, as the candidate reports it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Sex {
    Female,
    Male,
    PreferNotToSay,
}

/// Race/ethnicity, in the EEO-1 categories.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RaceEthnicity {
    HispanicOrLatino,
    White,
    BlackOrAfricanAmerican,
    NativeHawaiianOrOtherPacificIslander,
    Asian,
    AmericanIndianOrAlaskaNative,
    TwoOrMoreRaces,
    PreferNotToSay,
}

impl Sex {
    pub const ALL: [Sex; 3] = [Sex::Female, Sex::Male, Sex::PreferNotToSay];

    pub fn as_str(self) -> &'static str {
        match self {
            Sex::Female => "female",
            Sex::Male => "male",
            Sex::PreferNotToSay => "prefer_not_to_say",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }

    /// The category the report counts; "prefer not to say" is an unknown.
    pub fn category(self) -> Option<&'static str> {
        (self != Sex::PreferNotToSay).then(|| self.as_str())
    }
}

impl RaceEthnicity {
    pub const ALL: [RaceEthnicity; 8] = [
        RaceEthnicity::HispanicOrLatino,
        RaceEthnicity::White,
        RaceEthnicity::BlackOrAfricanAmerican,
        RaceEthnicity::NativeHawaiianOrOtherPacificIslander,
        RaceEthnicity::Asian,
        RaceEthnicity::AmericanIndianOrAlaskaNative,
        RaceEthnicity::TwoOrMoreRaces,
        RaceEthnicity::PreferNotToSay,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RaceEthnicity::HispanicOrLatino => "hispanic_or_latino",
            RaceEthnicity::White => "white",
            RaceEthnicity::BlackOrAfricanAmerican => "black_or_african_american",
            RaceEthnicity::NativeHawaiianOrOtherPacificIslander => {
                "native_hawaiian_or_other_pacific_islander"
            }
            RaceEthnicity::Asian => "asian",
            RaceEthnicity::AmericanIndianOrAlaskaNative => "american_indian_or_alaska_native",
            RaceEthnicity::TwoOrMoreRaces => "two_or_more_races",
            RaceEthnicity::PreferNotToSay => "prefer_not_to_say",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }

    /// The category the report counts; "prefer not to say" is an unknown.
    pub fn category(self) -> Option<&'static str> {
        (self != RaceEthnicity::PreferNotToSay).then(|| self.as_str())
    }
}

/// The English name of a category code, as a printed report shows it; an intersectional
/// category names both parts.
pub fn label(code: &str) -> String {
    if let Some((a, b)) = code.split_once(" · ") {
        return format!("{} · {}", label(a), label(b));
    }
    match code {
        "female" => "Female",
        "male" => "Male",
        "hispanic_or_latino" => "Hispanic or Latino",
        "white" => "White",
        "black_or_african_american" => "Black or African American",
        "native_hawaiian_or_other_pacific_islander" => "Native Hawaiian or Other Pacific Islander",
        "asian" => "Asian",
        "american_indian_or_alaska_native" => "American Indian or Alaska Native",
        "two_or_more_races" => "Two or more races",
        "prefer_not_to_say" => "Prefer not to say",
        other => other,
    }
    .to_owned()
}

/// One candidate as the report sees them: what they reported, and their outcomes.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ReportCandidate {
    pub sex: Option<Sex>,
    pub race_ethnicity: Option<RaceEthnicity>,
    /// Whether the AI recommended them (recommended or better); `None` without a
    /// recommendation.
    pub ai_selected: Option<bool>,
    /// Whether a recruiter's decision selected them; `None` where no decision is
    /// recorded.
    pub human_selected: Option<bool>,
    /// The interview's match score.
    pub score: Option<f64>,
}

/// The tables of one way of grouping candidates.
#[derive(Clone, Debug, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Grouping {
    /// `sex`, `race_ethnicity` or `intersectional`.
    pub name: String,
    /// Selection by the AI's recommendation (recommended or better).
    pub ai_selection: RateTable,
    /// Selection by recruiters' decisions, over the candidates who have one.
    pub human_selection: RateTable,
    /// Share scoring above the median match score of every scored candidate.
    pub scoring: RateTable,
}

/// The adverse-impact report over a set of candidates.
#[derive(Clone, Debug, PartialEq, Serialize, utoipa::ToSchema)]
pub struct ImpactReport {
    /// Candidates in the report (one per candidate: their newest completed interview).
    pub candidates: u64,
    /// Of them, how many reported any demographics.
    pub reported: u64,
    /// The median match score the scoring rates compare against.
    pub median_score: Option<f64>,
    pub groupings: Vec<Grouping>,
    /// Every flagged line as `grouping/table/category`, for a quick look.
    pub flags: Vec<String>,
}

/// Builds the report: by sex, by race/ethnicity, and by both (intersectional).
pub fn impact_report(candidates: &[ReportCandidate]) -> ImpactReport {
    type Categorise = fn(&ReportCandidate) -> Option<String>;
    let groupings: [(&str, Categorise); 3] = [
        ("sex", |c| c.sex.and_then(Sex::category).map(str::to_owned)),
        ("race_ethnicity", |c| {
            c.race_ethnicity
                .and_then(RaceEthnicity::category)
                .map(str::to_owned)
        }),
        ("intersectional", |c| {
            intersect(
                c.sex.and_then(Sex::category),
                c.race_ethnicity.and_then(RaceEthnicity::category),
            )
        }),
    ];
    let mut median_score = None;
    let mut flags = Vec::new();
    let groupings = groupings
        .into_iter()
        .map(|(name, categorise)| {
            let rows = |selected: fn(&ReportCandidate) -> Option<bool>| -> Vec<AuditRow> {
                candidates
                    .iter()
                    .filter_map(|c| {
                        Some(AuditRow {
                            category: categorise(c),
                            selected: selected(c)?,
                            score: None,
                        })
                    })
                    .collect()
            };
            let scored: Vec<AuditRow> = candidates
                .iter()
                .map(|c| AuditRow {
                    category: categorise(c),
                    selected: false,
                    score: c.score,
                })
                .collect();
            let (median, scoring) = scoring_rates(&scored);
            median_score = median;
            let g = Grouping {
                name: name.to_owned(),
                ai_selection: selection_rates(&rows(|c| c.ai_selected)),
                human_selection: selection_rates(&rows(|c| c.human_selected)),
                scoring,
            };
            for (table, t) in [
                ("ai_selection", &g.ai_selection),
                ("human_selection", &g.human_selection),
                ("scoring", &g.scoring),
            ] {
                flags.extend(
                    t.categories
                        .iter()
                        .filter(|c| c.flagged)
                        .map(|c| format!("{name}/{table}/{}", c.category)),
                );
            }
            g
        })
        .collect();
    ImpactReport {
        candidates: candidates.len() as u64,
        reported: candidates
            .iter()
            .filter(|c| c.sex.is_some() || c.race_ethnicity.is_some())
            .count() as u64,
        median_score,
        groupings,
        flags,
    }
}

/// The report as CSV: one line per grouping, table and category.
pub fn impact_csv(r: &ImpactReport) -> String {
    let mut out = String::from(
        "grouping,table,category,label,count,positive,rate,impact_ratio,excluded,flagged\n",
    );
    for g in &r.groupings {
        for (table, t) in [
            ("ai_selection", &g.ai_selection),
            ("human_selection", &g.human_selection),
            ("scoring", &g.scoring),
        ] {
            for c in &t.categories {
                out.push_str(&format!(
                    "{},{},{},{},{},{},{:.4},{},{},{}\n",
                    g.name,
                    table,
                    csv_field(&c.category),
                    csv_field(&label(&c.category)),
                    c.count,
                    c.positive,
                    c.rate,
                    c.impact_ratio
                        .map(|x| format!("{x:.4}"))
                        .unwrap_or_default(),
                    c.excluded,
                    c.flagged,
                ));
            }
            out.push_str(&format!(
                "{},{},unknown,Unknown,{},,,,,\n",
                g.name, table, t.unknown
            ));
        }
    }
    out
}

/// Quotes a CSV field when it needs it, and defuses spreadsheet formulas.
fn csv_field(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@']) {
        format!("'{s}")
    } else {
        s.to_owned()
    };
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cand(
        sex: Sex,
        race: RaceEthnicity,
        ai: bool,
        human: Option<bool>,
        score: f64,
    ) -> ReportCandidate {
        ReportCandidate {
            sex: Some(sex),
            race_ethnicity: Some(race),
            ai_selected: Some(ai),
            human_selected: human,
            score: Some(score),
        }
    }

    fn line<'a>(t: &'a RateTable, c: &str) -> &'a crate::adverse_impact::CategoryRate {
        t.categories
            .iter()
            .find(|x| x.category == c)
            .unwrap_or_else(|| panic!("no line {c}"))
    }

    /// Ten candidates, computed by hand:
    /// - women 2 of 4 recommended (0.5), men 5 of 6 (0.833): ratio 0.6, flagged;
    /// - "prefer not to say" counts as unknown;
    /// - the intersectional categories need both answers.
    #[test]
    fn the_report_matches_a_hand_computed_table() {
        use RaceEthnicity::{Asian, White};
        use Sex::{Female, Male};
        let mut c = vec![
            cand(Female, Asian, true, Some(true), 0.9),
            cand(Female, Asian, true, None, 0.8),
            cand(Female, White, false, Some(false), 0.3),
            cand(Female, White, false, None, 0.2),
            cand(Male, White, true, Some(true), 0.7),
            cand(Male, White, true, Some(false), 0.6),
            cand(Male, White, true, None, 0.5),
            cand(Male, Asian, true, None, 0.4),
            cand(Male, Asian, true, None, 0.35),
            cand(Male, RaceEthnicity::PreferNotToSay, false, None, 0.1),
        ];
        c.push(ReportCandidate {
            sex: Some(Sex::PreferNotToSay),
            race_ethnicity: None,
            ai_selected: Some(true),
            human_selected: None,
            score: None,
        });
        let r = impact_report(&c);
        assert_eq!((r.candidates, r.reported), (11, 11));
        let sex = &r.groupings[0];
        assert_eq!(sex.name, "sex");
        assert_eq!(sex.ai_selection.unknown, 1);
        let f = line(&sex.ai_selection, "female");
        let m = line(&sex.ai_selection, "male");
        assert_eq!((f.count, f.positive, m.count, m.positive), (4, 2, 6, 5));
        assert!((f.impact_ratio.unwrap() - 0.6).abs() < 1e-9 && f.flagged);
        assert_eq!(m.impact_ratio, Some(1.0));
        // Human decisions: women 1 of 2, men 1 of 2: equal, no flag.
        let hf = line(&sex.human_selection, "female");
        assert_eq!((hf.count, hf.positive, hf.flagged), (2, 1, false));
        assert_eq!(sex.human_selection.total, 4);
        // Median of the ten scores: (0.4 + 0.5) / 2 = 0.45. Above it: women 0.9, 0.8
        // (2 of 4), men 0.7, 0.6, 0.5 (3 of 6).
        assert!((r.median_score.unwrap() - 0.45).abs() < 1e-9);
        assert_eq!(line(&sex.scoring, "female").positive, 2);
        assert_eq!(line(&sex.scoring, "male").positive, 3);
        assert_eq!(sex.scoring.unknown, 0);
        // Race: "prefer not to say" and the missing answer are two unknowns.
        let race = &r.groupings[1];
        assert_eq!(race.ai_selection.unknown, 2);
        assert_eq!(line(&race.ai_selection, "asian").positive, 4);
        // Intersectional: female · white 0 of 2 selected.
        let both = &r.groupings[2];
        let fw = line(&both.ai_selection, "female · white");
        assert_eq!((fw.count, fw.positive, fw.impact_ratio), (2, 0, Some(0.0)));
        assert!(fw.flagged);
        assert_eq!(both.ai_selection.unknown, 2);
        assert!(r.flags.contains(&"sex/ai_selection/female".to_owned()));
        assert!(
            r.flags
                .contains(&"intersectional/ai_selection/female · white".to_owned())
        );
    }

    #[test]
    fn the_csv_has_a_line_per_category_and_an_unknown_line_per_table() {
        let r = impact_report(&[
            cand(Sex::Female, RaceEthnicity::Asian, true, None, 0.5),
            cand(Sex::Male, RaceEthnicity::White, false, None, 0.4),
        ]);
        let csv = impact_csv(&r);
        let lines: Vec<&str> = csv.lines().collect();
        assert!(lines[0].starts_with("grouping,table,category"));
        assert!(lines.contains(&"sex,ai_selection,female,Female,1,1,1.0000,1.0000,false,false"));
        assert!(lines.contains(&"sex,ai_selection,male,Male,1,0,0.0000,0.0000,false,true"));
        assert!(lines.contains(&"sex,human_selection,unknown,Unknown,0,,,,,"));
        // Every line has the header's ten fields.
        assert!(lines.iter().all(|l| l.split(',').count() == 10));
    }

    #[test]
    fn categories_round_trip_and_prefer_not_to_say_is_unknown() {
        for s in Sex::ALL {
            assert_eq!(Sex::parse(s.as_str()), Some(s));
        }
        for r in RaceEthnicity::ALL {
            assert_eq!(RaceEthnicity::parse(r.as_str()), Some(r));
            assert_eq!(
                serde_json::to_value(r).unwrap(),
                serde_json::json!(r.as_str())
            );
        }
        assert_eq!(Sex::PreferNotToSay.category(), None);
        assert_eq!(label("female · asian"), "Female · Asian");
    }

    #[test]
    fn csv_fields_cannot_become_formulas() {
        assert_eq!(csv_field("=1+1"), "'=1+1");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
    }
}
