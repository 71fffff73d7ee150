//! Speed and memory of the sentence-embedding model on this machine.
//!
//! Run after `scripts/fetch-models.sh`:
//! `cargo run --release -p talentd-analysis --example embed_bench`
//! (the model is read from `TALENTD_MODELS_DIR`, else `./models`).

use std::time::Instant;
use talentd_analysis::embed::default_models_dir;
use talentd_analysis::{Embed, Embedder};

const SENTENCES: usize = 600;

fn main() {
    if let Err(e) = run() {
        eprintln!("embed_bench: {e}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let dir = default_models_dir();
    let started = Instant::now();
    let embedder = Embedder::load(&dir)?;
    println!(
        "model      {} from {} loaded in {:.0} ms",
        embedder.model_id(),
        dir.display(),
        started.elapsed().as_secs_f64() * 1e3
    );

    let owned = sentences(SENTENCES);
    let texts: Vec<&str> = owned.iter().map(String::as_str).collect();
    let words: usize = texts.iter().map(|t| t.split_whitespace().count()).sum();

    // Warm-up: first use allocates and faults in the weights.
    embedder.embed(&texts[..8])?;

    let started = Instant::now();
    let vectors = embedder.embed(&texts)?;
    let batched = started.elapsed().as_secs_f64();
    assert_eq!(vectors.len(), texts.len());
    println!(
        "batched    {SENTENCES} sentences ({:.1} words on average) in {:.2} s: {:.0} sentences/s",
        words as f64 / SENTENCES as f64,
        batched,
        SENTENCES as f64 / batched
    );

    let mut single = Vec::new();
    for text in texts.iter().take(30) {
        let started = Instant::now();
        embedder.embed(&[text])?;
        single.push(started.elapsed().as_secs_f64() * 1e3);
    }
    single.sort_by(f64::total_cmp);
    println!(
        "single     one sentence: median {:.1} ms (min {:.1}, max {:.1}, of {})",
        single[single.len() / 2],
        single[0],
        single[single.len() - 1],
        single.len()
    );

    match peak_rss_kib() {
        Some(kib) => println!("memory     peak RSS (VmHWM) {:.0} MiB", kib as f64 / 1024.0),
        None => println!("memory     peak RSS unknown (no /proc/self/status)"),
    }
    Ok(())
}

/// Peak resident set size in KiB, from Linux's `/proc/self/status`.
fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// `n` varied English sentences of 8 to 30 words, the same on every run (a fixed
/// xorshift generator picks the parts).
fn sentences(n: usize) -> Vec<String> {
    const OPENERS: &[&str] = &[
        "In my last role",
        "Two years ago",
        "When the project started",
        "At my previous company",
        "During the migration",
        "After the outage",
        "Last quarter",
        "On my first day",
    ];
    const SUBJECTS: &[&str] = &[
        "I",
        "our team",
        "my manager and I",
        "the two of us",
        "we",
        "a colleague and I",
    ];
    const VERBS: &[&str] = &[
        "rewrote",
        "planned",
        "tested",
        "presented",
        "negotiated",
        "shipped",
        "reviewed",
        "simplified",
        "documented",
        "postponed",
    ];
    const OBJECTS: &[&str] = &[
        "the billing service",
        "a new onboarding flow",
        "the quarterly roadmap",
        "our deployment pipeline",
        "the customer contract",
        "a risky database change",
        "the hiring process",
        "the mobile release",
    ];
    const TAILS: &[&str] = &[
        "because the customers kept asking for it",
        "although nobody on the team had done it before",
        "so that the support staff could sleep at night",
        "and we learned to ask for help much earlier",
        "while the rest of the company was on holiday",
        "even though the budget had been cut in half",
        "after a long discussion with the product owner about priorities",
        "and I would do it differently today",
        "which taught me to write things down",
        "before the deadline that everyone thought was impossible",
    ];
    const EXTRAS: &[&str] = &[
        "quickly",
        "carefully",
        "together",
        "again",
        "twice",
        "calmly",
        "openly",
        "slowly",
    ];

    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move |m: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % m as u64) as usize
    };
    (0..n)
        .map(|_| {
            let mut s = format!(
                "{} {} {} {}",
                OPENERS[next(OPENERS.len())],
                SUBJECTS[next(SUBJECTS.len())],
                VERBS[next(VERBS.len())],
                OBJECTS[next(OBJECTS.len())],
            );
            for _ in 0..next(3) {
                s.push(' ');
                s.push_str(TAILS[next(TAILS.len())]);
            }
            // Pad short sentences and cut long ones into the 8..=30 word range.
            let mut words: Vec<&str> = s.split_whitespace().collect();
            while words.len() < 8 {
                words.push(EXTRAS[next(EXTRAS.len())]);
            }
            words.truncate(8 + next(23));
            format!("{}.", words.join(" "))
        })
        .collect()
}
