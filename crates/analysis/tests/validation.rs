//! Validation of the soft-skill scores on labelled pairs: the same interview twice, one
//! answer changed to show more or less of one competency by the behaviour described.
//! A pair is right when the better version scores strictly higher on that competency.
//!
//! `tests/data/pairs.json` is the development set the scoring constants were chosen
//! on; `tests/data/pairs_holdout.json` was written at the same time and only scored
//! once the constants were fixed. Both count toward the thresholds.
//!
//! Runs the real model: fetch it with `scripts/fetch-models.sh` (into
//! `TALENTD_MODELS_DIR`, else `<repo>/models`). Print the figures with
//! `cargo test -p talentd-analysis --test validation -- --nocapture`.

use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use talentd_analysis::embed::default_models_dir;
use talentd_analysis::{Analyzer, Embedder};
use talentd_core::project::default_weights;
use talentd_core::template::Competency;
use talentd_core::transcript::{Speaker, Transcript, parse_text};

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data");
/// Required pairwise accuracy over all pairs.
const MIN_OVERALL: f64 = 0.9;
/// Required pairwise accuracy for each competency.
const MIN_PER_SKILL: f64 = 0.8;

#[derive(Debug, Deserialize)]
struct Pair {
    id: String,
    skill: Competency,
    interview: String,
    /// Which candidate answer (0-based) the two versions replace.
    answer: usize,
    /// "a" or "b".
    better: String,
    a: String,
    b: String,
    note: String,
}

fn models_dir() -> PathBuf {
    if std::env::var_os("TALENTD_MODELS_DIR").is_some_and(|d| !d.is_empty()) {
        default_models_dir()
    } else {
        PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../models"))
    }
}

fn analyzer() -> Analyzer {
    match Embedder::load(&models_dir()) {
        Ok(e) => Analyzer::new(Arc::new(e)),
        Err(e) => panic!(
            "cannot load the embedding model from {}: {e}\n\
             run scripts/fetch-models.sh first (or set TALENTD_MODELS_DIR)",
            models_dir().display()
        ),
    }
}

fn read(path: &str) -> String {
    match std::fs::read_to_string(path) {
        Ok(s) => s,
        Err(e) => panic!("cannot read {path}: {e}"),
    }
}

fn pairs(file: &str) -> Vec<Pair> {
    match serde_json::from_str(&read(&format!("{DATA}/{file}"))) {
        Ok(p) => p,
        Err(e) => panic!("{file}: {e}"),
    }
}

/// The interview with its `answer`-th candidate turn replaced by `text`.
fn with_answer(base: &Transcript, answer: usize, text: &str, id: &str) -> Transcript {
    let mut t = base.clone();
    let Some(seg) = t
        .segments
        .iter_mut()
        .filter(|s| s.speaker == Speaker::Candidate)
        .nth(answer)
    else {
        panic!("{id}: the interview has no candidate answer {answer}");
    };
    seg.text = text.to_owned();
    t
}

#[derive(Default)]
struct Tally {
    right: usize,
    total: usize,
}

impl Tally {
    fn accuracy(&self) -> f64 {
        if self.total == 0 {
            0.0
        } else {
            self.right as f64 / self.total as f64
        }
    }
}

#[test]
fn pairwise_accuracy_on_labelled_pairs() {
    let analyzer = analyzer();
    let weights = default_weights();
    let mut interviews: BTreeMap<String, Transcript> = BTreeMap::new();
    let mut per_skill: BTreeMap<Competency, Tally> = BTreeMap::new();
    let mut per_set: BTreeMap<&str, Tally> = BTreeMap::new();
    let mut overall = Tally::default();
    let mut wrong = Vec::new();

    for (set, file) in [
        ("development", "pairs.json"),
        ("holdout", "pairs_holdout.json"),
    ] {
        for p in pairs(file) {
            let base = interviews.entry(p.interview.clone()).or_insert_with(|| {
                let text = read(&format!("{DATA}/interviews/{}", p.interview));
                match parse_text(&text) {
                    Ok(t) => t,
                    Err(e) => panic!("{}: {e}", p.interview),
                }
            });
            let score_of = |text: &str| {
                let t = with_answer(base, p.answer, text, &p.id);
                let analysis = match analyzer.analyze(&t, &weights) {
                    Ok(a) => a,
                    Err(e) => panic!("{}: analysis failed: {e}", p.id),
                };
                let Some(score) = analysis
                    .scores
                    .as_ref()
                    .and_then(|s| s.get(&p.skill))
                    .map(|s| s.score)
                else {
                    panic!("{}: not scored: {:?}", p.id, analysis.outcome);
                };
                score
            };
            let (sa, sb) = (score_of(&p.a), score_of(&p.b));
            let (better, worse) = match p.better.as_str() {
                "a" => (sa, sb),
                "b" => (sb, sa),
                other => panic!("{}: better must be \"a\" or \"b\", not {other:?}", p.id),
            };
            let right = better > worse;
            for t in [
                per_skill.entry(p.skill).or_default(),
                per_set.entry(set).or_default(),
                &mut overall,
            ] {
                t.total += 1;
                t.right += usize::from(right);
            }
            if !right {
                wrong.push(format!(
                    "  {} ({}, {}): better {better:.2}, worse {worse:.2}",
                    p.id,
                    p.skill.as_str(),
                    p.note
                ));
            }
        }
    }

    println!("pairwise accuracy (better version scores strictly higher):");
    for (skill, t) in &per_skill {
        println!(
            "  {:<17} {:>2}/{:<2} = {:.2}",
            skill.as_str(),
            t.right,
            t.total,
            t.accuracy()
        );
    }
    for (set, t) in &per_set {
        println!(
            "  {set:<17} {:>2}/{:<2} = {:.2}",
            t.right,
            t.total,
            t.accuracy()
        );
    }
    println!(
        "  {:<17} {:>2}/{:<2} = {:.2}",
        "overall",
        overall.right,
        overall.total,
        overall.accuracy()
    );
    if !wrong.is_empty() {
        println!("pairs ranked the wrong way:\n{}", wrong.join("\n"));
    }

    assert_eq!(per_skill.len(), 6, "every competency needs pairs");
    for (skill, t) in &per_skill {
        assert!(
            t.total >= 6,
            "{} has only {} pairs",
            skill.as_str(),
            t.total
        );
        assert!(
            t.accuracy() >= MIN_PER_SKILL,
            "{} accuracy {:.2} is below {MIN_PER_SKILL}",
            skill.as_str(),
            t.accuracy()
        );
    }
    assert!(overall.total >= 40, "only {} pairs", overall.total);
    assert!(
        overall.accuracy() >= MIN_OVERALL,
        "overall accuracy {:.2} is below {MIN_OVERALL}",
        overall.accuracy()
    );
}
