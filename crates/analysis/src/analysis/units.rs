//! The candidate's speech cut into units of evidence: sentences, or the clauses of a
//! sentence when they differ in who acts or in negation ("my manager organised it, and
//! I just followed" is two units). The interviewer's words never become units.

use super::features::{self, Features, Mode, Subject};
use super::text::{Neutraliser, clause_bounds, neutral_len, sentences, words};
use talentd_core::transcript::Transcript;

/// How a unit's match with the rubric counts for the candidate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum UnitKind {
    /// The candidate's own behaviour, or a neutral account.
    Plain,
    /// The candidate's behaviour, negated: embedded in the affirmative, counted the
    /// other way.
    Negated,
    /// Someone else's behaviour ("my manager organised everything").
    Attributed,
    /// The situation, nobody's behaviour ("it was a hard week").
    Situation,
}

/// One unit of evidence.
#[derive(Clone, Debug)]
pub(crate) struct Unit {
    /// The candidate's own words, as said.
    pub quote: String,
    pub segment: usize,
    pub start: Option<f64>,
    pub end: Option<f64>,
    /// What the model embeds: neutralised, and affirmative when negated.
    pub embed_text: String,
    pub kind: UnitKind,
    pub features: Features,
}

/// One candidate turn.
#[derive(Clone, Debug)]
pub(crate) struct Answer {
    pub words: usize,
    /// Units of this answer: `Speech::units[first..first + count]`.
    pub first: usize,
    pub count: usize,
    /// Tells a situation, an action and a result.
    pub structured: bool,
}

/// All the candidate said, as units and answers, plus what the gate needs.
#[derive(Clone, Debug, Default)]
pub(crate) struct Speech {
    pub units: Vec<Unit>,
    pub answers: Vec<Answer>,
    pub words: usize,
    /// Sentences of four words or more.
    pub full_sentences: usize,
    /// Different words, lowercased.
    pub distinct_words: usize,
    /// Share of letters that are Latin (the model reads English only).
    pub latin_share: f64,
}

/// Clauses shorter than this join their neighbour: too short to mean much alone.
const MIN_CLAUSE_WORDS: usize = 3;

fn kind_of(subject: Subject, negated: bool) -> UnitKind {
    match subject {
        Subject::Other => UnitKind::Attributed,
        Subject::Me | Subject::We if negated => UnitKind::Negated,
        Subject::Impersonal => UnitKind::Situation,
        _ => UnitKind::Plain,
    }
}

/// Cuts the candidate's turns into units.
pub(crate) fn speech(transcript: &Transcript, neutraliser: &Neutraliser) -> Speech {
    let mut out = Speech::default();
    let mut distinct = std::collections::BTreeSet::new();
    let (mut latin, mut letters) = (0usize, 0usize);
    for (segment, seg) in transcript.candidate_segments() {
        let text = seg.text.as_str();
        for c in text.chars().filter(|c| c.is_alphabetic()) {
            letters += 1;
            if c.is_ascii_alphabetic() || ('\u{c0}'..='\u{24f}').contains(&c) {
                latin += 1;
            }
        }
        // Counted on neutral text, so that a longer name cannot tip the gate.
        let mut answer_words = 0;
        let first = out.units.len();
        for (s, e) in sentences(text) {
            let sentence = &text[s..e];
            let neutral_words = words(&neutraliser.neutralise(sentence, true));
            answer_words += neutral_words.len();
            if neutral_words.len() >= 4 {
                out.full_sentences += 1;
            }
            distinct.extend(neutral_words.into_iter().map(|w| w.lower));
            for (cs, ce, kind, subject) in grouped_clauses(sentence, neutraliser) {
                let quote = sentence[cs..ce].trim().to_owned();
                let neutral = neutraliser.neutralise(&sentence[cs..ce], cs == 0);
                let embed_text = if kind == UnitKind::Negated {
                    features::affirmative(&neutral)
                } else {
                    neutral.clone()
                };
                out.units.push(Unit {
                    quote,
                    segment,
                    start: seg.start,
                    end: seg.end,
                    embed_text,
                    kind,
                    features: {
                        let mut f = features::features(&neutral);
                        if f.subject == Subject::Unknown {
                            f.subject = subject;
                        }
                        f
                    },
                });
            }
        }
        let count = out.units.len() - first;
        let structured = {
            let units = &out.units[first..];
            let pairs: Vec<(&str, &Features)> = units
                .iter()
                .map(|u| (u.embed_text.as_str(), &u.features))
                .collect();
            features::situation_action_result(&pairs)
        };
        out.words += answer_words;
        out.answers.push(Answer {
            words: answer_words,
            first,
            count,
            structured,
        });
    }
    out.distinct_words = distinct.len();
    out.latin_share = if letters == 0 {
        1.0
    } else {
        latin as f64 / letters as f64
    };
    out
}

/// The clauses of a sentence grouped into units: consecutive clauses of the same kind
/// stay together, so most sentences are one unit.
fn grouped_clauses(
    sentence: &str,
    neutraliser: &Neutraliser,
) -> Vec<(usize, usize, UnitKind, Subject)> {
    let mut cuts = vec![0];
    cuts.extend(clause_bounds(sentence));
    cuts.push(sentence.len());
    let mut clauses: Vec<(usize, usize)> = Vec::new();
    for pair in cuts.windows(2) {
        let (s, e) = (pair[0], pair[1]);
        let short = neutral_len(&sentence[s..e]) < MIN_CLAUSE_WORDS;
        match clauses.last_mut() {
            Some(last) if short => last.1 = e,
            _ => clauses.push((s, e)),
        }
    }
    // A short first clause ("So, I …") joins the next one.
    if clauses.len() > 1 && neutral_len(&sentence[clauses[0].0..clauses[0].1]) < MIN_CLAUSE_WORDS {
        let first = clauses.remove(0);
        clauses[0].0 = first.0;
    }
    let mut out: Vec<(usize, usize, UnitKind, Subject)> = Vec::new();
    let mut subject = Subject::Unknown;
    for (s, e) in clauses {
        let f = features::features(&neutraliser.neutralise(&sentence[s..e], s == 0));
        // A clause with no subject of its own ("…, and couldn't think") shares the
        // subject of the clause before it.
        if f.subject != Subject::Unknown {
            subject = f.subject;
        }
        let kind = kind_of(subject, f.negated);
        match out.last_mut() {
            Some(last) if last.2 == kind => last.1 = e,
            _ => out.push((s, e, kind, subject)),
        }
    }
    out
}

impl Unit {
    /// Whether the unit tells the candidate's own concrete behaviour.
    pub(crate) fn own_concrete(&self) -> bool {
        matches!(self.features.subject, Subject::Me | Subject::We)
            && self.features.mode == Mode::Concrete
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use talentd_core::transcript::{Segment, Speaker};

    fn speech_of(candidate: &str) -> Speech {
        let t = Transcript {
            segments: vec![
                Segment {
                    speaker: Speaker::Interviewer,
                    text: "I organised everything and decided it all.".into(),
                    start: Some(0.0),
                    end: Some(2.0),
                },
                Segment {
                    speaker: Speaker::Candidate,
                    text: candidate.into(),
                    start: Some(2.0),
                    end: Some(9.5),
                },
            ],
        };
        speech(&t, &Neutraliser::new(&t))
    }

    #[test]
    fn only_candidate_words_become_units() {
        let s = speech_of("I led the launch.");
        assert_eq!(s.units.len(), 1);
        assert_eq!(s.units[0].segment, 1);
        assert_eq!(s.units[0].start, Some(2.0));
        assert_eq!(s.words, 4);
    }

    #[test]
    fn attribution_and_negation_split_units() {
        let s = speech_of("My manager organised everything, and I just followed along.");
        let kinds: Vec<UnitKind> = s.units.iter().map(|u| u.kind).collect();
        assert_eq!(kinds, [UnitKind::Attributed, UnitKind::Plain]);
        let s = speech_of("I did not want to make decisions.");
        assert_eq!(s.units[0].kind, UnitKind::Negated);
        assert_eq!(s.units[0].embed_text, "I did want to make decisions.");
        let s = speech_of("When the server crashed at night, I stayed calm and I fixed it.");
        let kinds: Vec<UnitKind> = s.units.iter().map(|u| u.kind).collect();
        assert_eq!(kinds, [UnitKind::Situation, UnitKind::Plain]);
    }
}
