//! The culture model through its public API: sorts, company profiles, dimension scores,
//! fit, and inference from transcripts with the real embedding model.

use std::path::PathBuf;
use std::sync::OnceLock;
use talentd_analysis::Embedder;
use talentd_analysis::culture::*;
use talentd_core::transcript::{Speaker, Transcript};

// ---------------------------------------------------------------- sorts and profiles

/// A valid sort that ranks items by `key` (lowest key in pile 1; ties by item order).
fn sort_by_key(key: impl Fn(&OcpItem) -> i32) -> Vec<u8> {
    let mut order: Vec<usize> = (0..54).collect();
    order.sort_by_key(|&i| (key(&items()[i]), i));
    let piles: Vec<u8> = DISTRIBUTION
        .iter()
        .enumerate()
        .flat_map(|(p, &n)| std::iter::repeat_n(p as u8 + 1, n))
        .collect();
    let mut sort = vec![0u8; 54];
    for (rank, &i) in order.iter().enumerate() {
        sort[i] = piles[rank];
    }
    sort
}

/// Ranks innovation highest and stability lowest.
fn innovative_sort() -> Vec<u8> {
    sort_by_key(|it| match it.dimension {
        Some(Dimension::Innovation) => 2,
        Some(Dimension::Stability) => -2,
        _ => 0,
    })
}

fn mirrored(sort: &[u8]) -> Vec<u8> {
    sort.iter().map(|v| 10 - v).collect()
}

#[test]
fn sort_validation_explains_what_is_wrong() {
    let good = innovative_sort();
    assert_eq!(validate_sort(&good), Ok(()));

    let e = validate_sort(&good[..50]).unwrap_err();
    assert_eq!(e.index, None);
    assert!(e.message.contains("exactly 54"), "{e}");

    let mut bad = good.clone();
    bad[9] = 10;
    let e = validate_sort(&bad).unwrap_err();
    assert_eq!(e.index, Some(9));
    assert!(
        e.message.contains("ocp_10") && e.message.contains("1 to 9"),
        "{e}"
    );

    // Move one item from the middle pile to the top pile.
    let mut bad = good.clone();
    let i = bad.iter().position(|&v| v == 5).unwrap();
    bad[i] = 9;
    let e = validate_sort(&bad).unwrap_err();
    assert_eq!(e.index, None);
    assert!(
        e.message
            .contains("pile 9 has 3 items but needs 2 (1 too many)"),
        "{e}"
    );
    assert!(
        e.message
            .contains("pile 5 has 11 items but needs 12 (1 too few)"),
        "{e}"
    );
    // The error is a std error with a readable Display.
    let boxed: Box<dyn std::error::Error> = Box::new(e.clone());
    assert_eq!(boxed.to_string(), e.message);
}

#[test]
fn profiles_average_sorts_and_measure_agreement() {
    let a = innovative_sort();
    let one = profile_from_sorts(std::slice::from_ref(&a)).unwrap();
    assert_eq!(one.raters, 1);
    assert_eq!(one.agreement, None);
    assert_eq!(
        one.values,
        a.iter().map(|&v| f64::from(v)).collect::<Vec<_>>()
    );

    let same = profile_from_sorts(&[a.clone(), a.clone()]).unwrap();
    assert_eq!(same.agreement, Some(1.0));
    assert_eq!(same.values, one.values);

    // A rater who sees the opposite culture: the average is flat and agreement -1.
    let opposite = profile_from_sorts(&[a.clone(), mirrored(&a)]).unwrap();
    assert_eq!(opposite.agreement, Some(-1.0));
    assert!(opposite.values.iter().all(|&v| v == 5.0));

    // Item-wise mean of three raters, two decimals.
    let b = sort_by_key(|it| {
        if it.dimension == Some(Dimension::Team) {
            1
        } else {
            0
        }
    });
    let three = profile_from_sorts(&[a.clone(), a.clone(), b.clone()]).unwrap();
    for i in 0..54 {
        let mean = (2.0 * f64::from(a[i]) + f64::from(b[i])) / 3.0;
        assert!((three.values[i] - mean).abs() <= 0.005, "item {i}");
    }
    let agreement = three.agreement.unwrap();
    assert!(agreement > -1.0 && agreement < 1.0);

    // Errors name the rater and the item.
    let mut broken = a.clone();
    broken[3] = 0;
    let e = profile_from_sorts(&[a.clone(), a.clone(), broken]).unwrap_err();
    assert_eq!(e.index, Some(3));
    assert!(e.message.starts_with("rater 3: "), "{e}");
    assert!(profile_from_sorts(&[]).is_err());
}

#[test]
fn dimension_scores_of_a_known_profile() {
    let mut values = vec![5.0; 54];
    for (i, it) in items().iter().enumerate() {
        match it.dimension {
            Some(Dimension::Detail) => values[i] = 9.0,
            Some(Dimension::Innovation) => values[i] = 1.0,
            Some(Dimension::Team) => values[i] = 7.0,
            _ => {}
        }
    }
    // Stability: three items at 3 and three at 6 → mean 4.5.
    let stability: Vec<usize> = (0..54)
        .filter(|&i| items()[i].dimension == Some(Dimension::Stability))
        .collect();
    for (k, &i) in stability.iter().enumerate() {
        values[i] = if k < 3 { 3.0 } else { 6.0 };
    }
    let s = dimension_scores(&values);
    assert_eq!(s[&Dimension::Detail], 1.0);
    assert_eq!(s[&Dimension::Innovation], 0.0);
    assert_eq!(s[&Dimension::Team], 0.75);
    assert_eq!(s[&Dimension::Stability], 0.44); // (4.5 - 1) / 8 = 0.4375
    assert_eq!(s[&Dimension::People], 0.5);
    assert_eq!(s.len(), 7);

    let json = serde_json::to_value(&s).unwrap();
    for d in Dimension::ALL {
        assert!(json[d.as_str()].is_number());
    }
}

#[test]
fn default_profile_is_a_balanced_valid_sort() {
    let p = default_profile();
    let sort: Vec<u8> = p.values.iter().map(|&v| v as u8).collect();
    assert_eq!(validate_sort(&sort), Ok(()));
    assert_eq!(p.raters, 0);
    assert!(dimension_scores(&p.values).values().all(|&v| v == 0.5));
}

fn candidate_from(values: &[f64]) -> CandidateCulture {
    CandidateCulture {
        items: items()
            .iter()
            .zip(values)
            .map(|(it, &value)| ItemPreference {
                item: it.id.to_owned(),
                value,
                evidence: vec!["I said so.".to_owned()],
            })
            .collect(),
    }
}

#[test]
fn fit_is_the_profile_correlation() {
    let company = profile_from_sorts(&[innovative_sort()]).unwrap();
    let same = fit(&company, &candidate_from(&company.values));
    assert_eq!(same.fit_score, 1.0);
    assert_eq!(same.correlation, 1.0);
    assert_eq!(same.evidence_items, 54);
    assert!(same.attention.is_empty(), "{:?}", same.attention);
    assert!(
        same.matches
            .iter()
            .any(|m| m.starts_with("Innovation and risk-taking")),
        "{:?}",
        same.matches
    );

    let reversed: Vec<f64> = company.values.iter().map(|v| 10.0 - v).collect();
    let rev = fit(&company, &candidate_from(&reversed));
    assert_eq!(rev.fit_score, 0.0);
    assert_eq!(rev.correlation, -1.0);
    assert!(rev.matches.is_empty());
    assert!(
        rev.attention
            .iter()
            .any(|a| a.starts_with("Innovation and risk-taking: the company rates it high")),
        "{:?}",
        rev.attention
    );

    let flat = fit(&company, &CandidateCulture::neutral());
    assert_eq!((flat.fit_score, flat.correlation), (0.5, 0.0));
    assert_eq!(flat.evidence_items, 0);
    assert!(flat.attention[0].contains("Too little evidence"));

    let json = serde_json::to_value(&same).unwrap();
    for key in [
        "fit_score",
        "correlation",
        "matches",
        "attention",
        "dimensions",
        "evidence_items",
    ] {
        assert!(json.get(key).is_some(), "{key}");
    }
    assert!(json["dimensions"]["innovation"]["company"].is_number());
}

// ------------------------------------------------------------- inference (real model)

fn models_dir() -> PathBuf {
    std::env::var_os("TALENTD_MODELS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../models"))
}

fn embedder() -> &'static Embedder {
    static E: OnceLock<Embedder> = OnceLock::new();
    E.get_or_init(|| match Embedder::load(&models_dir()) {
        Ok(e) => e,
        Err(e) => panic!(
            "the embedding model is needed for these tests: {e}. \
             Run scripts/fetch-models.sh (or set TALENTD_MODELS_DIR)"
        ),
    })
}

fn transcript(turns: &[(Speaker, &str)]) -> Transcript {
    Transcript::from_turns(turns)
}

fn infer(turns: &[(Speaker, &str)]) -> CandidateCulture {
    infer_candidate(embedder(), &transcript(turns)).unwrap()
}

fn value(c: &CandidateCulture, text: &str) -> f64 {
    let id = items().iter().find(|i| i.text == text).unwrap().id;
    c.items.iter().find(|p| p.item == id).unwrap().value
}

fn values(c: &CandidateCulture) -> Vec<f64> {
    c.items.iter().map(|p| p.value).collect()
}

const INNOVATOR: &str = "What I loved most at my last company was the freedom to experiment. \
    We tried new approaches all the time, and I hate being told to follow rigid rules. \
    I'm happy to take risks if the payoff is worth it. I love coming up with new ideas.";

const STEADY: &str = "I really value predictability. I like clear procedures and knowing \
    exactly what is expected of me. A stable company with a long-term job matters to me. \
    I prefer proven methods over untested ideas.";

fn innovation_mean(c: &CandidateCulture) -> f64 {
    let idx: Vec<usize> = (0..54)
        .filter(|&i| items()[i].dimension == Some(Dimension::Innovation))
        .collect();
    idx.iter().map(|&i| c.items[i].value).sum::<f64>() / idx.len() as f64
}

#[test]
fn an_experimenter_scores_innovation_above_a_stability_seeker() {
    let q = "What kind of workplace brings out your best?";
    let inno = infer(&[(Speaker::Interviewer, q), (Speaker::Candidate, INNOVATOR)]);
    let steady = infer(&[(Speaker::Interviewer, q), (Speaker::Candidate, STEADY)]);
    assert!(
        innovation_mean(&inno) > innovation_mean(&steady) + 0.5,
        "{} vs {}",
        innovation_mean(&inno),
        innovation_mean(&steady)
    );
    for item in [
        "A willingness to experiment",
        "Not being constrained by many rules",
    ] {
        assert!(value(&inno, item) > 6.0, "{item}: {}", value(&inno, item));
        assert!(value(&inno, item) > value(&steady, item), "{item}");
    }
    assert!(value(&steady, "Predictability") > value(&inno, "Predictability"));
    assert!(value(&steady, "Security of employment") > 6.0);

    // Evidence: the candidate's own words, at most three, on a 1..9 scale.
    let exp = &inno.items[6];
    assert_eq!(exp.item, "ocp_07");
    assert!(!exp.evidence.is_empty() && exp.evidence.len() <= 3);
    assert!(exp.evidence.iter().all(|q| INNOVATOR.contains(q.as_str())));
    assert!(values(&inno).iter().all(|v| (1.0..=9.0).contains(v)));

    // End to end: the innovator fits an innovative company better than its opposite.
    let innovative = profile_from_sorts(&[innovative_sort()]).unwrap();
    let steady_co = profile_from_sorts(&[mirrored(&innovative_sort())]).unwrap();
    assert!(fit(&innovative, &inno).fit_score > fit(&steady_co, &inno).fit_score);
    assert!(fit(&steady_co, &steady).fit_score > fit(&innovative, &steady).fit_score);
}

#[test]
fn a_negated_preference_does_not_count_for_it() {
    let c = infer(&[(Speaker::Candidate, "I don't enjoy taking risks.")]);
    assert!(
        value(&c, "Risk taking") <= 5.0,
        "{}",
        value(&c, "Risk taking")
    );
    let c = infer(&[(Speaker::Candidate, "I never take risks at work.")]);
    assert!(
        value(&c, "Risk taking") <= 5.0,
        "{}",
        value(&c, "Risk taking")
    );
    let c = infer(&[(Speaker::Candidate, "I enjoy taking risks.")]);
    assert!(value(&c, "Risk taking") > 5.0);
}

#[test]
fn unrelated_talk_moves_nothing() {
    let c = infer(&[(
        Speaker::Candidate,
        "I led the migration of our billing system to a new database. It took about six \
         months and involved three teams. We used Postgres and Kafka. My notice period is \
         one month. I have a dog and I like hiking on weekends.",
    )]);
    assert_eq!(c, CandidateCulture::neutral());
    assert_eq!(fit(&default_profile(), &c).fit_score, 0.5);
}

#[test]
fn only_the_candidate_speech_counts() {
    let base = infer(&[
        (Speaker::Interviewer, "Tell me about yourself."),
        (Speaker::Candidate, STEADY),
    ]);
    let with_interviewer_views = infer(&[
        (Speaker::Interviewer, "Tell me about yourself."),
        (Speaker::Interviewer, INNOVATOR),
        (Speaker::Candidate, STEADY),
        (Speaker::Interviewer, "I don't enjoy taking risks."),
    ]);
    assert_eq!(base, with_interviewer_views);

    let interviewer_only = infer(&[
        (Speaker::Interviewer, INNOVATOR),
        (Speaker::Candidate, "Yes."),
    ]);
    assert_eq!(interviewer_only, CandidateCulture::neutral());
}

#[test]
fn the_same_transcript_gives_the_same_output() {
    let turns = [
        (Speaker::Candidate, INNOVATOR),
        (Speaker::Candidate, STEADY),
    ];
    let a = serde_json::to_string(&infer(&turns)).unwrap();
    let b = serde_json::to_string(&infer(&turns)).unwrap();
    assert_eq!(a, b);
}

#[test]
fn names_and_gendered_words_move_nothing() {
    let a = "My name is John Smith. My manager Peter taught me to love trying new approaches, \
             he always said that taking risks is how you learn. As a man in tech, I value \
             fairness and my wife says I care about the people I work with. Anna and I \
             shared information openly. Mr. Brown was his mentor.";
    let b = "My name is Aisha Okonkwo. My manager Maria taught me to love trying new approaches, \
             she always said that taking risks is how you learn. As a woman in tech, I value \
             fairness and my husband says I care about the people I work with. Kwame and I \
             shared information openly. Ms. Li was her mentor.";
    let ca = infer(&[(Speaker::Candidate, a)]);
    let cb = infer(&[(Speaker::Candidate, b)]);
    assert_eq!(values(&ca), values(&cb));
    let counts =
        |c: &CandidateCulture| c.items.iter().map(|p| p.evidence.len()).collect::<Vec<_>>();
    assert_eq!(counts(&ca), counts(&cb));
    assert!(ca.evidence_items() > 0, "the text does speak to values");
}
