//! Transparent language features of the candidate's clauses: who acts (ownership,
//! attribution to others, passivity), negation, concrete past behaviour versus
//! hypotheticals and self-descriptions, hedges and fillers, and specificity.
//!
//! They run on neutralised text (see `text::Neutraliser`), so names and gendered
//! words cannot change them.

use super::text::{NAME_TOKEN, Word, words};

/// Who performs the clause's action.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Subject {
    /// "I …"
    Me,
    /// "we …", "my team and I …"
    We,
    /// A third person: "my manager …", "they …", a name.
    Other,
    /// "it …", "there was …": the situation, nobody's behaviour.
    Impersonal,
    /// "you …": advice or generalities.
    Generic,
    /// No subject found (fragments, long noun phrases).
    Unknown,
}

/// How the clause talks about behaviour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Mode {
    /// Something that happened: past tense or a time anchor.
    Concrete,
    /// "I would …", "I usually …", "I'm a natural leader": claims and habits.
    General,
    /// Neither.
    Neutral,
}

/// The features of one clause (or one unit of clauses).
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Features {
    pub subject: Subject,
    /// The clause's verb is negated ("I did not …", "I never …").
    pub negated: bool,
    /// What the negation says, when negated.
    pub negation: Option<Negation>,
    /// Checking facts: "I checked", "I compared", "I noticed".
    pub investigates: bool,
    /// Acting on an unchecked assumption: "I figured", "went with my gut".
    pub assumes: bool,
    /// A self-description: "I'm a natural leader", "I consider myself calm".
    pub claim: bool,
    /// Sets the scene rather than telling behaviour: "I had a pupil who …",
    /// "there was a …", "one night we were …".
    pub setup: bool,
    /// Attending to another person: "I listened", "let them finish", "asked how they
    /// were", "I could see why".
    pub attends: bool,
    /// Brushing another person off: "not my problem", "told them to calm down".
    pub dismisses: bool,
    pub mode: Mode,
    /// The speaker's own decisive action: "I decided", "I organised", "I took charge".
    pub ownership: bool,
    /// Waiting for or deferring to others: "I was told", "someone else handled it".
    pub passive: bool,
    pub hedges: u32,
    pub fillers: u32,
    /// Numbers, durations, amounts, named tools or organisations.
    pub specifics: u32,
    /// A stated result: "reduced", "shipped", "on time", "as a result".
    pub outcome: bool,
    /// Durations, dates or checkpoints: "in three weeks", "by Friday", "milestones".
    pub timed: bool,
    pub words: usize,
}

/// Words skipped before looking for the subject.
const DISCOURSE: &[&str] = &[
    "so",
    "and",
    "but",
    "then",
    "well",
    "um",
    "uh",
    "er",
    "erm",
    "hmm",
    "actually",
    "basically",
    "honestly",
    "also",
    "finally",
    "eventually",
    "first",
    "firstly",
    "second",
    "secondly",
    "next",
    "later",
    "afterwards",
    "yeah",
    "yes",
    "no",
    "okay",
    "ok",
    "right",
    "because",
    "although",
    "though",
    "while",
    "whereas",
    "which",
    "until",
    "unless",
    "when",
    "if",
    "once",
    "since",
    "after",
    "before",
    "as",
    "like",
    "just",
    "really",
    "anyway",
    "oh",
    "luckily",
    "unfortunately",
    "fortunately",
    "obviously",
    "sometimes",
    "usually",
    "always",
    "often",
    "normally",
    "generally",
    "typically",
    "instead",
    "still",
    "now",
    "that",
    "where",
];

const ME: &[&str] = &["i", "i'm", "i've", "i'd", "i'll", "me", "myself"];
const WE: &[&str] = &["we", "we're", "we've", "we'd", "we'll", "us", "ourselves"];
const IMPERSONAL: &[&str] = &[
    "it",
    "it's",
    "this",
    "that",
    "there",
    "there's",
    "these",
    "those",
    "what",
    "nothing",
    "everything",
];
const THIRD_PERSON: &[&str] = &[
    "they",
    "they're",
    "they've",
    "they'd",
    "they'll",
    "them",
    "someone",
    "somebody",
    "nobody",
    "everyone",
    "everybody",
    "anyone",
    "anybody",
    "others",
    "people",
    "person",
];
/// Nouns for people at work (after "my", "the", "our", …).
const PERSON_NOUNS: &[&str] = &[
    "manager",
    "managers",
    "boss",
    "bosses",
    "lead",
    "leader",
    "leads",
    "colleague",
    "colleagues",
    "coworker",
    "coworkers",
    "co-worker",
    "co-workers",
    "teammate",
    "teammates",
    "supervisor",
    "director",
    "ceo",
    "cto",
    "cfo",
    "founder",
    "client",
    "clients",
    "customer",
    "customers",
    "engineer",
    "engineers",
    "developer",
    "developers",
    "head",
    "owner",
    "stakeholder",
    "stakeholders",
    "partner",
    "senior",
    "seniors",
    "architect",
    "analyst",
    "nurse",
    "doctor",
    "teacher",
    "student",
    "students",
    "team",
    "department",
    "company",
    "management",
    "hr",
    "staff",
    "parent",
    "parents",
    "spouse",
    "child",
    "sibling",
    "friend",
    "friends",
    "employer",
    "vendor",
    "contractor",
    "intern",
    "interns",
    "user",
    "users",
    "patient",
    "patients",
    "pupil",
    "pupils",
    "children",
    "kids",
    "family",
    "relative",
    "relatives",
    "visitor",
    "visitors",
    "driver",
    "drivers",
    "picker",
    "pickers",
    "worker",
    "workers",
    "auditor",
    "auditors",
    "planner",
    "planners",
    "designer",
    "designers",
    "copywriter",
    "copywriters",
    "nurses",
    "doctors",
    "rep",
    "reps",
    "agent",
    "agents",
    "assistant",
    "deputy",
    "principal",
    "recipient",
    "guy",
    "person",
    "someone",
];

/// Decisive actions of the speaker: the ownership feature.
const OWNERSHIP_VERBS: &[&str] = &[
    "decided",
    "decide",
    "organised",
    "organized",
    "organise",
    "organize",
    "led",
    "assigned",
    "delegated",
    "proposed",
    "initiated",
    "drove",
    "coordinated",
    "launched",
    "convinced",
    "persuaded",
    "negotiated",
    "volunteered",
    "gathered",
    "arranged",
    "facilitated",
    "mentored",
    "coached",
    "hired",
    "introduced",
    "insisted",
    "reorganised",
    "reorganized",
    "championed",
    "spearheaded",
    "rallied",
    "chose",
    "set",
];

/// Phrases of ownership that need more than a verb.
const OWNERSHIP_PHRASES: &[&[&str]] = &[
    &["took", "charge"],
    &["took", "ownership"],
    &["took", "responsibility"],
    &["took", "the", "lead"],
    &["took", "the", "initiative"],
    &["took", "initiative"],
    &["took", "over"],
    &["stepped", "up"],
    &["stepped", "in"],
    &["made", "the", "call"],
    &["made", "the", "decision"],
    &["made", "a", "decision"],
    &["called", "a", "meeting"],
    &["pushed", "for"],
    &["ran", "the"],
    &["set", "up"],
];

/// Deferring to others: the passivity feature.
const PASSIVE_PHRASES: &[&[&str]] = &[
    &["was", "told"],
    &["were", "told"],
    &["was", "asked", "to"],
    &["were", "asked", "to"],
    &["was", "assigned"],
    &["got", "assigned"],
    &["was", "given"],
    &["were", "given"],
    &["was", "instructed"],
    &["waited", "for"],
    &["waited", "until"],
    &["waited", "to", "be"],
    &["wait", "to", "be"],
    &["wait", "for", "instructions"],
    &["just", "followed"],
    &["followed", "instructions"],
    &["followed", "the", "instructions"],
    &["did", "what", "i", "was", "told"],
    &["did", "what", "they", "told"],
    &["did", "as", "i", "was", "told"],
    &["left", "it", "to"],
    &["left", "the", "decision"],
    &["left", "the", "decisions"],
    &["someone", "else"],
    &["somebody", "else"],
    &["it", "was", "decided"],
    &["stayed", "out", "of"],
    &["kept", "out", "of"],
    &["not", "my", "job"],
    &["not", "my", "responsibility"],
    &["not", "my", "problem"],
    &["wasn't", "my", "job"],
    &["wasn't", "my", "responsibility"],
    &["wasn't", "my", "problem"],
    &["isn't", "my", "job"],
    &["isn't", "my", "problem"],
    &["whatever", "i", "was", "told"],
    &["whatever", "they", "told"],
    &["let", "them", "decide"],
    &["let", "them", "handle"],
    &["let", "my", "manager"],
    &["let", "someone"],
    &["let", "the", "manager"],
    &["let", "the", "others"],
];

/// Idioms that contain a negation word but negate no behaviour.
const NOT_NEGATIONS: &[&[&str]] = &[
    &["not", "only"],
    &["not", "just"],
    &["no", "problem"],
    &["no", "worries"],
    &["no", "matter"],
    &["never", "mind"],
    &["couldn't", "have", "done"],
    &["not", "sure"],
    &["don't", "know"],
    &["don't", "think"],
    &["didn't", "know", "what", "else"],
    &["not", "my", "job"],
    &["not", "my", "responsibility"],
    &["not", "my", "problem"],
    &["wasn't", "my", "job"],
    &["wasn't", "my", "responsibility"],
    &["wasn't", "my", "problem"],
    &["isn't", "my", "job"],
    &["isn't", "my", "problem"],
];

/// Negation words and their affirmative form (empty: dropped).
const NEGATIONS: &[(&str, &str)] = &[
    ("not", ""),
    ("never", ""),
    ("didn't", "did"),
    ("don't", "do"),
    ("doesn't", "does"),
    ("wasn't", "was"),
    ("weren't", "were"),
    ("isn't", "is"),
    ("aren't", "are"),
    ("haven't", "have"),
    ("hasn't", "has"),
    ("hadn't", "had"),
    ("couldn't", "could"),
    ("wouldn't", "would"),
    ("shouldn't", "should"),
    ("won't", "will"),
    ("can't", "can"),
    ("cannot", "can"),
    ("mustn't", "must"),
    ("needn't", "need"),
    ("nobody", "somebody"),
    ("nothing", "something"),
    ("neither", "either"),
    ("nor", "or"),
    ("none", "some"),
    ("no", "a"),
];

const HEDGE_WORDS: &[&str] = &[
    "maybe",
    "perhaps",
    "probably",
    "possibly",
    "somewhat",
    "somehow",
    "hopefully",
    "kinda",
    "sorta",
    "whatever",
];
const HEDGE_PHRASES: &[&[&str]] = &[
    &["i", "guess"],
    &["i", "suppose"],
    &["kind", "of"],
    &["sort", "of"],
    &["not", "sure"],
    &["don't", "know"],
    &["more", "or", "less"],
    &["a", "bit"],
    &["i", "feel", "like"],
    &["or", "something"],
    &["stuff", "like", "that"],
    &["don't", "remember"],
    &["not", "really"],
    &["i", "think"],
];
const FILLER_WORDS: &[&str] = &[
    "um",
    "uh",
    "er",
    "erm",
    "hmm",
    "uhm",
    "umm",
    "uhh",
    "ah",
    "basically",
    "literally",
];
const FILLER_PHRASES: &[&[&str]] = &[&["you", "know"], &["i", "mean"], &["so", "yeah"]];

/// Words of habit, intention and hypothesis.
const GENERAL_WORDS: &[&str] = &[
    "would",
    "i'd",
    "we'd",
    "will",
    "i'll",
    "we'll",
    "usually",
    "always",
    "generally",
    "normally",
    "typically",
    "tend",
    "should",
    "could",
    "can",
    "if",
    "try",
    "ideally",
];
/// Self-descriptions: "I'm a …", "I am very …", "I consider myself …".
const CLAIM_PHRASES: &[&[&str]] = &[
    &["i'm", "a"],
    &["i'm", "an"],
    &["i", "am", "a"],
    &["i", "am", "an"],
    &["i'm", "very"],
    &["i", "am", "very"],
    &["i'm", "really"],
    &["i", "am", "really"],
    &["i'm", "good"],
    &["i", "am", "good"],
    &["i'm", "great"],
    &["i'm", "quite"],
    &["i'm", "naturally"],
    &["i", "consider", "myself"],
    &["i", "see", "myself"],
    &["i", "would", "say", "i'm"],
    &["i", "love"],
    &["i", "like", "to"],
];
/// Time anchors that place an account in the past.
const PAST_ANCHORS: &[&[&str]] = &[
    &["last", "year"],
    &["last", "month"],
    &["last", "week"],
    &["last", "quarter"],
    &["last", "summer"],
    &["last", "winter"],
    &["last", "spring"],
    &["ago"],
    &["yesterday"],
    &["at", "my", "previous"],
    &["at", "my", "last"],
    &["in", "my", "previous"],
    &["in", "my", "last"],
    &["at", "my", "old"],
    &["when", "i", "was"],
    &["one", "time"],
    &["that", "day"],
    &["that", "week"],
    &["that", "time"],
    &["back", "then"],
];
/// Irregular past forms (regular ones end in "-ed").
const IRREGULAR_PAST: &[&str] = &[
    "was",
    "were",
    "had",
    "did",
    "made",
    "took",
    "led",
    "went",
    "got",
    "gave",
    "found",
    "told",
    "said",
    "thought",
    "knew",
    "saw",
    "came",
    "became",
    "began",
    "brought",
    "built",
    "bought",
    "caught",
    "chose",
    "drove",
    "fell",
    "felt",
    "fought",
    "forgot",
    "froze",
    "held",
    "kept",
    "left",
    "lost",
    "meant",
    "met",
    "paid",
    "ran",
    "sent",
    "set",
    "shut",
    "sat",
    "spoke",
    "spent",
    "stood",
    "taught",
    "understood",
    "won",
    "wrote",
    "put",
    "cut",
    "quit",
    "split",
    "rewrote",
    "broke",
    "overcame",
    "rang",
    "read",
    "sold",
    "slept",
    "struck",
    "swore",
    "threw",
    "wore",
];
/// Verbs and phrases that state a result.
const OUTCOME_WORDS: &[&str] = &[
    "reduced",
    "cut",
    "increased",
    "saved",
    "shipped",
    "delivered",
    "launched",
    "grew",
    "improved",
    "doubled",
    "halved",
    "dropped",
    "won",
    "closed",
    "completed",
    "finished",
    "exceeded",
    "resolved",
    "fixed",
    "solved",
    "result",
    "resulted",
    "outcome",
    "succeeded",
    "released",
    "recovered",
    "retained",
    "promoted",
];
const OUTCOME_PHRASES: &[&[&str]] = &[
    &["as", "a", "result"],
    &["in", "the", "end"],
    &["on", "time"],
    &["which", "meant"],
    &["that", "meant"],
    &["led", "to"],
    &["it", "worked"],
    &["managed", "to"],
    &["went", "live"],
    &["went", "down", "from"],
    &["went", "up", "from"],
];

/// Number words that count as specifics ("one" is left out: "one of", "the one").
const NUMBER_WORDS: &[&str] = &[
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "fifteen",
    "twenty",
    "thirty",
    "forty",
    "fifty",
    "sixty",
    "hundred",
    "hundreds",
    "thousand",
    "thousands",
    "million",
    "dozen",
    "half",
    "percent",
    "double",
    "triple",
];
/// Units that make a number a duration.
const TIME_UNITS: &[&str] = &[
    "minute", "minutes", "hour", "hours", "day", "days", "week", "weeks", "month", "months",
    "year", "years", "sprint", "sprints", "quarter", "quarters",
];
/// Words of schedules: dates and checkpoints.
const SCHEDULE_WORDS: &[&str] = &[
    "deadline",
    "deadlines",
    "milestone",
    "milestones",
    "schedule",
    "timeline",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "weekly",
    "daily",
    "q1",
    "q2",
    "q3",
    "q4",
];

fn has_phrase(ws: &[&str], phrase: &[&str]) -> bool {
    !phrase.is_empty() && ws.windows(phrase.len()).any(|w| w == phrase)
}

fn count_phrase(ws: &[&str], phrase: &[&str]) -> u32 {
    if phrase.is_empty() {
        return 0;
    }
    ws.windows(phrase.len()).filter(|w| *w == phrase).count() as u32
}

fn is_number(w: &str) -> bool {
    w.chars().next().is_some_and(|c| c.is_ascii_digit()) || NUMBER_WORDS.contains(&w)
}

/// Whether `w` looks like a verb in the past tense.
pub(crate) fn is_past(w: &str) -> bool {
    IRREGULAR_PAST.contains(&w)
        || (w.len() > 4 && w.ends_with("ed") && !matches!(w, "need" | "indeed" | "speed"))
}

/// Indices of negation words that do negate something in `ws`.
fn negation_positions(ws: &[&str]) -> Vec<usize> {
    let mut idioms = vec![false; ws.len()];
    for phrase in NOT_NEGATIONS {
        for (i, w) in ws.windows(phrase.len()).enumerate() {
            if w == *phrase {
                idioms[i..i + phrase.len()]
                    .iter_mut()
                    .for_each(|x| *x = true);
            }
        }
    }
    ws.iter()
        .enumerate()
        .filter(|(i, w)| {
            // "No, I …" answers a question; it negates nothing.
            !idioms[*i] && NEGATIONS.iter().any(|(n, _)| n == *w) && !(*i == 0 && **w == "no")
        })
        .map(|(i, _)| i)
        .collect()
}

/// Words that open a noun phrase ("my manager", "the whole team").
const DETERMINERS: &[&str] = &[
    "my", "our", "the", "a", "an", "their", "your", "another", "two", "three", "both", "all",
    "some", "most", "every", "each", "other", "new", "senior", "junior", "whole", "its", "one",
    "of", "these", "those",
];
/// Verbs after "one" that make it generic ("one should").
const MODALS: &[&str] = &["should", "must", "can", "has", "needs", "could", "would"];

/// The subject of a clause, from its first words.
fn subject(ws: &[&str], raw: &[Word], text: &str) -> Subject {
    let start = ws
        .iter()
        .position(|w| !DISCOURSE.contains(w))
        .unwrap_or(ws.len());
    let Some(&w0) = ws.get(start) else {
        return Subject::Unknown;
    };
    let next = ws.get(start + 1).copied();
    let is_name = |k: usize| {
        raw.get(k)
            .is_some_and(|r| &text[r.start..r.end] == NAME_TOKEN)
    };
    // "my manager and I …", "Alex and I …"
    let and_me = |from: usize| {
        ws.get(from..ws.len().min(from + 5)).is_some_and(|rest| {
            rest.windows(2)
                .any(|p| p[0] == "and" && (p[1] == "i" || p[1] == "me"))
        })
    };
    if w0 == "me" && next == Some("and") {
        return Subject::We;
    }
    if ME.contains(&w0) && w0 != "me" && w0 != "myself" {
        return Subject::Me;
    }
    if WE.contains(&w0) && w0 != "us" && w0 != "ourselves" {
        return Subject::We;
    }
    if w0 == "you" || w0 == "you're" || (w0 == "one" && next.is_some_and(|n| MODALS.contains(&n))) {
        return Subject::Generic;
    }
    if THIRD_PERSON.contains(&w0) || PERSON_NOUNS.contains(&w0) || is_name(start) {
        return if and_me(start + 1) {
            Subject::We
        } else {
            Subject::Other
        };
    }
    if DETERMINERS.contains(&w0) {
        // A noun phrase: a person ("my manager"), the team ("our team"), or a thing.
        for (k, &w) in ws
            .iter()
            .enumerate()
            .take(ws.len().min(start + 4))
            .skip(start + 1)
        {
            if w0 == "our" && matches!(w, "team" | "department" | "group") {
                return Subject::We;
            }
            if PERSON_NOUNS.contains(&w) || is_name(k) {
                return if and_me(k + 1) {
                    Subject::We
                } else {
                    Subject::Other
                };
            }
        }
        return Subject::Impersonal;
    }
    if IMPERSONAL.contains(&w0) {
        return Subject::Impersonal;
    }
    // A fronted time or place ("last year we …"): the subject pronoun comes a little
    // later. A clause that starts with a verb has no subject of its own.
    for &w in ws.iter().skip(start + 1).take(4) {
        if matches!(w, "i" | "i'm" | "i've" | "i'd" | "i'll") {
            return Subject::Me;
        }
        if matches!(w, "we" | "we're" | "we've" | "we'd" | "we'll") {
            return Subject::We;
        }
    }
    Subject::Unknown
}

/// What a negation says about the speaker.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Negation {
    /// A good behaviour that did not happen: "I did not check", "I never planned".
    LacksGood,
    /// A bad behaviour that did not happen: "I didn't panic", "I never missed a
    /// deadline", "I wasn't angry".
    DeniesBad,
}

/// Verbs of behaviour that is bad in itself: denying them speaks for the speaker.
const BAD_VERBS: &[&str] = &[
    "panic",
    "panicked",
    "freeze",
    "froze",
    "snap",
    "snapped",
    "shout",
    "shouted",
    "yell",
    "yelled",
    "scream",
    "screamed",
    "argue",
    "argued",
    "blame",
    "blamed",
    "interrupt",
    "interrupted",
    "ignore",
    "ignored",
    "complain",
    "complained",
    "miss",
    "missed",
    "forget",
    "forgot",
    "quit",
    "fail",
    "failed",
    "cry",
    "cried",
    "rush",
    "rushed",
    "hesitate",
    "hesitated",
    "worry",
    "worried",
    "stress",
    "stressed",
    "overreact",
    "overreacted",
    "lie",
    "lied",
    "avoid",
    "avoided",
    "skip",
    "skipped",
    "delay",
    "delayed",
    "procrastinate",
    "procrastinated",
    "guess",
    "guessed",
    "assume",
    "assumed",
    "judge",
    "judged",
    "dismiss",
    "dismissed",
    "lose",
    "lost",
    "drop",
    "dropped",
    "wait",
    "waited",
    "jump",
    "jumped",
    "lash",
    "lashed",
    "cut",
    "break",
    "broke",
    "mind",
];
/// States that are bad in themselves: "I wasn't angry", "I didn't get upset".
const BAD_STATES: &[&str] = &[
    "angry",
    "upset",
    "annoyed",
    "nervous",
    "worried",
    "stressed",
    "scared",
    "afraid",
    "overwhelmed",
    "frustrated",
    "defensive",
    "rude",
    "impatient",
    "late",
    "confused",
    "anxious",
    "irritated",
    "mad",
    "lazy",
    "careless",
    "sloppy",
    "aggressive",
    "flustered",
    "rattled",
    "discouraged",
    "demotivated",
    "panicked",
    "emotional",
];
/// Words between a negation and its verb that change nothing.
const NEGATION_FILLERS: &[&str] = &[
    "really",
    "even",
    "ever",
    "always",
    "just",
    "actually",
    "once",
    "too",
    "immediately",
    "properly",
    "completely",
    "fully",
    "have",
    "has",
    "had",
    "be",
    "been",
    "i",
    "we",
    "so",
    "very",
];

/// Whether the clause is negated, and what the negation says.
pub(crate) fn negation(text: &str) -> Option<Negation> {
    let raw = words(text);
    let ws: Vec<&str> = raw.iter().map(|w| w.lower.as_str()).collect();
    let &pos = negation_positions(&ws).first()?;
    let neg = ws[pos];
    let mut j = pos + 1;
    while j < ws.len() && NEGATION_FILLERS.contains(&ws[j]) {
        j += 1;
    }
    // "didn't want to panic", "didn't try to blame": the verb after "to".
    if ws.get(j).is_some_and(|w| {
        matches!(
            *w,
            "want" | "wanted" | "try" | "tried" | "bother" | "need" | "needed"
        )
    }) && ws.get(j + 1) == Some(&"to")
    {
        j += 2;
    }
    let verb = ws.get(j).copied().unwrap_or("");
    let after = |k: usize| ws.get(j + k).copied().unwrap_or("");
    let copula = matches!(neg, "wasn't" | "weren't" | "isn't" | "aren't")
        || matches!(
            verb,
            "get"
                | "got"
                | "feel"
                | "felt"
                | "become"
                | "became"
                | "go"
                | "went"
                | "seem"
                | "was"
                | "were"
                | "am"
                | "is"
                | "are"
        );
    let state = if matches!(
        verb,
        "get"
            | "got"
            | "feel"
            | "felt"
            | "become"
            | "became"
            | "go"
            | "went"
            | "seem"
            | "was"
            | "were"
            | "am"
            | "is"
            | "are"
    ) {
        after(1)
    } else {
        verb
    };
    let bad = BAD_STATES.contains(&state)
        || (copula && BAD_STATES.contains(&verb))
        || (BAD_VERBS.contains(&verb) && verb != "give")
        || (matches!(verb, "give" | "gave") && after(1) == "up")
        || (matches!(verb, "let")
            && matches!(
                after(1),
                "it" | "that" | "this" | "things" | "stress" | "pressure" | "the"
            ))
        || (matches!(verb, "take" | "took") && has_phrase(&ws[j..], &["personally"]));
    Some(if bad {
        Negation::DeniesBad
    } else {
        Negation::LacksGood
    })
}

/// Openings that set the scene of a story.
const SETUP_PHRASES: &[&[&str]] = &[
    &["i", "had", "a"],
    &["i", "had", "an"],
    &["we", "had", "a"],
    &["we", "had", "an"],
    &["there", "was"],
    &["there", "were"],
    &["one", "night"],
    &["one", "day"],
    &["one", "morning"],
    &["we", "kept", "having"],
    &["we", "kept", "getting"],
];
/// Acts of attending to another person.
const ATTENDING_PHRASES: &[&[&str]] = &[
    &["i", "listened"],
    &["let", "them", "finish"],
    &["let", "them", "explain"],
    &["let", "them", "talk"],
    &["let", "them", "vent"],
    &["asked", "how", "they"],
    &["asked", "them", "how"],
    &["asked", "what", "was"],
    &["asked", "why"],
    &["asked", "them", "why"],
    &["could", "see", "why"],
    &["understood", "why"],
    &["understood", "how"],
    &["how", "they", "felt"],
    &["how", "worrying"],
    &["how", "stressful"],
    &["in", "their", "shoes"],
    &["reassured"],
    &["apologised"],
    &["apologized"],
    &["offered", "to"],
    &["checked", "in", "on"],
    &["privately"],
    &["took", "them", "aside"],
    &["realised", "they"],
    &["realized", "they"],
    &["slowed", "down"],
];
/// Brushing another person off.
const DISMISSING_PHRASES: &[&[&str]] = &[
    &["not", "my", "problem"],
    &["was", "their", "problem"],
    &["is", "their", "problem"],
    &["their", "own", "problem"],
    &["not", "my", "business"],
    &["none", "of", "my", "business"],
    &["calm", "down", "or"],
    &["stop", "complaining"],
    &["acting", "like", "children"],
    &["complained", "about", "everything"],
    &["don't", "care"],
    &["didn't", "care"],
    &["don't", "get", "into"],
    &["was", "annoying"],
    &["in", "front", "of", "the", "whole"],
    &["in", "front", "of", "everyone"],
    &["moved", "on", "to", "the", "next"],
];

/// Verbs of checking facts before acting.
const INVESTIGATION_VERBS: &[&str] = &[
    "checked",
    "compared",
    "measured",
    "tested",
    "analysed",
    "analyzed",
    "noticed",
    "traced",
    "reproduced",
    "calculated",
    "modelled",
    "modeled",
    "reviewed",
    "investigated",
    "examined",
    "isolated",
    "verified",
    "confirmed",
    "diagnosed",
    "mapped",
    "ruled",
    "narrowed",
    "looked",
    "asked",
    "worked",
];
/// Phrases of acting on an unchecked assumption.
const ASSUMPTION_PHRASES: &[&[&str]] = &[
    &["i", "figured"],
    &["i", "assumed"],
    &["gut"],
    &["just", "tried"],
    &["tried", "random"],
    &["random", "things"],
    &["felt", "like", "the", "right"],
    &["i'm", "sure", "it", "was"],
    &["without", "checking"],
    &["without", "doing", "the", "numbers"],
    &["first", "instinct"],
];

/// The features of one clause of neutralised text.
pub(crate) fn features(text: &str) -> Features {
    let raw = words(text);
    let ws: Vec<&str> = raw.iter().map(|w| w.lower.as_str()).collect();
    let subject = subject(&ws, &raw, text);
    let negation = negation(text);
    let negated = negation.is_some();

    let hedges = ws.iter().filter(|w| HEDGE_WORDS.contains(w)).count() as u32
        + HEDGE_PHRASES
            .iter()
            .map(|p| count_phrase(&ws, p))
            .sum::<u32>();
    let mut fillers = ws.iter().filter(|w| FILLER_WORDS.contains(w)).count() as u32
        + FILLER_PHRASES
            .iter()
            .map(|p| count_phrase(&ws, p))
            .sum::<u32>();
    // "like," as a filler: set off by commas.
    for (k, w) in raw.iter().enumerate() {
        if w.lower == "like" {
            let before = k.checked_sub(1).map(|p| &text[raw[p].end..w.start]);
            let after = raw.get(k + 1).map(|n| &text[w.end..n.start]);
            if before.is_some_and(|g| g.contains(',')) || after.is_some_and(|g| g.contains(',')) {
                fillers += 1;
            }
        }
    }

    let mut specifics = 0;
    for (k, w) in ws.iter().enumerate() {
        if is_number(w) {
            specifics += 1;
        } else if raw[k].end - raw[k].start >= 2
            && text[raw[k].start..raw[k].end]
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
            && w.chars().any(|c| c.is_ascii_alphabetic())
        {
            // Acronyms: tools, standards, metrics (SQL, KPI, AWS).
            specifics += 1;
        } else if &text[raw[k].start..raw[k].end] == NAME_TOKEN {
            specifics += 1;
        }
    }
    // Amounts of money ("$90k") count once; "%" goes with its number.
    specifics += text.matches(['$', '\u{20ac}', '\u{a3}']).count() as u32;

    let timed = ws.iter().any(|w| SCHEDULE_WORDS.contains(w))
        || ws
            .windows(2)
            .any(|p| is_number(p[0]) && TIME_UNITS.contains(&p[1]));
    let outcome = ws.iter().any(|w| OUTCOME_WORDS.contains(w))
        || OUTCOME_PHRASES.iter().any(|p| has_phrase(&ws, p));

    let agentic_subject = matches!(subject, Subject::Me | Subject::We);
    let ownership = agentic_subject
        && !negated
        && (ws.iter().any(|w| OWNERSHIP_VERBS.contains(w))
            || OWNERSHIP_PHRASES.iter().any(|p| has_phrase(&ws, p)));
    let passive = PASSIVE_PHRASES.iter().any(|p| has_phrase(&ws, p));

    let claim = CLAIM_PHRASES.iter().any(|p| has_phrase(&ws, p));
    let setup = SETUP_PHRASES.iter().any(|p| {
        ws.len() >= p.len()
            && ws[..ws.len().min(p.len() + 2)]
                .windows(p.len())
                .any(|w| w == *p)
    });
    let attends = ATTENDING_PHRASES.iter().any(|p| has_phrase(&ws, p));
    let dismisses = DISMISSING_PHRASES.iter().any(|p| has_phrase(&ws, p));
    let general =
        ws.iter().any(|w| GENERAL_WORDS.contains(w)) || claim || subject == Subject::Generic;
    let past = ws.iter().any(|w| is_past(w)) || PAST_ANCHORS.iter().any(|p| has_phrase(&ws, p));
    let mode = if past && !ws.iter().any(|w| *w == "would" || *w == "i'd") {
        Mode::Concrete
    } else if general {
        Mode::General
    } else {
        Mode::Neutral
    };

    let own = matches!(subject, Subject::Me | Subject::We);
    let investigates = own && !negated && ws.iter().any(|w| INVESTIGATION_VERBS.contains(w));
    let assumes = ASSUMPTION_PHRASES.iter().any(|p| has_phrase(&ws, p));
    Features {
        subject,
        negated,
        negation,
        investigates,
        assumes,
        claim,
        setup,
        attends,
        dismisses,
        mode,
        ownership,
        passive,
        hedges,
        fillers,
        specifics,
        outcome,
        timed,
        words: ws.len(),
    }
}

/// The affirmative form of a negated clause, for the embedding model, which reads
/// "I did not want to decide" much like "I wanted to decide". Its match is then
/// counted the other way.
pub(crate) fn affirmative(text: &str) -> String {
    let raw = words(text);
    let ws: Vec<&str> = raw.iter().map(|w| w.lower.as_str()).collect();
    let negs = negation_positions(&ws);
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for &i in &negs {
        let w = &raw[i];
        out.push_str(&text[last..w.start]);
        let replacement = NEGATIONS
            .iter()
            .find(|(n, _)| *n == ws[i])
            .map_or("", |(_, a)| *a);
        out.push_str(replacement);
        last = w.end;
    }
    out.push_str(&text[last..]);
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether an answer tells a situation, the speaker's action and a result.
pub(crate) fn situation_action_result(sentences: &[(&str, &Features)]) -> bool {
    let Some(((first, _), rest)) = sentences.split_first() else {
        return false;
    };
    let lw: Vec<String> = words(first).into_iter().map(|w| w.lower).collect();
    let lw: Vec<&str> = lw.iter().map(String::as_str).collect();
    const SITUATION: &[&[&str]] = &[
        &["when"],
        &["during"],
        &["once"],
        &["there", "was"],
        &["we", "had"],
        &["i", "had"],
        &["our", "team"],
        &["my", "team"],
        &["the", "situation"],
        &["ago"],
        &["last"],
        &["at", "my"],
        &["in", "my"],
        &["one", "time"],
        &["a", "client"],
        &["a", "customer"],
        &["we", "were"],
        &["i", "was"],
    ];
    let situation = SITUATION.iter().any(|p| has_phrase(&lw, p))
        || sentences.iter().take(2).any(|(_, f)| {
            f.mode == Mode::Concrete && matches!(f.subject, Subject::Impersonal | Subject::Other)
        });
    let action = sentences.iter().any(|(_, f)| {
        matches!(f.subject, Subject::Me | Subject::We) && f.mode == Mode::Concrete && !f.negated
    });
    let result = rest.iter().any(|(_, f)| f.outcome);
    situation && action && result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subjects() {
        assert_eq!(
            features("So then I organised the team.").subject,
            Subject::Me
        );
        assert_eq!(
            features("My manager organised everything.").subject,
            Subject::Other
        );
        assert_eq!(
            features("Alex organised everything.").subject,
            Subject::Other
        );
        assert_eq!(
            features("My manager and I agreed on it.").subject,
            Subject::We
        );
        assert_eq!(features("We shipped it.").subject, Subject::We);
        assert_eq!(features("It was a hard week.").subject, Subject::Impersonal);
        assert_eq!(features("You have to stay calm.").subject, Subject::Generic);
    }

    #[test]
    fn negation_ownership_and_passivity() {
        let f = features("I did not want to make decisions.");
        assert!(f.negated);
        assert!(!f.ownership);
        let f = features("I decided to split the release and organised the team.");
        assert!(!f.negated && f.ownership);
        assert!(features("I was told what to do and waited for instructions.").passive);
        assert!(features("Someone else handled it.").passive);
        assert!(!features("I'm not sure it was the best plan.").negated);
        assert!(!features("No, I led it myself.").negated);
    }

    #[test]
    fn affirmative_drops_negation() {
        assert_eq!(
            affirmative("I did not want to make decisions."),
            "I did want to make decisions."
        );
        assert_eq!(affirmative("I didn't panic"), "I did panic");
        assert_eq!(
            affirmative("I never missed a deadline"),
            "I missed a deadline"
        );
        assert_eq!(affirmative("I'm not sure"), "I'm not sure");
    }

    #[test]
    fn modes_hedges_and_specifics() {
        assert_eq!(
            features("Last year I led the migration.").mode,
            Mode::Concrete
        );
        assert_eq!(features("I would talk to the team.").mode, Mode::General);
        assert_eq!(features("I'm a natural leader.").mode, Mode::General);
        let f = features("Um, maybe I guess it was, like, fine, you know.");
        assert_eq!(f.hedges, 2);
        assert_eq!(f.fillers, 3);
        let f = features("We cut load time by 40% in three weeks using SQL and Alex.");
        assert_eq!(f.specifics, 4);
        assert!(f.outcome);
    }
}
