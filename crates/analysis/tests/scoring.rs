//! Properties of the soft-skill analysis that users rely on: determinism, fairness,
//! the evidence gate, only the candidate's words counting, negation, the match
//! formula, risks, and evidence pointing at the transcript.
//!
//! These run the real model: fetch it first with `scripts/fetch-models.sh` (into
//! `TALENTD_MODELS_DIR`, else `<repo>/models`). A missing model fails them.

use std::path::PathBuf;
use std::sync::{Arc, OnceLock};
use talentd_analysis::analysis::VacancyFacts;
use talentd_analysis::embed::default_models_dir;
use talentd_analysis::{
    Analysis, Analyzer, Direction, Embedder, Outcome, Recommendation, RiskKind,
};
use talentd_core::project::{CompetencyWeights, default_weights};
use talentd_core::template::Competency;
use talentd_core::transcript::{Speaker, Transcript, parse_text};

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data");

fn models_dir() -> PathBuf {
    if std::env::var_os("TALENTD_MODELS_DIR").is_some_and(|d| !d.is_empty()) {
        default_models_dir()
    } else {
        PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../models"))
    }
}

/// One model for all tests of this file: loading it takes a while.
fn analyzer() -> &'static Analyzer {
    static ANALYZER: OnceLock<Analyzer> = OnceLock::new();
    ANALYZER.get_or_init(|| match Embedder::load(&models_dir()) {
        Ok(e) => Analyzer::new(Arc::new(e)),
        Err(e) => panic!(
            "cannot load the embedding model from {}: {e}\n\
             run scripts/fetch-models.sh first (or set TALENTD_MODELS_DIR)",
            models_dir().display()
        ),
    })
}

fn analyze(t: &Transcript) -> Analysis {
    analyze_with(t, &default_weights())
}

fn analyze_with(t: &Transcript, w: &CompetencyWeights) -> Analysis {
    match analyzer().analyze(t, w) {
        Ok(a) => a,
        Err(e) => panic!("analysis failed: {e}"),
    }
}

fn json(a: &Analysis) -> String {
    match serde_json::to_string(a) {
        Ok(s) => s,
        Err(e) => panic!("cannot serialise: {e}"),
    }
}

/// A stored interview, each turn given times: 30 s apart, 25 s long.
fn interview(name: &str) -> Transcript {
    let path = format!("{DATA}/interviews/{name}");
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) => panic!("cannot read {path}: {e}"),
    };
    let mut t = match parse_text(&text) {
        Ok(t) => t,
        Err(e) => panic!("{name}: {e}"),
    };
    for (i, s) in t.segments.iter_mut().enumerate() {
        s.start = Some(i as f64 * 30.0);
        s.end = Some(i as f64 * 30.0 + 25.0);
    }
    t
}

fn turns(lines: &[(Speaker, &str)]) -> Transcript {
    Transcript::from_turns(lines)
}

/// The interview with its `n`-th candidate answer replaced.
fn with_answer(mut t: Transcript, n: usize, text: &str) -> Transcript {
    if let Some(s) = t
        .segments
        .iter_mut()
        .filter(|s| s.speaker == Speaker::Candidate)
        .nth(n)
    {
        s.text = text.to_owned();
    }
    t
}

fn score(a: &Analysis, c: Competency) -> f64 {
    match a.scores.as_ref().and_then(|s| s.get(&c)) {
        Some(s) => s.score,
        None => panic!("not scored: {:?}", a.outcome),
    }
}

#[test]
fn same_transcript_gives_byte_identical_json() {
    let t = interview("backend_engineer.txt");
    let first = json(&analyze(&t));
    let second = json(&analyze(&t));
    assert_eq!(first, second);
    // A fresh analyzer (anchors embedded anew) agrees too.
    let Ok(embedder) = Embedder::load(&models_dir()) else {
        panic!("cannot load the model again");
    };
    let fresh = Analyzer::new(Arc::new(embedder));
    let Ok(third) = fresh.analyze(&t, &default_weights()) else {
        panic!("fresh analysis failed");
    };
    assert_eq!(first, json(&third));
}

/// The candidate's story, with a name and gendered words filled in.
fn story(
    candidate: &str,
    manager: &str,
    pronoun: &str,
    possessive: &str,
    object: &str,
    parent: &str,
    person: &str,
) -> Transcript {
    let p = pronoun;
    let pc = {
        let mut c = pronoun.chars();
        match c.next() {
            Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
            None => String::new(),
        }
    };
    turns(&[
        (
            Speaker::Interviewer,
            &format!("Welcome, {candidate}. Tell me about yourself."),
        ),
        (
            Speaker::Candidate,
            &format!(
                "Thanks. I'm {candidate}, a {person} who has worked in logistics for eight \
                 years, and I'm also a {parent} of two. I currently run the night shift at \
                 a large warehouse."
            ),
        ),
        (
            Speaker::Interviewer,
            "Tell me about a time you led the team through a problem.",
        ),
        (
            Speaker::Candidate,
            &format!(
                "Last winter our scanners failed during the busiest week. My manager \
                 {manager} was away, so I took charge: I split the team into three groups, \
                 set up manual picking lists and called {manager} to agree the plan with \
                 {object}. {pc} trusted me to run it, and we shipped every order on time."
            ),
        ),
        (
            Speaker::Interviewer,
            "How do you handle a colleague who is struggling?",
        ),
        (
            Speaker::Candidate,
            &format!(
                "{manager} once told me a picker was falling behind. I took the picker \
                 aside, asked how things were going, and learned about a sick child at \
                 home. I moved the picker to shorter shifts for a month and {p} thanked me \
                 afterwards, and {possessive} numbers recovered."
            ),
        ),
        (Speaker::Interviewer, "Tell me about a stressful situation."),
        (
            Speaker::Candidate,
            "When the conveyor broke before Christmas, I stayed calm, moved people to manual \
             picking in the areas that did not need the belt, and kept the drivers informed \
             every hour. We still sent out most of the orders that night.",
        ),
    ])
}

/// Everything in an analysis except the candidate's own words, which name people, and
/// the raw word count ("Maria Lopez" is two words, "John" one).
fn without_quotes(a: &Analysis) -> String {
    let mut a = a.clone();
    a.candidate_words = 0;
    if let Some(scores) = a.scores.as_mut() {
        for s in scores.values_mut() {
            for e in &mut s.evidence {
                e.quote.clear();
            }
        }
    }
    for r in &mut a.risks {
        r.quote.clear();
    }
    json(&a)
}

#[test]
fn names_and_gendered_words_do_not_move_scores() {
    let a = analyze(&story(
        "Maria Lopez",
        "Peter",
        "he",
        "his",
        "him",
        "mother",
        "woman",
    ));
    let b = analyze(&story("John", "Anna", "she", "her", "her", "father", "man"));
    let c = analyze(&story(
        "Aisha Okafor",
        "Mr Chen",
        "he",
        "his",
        "him",
        "mum",
        "guy",
    ));
    assert!(a.scores.is_some());
    assert_eq!(without_quotes(&a), without_quotes(&b));
    assert_eq!(without_quotes(&a), without_quotes(&c));
}

#[test]
fn too_little_speech_is_not_scored() {
    let mut lines = Vec::new();
    for q in [
        "Tell me about yourself.",
        "Have you led a team?",
        "How do you plan your work?",
        "How do you handle stress?",
        "Tell me about a conflict.",
        "How do you solve problems?",
        "Do you like explaining things?",
        "Anything else?",
    ] {
        lines.push((Speaker::Interviewer, q));
        lines.push((Speaker::Candidate, "Yes."));
        lines.push((Speaker::Interviewer, "Could you say more?"));
        lines.push((Speaker::Candidate, "No. Fine. Okay."));
    }
    let a = analyze(&turns(&lines));
    assert!(
        matches!(a.outcome, Outcome::InsufficientEvidence { .. }),
        "{:?}",
        a.outcome
    );
    assert!(a.scores.is_none() && a.match_score.is_none() && a.recommendation.is_none());
    assert!(a.strengths.is_empty());

    // Long enough in words, but every answer a word or two.
    let mut lines = Vec::new();
    for _ in 0..40 {
        lines.push((Speaker::Interviewer, "And then what happened next?"));
        lines.push((Speaker::Candidate, "Yes, right."));
    }
    let a = analyze(&turns(&lines));
    assert!(matches!(a.outcome, Outcome::InsufficientEvidence { .. }));
    assert!(a.scores.is_none());

    // Russian speech: the model reads English only, so it says so instead of guessing.
    let a = analyze(&turns(&[
        (Speaker::Interviewer, "Расскажите о себе."),
        (
            Speaker::Candidate,
            "Я руководитель проектов, работаю в компании восемь лет. В прошлом году я \
             организовал команду из двенадцати человек и запустил новый продукт в срок. \
             Я составил план, распределил задачи и каждую неделю проверял прогресс. Когда \
             возникли проблемы с поставщиком, я спокойно нашёл другого и договорился о \
             сроках. Мне нравится объяснять сложные вещи простыми словами и помогать \
             коллегам, если им трудно. Я всегда сначала выясняю причину проблемы, а потом \
             принимаю решение.",
        ),
    ]));
    match &a.outcome {
        Outcome::InsufficientEvidence { reason } => assert!(reason.contains("English")),
        other => panic!("scored Russian speech: {other:?}"),
    }
}

/// A caller's gate (a recording heard with low confidence) stops scoring with its own
/// reason; without one, a gated analysis is the plain analysis.
#[test]
fn a_callers_gate_stops_scoring_with_its_reason() {
    let t = interview("backend_engineer.txt");
    let w = default_weights();
    let plain = analyze(&t);
    assert!(plain.scores.is_some());
    let Ok(open) = analyzer().analyze_gated(&t, &w, None) else {
        panic!("analysis failed");
    };
    assert_eq!(json(&open), json(&plain));
    let reason = "40% of the candidate's words were transcribed with low confidence.";
    let Ok(gated) = analyzer().analyze_gated(&t, &w, Some(reason.into())) else {
        panic!("analysis failed");
    };
    match &gated.outcome {
        Outcome::InsufficientEvidence { reason: r } => assert!(r.contains("low confidence")),
        other => panic!("scored despite the gate: {other:?}"),
    }
    assert!(gated.scores.is_none() && gated.match_score.is_none());
    assert!(gated.recommendation.is_none());
}

#[test]
fn interviewer_words_change_nothing() {
    let base = interview("support_agent.txt");
    let mut loud = base.clone();
    for s in loud
        .segments
        .iter_mut()
        .filter(|s| s.speaker == Speaker::Interviewer)
    {
        s.text = format!(
            "{} I organised the whole team, decided the plan with milestones, stayed calm \
             under pressure, listened to everyone, found the root cause with data, and my \
             notice period is six months because my last boss was an idiot.",
            s.text
        );
    }
    assert_eq!(json(&analyze(&base)), json(&analyze(&loud)));
}

#[test]
fn negated_decisiveness_lowers_leadership() {
    let base = interview("project_manager.txt");
    let neutral = with_answer(
        base.clone(),
        1,
        "Last spring we had a website launch for a fashion client with a fixed date. The \
         team built the pages over six weeks and the launch went out on the planned day.",
    );
    let negated = with_answer(
        base.clone(),
        1,
        "Last spring we had a website launch for a fashion client with a fixed date. I did \
         not want to make decisions, so I never took the lead, and the launch went out on \
         the planned day.",
    );
    let decided = with_answer(
        base,
        1,
        "Last spring we had a website launch for a fashion client with a fixed date. I made \
         the decisions, took the lead and assigned the pages, and the launch went out on \
         the planned day.",
    );
    let (n, g, d) = (analyze(&neutral), analyze(&negated), analyze(&decided));
    let lead = Competency::Leadership;
    assert!(
        score(&g, lead) < score(&n, lead),
        "negated {} vs neutral {}",
        score(&g, lead),
        score(&n, lead)
    );
    assert!(score(&d, lead) > score(&n, lead));
    // The negated sentence is evidence against, never for.
    let Some(scores) = g.scores.as_ref() else {
        panic!("not scored");
    };
    let about: Vec<_> = scores[&lead]
        .evidence
        .iter()
        .filter(|e| e.quote.contains("did not want to make decisions"))
        .collect();
    assert!(!about.is_empty(), "{:#?}", scores[&lead].evidence);
    assert!(about.iter().all(|e| e.direction == Direction::Lowered));
}

#[test]
fn attribution_to_others_does_not_raise_leadership() {
    let base = interview("backend_engineer.txt");
    let mine = with_answer(
        base.clone(),
        1,
        "Last year we had to move the order service to a new queue. I organised the work, \
         split it into steps and agreed with the other two engineers who would take which \
         part.",
    );
    let theirs = with_answer(
        base,
        1,
        "Last year we had to move the order service to a new queue. My manager organised \
         the work, split it into steps and told the other two engineers and me which part \
         to take.",
    );
    let lead = Competency::Leadership;
    assert!(score(&analyze(&mine), lead) > score(&analyze(&theirs), lead));
}

#[test]
fn match_is_the_weighted_mean_of_scores() {
    let t = interview("finance_analyst.txt");
    let mut only_logic = CompetencyWeights::new();
    only_logic.insert(Competency::Logic, 1.0);
    let a = analyze_with(&t, &only_logic);
    assert_eq!(a.match_score, Some(score(&a, Competency::Logic)));

    let mut w = CompetencyWeights::new();
    w.insert(Competency::Logic, 2.0);
    w.insert(Competency::Planning, 1.0);
    w.insert(Competency::Empathy, 0.0);
    let a = analyze_with(&t, &w);
    let expected = (2.0 * score(&a, Competency::Logic) + score(&a, Competency::Planning)) / 3.0;
    let expected = (expected * 100.0).round() / 100.0;
    assert_eq!(a.match_score, Some(expected));

    let a = analyze(&t);
    let Some(scores) = a.scores.as_ref() else {
        panic!("not scored");
    };
    let mean = scores.values().map(|s| s.score).sum::<f64>() / 6.0;
    assert_eq!(a.match_score, Some((mean * 100.0).round() / 100.0));
}

#[test]
fn risks_are_found_with_quotes() {
    let t = interview("account_manager.txt");
    let t = with_answer(
        t,
        0,
        "Hi, I'm an account manager. I've had four jobs in the last two years, because I \
         get bored quickly. My last boss was an incompetent idiot, honestly. My notice \
         period is three months, and my salary expectation is $320k a year. I can only \
         work mornings because of other commitments.",
    );
    let a = analyze(&t);
    let kinds: Vec<RiskKind> = a.risks.iter().map(|r| r.kind).collect();
    assert_eq!(
        kinds,
        [
            RiskKind::SalaryExpectations,
            RiskKind::NoticePeriod,
            RiskKind::FrequentJobChanges,
            RiskKind::HostilityToFormerEmployers,
            RiskKind::Availability,
        ]
    );
    for r in &a.risks {
        assert!(!r.message.is_empty());
        assert!(t.segments[r.segment].text.contains(&r.quote));
        assert_eq!(t.segments[r.segment].speaker, Speaker::Candidate);
        assert_eq!(r.start, t.segments[r.segment].start);
    }
    // Hostility and several risks keep the recommendation down.
    assert_ne!(a.recommendation, Some(Recommendation::StronglyRecommended));
    assert_ne!(a.recommendation, Some(Recommendation::Recommended));

    // The salary against the vacancy's own range.
    let modest = with_answer(
        interview("account_manager.txt"),
        0,
        "Hi, I'm an account manager at a software company. I'm looking for a salary of \
         around 95,000 a year, and I can start in two weeks.",
    );
    let facts = VacancyFacts {
        salary_max_per_year: Some(70_000.0),
    };
    let Ok(a) = analyzer().analyze_for(&modest, &default_weights(), &facts) else {
        panic!("analysis failed");
    };
    assert_eq!(
        a.risks.iter().map(|r| r.kind).collect::<Vec<_>>(),
        [RiskKind::SalaryExpectations]
    );
    assert!(analyze(&modest).risks.is_empty());
}

#[test]
fn evidence_points_at_candidate_segments_with_times() {
    let t = interview("ward_nurse.txt");
    let a = analyze(&t);
    assert_eq!(a.outcome, Outcome::Scored);
    assert!(!a.model_version.is_empty());
    assert!(a.rubric_version.starts_with("rubric-"));
    assert!(a.summary.split(". ").count() >= 2);
    let Some(scores) = a.scores.as_ref() else {
        panic!("not scored");
    };
    assert_eq!(scores.len(), 6);
    for (c, s) in scores {
        assert!((0.0..=1.0).contains(&s.score), "{c:?}");
        assert!((0.0..=1.0).contains(&s.confidence), "{c:?}");
        assert_eq!(s.score, (s.score * 100.0).round() / 100.0);
        assert!(!s.evidence.is_empty(), "{c:?} has no evidence");
        assert!(s.evidence.len() <= 5);
        for pair in s.evidence.windows(2) {
            assert!(pair[0].weight >= pair[1].weight, "strongest first");
        }
        for e in &s.evidence {
            let seg = &t.segments[e.segment];
            assert_eq!(seg.speaker, Speaker::Candidate);
            assert!(
                seg.text.contains(&e.quote),
                "{:?} not in {:?}",
                e.quote,
                seg.text
            );
            assert_eq!((e.start, e.end), (seg.start, seg.end));
            assert!(e.start.is_some());
            assert!(!e.anchor.is_empty());
            assert!((0.0..=1.0).contains(&e.weight));
        }
    }
    let Some(m) = a.match_score else {
        panic!("no match");
    };
    assert!((0.0..=1.0).contains(&m));
    assert!(a.recommendation.is_some());
}
