//! Text handling for culture inference: the candidate's speech cut into clauses, each
//! clause's polarity (negated or not), and a neutral form with names and gendered
//! words replaced so that they cannot move a score.

use std::collections::BTreeSet;
use std::sync::OnceLock;

/// What replaces a name (and any other capitalised word that may be one).
const PLACEHOLDER: &str = "someone";

/// One clause of the candidate's speech.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Clause {
    /// The candidate's words, verbatim (for evidence).
    pub quote: String,
    /// Names and gendered words neutralised (what is embedded and matched).
    pub neutral: String,
}

/// Words after which a full stop does not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "mx", "dr", "prof", "st", "vs", "etc", "e.g", "i.e", "inc", "ltd", "jr",
    "sr",
];

/// Words that start a new clause with a contrasting view ("I like X but I hate Y").
const CONTRASTS: &[&str] = &[
    "but",
    "however",
    "whereas",
    "although",
    "though",
    "except",
    "otherwise",
];

/// Splits text into sentences at `.`, `!`, `?`, `;` and line breaks; a sentence keeps
/// its closing mark. A full stop after an abbreviation or an initial does not split.
fn sentences(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if c == '\n' || c == '\r' {
            push_trimmed(&mut out, &mut cur);
            continue;
        }
        cur.push(c);
        let next_is_space = chars.get(i + 1).is_none_or(|n| n.is_whitespace());
        let ends = match c {
            '!' | '?' | ';' => next_is_space,
            '.' => next_is_space && !after_abbreviation(&cur),
            _ => false,
        };
        if ends {
            push_trimmed(&mut out, &mut cur);
        }
    }
    push_trimmed(&mut out, &mut cur);
    out
}

fn push_trimmed(out: &mut Vec<String>, cur: &mut String) {
    let t = cur.trim();
    if !t.is_empty() {
        out.push(t.to_owned());
    }
    cur.clear();
}

/// Whether `s` (ending in `.`) ends with an abbreviation or a single-letter initial.
fn after_abbreviation(s: &str) -> bool {
    let body = s.trim_end_matches('.');
    let last = body
        .rsplit(|c: char| c.is_whitespace() || c == '(' || c == '"')
        .next()
        .unwrap_or("");
    let lower = last.to_lowercase();
    (last.chars().count() == 1 && last.chars().all(char::is_uppercase) && last != "I")
        || ABBREVIATIONS.contains(&lower.as_str())
}

/// The candidate's clauses in one segment's text: sentences, split again before
/// contrasting conjunctions. Questions are left out: asking is not stating a value.
pub(crate) fn clauses(text: &str) -> Vec<Clause> {
    let mut out = Vec::new();
    for sentence in sentences(text) {
        if sentence.ends_with('?') {
            continue;
        }
        let neutral_sentence = neutralise(&sentence);
        // Split the verbatim and the neutral sentence at the same contrast words; both
        // keep every contrast word, so the parts line up.
        let quotes = split_contrasts(&sentence);
        let neutrals = split_contrasts(&neutral_sentence);
        if quotes.len() == neutrals.len() {
            for (q, n) in quotes.into_iter().zip(neutrals) {
                out.push(Clause {
                    quote: q,
                    neutral: n,
                });
            }
        } else {
            out.push(Clause {
                quote: sentence,
                neutral: neutral_sentence,
            });
        }
    }
    out
}

/// Subjects after which `and`/`or`/`so` starts a new clause ("I love X and I hate Y").
const SUBJECTS: &[&str] = &[
    "i", "i'm", "i've", "i'd", "we", "we're", "we've", "you", "he", "she", "they", "it", "it's",
    "that",
];

/// Splits before each contrast word (`, but`, ` however`, ...) and before `and`, `or` or
/// `so` followed by a new subject, dropping the joining word and the comma before it.
fn split_contrasts(sentence: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut cur: Vec<&str> = Vec::new();
    let tokens: Vec<&str> = sentence.split_whitespace().collect();
    let core = |w: &str| {
        w.replace('\u{2019}', "'")
            .trim_matches(|c: char| !c.is_alphanumeric())
            .to_lowercase()
    };
    for (i, word) in tokens.iter().copied().enumerate() {
        let w = core(word);
        let joins_clause = matches!(w.as_str(), "and" | "or" | "so")
            && tokens
                .get(i + 1)
                .is_some_and(|n| SUBJECTS.contains(&core(n).as_str()));
        if !cur.is_empty() && (CONTRASTS.contains(&w.as_str()) || joins_clause) {
            parts.push(cur.join(" "));
            cur.clear();
            // "but," / "however," keep nothing of the contrast word.
            continue;
        }
        cur.push(word);
    }
    if !cur.is_empty() {
        parts.push(cur.join(" "));
    }
    parts
        .into_iter()
        .map(|p| {
            p.trim_matches(|c: char| c == ',' || c == '-' || c.is_whitespace())
                .to_owned()
        })
        .filter(|p| !p.is_empty())
        .collect()
}

/// Words that negate what follows.
const NEGATIONS: &[&str] = &[
    "not", "no", "never", "cannot", "nor", "neither", "nobody", "nothing", "none", "nowhere",
    "without", "hardly", "barely", "seldom", "rarely", "dont", "doesnt", "didnt", "cant", "wont",
    "isnt", "arent", "wasnt", "werent", "wouldnt", "shouldnt", "couldnt", "havent", "hasnt",
    "hadnt", "aint",
];

/// Words that express dislike of what they speak about (a "negative valence"): "I hate
/// rules" states the opposite of "I like rules".
const DISLIKES: &[&str] = &[
    "hate",
    "hates",
    "hated",
    "hating",
    "dislike",
    "dislikes",
    "disliked",
    "avoid",
    "avoids",
    "avoided",
    "avoiding",
    "dread",
    "dreads",
    "detest",
    "detests",
    "loathe",
    "loathes",
    "resent",
    "resents",
    "frustrate",
    "frustrates",
    "frustrated",
    "frustrating",
    "annoy",
    "annoys",
    "annoyed",
    "annoying",
    "exhausting",
    "draining",
    "drains",
    "stifle",
    "stifles",
    "stifled",
    "stifling",
    "suffocating",
    "bore",
    "bores",
    "bored",
    "boring",
    "tedious",
    "stressful",
    "stresses",
    "stressed",
    "worry",
    "worries",
    "worried",
    "afraid",
    "scared",
    "fear",
    "fears",
    "anxious",
    "nervous",
    "uncomfortable",
    "uneasy",
    "tired",
    "sick",
    "unhappy",
    "miserable",
    "demotivating",
    "demotivated",
    "mind",
    "minded",
];

/// Whether a clause as a whole is negative: an odd number of negations, or a word of
/// dislike, but not both ("I'm not afraid of risk" is positive about risk). "Mind" only
/// counts after a negation, and undoes it ("I don't mind long hours" is positive).
pub(crate) fn is_negative(text: &str) -> bool {
    let words = words(text);
    let mut negations = 0usize;
    let mut dislike = false;
    let mut i = 0;
    while i < words.len() {
        let w = words[i].as_str();
        let next = words.get(i + 1).map(String::as_str);
        let negation = NEGATIONS.contains(&w) || w.ends_with("n't");
        // Idioms with a negation word that are not negations.
        let idiom = match (w, next) {
            ("not", Some("only")) | ("no", Some("matter" | "doubt")) => true,
            ("can't" | "cannot" | "cant", Some("wait")) => true,
            ("no", _) if i == 0 => true, // "No, I love ..." answers a question
            _ => false,
        };
        if negation && !idiom {
            negations += 1;
        } else if DISLIKES.contains(&w) {
            if matches!(w, "mind" | "minded") {
                // Only "don't mind": cancel that negation.
                if i > 0 && is_negation_word(&words[i - 1]) && negations > 0 {
                    negations -= 1;
                }
            } else {
                dislike = true;
            }
        }
        i += 1;
    }
    (negations % 2 == 1) != dislike
}

fn is_negation_word(w: &str) -> bool {
    NEGATIONS.contains(&w) || w.ends_with("n't")
}

/// Lowercase words with apostrophes kept (`don't`), other punctuation dropped.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '\u{2019}'))
        .map(|w| w.trim_matches(['\'', '\u{2019}']).replace('\u{2019}', "'"))
        .filter(|w| !w.is_empty())
        .map(|w| w.to_lowercase())
        .collect()
}

/// Counts words in neutral text (for the minimum clause length).
pub(crate) fn word_count(text: &str) -> usize {
    words(text).len()
}

/// Gendered words and their neutral replacement (an empty replacement drops the word).
/// Pairs map to one word so that swapping them changes nothing: `his` and `her` (which
/// may stand for either `him` or `his`) both become `their`.
const GENDERED: &[(&str, &str)] = &[
    ("he", "they"),
    ("she", "they"),
    ("him", "their"),
    ("his", "their"),
    ("her", "their"),
    ("hers", "their"),
    ("himself", "themselves"),
    ("herself", "themselves"),
    ("he's", "they're"),
    ("she's", "they're"),
    ("he'd", "they'd"),
    ("she'd", "they'd"),
    ("he'll", "they'll"),
    ("she'll", "they'll"),
    ("man", "person"),
    ("woman", "person"),
    ("men", "people"),
    ("women", "people"),
    ("guy", "person"),
    ("gal", "person"),
    ("guys", "people"),
    ("gals", "people"),
    ("boy", "person"),
    ("girl", "person"),
    ("boys", "people"),
    ("girls", "people"),
    ("lad", "person"),
    ("lass", "person"),
    ("lads", "people"),
    ("lasses", "people"),
    ("lady", "person"),
    ("gentleman", "person"),
    ("ladies", "people"),
    ("gentlemen", "people"),
    ("male", ""),
    ("female", ""),
    ("males", "people"),
    ("females", "people"),
    ("masculine", ""),
    ("feminine", ""),
    ("father", "parent"),
    ("mother", "parent"),
    ("dad", "parent"),
    ("mom", "parent"),
    ("mum", "parent"),
    ("daddy", "parent"),
    ("mommy", "parent"),
    ("mummy", "parent"),
    ("fathers", "parents"),
    ("mothers", "parents"),
    ("husband", "spouse"),
    ("wife", "spouse"),
    ("husbands", "spouses"),
    ("wives", "spouses"),
    ("brother", "sibling"),
    ("sister", "sibling"),
    ("brothers", "siblings"),
    ("sisters", "siblings"),
    ("son", "child"),
    ("daughter", "child"),
    ("sons", "children"),
    ("daughters", "children"),
    ("uncle", "relative"),
    ("aunt", "relative"),
    ("auntie", "relative"),
    ("nephew", "relative"),
    ("niece", "relative"),
    ("grandfather", "grandparent"),
    ("grandmother", "grandparent"),
    ("grandpa", "grandparent"),
    ("grandma", "grandparent"),
    ("boyfriend", "partner"),
    ("girlfriend", "partner"),
    ("fiance", "partner"),
    ("fiancee", "partner"),
    ("maternity", "parental"),
    ("paternity", "parental"),
    ("chairman", "chairperson"),
    ("chairwoman", "chairperson"),
    ("businessman", "businessperson"),
    ("businesswoman", "businessperson"),
    ("salesman", "salesperson"),
    ("saleswoman", "salesperson"),
    ("spokesman", "spokesperson"),
    ("spokeswoman", "spokesperson"),
    ("foreman", "supervisor"),
    ("forewoman", "supervisor"),
    ("mr", ""),
    ("mrs", ""),
    ("ms", ""),
    ("mx", ""),
    ("sir", ""),
    ("madam", ""),
    ("ma'am", ""),
];

/// Words that may start a sentence capitalised without being a name (besides every
/// word of the statement bank and the item texts).
const COMMON: &[&str] = &[
    "a",
    "an",
    "the",
    "i",
    "i'm",
    "i've",
    "i'd",
    "i'll",
    "we",
    "we're",
    "we've",
    "you",
    "your",
    "my",
    "our",
    "it",
    "it's",
    "its",
    "this",
    "that",
    "these",
    "those",
    "there",
    "there's",
    "here",
    "they",
    "their",
    "them",
    "what",
    "what's",
    "which",
    "who",
    "whom",
    "whose",
    "when",
    "where",
    "why",
    "how",
    "if",
    "so",
    "and",
    "or",
    "but",
    "because",
    "since",
    "as",
    "at",
    "in",
    "on",
    "of",
    "for",
    "from",
    "to",
    "with",
    "without",
    "by",
    "about",
    "after",
    "before",
    "during",
    "until",
    "while",
    "over",
    "under",
    "between",
    "into",
    "through",
    "yes",
    "yeah",
    "yep",
    "no",
    "nope",
    "not",
    "never",
    "ok",
    "okay",
    "well",
    "oh",
    "hmm",
    "um",
    "uh",
    "right",
    "sure",
    "thanks",
    "thank",
    "hello",
    "hi",
    "hey",
    "good",
    "great",
    "fine",
    "honestly",
    "basically",
    "actually",
    "personally",
    "obviously",
    "definitely",
    "usually",
    "generally",
    "ideally",
    "frankly",
    "recently",
    "eventually",
    "finally",
    "currently",
    "previously",
    "normally",
    "typically",
    "overall",
    "really",
    "also",
    "then",
    "now",
    "today",
    "later",
    "first",
    "second",
    "third",
    "last",
    "next",
    "one",
    "two",
    "three",
    "some",
    "many",
    "most",
    "much",
    "more",
    "less",
    "every",
    "each",
    "all",
    "any",
    "both",
    "either",
    "neither",
    "other",
    "another",
    "such",
    "same",
    "even",
    "still",
    "just",
    "only",
    "maybe",
    "perhaps",
    "probably",
    "of course",
    "again",
    "once",
    "twice",
    "always",
    "often",
    "sometimes",
    "rarely",
    "seldom",
    "usually",
    "let",
    "let's",
    "like",
    "love",
    "hate",
    "working",
    "work",
    "job",
    "jobs",
    "people",
    "team",
    "teams",
    "company",
    "companies",
    "manager",
    "managers",
    "colleagues",
    "clients",
    "customers",
    "deadlines",
    "meetings",
    "projects",
    "project",
    "money",
    "salary",
    "pay",
    "growth",
    "learning",
    "feedback",
    "recognition",
    "rules",
    "processes",
    "process",
    "structure",
    "freedom",
    "change",
    "changes",
    "risk",
    "risks",
    "mistakes",
    "failure",
    "success",
    "speed",
    "pressure",
    "balance",
    "routine",
    "chaos",
    "trust",
    "honesty",
    "transparency",
    "teamwork",
    "communication",
    "ownership",
    "accountability",
    "results",
    "details",
    "quality",
    "accuracy",
    "planning",
    "bureaucracy",
    "hierarchy",
    "stability",
    "security",
    "innovation",
    "experimentation",
    "experiments",
    "flexibility",
    "autonomy",
    "fairness",
    "respect",
    "conflict",
    "conflicts",
    "competition",
    "collaboration",
    "everyone",
    "everybody",
    "someone",
    "somebody",
    "nobody",
    "nothing",
    "something",
    "anything",
    "everything",
    "being",
    "having",
    "doing",
    "getting",
    "making",
    "taking",
    "going",
    "trying",
    "was",
    "were",
    "is",
    "are",
    "be",
    "been",
    "do",
    "does",
    "did",
    "have",
    "has",
    "had",
    "can",
    "could",
    "would",
    "should",
    "will",
    "may",
    "might",
    "must",
    "to",
    "too",
    "very",
    "quite",
    "rather",
    "lots",
    "lot",
    "last",
    "previous",
    "former",
    "new",
    "old",
    "early",
    "back",
    "sorry",
    "absolutely",
    "exactly",
    "totally",
    "certainly",
];

fn common_words() -> &'static BTreeSet<String> {
    static SET: OnceLock<BTreeSet<String>> = OnceLock::new();
    SET.get_or_init(|| {
        let mut set: BTreeSet<String> = COMMON.iter().map(|w| (*w).to_owned()).collect();
        let bank = super::statements::STATEMENTS
            .iter()
            .flat_map(|s| s.pro.iter().chain(s.con.iter()).copied());
        let item_texts = super::items::items().iter().map(|i| i.text);
        for text in bank.chain(item_texts) {
            set.extend(words(text));
        }
        set
    })
}

/// English derivational endings names almost never have (`experimentation`,
/// `teamwork`-like nouns are often sentence-initial and must survive).
const WORD_ENDINGS: &[&str] = &[
    "tion", "sion", "ment", "ness", "ism", "ship", "ful", "less", "ous", "ogy", "ics", "ity",
    "ing", "able", "ible",
];

/// Replaces gendered words with neutral ones and names with a placeholder.
///
/// A name is any capitalised word (not `I`, not an all-caps acronym) inside a sentence,
/// and a capitalised first word that is neither a common word nor shaped like an English
/// derived word. Consecutive such words (`Anna Maria Smith`) become one placeholder, so
/// names of different lengths read alike.
pub(crate) fn neutralise(sentence: &str) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut last_was_name = false;
    for (pos, token) in sentence.split_whitespace().enumerate() {
        let token = token.replace('\u{2019}', "'");
        let start = token
            .find(|c: char| c.is_alphanumeric())
            .unwrap_or(token.len());
        let end = token
            .rfind(|c: char| c.is_alphanumeric())
            .map(|i| i + token[i..].chars().next().map_or(1, char::len_utf8))
            .unwrap_or(start);
        if start >= end {
            out.push(token.clone());
            last_was_name = false;
            continue;
        }
        let (lead, core, trail) = (&token[..start], &token[start..end], &token[end..]);
        let lower = core.to_lowercase();
        if let Some((_, repl)) = GENDERED.iter().find(|(w, _)| *w == lower) {
            last_was_name = false;
            if repl.is_empty() {
                // A dropped title takes its abbreviation dot with it ("Mr.").
                let trail = trail.trim_start_matches('.');
                if !lead.is_empty() || !trail.is_empty() {
                    out.push(format!("{lead}{trail}"));
                }
            } else {
                out.push(format!("{lead}{repl}{trail}"));
            }
            continue;
        }
        if looks_like_name(core, &lower, pos == 0) {
            // A possessive `'s` belongs to the name.
            let trail = trail.strip_prefix("'s").unwrap_or(trail);
            if last_was_name
                && lead.is_empty()
                && let Some(prev) = out.last_mut()
            {
                // The previous word was a name ending in the placeholder: extend it.
                prev.push_str(trail);
            } else {
                out.push(format!("{lead}{PLACEHOLDER}{trail}"));
            }
            last_was_name = trail.is_empty();
            continue;
        }
        last_was_name = false;
        out.push(token.clone());
    }
    out.join(" ")
}

fn looks_like_name(core: &str, lower: &str, first: bool) -> bool {
    let mut chars = core.chars();
    let Some(c0) = chars.next() else {
        return false;
    };
    if !c0.is_uppercase() {
        return false;
    }
    let letters: Vec<char> = core.chars().filter(|c| c.is_alphabetic()).collect();
    // Acronyms (API, CEO, QA) are not names.
    if letters.len() >= 2 && letters.iter().all(|c| c.is_uppercase()) {
        return false;
    }
    if matches!(lower, "i" | "i'm" | "i've" | "i'd" | "i'll") || CONTRASTS.contains(&lower) {
        return false;
    }
    if !first {
        return true;
    }
    let stem = lower.strip_suffix("'s").unwrap_or(lower);
    if common_words().contains(stem) {
        return false;
    }
    let derived = stem.chars().count() >= 6 && WORD_ENDINGS.iter().any(|e| stem.ends_with(e));
    !derived
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_sentences_and_contrasts() {
        let c =
            clauses("I love trying new things, but I hate rigid rules. Mr. Smith agreed! Do you?");
        let q: Vec<&str> = c.iter().map(|c| c.quote.as_str()).collect();
        assert_eq!(
            q,
            vec![
                "I love trying new things",
                "I hate rigid rules.",
                "Mr. Smith agreed!"
            ]
        );
        assert_eq!(c[2].neutral, "someone agreed!");
    }

    #[test]
    fn polarity() {
        assert!(!is_negative("I enjoy taking risks"));
        assert!(is_negative("I don't enjoy taking risks"));
        assert!(is_negative("I do not enjoy taking risks"));
        assert!(is_negative("I hate rigid rules"));
        assert!(!is_negative("I'm not afraid of risk"));
        assert!(!is_negative("I don't mind working long hours"));
        assert!(!is_negative("I can't wait to try new things"));
        assert!(!is_negative("No, I really love experiments"));
        assert!(is_negative("I never take risks"));
        assert!(is_negative("I dont like risk"));
        assert!(!is_negative("I don\u{2019}t hate rules"));
        assert!(!is_negative("Keep that in mind"));
    }

    #[test]
    fn names_and_gendered_words_are_neutralised_alike() {
        let a = neutralise("My manager John Smith said he trusted his team and John's work.");
        let b = neutralise("My manager Maria said she trusted her team and Maria's work.");
        assert_eq!(a, b);
        assert_eq!(
            a,
            "My manager someone said they trusted their team and someone work."
        );
        assert_eq!(
            neutralise("John and I built it"),
            neutralise("Aisha and I built it")
        );
        assert_eq!(
            neutralise("As a woman in tech, I value fairness"),
            neutralise("As a man in tech, I value fairness")
        );
        // Common sentence starters and derived words stay.
        assert_eq!(
            neutralise("Experimentation is key"),
            "Experimentation is key"
        );
        assert_eq!(neutralise("Rules matter to me"), "Rules matter to me");
        assert_eq!(neutralise("I use the API daily"), "I use the API daily");
        assert_eq!(neutralise("I miss my team"), "I miss my team");
    }
}
