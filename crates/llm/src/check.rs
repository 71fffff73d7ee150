//! The checks every phrased text passes before a candidate sees it.
//!
//! Pure and deterministic. The word lists match at the start of a word,
//! case-insensitively (`ё` as `е`), so "grade" catches "graded" but not "upgrade".
//! A false alarm costs nothing but the deterministic wording.

use std::fmt;

use talentd_interviewer::Lang;
use talentd_interviewer::lang::is_cyrillic;

use crate::{PhraseKind, PhraseRequest};

/// Fewest characters of a phrased text.
pub const MIN_CHARS: usize = 8;
/// Most characters of a follow-up question.
pub const MAX_FOLLOW_UP_CHARS: usize = 300;
/// Most characters of a closing remark.
pub const MAX_CLOSING_CHARS: usize = 400;
/// Least share, in percent, of the letters that must be in the interview's script
/// (Cyrillic for Russian, Latin for English); words of the company's name are not
/// counted.
pub const MIN_SCRIPT_PERCENT: usize = 60;

/// The most characters a text of `kind` may have.
pub fn max_chars(kind: PhraseKind) -> usize {
    match kind {
        PhraseKind::FollowUp => MAX_FOLLOW_UP_CHARS,
        PhraseKind::Closing => MAX_CLOSING_CHARS,
    }
}

/// Why a phrased text was not used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Rejection {
    /// Nothing left after normalising.
    Empty,
    /// Fewer than [`MIN_CHARS`] characters.
    TooShort(usize),
    /// More characters than [`max_chars`] allows.
    TooLong {
        /// Characters in the text.
        chars: usize,
        /// The limit for its kind.
        max: usize,
    },
    /// More than one line.
    MultiLine,
    /// Markdown or markup: `*`, `#`, a backtick, a bracket, `<` or `>`.
    Markup(char),
    /// A web address.
    Url,
    /// An email address.
    Email,
    /// Tami stepping out of her role ("as an AI", "system prompt", "инструкции").
    RoleBreak(&'static str),
    /// An evaluation, a score or praise ("score", "great answer", "балл", "9/10").
    Evaluation(&'static str),
    /// Not in the interview's language.
    WrongLanguage(Lang),
    /// A follow-up with no question mark or more than one.
    QuestionMarks(usize),
    /// A follow-up that does not end with its question mark.
    NotEndingWithQuestion,
    /// A closing remark that asks something: the candidate can no longer answer.
    QuestionInClosing,
    /// A closing remark cut short: it does not end a sentence.
    Unfinished,
}

impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Rejection::Empty => write!(f, "empty"),
            Rejection::TooShort(n) => {
                write!(f, "too short ({n} characters, at least {MIN_CHARS})")
            }
            Rejection::TooLong { chars, max } => {
                write!(f, "too long ({chars} characters, at most {max})")
            }
            Rejection::MultiLine => write!(f, "more than one line"),
            Rejection::Markup(c) => write!(f, "contains markup ({c:?})"),
            Rejection::Url => write!(f, "contains a web address"),
            Rejection::Email => write!(f, "contains an email address"),
            Rejection::RoleBreak(w) => write!(f, "steps out of the interviewer's role ({w:?})"),
            Rejection::Evaluation(w) => write!(f, "evaluates or scores ({w:?})"),
            Rejection::WrongLanguage(l) => write!(f, "not in {}", language_name(*l)),
            Rejection::QuestionMarks(n) => {
                write!(f, "a follow-up needs exactly one question mark, found {n}")
            }
            Rejection::NotEndingWithQuestion => {
                write!(f, "a follow-up must end with its question mark")
            }
            Rejection::QuestionInClosing => write!(f, "a closing remark must not ask anything"),
            Rejection::Unfinished => write!(f, "does not end a sentence"),
        }
    }
}

impl std::error::Error for Rejection {}

fn language_name(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "English",
        Lang::Ru => "Russian",
    }
}

/// Scoring, grading, criteria, hiring verdicts and praise, English and Russian.
const EVALUATION: &[&str] = &[
    // English
    "score",
    "rating",
    "rate you",
    "points",
    "grade",
    "assess",
    "evaluat",
    "criteri",
    "rubric",
    "weight",
    "pass/fail",
    "you passed",
    "you failed",
    "passed the interview",
    "great answer",
    "good answer",
    "nice answer",
    "perfect answer",
    "great job",
    "good job",
    "nice job",
    "nice work",
    "well done",
    "great example",
    "good example",
    "great point",
    "good point",
    "excellent",
    "impressive",
    "impressed",
    "outstanding",
    "brilliant",
    "fantastic",
    "amazing",
    "awesome",
    "strong candidate",
    "strong answer",
    "weak",
    "hire",
    "you did well",
    "you did great",
    "you're doing great",
    "i like",
    "i love",
    "out of 10",
    "out of ten",
    // Russian
    "балл",
    "очков",
    "рейтинг",
    "оценк",
    "оцени",
    "критери",
    "отличн",
    "хороший ответ",
    "хорошо ответили",
    "хорошо справились",
    "вы справились",
    "прекрасный ответ",
    "прекрасно",
    "замечательный ответ",
    "замечательно",
    "впечатля",
    "впечатли",
    "впечатлен",
    "молодец",
    "браво",
    "сильный кандидат",
    "сильный ответ",
    "слаб",
    "нанять",
    "наймем",
    "нанят",
    "нанимаем",
    "вы прошли",
    "не прошли",
    "прошли отбор",
    "прошли собеседование",
    "прошли интервью",
    "из 10",
    "из десяти",
];

/// The model speaking about itself, its instructions or its vendor, or refusing.
const ROLE_BREAK: &[&str] = &[
    // English
    "as an ai",
    "as a language model",
    "language model",
    "ai model",
    "i cannot",
    "i can't",
    "i am unable",
    "i'm unable",
    "i'm sorry",
    "i apologi",
    "system prompt",
    "instruction",
    "my guidelines",
    "chatgpt",
    "openai",
    "gpt-",
    // Russian
    "как ии",
    "как искусственный интеллект",
    "языковая модель",
    "языковой модели",
    "языковую модель",
    "инструкци",
    "промпт",
    "нейросет",
    "я не могу",
    "извините, но",
];

/// Domain endings that make a dotted word a web address.
const TLDS: &[&str] = &[
    "com", "org", "net", "io", "ai", "ru", "рф", "dev", "app", "co", "me", "info", "biz", "edu",
    "gov", "uk", "de", "su", "xyz", "site", "online", "tech",
];

/// Lower case, `ё` as `е`, and typographic apostrophes as `'`.
fn fold(text: &str) -> String {
    text.chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'ё' => 'е',
            '\u{2019}' | '\u{02BC}' => '\'',
            c => c,
        })
        .collect()
}

/// The first of `words` that starts a word in `folded`.
fn find_word_start(folded: &str, words: &[&'static str]) -> Option<&'static str> {
    words.iter().copied().find(|w| {
        folded.match_indices(w).any(|(i, _)| {
            folded[..i]
                .chars()
                .next_back()
                .is_none_or(|c| !c.is_alphanumeric())
        })
    })
}

/// A score written as digits: `9/10`, `4/5`, `85/100`.
fn has_fraction_score(text: &str) -> bool {
    let chars: Vec<char> = text.chars().collect();
    chars.iter().enumerate().any(|(i, &c)| {
        if c != '/' || !chars[..i].last().is_some_and(char::is_ascii_digit) {
            return false;
        }
        let denominator: String = chars[i + 1..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .collect();
        matches!(denominator.as_str(), "5" | "10" | "100")
    })
}

/// A word with the punctuation around it removed.
fn bare(word: &str) -> &str {
    word.trim_matches(|c: char| !c.is_alphanumeric() && c != '@' && c != '/')
}

fn has_url(folded: &str) -> bool {
    if folded.contains("://") || folded.contains("www.") {
        return true;
    }
    folded.split_whitespace().map(bare).any(|w| {
        let host = w.split('/').next().unwrap_or_default();
        match host.rsplit_once('.') {
            Some((name, tld)) => {
                !name.is_empty()
                    && !name.ends_with('.')
                    && TLDS.contains(&tld)
                    && name
                        .chars()
                        .all(|c| c.is_alphanumeric() || "-.".contains(c))
            }
            None => false,
        }
    })
}

fn has_email(text: &str) -> bool {
    text.split_whitespace().map(bare).any(|w| {
        w.split_once('@')
            .is_some_and(|(local, domain)| !local.is_empty() && domain.contains('.'))
    })
}

fn is_latin(c: char) -> bool {
    c.is_ascii_alphabetic() || (('\u{00C0}'..='\u{024F}').contains(&c) && c.is_alphabetic())
}

/// Whether at least [`MIN_SCRIPT_PERCENT`] of the letters are in `lang`'s script,
/// leaving out the words of `company`.
fn in_language(text: &str, lang: Lang, company: Option<&str>) -> bool {
    let company: Vec<String> = company
        .map(|c| c.split_whitespace().map(|w| fold(bare(w))).collect())
        .unwrap_or_default();
    let (mut letters, mut native) = (0usize, 0usize);
    for word in text.split_whitespace() {
        if company.contains(&fold(bare(word))) {
            continue;
        }
        for c in word.chars().filter(|c| c.is_alphabetic()) {
            letters += 1;
            let ok = match lang {
                Lang::En => is_latin(c),
                Lang::Ru => is_cyrillic(c),
            };
            native += usize::from(ok);
        }
    }
    letters > 0 && native * 100 >= letters * MIN_SCRIPT_PERCENT
}

/// Quote pairs stripped from around the whole text.
const QUOTES: &[(char, char)] = &[
    ('"', '"'),
    ('\'', '\''),
    ('\u{201C}', '\u{201D}'),
    ('\u{201E}', '\u{201C}'),
    ('\u{00AB}', '\u{00BB}'),
    ('\u{2018}', '\u{2019}'),
];

/// Trims, collapses the spaces within each line, drops blank lines, and strips quotes
/// that surround the whole text.
fn normalise(output: &str) -> String {
    let mut text = output
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n");
    loop {
        let mut chars = text.chars();
        let (Some(first), Some(last)) = (chars.next(), chars.next_back()) else {
            break;
        };
        if !QUOTES.contains(&(first, last)) {
            break;
        }
        text = chars.as_str().trim().to_owned();
    }
    text
}

/// Normalises a phraser's `output` (trims, strips surrounding quotes, collapses
/// whitespace) and checks it against `req`: length, one line, no markup, addresses,
/// role breaks or evaluation, the interview's language, and the shape of its kind (a
/// follow-up is one question ending with `?`; a closing asks nothing and ends a
/// sentence). The normalised text, or why it may not be said.
pub fn check(output: &str, req: &PhraseRequest) -> Result<String, Rejection> {
    let text = normalise(output);
    let chars = text.chars().count();
    if chars == 0 {
        return Err(Rejection::Empty);
    }
    if chars < MIN_CHARS {
        return Err(Rejection::TooShort(chars));
    }
    let max = max_chars(req.kind);
    if chars > max {
        return Err(Rejection::TooLong { chars, max });
    }
    if text.contains(['\n', '\r']) {
        return Err(Rejection::MultiLine);
    }
    if let Some(c) = text.chars().find(|c| "*#`[]<>".contains(*c)) {
        return Err(Rejection::Markup(c));
    }
    let folded = fold(&text);
    if has_url(&folded) {
        return Err(Rejection::Url);
    }
    if has_email(&folded) {
        return Err(Rejection::Email);
    }
    if let Some(w) = find_word_start(&folded, ROLE_BREAK) {
        return Err(Rejection::RoleBreak(w));
    }
    if let Some(w) = find_word_start(&folded, EVALUATION) {
        return Err(Rejection::Evaluation(w));
    }
    if has_fraction_score(&folded) {
        return Err(Rejection::Evaluation("n/10"));
    }
    if !in_language(&text, req.lang, req.company_name.as_deref()) {
        return Err(Rejection::WrongLanguage(req.lang));
    }
    let marks = text.matches(['?', '\u{FF1F}']).count();
    match req.kind {
        PhraseKind::FollowUp => {
            if marks != 1 {
                return Err(Rejection::QuestionMarks(marks));
            }
            if !text.ends_with('?') {
                return Err(Rejection::NotEndingWithQuestion);
            }
        }
        PhraseKind::Closing => {
            if marks > 0 {
                return Err(Rejection::QuestionInClosing);
            }
            if !text.ends_with(['.', '!', '\u{2026}']) {
                return Err(Rejection::Unfinished);
            }
        }
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(kind: PhraseKind, lang: Lang) -> PhraseRequest {
        PhraseRequest {
            kind,
            lang,
            question: "Tell me about a conflict in your team.".into(),
            answer: "We argued about the release date.".into(),
            reason: "the answer gives no result".into(),
            fallback: "How did it turn out in the end? What was the result?".into(),
            company_name: Some("Acme Labs".into()),
        }
    }

    use Lang::{En, Ru};
    use PhraseKind::{Closing, FollowUp};

    /// `(kind, lang, output, expected)`: `Ok` holds the normalised text.
    type Case = (
        PhraseKind,
        Lang,
        &'static str,
        Result<&'static str, Rejection>,
    );

    fn run(cases: &[Case]) {
        for (kind, lang, output, want) in cases {
            let got = check(output, &req(*kind, *lang));
            let want = want.clone().map(str::to_owned);
            assert_eq!(got, want, "{kind:?} {lang:?} {output:?}");
        }
    }

    #[test]
    fn accepts_and_normalises() {
        run(&[
            (
                FollowUp,
                En,
                "How did the release date dispute end?",
                Ok("How did the release date dispute end?"),
            ),
            (
                FollowUp,
                En,
                "  \"How did   the\tdispute end?\"\n\n",
                Ok("How did the dispute end?"),
            ),
            (
                FollowUp,
                En,
                "\u{201C}'What did you do next?'\u{201D}",
                Ok("What did you do next?"),
            ),
            (
                FollowUp,
                Ru,
                "«Чем закончился спор о дате релиза?»",
                Ok("Чем закончился спор о дате релиза?"),
            ),
            (
                FollowUp,
                Ru,
                "Как именно вы использовали Kubernetes и Terraform в этом проекте?",
                Ok("Как именно вы использовали Kubernetes и Terraform в этом проекте?"),
            ),
            (
                Closing,
                En,
                "Thank you for your time. The hiring team at Acme Labs will be in touch soon.",
                Ok("Thank you for your time. The hiring team at Acme Labs will be in touch soon."),
            ),
            (
                Closing,
                Ru,
                "Спасибо за разговор! Команда Acme Labs изучит интервью и свяжется с вами.",
                Ok("Спасибо за разговор! Команда Acme Labs изучит интервью и свяжется с вами."),
            ),
            // Word starts only: "upgrade" is not "grade", "hiring" is not "hire".
            (
                FollowUp,
                En,
                "How did the upgrade affect the hiring pipeline?",
                Ok("How did the upgrade affect the hiring pipeline?"),
            ),
        ]);
    }

    #[test]
    fn length_and_lines() {
        run(&[
            (FollowUp, En, "", Err(Rejection::Empty)),
            (FollowUp, En, "  \n \" \" ", Err(Rejection::Empty)),
            (FollowUp, En, "Why?", Err(Rejection::TooShort(4))),
            (FollowUp, En, "\"Result?\"", Err(Rejection::TooShort(7))),
            (
                FollowUp,
                En,
                "What happened next?\nWhat was the result?",
                Err(Rejection::MultiLine),
            ),
            (
                Closing,
                En,
                "Thank you.\r\nGoodbye for now.",
                Err(Rejection::MultiLine),
            ),
        ]);
        // Exactly at the limit passes; one more character does not.
        for (kind, end, max) in [(FollowUp, '?', 300), (Closing, '.', 400)] {
            let fits = format!("Why {}{end}", "o".repeat(max - 5));
            assert_eq!(fits.chars().count(), max, "{fits}");
            assert_eq!(check(&fits, &req(kind, En)), Ok(fits.clone()));
            let over = format!("x{fits}");
            assert_eq!(
                check(&over, &req(kind, En)),
                Err(Rejection::TooLong {
                    chars: max + 1,
                    max
                })
            );
        }
    }

    #[test]
    fn question_shape() {
        run(&[
            (
                FollowUp,
                En,
                "Tell me what happened next.",
                Err(Rejection::QuestionMarks(0)),
            ),
            (
                FollowUp,
                En,
                "What happened? And what was the result?",
                Err(Rejection::QuestionMarks(2)),
            ),
            (
                FollowUp,
                En,
                "What was the result? Tell me.",
                Err(Rejection::NotEndingWithQuestion),
            ),
            (
                Closing,
                En,
                "Thank you! Do you have any questions?",
                Err(Rejection::QuestionInClosing),
            ),
            (
                Closing,
                En,
                "Thank you for your time, the team will",
                Err(Rejection::Unfinished),
            ),
        ]);
    }

    #[test]
    fn language_by_script() {
        run(&[
            (
                FollowUp,
                Ru,
                "What was the result?",
                Err(Rejection::WrongLanguage(Ru)),
            ),
            (
                FollowUp,
                En,
                "Каким был результат?",
                Err(Rejection::WrongLanguage(En)),
            ),
            (
                FollowUp,
                Ru,
                "What was the result of the migration, Каким он был?",
                Err(Rejection::WrongLanguage(Ru)),
            ),
            (FollowUp, En, "12345678?", Err(Rejection::WrongLanguage(En))),
            (
                FollowUp,
                En,
                "你们最后的结果是什么呢?",
                Err(Rejection::WrongLanguage(En)),
            ),
            // The company's name does not count against the language.
            (
                Closing,
                Ru,
                "Спасибо! Acme Labs свяжется.",
                Ok("Спасибо! Acme Labs свяжется."),
            ),
        ]);
    }

    #[test]
    fn evaluation_leaks() {
        let en = [
            ("What would you score yourself on this?", "score"),
            (
                "How would you handle the rating of your own work?",
                "rating",
            ),
            ("May I rate you on this one, what happened?", "rate you"),
            ("How many points would you give the result?", "points"),
            ("Which grade did the project get?", "grade"),
            ("How would you assess the outcome?", "assess"),
            ("How did you evaluate the options?", "evaluat"),
            ("Which criteria did you apply?", "criteri"),
            ("Which rubric did your team follow?", "rubric"),
            ("What weight did you give to speed?", "weight"),
            ("Was it a pass/fail decision?", "pass/fail"),
            ("Great answer. What was the result?", "great answer"),
            ("Good answer. What was the result?", "good answer"),
            ("Excellent. What happened next?", "excellent"),
            ("Impressive! What happened next?", "impressive"),
            (
                "You sound like a strong candidate; what next?",
                "strong candidate",
            ),
            ("That was a weak example; any other one?", "weak"),
            ("Would we hire someone like that?", "hire"),
            ("You did well. What happened next?", "you did well"),
            ("Well done! What happened next?", "well done"),
            ("Nine out of 10 for that. What next?", "out of 10"),
            ("Thanks, 9/10. What happened next?", "n/10"),
        ];
        let ru = [
            ("Сколько баллов вы бы себе дали?", "балл"),
            ("Какова ваша оценка результата?", "оценк"),
            ("Как вы оцениваете результат?", "оцени"),
            ("Какие критерии вы использовали?", "критери"),
            ("Отличный ответ! Что было дальше?", "отличн"),
            ("Хороший ответ. Что было дальше?", "хороший ответ"),
            ("Стоит ли вас нанять, как думаете?", "нанять"),
            ("Вы прошли этап. Что было дальше?", "вы прошли"),
            ("Молодец! Что было дальше?", "молодец"),
            ("Это слабый пример; есть другой?", "слаб"),
            ("Ваш рейтинг высок. Что дальше?", "рейтинг"),
            ("Ваш ответ впечатляет. Что было дальше?", "впечатля"),
        ];
        for (text, word) in en {
            let got = check(text, &req(FollowUp, En));
            assert_eq!(got, Err(Rejection::Evaluation(word)), "{text}");
        }
        for (text, word) in ru {
            let got = check(text, &req(FollowUp, Ru));
            assert_eq!(got, Err(Rejection::Evaluation(word)), "{text}");
        }
        let closing = check(
            "Great job today! The team will be in touch.",
            &req(Closing, En),
        );
        assert_eq!(closing, Err(Rejection::Evaluation("great job")));
    }

    #[test]
    fn role_breaks() {
        let en = [
            ("As an AI, I would ask: what happened?", "as an ai"),
            (
                "As a language model, what happened next?",
                "as a language model",
            ),
            ("I cannot do that; what happened next?", "i cannot"),
            ("I can't change that; what happened next?", "i can't"),
            ("Per my system prompt, what happened?", "system prompt"),
            ("Ignoring the instructions, what happened?", "instruction"),
            ("Hi, ChatGPT here. What happened next?", "chatgpt"),
            ("Made by OpenAI: what happened next?", "openai"),
        ];
        let ru = [
            ("Как ИИ, я спрошу: что было дальше?", "как ии"),
            ("Я языковая модель. Что было дальше?", "языковая модель"),
            ("Согласно инструкциям, что было дальше?", "инструкци"),
            ("Я не могу этого сделать. Что дальше?", "я не могу"),
        ];
        for (text, word) in en {
            assert_eq!(
                check(text, &req(FollowUp, En)),
                Err(Rejection::RoleBreak(word)),
                "{text}"
            );
        }
        for (text, word) in ru {
            assert_eq!(
                check(text, &req(FollowUp, Ru)),
                Err(Rejection::RoleBreak(word)),
                "{text}"
            );
        }
    }

    #[test]
    fn markup_addresses() {
        run(&[
            (
                FollowUp,
                En,
                "What was the **result**?",
                Err(Rejection::Markup('*')),
            ),
            (
                FollowUp,
                En,
                "# What was the result?",
                Err(Rejection::Markup('#')),
            ),
            (
                FollowUp,
                En,
                "What did `make deploy` do?",
                Err(Rejection::Markup('`')),
            ),
            (
                FollowUp,
                En,
                "What was the [result](x)?",
                Err(Rejection::Markup('[')),
            ),
            (
                FollowUp,
                En,
                "What does <b>that</b> mean?",
                Err(Rejection::Markup('<')),
            ),
            (
                FollowUp,
                En,
                "Did you read https://acme.io/jobs first?",
                Err(Rejection::Url),
            ),
            (
                FollowUp,
                En,
                "Did you check www.acme.io first?",
                Err(Rejection::Url),
            ),
            (
                FollowUp,
                En,
                "Have you seen acme.com before?",
                Err(Rejection::Url),
            ),
            (
                FollowUp,
                En,
                "Could you write to hr@acme.io about it?",
                Err(Rejection::Email),
            ),
            // A dotted technology name is not an address.
            (
                FollowUp,
                En,
                "How did Node.js help, in the end?",
                Ok("How did Node.js help, in the end?"),
            ),
        ]);
    }

    #[test]
    fn rejections_read_as_sentences() {
        let all = [
            Rejection::Empty,
            Rejection::TooShort(3),
            Rejection::TooLong {
                chars: 500,
                max: 300,
            },
            Rejection::MultiLine,
            Rejection::Markup('*'),
            Rejection::Url,
            Rejection::Email,
            Rejection::RoleBreak("as an ai"),
            Rejection::Evaluation("score"),
            Rejection::WrongLanguage(Ru),
            Rejection::QuestionMarks(2),
            Rejection::NotEndingWithQuestion,
            Rejection::QuestionInClosing,
            Rejection::Unfinished,
        ];
        for r in all {
            let s = r.to_string();
            assert!(s.len() > 4 && !s.contains('{'), "{s}");
        }
        assert_eq!(Rejection::WrongLanguage(Ru).to_string(), "not in Russian");
    }
}
