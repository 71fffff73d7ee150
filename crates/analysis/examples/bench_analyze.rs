//! Times one analysis of a 60-minute interview (about 9,000 candidate words, about 600
//! sentences) built here from varied sentence templates, and prints the stages and the
//! peak memory.
//!
//! Run with `cargo run --release -p talentd-analysis --example bench_analyze`; the
//! model comes from `TALENTD_MODELS_DIR`, else `<repo>/models`.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;
use talentd_analysis::analysis::VacancyFacts;
use talentd_analysis::embed::default_models_dir;
use talentd_analysis::{Analyzer, Embedder, Outcome};
use talentd_core::project::default_weights;
use talentd_core::transcript::{Segment, Speaker, Transcript};

/// Candidate words to reach (a brisk hour of speech at about 150 words a minute).
const TARGET_WORDS: usize = 9_000;

/// A small deterministic generator, so every run analyses the same transcript.
struct Lcg(u64);

impl Lcg {
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        let i = ((self.0 >> 33) % items.len() as u64) as usize;
        items[i]
    }
}

const QUESTIONS: &[&str] = &[
    "Tell me about a time you led a project.",
    "Describe a disagreement with a colleague.",
    "How do you solve a problem you have not seen before?",
    "How do you plan your week?",
    "Tell me about a stressful situation at work.",
    "How do you explain technical topics to non-experts?",
    "What would you do differently next time?",
    "Tell me about a mistake you made.",
];

const OPENINGS: &[&str] = &[
    "Last year at my previous company we had {thing} that kept {problem}.",
    "When I joined the team, {thing} was {problem} every week.",
    "A few months ago a client complained that {thing} was {problem}.",
    "In my last role I was responsible for {thing}, which was {problem}.",
    "There was a period when {thing} kept {problem} and nobody knew why.",
];
const ACTIONS: &[&str] = &[
    "I {verb} the {object} with {who} and we agreed on {plan}.",
    "So I {verb} the {object}, and then I asked {who} to review it.",
    "First I {verb} the {object} to understand what was going on.",
    "I decided to {base} the {object} myself and kept {who} informed every {period}.",
    "Then I set up a short meeting with {who} to go through the {object}.",
    "I wrote down the steps, estimated each one, and shared the plan with {who}.",
    "I listened to what {who} needed and adjusted the {object} to fit.",
    "I stayed calm, focused on the {object}, and dealt with the most urgent part first.",
    "Honestly I was not sure at first, so I checked the {object} again before changing anything.",
    "Um, I think we maybe could have started earlier, but we did not have the data.",
];
const RESULTS: &[&str] = &[
    "In the end we cut the {metric} by {number} percent in {number} weeks.",
    "As a result the {metric} went down and {who} were much happier.",
    "After that the {object} worked and we shipped on time.",
    "It took {number} days, but the {metric} improved and stayed better.",
    "We finished {number} days early, and I wrote a short note so others could reuse it.",
];
const THINGS: &[&str] = &[
    "the billing report",
    "the release process",
    "our onboarding flow",
    "the order pipeline",
    "the weekly schedule",
    "the support queue",
    "the budget forecast",
    "the warehouse layout",
];
const PROBLEMS: &[&str] = &[
    "failing at night",
    "running late",
    "confusing new staff",
    "losing orders",
    "getting slower",
    "producing wrong numbers",
];
const VERBS: &[&str] = &[
    "reviewed",
    "analysed",
    "reorganised",
    "mapped out",
    "tested",
    "rewrote",
    "compared",
];
const BASES: &[&str] = &["rebuild", "simplify", "document", "split", "automate"];
const OBJECTS: &[&str] = &[
    "logs",
    "timeline",
    "process",
    "data",
    "handover checklist",
    "estimates",
    "dashboard",
];
const WHO: &[&str] = &[
    "the two other engineers",
    "my manager",
    "the operations team",
    "the client",
    "the new colleagues",
    "the whole team",
];
const PLANS: &[&str] = &[
    "a plan with three milestones",
    "a simpler version first",
    "a weekly check-in",
    "a clear owner for each part",
];
const PERIODS: &[&str] = &["day", "week", "Monday", "sprint"];
const METRICS: &[&str] = &[
    "error rate",
    "waiting time",
    "number of complaints",
    "cost per order",
    "close time",
];
const NUMBERS: &[&str] = &["two", "three", "five", "12", "20", "30", "40"];

fn fill(rng: &mut Lcg, template: &str) -> String {
    let mut out = template.to_owned();
    for (slot, pool) in [
        ("{thing}", THINGS),
        ("{problem}", PROBLEMS),
        ("{verb}", VERBS),
        ("{base}", BASES),
        ("{object}", OBJECTS),
        ("{who}", WHO),
        ("{plan}", PLANS),
        ("{period}", PERIODS),
        ("{metric}", METRICS),
        ("{number}", NUMBERS),
    ] {
        while let Some(at) = out.find(slot) {
            let word = rng.pick(pool);
            out.replace_range(at..at + slot.len(), word);
        }
    }
    out
}

/// About sixty question–answer turns, each answer a small story.
fn transcript() -> Transcript {
    let mut rng = Lcg(2026);
    let mut segments = Vec::new();
    let mut words = 0;
    let mut clock = 0.0;
    while words < TARGET_WORDS {
        let q = rng.pick(QUESTIONS).to_owned();
        segments.push(Segment {
            speaker: Speaker::Interviewer,
            text: q,
            start: Some(clock),
            end: Some(clock + 5.0),
        });
        clock += 6.0;
        let opening = rng.pick(OPENINGS);
        let mut answer = vec![fill(&mut rng, opening)];
        for _ in 0..7 {
            let action = rng.pick(ACTIONS);
            answer.push(fill(&mut rng, action));
        }
        let result = rng.pick(RESULTS);
        answer.push(fill(&mut rng, result));
        let text = answer.join(" ");
        let n = text.split_whitespace().count();
        words += n;
        let seconds = n as f64 / 2.5;
        segments.push(Segment {
            speaker: Speaker::Candidate,
            text,
            start: Some(clock),
            end: Some(clock + seconds),
        });
        clock += seconds + 1.0;
    }
    Transcript { segments }
}

/// Peak resident memory of this process, from /proc (Linux only).
fn peak_rss() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .map(|l| l.trim_start_matches("VmHWM:").trim().to_owned())
        })
        .unwrap_or_else(|| "unknown".into())
}

fn main() {
    let models = match std::env::var_os("TALENTD_MODELS_DIR") {
        Some(d) if !d.is_empty() => default_models_dir(),
        _ => PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../models")),
    };
    let t = transcript();
    let candidate_words = t.candidate_words();
    let answers = t
        .segments
        .iter()
        .filter(|s| s.speaker == Speaker::Candidate)
        .count();

    let started = Instant::now();
    let embedder = match Embedder::load(&models) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("{e}\nrun scripts/fetch-models.sh first (or set TALENTD_MODELS_DIR)");
            std::process::exit(1);
        }
    };
    let load = started.elapsed();
    let started = Instant::now();
    let analyzer = Analyzer::new(Arc::new(embedder));
    if let Err(e) = analyzer.prepare() {
        eprintln!("embedding the rubric failed: {e}");
        std::process::exit(1);
    }
    let anchors = started.elapsed();

    let started = Instant::now();
    let result = analyzer.analyze_timed(&t, &default_weights(), &VacancyFacts::default());
    let total = started.elapsed();
    let (analysis, times) = match result {
        Ok(r) => r,
        Err(e) => {
            eprintln!("analysis failed: {e}");
            std::process::exit(1);
        }
    };
    if analysis.outcome != Outcome::Scored {
        eprintln!("not scored: {:?}", analysis.outcome);
        std::process::exit(1);
    }

    println!(
        "transcript: {candidate_words} candidate words in {answers} answers, {} units embedded",
        times.units
    );
    println!(
        "analyzer construction: model load {load:.2?}, rubric anchors and culture statements {anchors:.2?}"
    );
    println!(
        "analysis: {total:.2?} in all = prepare {:.2?} + embed {:.2?} + score, culture and report {:.2?}",
        times.prepare, times.embed, times.score
    );
    println!("peak RSS (VmHWM): {}", peak_rss());
    println!(
        "match {:?}, {} risks",
        analysis.match_score,
        analysis.risks.len()
    );
}
