//! Whether an answer is enough to move on, or what to ask next.
//!
//! The analysis scores soft skills from concrete past examples (situation, action,
//! result), so Tami digs deeper when an answer is short, vague, hypothetical, or
//! misses what the candidate did or how it ended. The signals come from small word
//! lists, listed below, in English and Russian; they are cues, not grammar.

use crate::lang::Lang;
use crate::words;
use serde::{Deserialize, Serialize};

/// Answers shorter than this many words get a "tell me more".
pub const MIN_WORDS: usize = 12;
/// Most follow-ups on one question.
pub const MAX_PROBES: u8 = 2;

/// What an answer contains.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assessment {
    /// Number of words.
    pub words: usize,
    /// Hedges and filler ("stuff", "kind of", "I don't know") outweigh the content.
    pub vague: bool,
    /// Speaks of what one would or usually does ("I would", "usually", "если бы").
    pub hypothetical: bool,
    /// States what the candidate personally did ("I fixed", "я организовал").
    pub has_action: bool,
    /// States how it ended ("in the end", "reduced", "30%", "в итоге").
    pub has_result: bool,
    /// Narrates the past in the first person ("I was", "we shipped", "мы сделали").
    pub first_person_past: bool,
}

/// Why Tami asks a follow-up.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProbeKind {
    /// Fewer than [`MIN_WORDS`] words.
    TooShort,
    /// Mostly hedges and filler.
    Vague,
    /// What one would do, not what one did.
    Hypothetical,
    /// No word on what the candidate personally did.
    MissingAction,
    /// No word on how it ended.
    MissingResult,
}

impl ProbeKind {
    /// The snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            ProbeKind::TooShort => "too_short",
            ProbeKind::Vague => "vague",
            ProbeKind::Hypothetical => "hypothetical",
            ProbeKind::MissingAction => "missing_action",
            ProbeKind::MissingResult => "missing_result",
        }
    }
}

/// What to do after an answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProbeDecision {
    /// The answer is enough: next question.
    MoveOn,
    /// Ask a follow-up of this kind.
    Probe(ProbeKind),
}

/// Hedges and filler; each present pattern counts once.
const VAGUE_EN: &[&str] = &[
    "stuff",
    "things",
    "something",
    "somehow",
    "kind of",
    "sort of",
    "etc",
    "and so on",
    "i guess",
    "maybe",
    "probably",
    "not sure",
    "it depends",
    "whatever",
    "various",
    "basically",
    "like that",
];
/// Admissions of having nothing to say; each counts as two hedges.
const BLANK_EN: &[&str] = &[
    "i don't|dont|do know",
    "no idea",
    "can't|cannot|cant remember",
    "don't|dont remember",
];
const VAGUE_RU: &[&str] = &[
    "как-то",
    "что-то",
    "всякое",
    "всякие",
    "и так далее",
    "и т.д|д",
    "наверное",
    "вроде",
    "типа",
    "разное",
    "зависит",
    "как бы",
    "в принципе",
    "может быть",
    "какие-то",
];
const BLANK_RU: &[&str] = &["не знаю", "не помню", "понятия не имею", "сложно сказать"];

const HYPOTHETICAL_EN: &[&str] = &[
    "i|we|you|one would",
    "i'd|we'd|you'd",
    "usually",
    "generally",
    "normally",
    "typically",
    "in general",
    "in theory",
    "i tend to",
    "i always try",
    "i try to",
    "if i were|was|had",
    "i will|i'll",
];
const HYPOTHETICAL_RU: &[&str] = &[
    "если бы",
    "я|мы бы",
    "бы я|мы",
    "обычно",
    "как правило",
    "в целом",
    "в общем",
    "я стараюсь",
    "всегда стараюсь",
    "я буду",
];

const RESULT_EN: &[&str] = &[
    "result*",
    "outcome*",
    "so that",
    "in|at the end",
    "eventually",
    "finally",
    "led to",
    "ended up",
    "turned out",
    "it worked",
    "ship*",
    "launch*",
    "deliver*",
    "released",
    "reduc*",
    "increas*",
    "improv*",
    "saved",
    "cut",
    "grew",
    "solved",
    "resolved",
    "fixed",
    "succe*",
    "managed to",
    "achiev*",
    "won",
    "learn*",
    "lesson*",
    "on time",
    "promoted",
    "thanked",
    "was|were happy|pleased|satisfied",
    "faster|fewer|cheaper",
    "restor*",
    "recover*",
    "was|were|is|are back",
    "back up",
    "no longer",
    "never again",
    "since then",
    "went live",
    "approved",
    "agreed",
    "accepted",
];
const RESULT_RU: &[&str] = &[
    "в итоге",
    "в результате",
    "итог*",
    "результат*",
    "удало*",
    "получило*",
    "сократи*",
    "снизи*",
    "увеличи*",
    "улучши*",
    "ускори*",
    "сэкономи*",
    "запустили|запустил|запустила",
    "выпустили|выпустил|выпустила",
    "успели|успел|успела",
    "закончилось|завершилось|завершили",
    "решили проблему",
    "восстанови*",
    "заработал*",
    "договорились",
    "согласовали",
    "научил*",
    "вывод*",
    "довол*",
    "быстрее|меньше|больше",
];

/// English past forms that are not `-ed`.
const EN_IRREGULAR_PAST: &[&str] = &[
    "did",
    "made",
    "led",
    "took",
    "wrote",
    "built",
    "spoke",
    "told",
    "gave",
    "went",
    "ran",
    "found",
    "set",
    "sent",
    "met",
    "got",
    "chose",
    "brought",
    "began",
    "held",
    "kept",
    "caught",
    "taught",
    "put",
    "rewrote",
    "rebuilt",
    "broke",
    "drew",
    "drove",
    "left",
    "lost",
    "paid",
    "said",
    "saw",
    "sold",
    "spent",
    "stood",
    "understood",
    "won",
    "came",
    "became",
    "cut",
    "let",
    "hit",
    "quit",
    "shut",
    "sought",
    "threw",
    "fought",
    "dealt",
    "heard",
    "split",
    "was",
    "were",
    "had",
    "felt",
    "thought",
    "knew",
];
/// Past forms that describe a state or a thought rather than something done.
const EN_NOT_ACTION: &[&str] = &[
    "was", "were", "had", "felt", "thought", "knew", "believed", "liked", "loved", "wanted",
    "seemed", "used", "hoped", "wished", "needed",
];
/// Words allowed between the pronoun and the verb ("I then called", "I quickly fixed").
const EN_BRIDGE: &[&str] = &[
    "then",
    "also",
    "first",
    "finally",
    "just",
    "immediately",
    "personally",
    "eventually",
    "actually",
    "still",
    "even",
    "never",
    "always",
    "and",
    "myself",
    "both",
];
const RU_NOT_ACTION: &[&str] = &[
    "был",
    "была",
    "были",
    "было",
    "думал",
    "думала",
    "считал",
    "считала",
    "хотел",
    "хотела",
    "хотели",
    "чувствовал",
    "чувствовала",
];

fn is_en_past(w: &str) -> bool {
    EN_IRREGULAR_PAST.contains(&w)
        || (w.len() >= 4 && w.ends_with("ed") && !w.ends_with("eed") && w.is_ascii())
}

/// Russian past tense: `-л`, `-ла`, `-ли`, `-ло` and their reflexive forms.
fn is_ru_past(w: &str) -> bool {
    let n = w.chars().count();
    n >= 3
        && ["л", "ла", "ли", "ло", "лся", "лась", "лись", "лось"]
            .iter()
            .any(|s| w.ends_with(s))
}

/// Whether a pronoun from `pronouns` is followed, within two words, by a past verb
/// accepted by `verb`.
fn pronoun_then_past(
    words: &[String],
    pronouns: &[&str],
    bridges: &[&str],
    verb: impl Fn(&str) -> bool,
) -> bool {
    words.iter().enumerate().any(|(i, w)| {
        pronouns.contains(&w.as_str())
            && words
                .iter()
                .skip(i + 1)
                .take(3)
                .take_while(|n| !pronouns.contains(&n.as_str()))
                .scan(true, |first_or_bridge, n| {
                    let keep = *first_or_bridge;
                    *first_or_bridge = bridges.contains(&n.as_str()) || n.ends_with("ly");
                    keep.then_some(n)
                })
                .any(|n| verb(n))
    })
}

/// A number that is not a year, as a cue for a measured result.
fn has_quantity(words: &[String]) -> bool {
    words.iter().any(|w| {
        w.chars().any(|c| c.is_ascii_digit())
            && !(w.len() == 4 && (w.starts_with("19") || w.starts_with("20")))
    })
}

/// Reads an answer for the signals the probe decides on.
pub fn assess(answer: &str, lang: Lang) -> Assessment {
    let w = words::norms(answer);
    let (vague, blank, hypo, result) = match lang {
        Lang::En => (VAGUE_EN, BLANK_EN, HYPOTHETICAL_EN, RESULT_EN),
        Lang::Ru => (VAGUE_RU, BLANK_RU, HYPOTHETICAL_RU, RESULT_RU),
    };
    let hedges = words::count(&w, vague) + 2 * words::count(&w, blank);
    let (first_person_past, has_action) = match lang {
        Lang::En => (
            pronoun_then_past(&w, &["i", "we"], EN_BRIDGE, is_en_past),
            pronoun_then_past(&w, &["i"], EN_BRIDGE, |v| {
                is_en_past(v) && !EN_NOT_ACTION.contains(&v)
            }),
        ),
        Lang::Ru => {
            let bridges = [
                "сначала",
                "потом",
                "затем",
                "сам",
                "сама",
                "лично",
                "сразу",
                "и",
            ];
            let helped = words::has_any(&w, &["мне удалось|пришлось|довелось", "моя роль"]);
            (
                helped || pronoun_then_past(&w, &["я", "мы"], &bridges, is_ru_past),
                helped
                    || pronoun_then_past(&w, &["я"], &bridges, |v| {
                        is_ru_past(v) && !RU_NOT_ACTION.contains(&v)
                    }),
            )
        }
    };
    Assessment {
        words: w.len(),
        // Two hedges make an answer vague unless it is long enough to carry them.
        vague: hedges >= 2 && hedges * 30 >= w.len(),
        hypothetical: words::has_any(&w, hypo),
        has_action,
        has_result: words::has_any(&w, result) || has_quantity(&w),
        first_person_past,
    }
}

/// Whether a question asks for a past example, so that hypothetical answers and
/// missing actions or results are worth a follow-up.
pub fn asks_for_example(question: &str) -> bool {
    let w = words::norms(question);
    words::has_any(
        &w,
        &[
            "a time",
            "time when|you",
            "example",
            "situation",
            "tell me about",
            "walk me through",
            "describe a|an|how|the",
            "have you ever",
            "when you",
            "recent*",
            "случа*",
            "пример*",
            "ситуаци*",
            "расскажите",
            "опишите",
            "вспомните",
            "когда вы",
            "был ли",
        ],
    )
}

/// The decision for an answer to a question that asks for a past example, after
/// `probes_so_far` follow-ups on it.
pub fn decide(a: &Assessment, probes_so_far: u8) -> ProbeDecision {
    decide_for(a, probes_so_far, true)
}

/// The decision for an answer; `asks_example` says whether the question wanted a past
/// example. Checks run in order of what helps the answer most: length first, then
/// concreteness, then the action and the result.
pub fn decide_for(a: &Assessment, probes_so_far: u8, asks_example: bool) -> ProbeDecision {
    use ProbeKind::*;
    let kind = if probes_so_far >= MAX_PROBES {
        None
    } else if a.words < MIN_WORDS {
        Some(TooShort)
    } else if a.vague {
        Some(Vague)
    } else if !asks_example {
        None
    } else if a.hypothetical && !a.first_person_past {
        Some(Hypothetical)
    } else if !a.has_action {
        Some(MissingAction)
    } else if !a.has_result {
        Some(MissingResult)
    } else {
        None
    };
    kind.map_or(ProbeDecision::MoveOn, ProbeDecision::Probe)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ProbeDecision::*;
    use ProbeKind::*;

    #[test]
    fn answers_table() {
        let table: &[(&str, Lang, ProbeDecision)] = &[
            ("Yes, I did that once.", Lang::En, Probe(TooShort)),
            ("Я работал в команде.", Lang::Ru, Probe(TooShort)),
            (
                "I don't know, stuff like that happens, we kind of sorted it out somehow and things were fine.",
                Lang::En,
                Probe(Vague),
            ),
            (
                "Ну не знаю, что-то такое было, как-то разобрались, в принципе всё было нормально и так далее.",
                Lang::Ru,
                Probe(Vague),
            ),
            (
                "I would first talk to everyone involved, and usually I try to find a compromise that works for the whole team.",
                Lang::En,
                Probe(Hypothetical),
            ),
            (
                "Обычно я бы сначала поговорил со всеми участниками и постарался бы найти компромисс, который устроит всю команду.",
                Lang::Ru,
                Probe(Hypothetical),
            ),
            (
                "Our team had a big release and we shipped it on time, the client was happy with the new dashboard in the end.",
                Lang::En,
                Probe(MissingAction),
            ),
            (
                "У нас был большой релиз, команда работала по выходным, и в итоге мы успели к сроку, клиент остался доволен.",
                Lang::Ru,
                Probe(MissingAction),
            ),
            (
                "Last spring our payment service kept timing out. I profiled the queries, found a missing index and talked to the DBA about adding it.",
                Lang::En,
                Probe(MissingResult),
            ),
            (
                "Прошлой весной у нас падал сервис оплаты. Я проанализировал запросы, нашёл недостающий индекс и обсудил его с администратором базы.",
                Lang::Ru,
                Probe(MissingResult),
            ),
            (
                "In 2022 our checkout kept failing. I profiled the queries, added an index and rolled it out; as a result latency dropped by 40%.",
                Lang::En,
                MoveOn,
            ),
            (
                "Two colleagues argued about the API design. I organised a meeting, we listed the trade-offs, and in the end we agreed on one version and shipped it.",
                Lang::En,
                MoveOn,
            ),
            (
                "В прошлом году два коллеги спорили о дизайне API. Я организовал встречу, мы разобрали плюсы и минусы, и в итоге договорились.",
                Lang::Ru,
                MoveOn,
            ),
            (
                "Когда у нас упал продакшен, я сразу собрал команду, мы откатили релиз, и нам удалось восстановить сервис за 20 минут.",
                Lang::Ru,
                MoveOn,
            ),
            (
                "During an outage I stayed calm and read the logs myself. I found the bad configuration change and rolled it back. Service was back in forty minutes.",
                Lang::En,
                MoveOn,
            ),
            (
                "Usually I plan carefully, but last year I led a migration with a tight deadline: I split the work into weekly milestones and we delivered two days early.",
                Lang::En,
                MoveOn,
            ),
        ];
        for (answer, lang, expected) in table {
            let a = assess(answer, *lang);
            assert_eq!(decide(&a, 0), *expected, "{answer}\n{a:?}");
        }
    }

    #[test]
    fn at_most_two_probes_per_question() {
        let a = assess("No.", Lang::En);
        assert_eq!(decide(&a, 0), Probe(TooShort));
        assert_eq!(decide(&a, 1), Probe(TooShort));
        assert_eq!(decide(&a, 2), MoveOn);
        assert_eq!(decide(&a, 7), MoveOn);
    }

    #[test]
    fn open_questions_only_probe_length_and_vagueness() {
        let a = assess(
            "I would like to join because the product is used by millions of people and the team works remotely.",
            Lang::En,
        );
        assert_eq!(decide_for(&a, 0, false), MoveOn);
        assert_eq!(decide_for(&a, 0, true), Probe(Hypothetical));
        assert!(!asks_for_example("Why do you want to join us?"));
        assert!(asks_for_example("Tell me about a time you failed."));
        assert!(asks_for_example("Расскажите о случае, когда вы ошиблись."));
    }

    #[test]
    fn signals() {
        let a = assess(
            "I then quickly fixed it and we reduced errors by 30%",
            Lang::En,
        );
        assert!(a.has_action && a.has_result && a.first_person_past && !a.hypothetical);
        let a = assess("I was there in 2021 when we were told", Lang::En);
        assert!(a.first_person_past && !a.has_action && !a.has_result);
        let a = assess("Мне пришлось самой всё переделать", Lang::Ru);
        assert!(a.has_action);
        assert_eq!(ProbeKind::MissingResult.as_str(), "missing_result");
    }
}
