//! Things a recruiter must know, found in the candidate's own words by plain rules:
//! salary expectations, notice period, frequent job changes, hostility toward former
//! employers or colleagues, and limited availability. Each comes with its quote.

use super::text::{Word, sentences, words};
use super::{Risk, RiskKind};
use talentd_core::transcript::Transcript;

/// What the vacancy says about pay, when the caller knows it.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct VacancyFacts {
    /// The top of the vacancy's salary range, per year, in the currency candidates
    /// are expected to quote. Expectations more than 20% above it are flagged.
    pub salary_max_per_year: Option<f64>,
}

/// Without a range: a yearly expectation this high (in dollars, euros or pounds) is
/// flagged as very high.
const VERY_HIGH_YEARLY: f64 = 250_000.0;
/// With a range: expectations above `max × this` are flagged.
const ABOVE_RANGE: f64 = 1.2;
/// Notice periods of this many months or more are flagged.
const LONG_NOTICE_MONTHS: f64 = 3.0;
/// This many short stints (a year or less) are frequent job changes.
const SHORT_STINTS: usize = 3;

const SALARY_WORDS: &[&str] = &[
    "salary",
    "salaries",
    "pay",
    "paid",
    "compensation",
    "package",
    "earn",
    "earning",
    "income",
    "rate",
    "wage",
    "base",
];
const EXPECT_WORDS: &[&str] = &[
    "expect",
    "expecting",
    "expectation",
    "expectations",
    "want",
    "looking",
    "asking",
    "need",
    "require",
    "minimum",
    "least",
    "aiming",
    "target",
    "hoping",
];
/// Wording that says an expectation is very high whatever the figure.
const HIGH_SALARY_PHRASES: &[&[&str]] = &[
    &["double", "my"],
    &["double", "what"],
    &["twice", "my"],
    &["twice", "what"],
    &["top", "of", "the", "market"],
    &["top", "of", "the", "range"],
    &["non-negotiable"],
    &["not", "negotiable"],
    &["nothing", "less", "than"],
    &["won't", "accept", "less"],
    &["won't", "go", "below"],
    &["wouldn't", "go", "below"],
    &["well", "above"],
    &["far", "above"],
    &["way", "above"],
    &["much", "more", "than"],
];
const CURRENCY_OK: &[&str] = &[
    "dollars", "dollar", "usd", "euros", "euro", "eur", "pounds", "gbp", "k", "grand",
];
const OTHER_CURRENCY: &[&str] = &[
    "rubles", "roubles", "rub", "rupees", "yen", "yuan", "pesos", "kronor", "krona", "zloty",
    "hryvnia", "tenge", "lira", "won", "forint",
];

const NOTICE_WORDS: &[&str] = &[
    "notice",
    "start",
    "join",
    "available",
    "availability",
    "leave",
    "release",
    "contract",
    "free",
];

const JOB_WORDS: &[&str] = &[
    "job",
    "jobs",
    "company",
    "companies",
    "employer",
    "employers",
    "position",
    "positions",
    "role",
    "roles",
    "there",
];
const STINT_VERBS: &[&str] = &[
    "left", "quit", "stayed", "lasted", "after", "only", "just", "spent", "worked", "was", "moved",
    "switched", "changed",
];
const HOPPING_PHRASES: &[&[&str]] = &[
    &["change", "jobs", "every"],
    &["changed", "jobs", "every"],
    &["switch", "jobs", "every"],
    &["new", "job", "every"],
    &["changed", "jobs", "a", "lot"],
    &["changed", "jobs", "often"],
    &["change", "jobs", "often"],
    &["job", "to", "job"],
    &["company", "to", "company"],
    &["get", "bored", "quickly"],
    &["get", "bored", "after"],
];

const FORMER_WORDS: &[&str] = &[
    "boss",
    "bosses",
    "manager",
    "managers",
    "management",
    "company",
    "employer",
    "colleagues",
    "colleague",
    "coworkers",
    "coworker",
    "co-workers",
    "team",
    "teammates",
    "lead",
    "director",
    "ceo",
    "they",
    "everyone",
    "people",
    "previous",
    "former",
    "last",
    "old",
];
const INSULTS: &[&str] = &[
    "idiot",
    "idiots",
    "idiotic",
    "stupid",
    "incompetent",
    "useless",
    "clueless",
    "moron",
    "morons",
    "lazy",
    "dumb",
    "pathetic",
    "hate",
    "hated",
    "clowns",
    "jerk",
    "jerks",
    "fools",
    "garbage",
    "crap",
    "worthless",
    "liars",
    "losers",
];
const HOSTILE_PHRASES: &[&[&str]] = &[
    &["can't", "stand"],
    &["couldn't", "stand"],
    &["a", "joke"],
    &["were", "terrible"],
    &["was", "terrible"],
    &["were", "awful"],
    &["was", "awful"],
    &["the", "worst"],
    &["screw", "them"],
    &["good", "riddance"],
];

const AVAILABILITY_PHRASES: &[&[&str]] = &[
    &["only", "available"],
    &["can", "only", "work"],
    &["can", "only", "do"],
    &["only", "work", "on"],
    &["only", "part-time"],
    &["part-time", "only"],
    &["only", "part", "time"],
    &["part", "time", "only"],
    &["can't", "work", "on"],
    &["can't", "work", "weekends"],
    &["can't", "work", "evenings"],
    &["can't", "work", "mornings"],
    &["can't", "work", "overtime"],
    &["can't", "do", "overtime"],
    &["won't", "work", "weekends"],
    &["not", "available", "on"],
    &["not", "available", "in"],
    &["not", "available", "during"],
    &["not", "available", "until"],
    &["can't", "travel"],
    &["cannot", "travel"],
    &["won't", "travel"],
    &["can't", "relocate"],
    &["won't", "relocate"],
    &["remote", "only"],
    &["only", "remote"],
    &["only", "remotely"],
    &["other", "commitments"],
    &["second", "job"],
    &["days", "a", "week", "only"],
];

fn has_phrase(ws: &[&str], phrase: &[&str]) -> bool {
    !phrase.is_empty() && ws.windows(phrase.len()).any(|w| w == phrase)
}

/// A number written in digits ("120,000", "3.5", "90k") or small number words; the
/// second value is how many words it took.
fn number_at(ws: &[&str], i: usize) -> Option<(f64, usize)> {
    let w = *ws.get(i)?;
    if w.starts_with(|c: char| c.is_ascii_digit()) {
        let digits: String = w
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == ',' || *c == '.')
            .filter(|c| *c != ',')
            .collect();
        let mut value: f64 = digits.parse().ok()?;
        let suffix = &w[w
            .char_indices()
            .find(|(_, c)| !(c.is_ascii_digit() || *c == ',' || *c == '.'))
            .map_or(w.len(), |(p, _)| p)..];
        match suffix {
            "k" => value *= 1_000.0,
            "m" | "mln" => value *= 1_000_000.0,
            _ => {}
        }
        let mut used = 1;
        match ws.get(i + 1) {
            Some(&"thousand") | Some(&"k") | Some(&"grand") => {
                value *= 1_000.0;
                used = 2;
            }
            Some(&"million") => {
                value *= 1_000_000.0;
                used = 2;
            }
            _ => {}
        }
        return Some((value, used));
    }
    const SMALL: &[(&str, f64)] = &[
        ("a", 1.0),
        ("an", 1.0),
        ("one", 1.0),
        ("two", 2.0),
        ("three", 3.0),
        ("four", 4.0),
        ("five", 5.0),
        ("six", 6.0),
        ("seven", 7.0),
        ("eight", 8.0),
        ("nine", 9.0),
        ("ten", 10.0),
        ("eleven", 11.0),
        ("twelve", 12.0),
        ("fifteen", 15.0),
        ("eighteen", 18.0),
        ("twenty", 20.0),
        ("thirty", 30.0),
        ("half", 0.5),
        ("several", 3.0),
        ("few", 3.0),
        ("couple", 2.0),
    ];
    let (_, v) = SMALL.iter().find(|(n, _)| *n == w)?;
    // "a couple of", "a few": the article is not the number.
    if (w == "a" || w == "an") && matches!(ws.get(i + 1), Some(&"few") | Some(&"couple")) {
        return number_at(ws, i + 1).map(|(v, n)| (v, n + 1));
    }
    let mut used = 1;
    if matches!(ws.get(i + 1), Some(&"of")) && (w == "couple" || w == "few") {
        used = 2;
    }
    Some((*v, used))
}

/// Months in a duration that starts at word `i` ("three months", "12 weeks", "half a
/// year", "90 days").
fn months_at(ws: &[&str], i: usize) -> Option<f64> {
    let (n, used) = number_at(ws, i)?;
    let mut j = i + used;
    // "half a year", "three full months"
    if matches!(ws.get(j), Some(&"a") | Some(&"full") | Some(&"whole")) {
        j += 1;
    }
    let unit = *ws.get(j)?;
    let unit = unit.trim_end_matches("'s").trim_end_matches('\'');
    let per = match unit {
        "month" | "months" => 1.0,
        "week" | "weeks" => 12.0 / 52.0,
        "day" | "days" => 12.0 / 365.0,
        "year" | "years" => 12.0,
        _ => return None,
    };
    Some(n * per)
}

/// One candidate sentence, lowercased into words.
struct Said<'a> {
    quote: &'a str,
    segment: usize,
    start: Option<f64>,
    end: Option<f64>,
    words: Vec<String>,
}

fn risk(kind: RiskKind, message: String, s: &Said<'_>) -> Risk {
    Risk {
        kind,
        message,
        quote: s.quote.to_owned(),
        segment: s.segment,
        start: s.start,
        end: s.end,
    }
}

/// Finds the risks in what the candidate said, at most one of each kind (the first
/// clear statement), in the order of `RiskKind`.
pub fn detect(transcript: &Transcript, facts: &VacancyFacts) -> Vec<Risk> {
    let mut said = Vec::new();
    for (segment, seg) in transcript.candidate_segments() {
        for (s, e) in sentences(&seg.text) {
            let quote = &seg.text[s..e];
            let ws: Vec<Word> = words(quote);
            said.push(Said {
                quote,
                segment,
                start: seg.start,
                end: seg.end,
                words: ws.into_iter().map(|w| w.lower).collect(),
            });
        }
    }
    let mut out = Vec::new();
    out.extend(salary(&said, facts));
    out.extend(notice(&said));
    out.extend(job_changes(&said));
    out.extend(hostility(&said));
    out.extend(availability(&said));
    out
}

fn salary(said: &[Said<'_>], facts: &VacancyFacts) -> Option<Risk> {
    for s in said {
        let ws: Vec<&str> = s.words.iter().map(String::as_str).collect();
        let about_pay = ws.iter().any(|w| SALARY_WORDS.contains(w))
            || ws.iter().any(|w| *w == "expectations" || *w == "expecting");
        if !about_pay {
            continue;
        }
        if HIGH_SALARY_PHRASES.iter().any(|p| has_phrase(&ws, p))
            || (ws.contains(&"more") && s.quote.contains('%'))
        {
            return Some(risk(
                RiskKind::SalaryExpectations,
                "Salary expectations well above the current level or range".into(),
                s,
            ));
        }
        if !ws.iter().any(|w| EXPECT_WORDS.contains(w)) {
            continue;
        }
        // The largest amount named, made yearly.
        let monthly = ws.iter().any(|w| matches!(*w, "month" | "monthly" | "mo"));
        let hourly = ws.iter().any(|w| matches!(*w, "hour" | "hourly" | "hr"));
        let other_currency = ws.iter().any(|w| OTHER_CURRENCY.contains(w))
            || s.quote.contains(['\u{20bd}', '\u{20b9}', '\u{a5}']);
        let Some(amount) = (0..ws.len())
            .filter(|&i| ws[i].starts_with(|c: char| c.is_ascii_digit()))
            .filter_map(|i| number_at(&ws, i).map(|(v, _)| v))
            .filter(|v| *v >= 10.0)
            .reduce(f64::max)
        else {
            continue;
        };
        let yearly = if hourly {
            amount * 2_000.0
        } else if monthly {
            amount * 12.0
        } else {
            amount
        };
        let high = match facts.salary_max_per_year {
            Some(max) if max > 0.0 => yearly > max * ABOVE_RANGE,
            _ => {
                !other_currency
                    && yearly >= VERY_HIGH_YEARLY
                    && (s.quote.contains(['$', '\u{20ac}', '\u{a3}'])
                        || ws.iter().any(|w| CURRENCY_OK.contains(w))
                        || ws.iter().any(|w| w.ends_with('k')))
            }
        };
        if high {
            let message = if facts.salary_max_per_year.is_some() {
                "Salary expectations far above the vacancy's range"
            } else {
                "Very high salary expectations"
            };
            return Some(risk(RiskKind::SalaryExpectations, message.into(), s));
        }
    }
    None
}

fn notice(said: &[Said<'_>]) -> Option<Risk> {
    for s in said {
        let ws: Vec<&str> = s.words.iter().map(String::as_str).collect();
        if !ws.iter().any(|w| NOTICE_WORDS.contains(w)) {
            continue;
        }
        // An account of a past job's notice is no risk now.
        let past_account = ws.iter().any(|w| matches!(*w, "gave" | "served" | "had"))
            && !ws.iter().any(|w| {
                matches!(
                    *w,
                    "is" | "will"
                        | "need"
                        | "needs"
                        | "must"
                        | "can"
                        | "can't"
                        | "have"
                        | "i'm"
                        | "would"
                        | "until"
                        | "earliest"
                )
            });
        if past_account {
            continue;
        }
        // A duration close to a word of notice or starting: "three months' notice",
        // "start in three months", "my notice period is 12 weeks".
        let near_notice = |i: usize| {
            ws[i.saturating_sub(5)..ws.len().min(i + 4)]
                .iter()
                .any(|w| NOTICE_WORDS.contains(w))
        };
        let Some(months) = (0..ws.len())
            .filter(|&i| near_notice(i))
            .filter_map(|i| months_at(&ws, i))
            .reduce(f64::max)
        else {
            continue;
        };
        if months >= LONG_NOTICE_MONTHS - 0.05 {
            let shown = (months * 10.0).round() / 10.0;
            return Some(risk(
                RiskKind::NoticePeriod,
                format!("Long notice period: about {shown} months before starting"),
                s,
            ));
        }
    }
    None
}

fn job_changes(said: &[Said<'_>]) -> Option<Risk> {
    let mut stints: Vec<&Said<'_>> = Vec::new();
    for s in said {
        let ws: Vec<&str> = s.words.iter().map(String::as_str).collect();
        if HOPPING_PHRASES.iter().any(|p| has_phrase(&ws, p)) {
            return Some(risk(
                RiskKind::FrequentJobChanges,
                "Frequent job changes, in the candidate's own words".into(),
                s,
            ));
        }
        // "four jobs in the last two years"
        for i in 0..ws.len() {
            let Some((jobs, used)) = number_at(&ws, i) else {
                continue;
            };
            let Some(noun) = ws.get(i + used) else {
                continue;
            };
            if !matches!(
                *noun,
                "jobs" | "companies" | "employers" | "positions" | "roles" | "times"
            ) {
                continue;
            }
            let span = (i + used + 1..ws.len().min(i + used + 6))
                .find_map(|j| months_at(&ws, j).map(|m| m / 12.0));
            if let Some(years) = span
                && jobs >= 3.0
                && years > 0.0
                && jobs / years >= 1.0
            {
                return Some(risk(
                    RiskKind::FrequentJobChanges,
                    format!(
                        "Frequent job changes: {jobs} jobs in about {} years",
                        (years * 10.0).round() / 10.0
                    ),
                    s,
                ));
            }
        }
        // A short stint: "I left after five months".
        let short = (0..ws.len()).any(|i| {
            months_at(&ws, i).is_some_and(|m| m <= 12.0)
                && ws[i.saturating_sub(4)..i]
                    .iter()
                    .any(|w| STINT_VERBS.contains(w))
        }) && ws
            .iter()
            .any(|w| JOB_WORDS.contains(w) || matches!(*w, "left" | "quit" | "stayed"));
        if short {
            stints.push(s);
        }
    }
    if stints.len() >= SHORT_STINTS {
        let first = stints[0];
        return Some(risk(
            RiskKind::FrequentJobChanges,
            format!(
                "Frequent job changes: {} jobs of a year or less",
                stints.len()
            ),
            first,
        ));
    }
    None
}

fn hostility(said: &[Said<'_>]) -> Option<Risk> {
    for s in said {
        let ws: Vec<&str> = s.words.iter().map(String::as_str).collect();
        let about_them = ws.iter().any(|w| FORMER_WORDS.contains(w));
        let hostile = ws.iter().any(|w| INSULTS.contains(w))
            || HOSTILE_PHRASES.iter().any(|p| has_phrase(&ws, p));
        if about_them && hostile {
            return Some(risk(
                RiskKind::HostilityToFormerEmployers,
                "Hostile remarks about a former employer or colleagues".into(),
                s,
            ));
        }
    }
    None
}

fn availability(said: &[Said<'_>]) -> Option<Risk> {
    for s in said {
        let ws: Vec<&str> = s.words.iter().map(String::as_str).collect();
        if AVAILABILITY_PHRASES.iter().any(|p| has_phrase(&ws, p)) {
            return Some(risk(
                RiskKind::Availability,
                "Limited availability".into(),
                s,
            ));
        }
        // "only 20 hours a week"
        let few_hours = (0..ws.len()).any(|i| {
            ws[i] == "only"
                && number_at(&ws, i + 1)
                    .is_some_and(|(n, used)| n < 30.0 && ws.get(i + 1 + used) == Some(&"hours"))
        });
        if few_hours {
            return Some(risk(
                RiskKind::Availability,
                "Limited availability".into(),
                s,
            ));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use talentd_core::transcript::{Segment, Speaker};

    fn candidate(text: &str) -> Transcript {
        Transcript {
            segments: vec![
                Segment {
                    speaker: Speaker::Interviewer,
                    text: "My boss was an idiot and I need three months notice.".into(),
                    start: None,
                    end: None,
                },
                Segment {
                    speaker: Speaker::Candidate,
                    text: text.into(),
                    start: Some(1.0),
                    end: Some(4.0),
                },
            ],
        }
    }

    fn kinds(text: &str) -> Vec<RiskKind> {
        detect(&candidate(text), &VacancyFacts::default())
            .into_iter()
            .map(|r| r.kind)
            .collect()
    }

    #[test]
    fn numbers_and_durations() {
        let ws = ["120,000", "a", "year"];
        assert_eq!(number_at(&ws, 0), Some((120_000.0, 1)));
        assert_eq!(number_at(&["90k"], 0), Some((90_000.0, 1)));
        assert_eq!(months_at(&["three", "months"], 0), Some(3.0));
        assert_eq!(months_at(&["half", "a", "year"], 0), Some(6.0));
        assert_eq!(
            months_at(&["a", "couple", "of", "weeks"], 0).map(|m| m < 1.0),
            Some(true)
        );
    }

    #[test]
    fn interviewer_words_are_not_risks() {
        assert!(kinds("I enjoyed the work there.").is_empty());
    }

    #[test]
    fn each_kind_is_found() {
        assert_eq!(
            kinds("My salary expectation is $300k a year."),
            [RiskKind::SalaryExpectations]
        );
        assert!(kinds("I expect around $90k a year.").is_empty());
        assert_eq!(
            kinds("I'd want at least double my current salary."),
            [RiskKind::SalaryExpectations]
        );
        assert_eq!(
            kinds("My notice period is three months."),
            [RiskKind::NoticePeriod]
        );
        assert!(kinds("My notice period is two weeks.").is_empty());
        assert_eq!(
            kinds("I've had four jobs in the last two years."),
            [RiskKind::FrequentJobChanges]
        );
        assert_eq!(
            kinds("My previous manager was a complete idiot."),
            [RiskKind::HostilityToFormerEmployers]
        );
        assert_eq!(
            kinds("I can only work mornings because of other commitments."),
            [RiskKind::Availability]
        );
    }

    #[test]
    fn range_from_the_vacancy() {
        let t = candidate("I'm looking for a salary of 150,000 a year.");
        let facts = VacancyFacts {
            salary_max_per_year: Some(100_000.0),
        };
        assert_eq!(detect(&t, &facts).len(), 1);
        assert!(detect(&t, &VacancyFacts::default()).is_empty());
    }
}
