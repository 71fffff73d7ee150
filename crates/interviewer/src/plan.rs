//! The question plan: which questions Tami asks, in which order.
//!
//! Order of sources: explicit questions from the recruiter's instructions (verbatim, in
//! their order), then one behavioural question per topic the instructions name, then
//! template questions chosen so that the most heavily weighted competencies are covered
//! first, then built-in questions for competencies nothing else covers.

use crate::defaults;
use crate::lang::{self, Lang};
use crate::wording;
use crate::words::{self, Word};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use talentd_core::project::{CompetencyWeights, default_weights};
use talentd_core::template::{Competency, Question};

/// Questions a plan has unless the project says otherwise.
pub const DEFAULT_MAX_QUESTIONS: usize = 8;
/// Most questions a plan may have, whatever the project says: with two follow-ups
/// each this keeps an interview within the session's turn limit.
pub const MAX_QUESTIONS_LIMIT: usize = 20;
/// Longest topic, in words, taken from the instructions; longer phrases are prose.
const MAX_TOPIC_WORDS: usize = 6;

/// What a plan is built from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlanInput {
    /// The project (role) the interview is for.
    pub project_name: String,
    /// The hiring company, when known.
    pub company_name: Option<String>,
    /// The recruiter's free-text instructions.
    pub instructions: String,
    /// The project's question template, possibly empty.
    pub template: Vec<Question>,
    /// How much each competency matters; those above 0 should all be covered.
    pub weights: CompetencyWeights,
    /// The interview language, when the project fixes it.
    pub language: Option<Lang>,
    /// Most questions to ask (clamped to 1..=[`MAX_QUESTIONS_LIMIT`]).
    pub max_questions: usize,
}

impl Default for PlanInput {
    fn default() -> Self {
        Self {
            project_name: String::new(),
            company_name: None,
            instructions: String::new(),
            template: Vec::new(),
            weights: default_weights(),
            language: None,
            max_questions: DEFAULT_MAX_QUESTIONS,
        }
    }
}

impl PlanInput {
    /// An input with equal weights, no template and the default question budget.
    pub fn new(project_name: impl Into<String>, instructions: impl Into<String>) -> Self {
        Self {
            project_name: project_name.into(),
            instructions: instructions.into(),
            ..Self::default()
        }
    }
}

/// Where a planned question comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// Written as a question in the instructions.
    Instructions,
    /// Built from a topic the instructions name.
    Topic,
    /// From the project's template.
    Template,
    /// A built-in question.
    Default,
}

/// One question Tami will ask.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlannedQuestion {
    /// What Tami asks.
    pub text: String,
    /// The competencies an answer gives evidence about; may be empty for a
    /// recruiter's question that names none.
    pub competencies: Vec<Competency>,
    /// Where the question comes from.
    pub source: Source,
}

/// The questions of one interview.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    /// The project (role) the interview is for.
    pub project_name: String,
    /// The hiring company, when known.
    pub company_name: Option<String>,
    /// The questions, in the order Tami asks them.
    pub questions: Vec<PlannedQuestion>,
    /// `None` when nothing fixes it yet; the first answer then does.
    pub language: Option<Lang>,
}

impl Plan {
    /// Builds the plan for `input`. Same input, same plan.
    pub fn build(input: &PlanInput) -> Plan {
        build(input)
    }

    /// The competencies at least one question covers.
    pub fn covered(&self) -> BTreeSet<Competency> {
        covered(&self.questions)
    }

    /// The plan in `lang`: built-in questions switch language; questions written by the
    /// recruiter stay as they are.
    pub fn localised(&self, lang: Lang) -> Plan {
        let questions = self
            .questions
            .iter()
            .map(|q| match (q.source, defaults::find(&q.text)) {
                (Source::Default, Some(d)) => PlannedQuestion {
                    text: d.text(lang).to_owned(),
                    ..q.clone()
                },
                _ => q.clone(),
            })
            .collect();
        Plan {
            questions,
            language: Some(lang),
            ..self.clone()
        }
    }
}

/// Each competency and the words that signal it (patterns as in `words`).
const KEYWORDS: &[(Competency, &str)] = &[
    (
        Competency::Leadership,
        "lead*|led|mentor*|coach*|manag*|ownership|initiative*|delegat*|лидер*|руковод*|настав*|ментор*|делегир*|инициатив*",
    ),
    (
        Competency::Communication,
        "team*|conflict*|communicat*|stakeholder*|presentation*|present|explain*|negotiat*|collaborat*|feedback|команд*|конфликт*|коммуникац*|общени*|объясн*|переговор*|презентац*|стейкхолдер*|сотруднич*",
    ),
    (
        Competency::Empathy,
        "team*|conflict*|empath*|customer*|client*|colleague*|listen*|support*|команд*|конфликт*|эмпат*|клиент*|коллег*|поддерж*|выслуш*",
    ),
    (
        Competency::Logic,
        "problem*|debug*|analy*|logic*|reason*|troubleshoot*|algorithm*|decision*|data|проблем*|отлад*|анализ*|аналит*|логик*|алгоритм*|решени*|данны*",
    ),
    (
        Competency::Planning,
        "deadline*|plan|plans|planned|planning|priorit*|estimat*|schedul*|organis*|organiz*|roadmap*|дедлайн*|срок*|план*|приорит*|организ*|расписан*",
    ),
    (
        Competency::StressTolerance,
        "pressure|stress*|outage*|incident*|urgent*|crisis|crises|failure*|setback*|burnout|давлени*|стресс*|авари*|инцидент*|срочн*|кризис*|неудач*|провал*",
    ),
];

/// The competencies whose keywords `text` mentions, in `Competency::ALL` order.
pub fn competencies_in(text: &str) -> Vec<Competency> {
    let w = words::norms(text);
    let found: BTreeSet<Competency> = KEYWORDS
        .iter()
        .filter(|(_, pattern)| words::has_any(&w, &[pattern]))
        .map(|(c, _)| *c)
        .collect();
    found.into_iter().collect()
}

/// A topic named in the instructions.
#[derive(Clone, Debug, PartialEq)]
struct Topic {
    text: String,
    /// For Russian: the preposition that governs the topic's case.
    prep: Option<String>,
}

/// Phrases that introduce topics, and for Russian the preposition that fits the case
/// the topic is in after them (`None`: take it from the phrase, or quote the topic).
const TOPIC_TRIGGERS: &[(&str, Option<&str>)] = &[
    ("focus|focusing|concentrate on", None),
    (
        "focus|concentrate mainly|mostly|especially|primarily on",
        None,
    ),
    ("^focus|topics|topic", None),
    ("ask .. about", None),
    ("talk|questions about", None),
    ("discuss|explore", None),
    ("dig into", None),
    ("pay attention to", None),
    ("check|assess|evaluate|test their", None),
    ("interested in", None),
    ("emphasis on", None),
    ("emphasise|emphasize", None),
    (
        "спросите|спроси|расспросите|расспроси|узнайте|узнай|поговорите|поговори .. о|об|обо|про",
        None,
    ),
    (
        "сфокусируйтесь|сосредоточьтесь|сфокусируйся|сосредоточься|фокус|акцент на",
        Some("о"),
    ),
    ("обратите|обрати внимание на", Some("про")),
    ("уделите|удели .. внимание", None),
    (
        "обсудите|обсуди|затроньте|затронь|проверьте|проверь|оцените|оцени",
        Some("про"),
    ),
    ("^темы|тема", None),
];

/// Words that turn a sentence into a prohibition ("don't ask about salary").
const NEGATIONS: &[&str] = &[
    "not",
    "don't",
    "dont",
    "never",
    "avoid",
    "no",
    "не",
    "нельзя",
    "избегайте",
    "избегай",
    "без",
];

/// Words stripped from the start of a topic ("their experience with Kafka" → "Kafka").
const TOPIC_LEAD_WORDS: &[&str] = &[
    "the",
    "their",
    "a",
    "an",
    "candidate's",
    "candidates",
    "candidate",
    "his",
    "her",
    "its",
    "our",
    "your",
    "some",
    "any",
    "how",
    "they",
    "he",
    "she",
    "them",
    "handle",
    "handles",
    "deal",
    "deals",
    "with",
    "experience",
    "questions",
    "question",
    "about",
    "on",
    "of",
    "их",
    "его",
    "ее",
    "кандидата",
    "том",
    "как",
    "они",
];

/// Words that separate topics in a list.
const TOPIC_SEPARATORS: &[&str] = &["and", "or", "plus", "и", "или", "а", "также"];

/// First words that make a bulleted line a question even without a question mark.
const QUESTION_OPENINGS: &str = "^tell|describe|walk|what|why|how|when|where|who|which|can|could|would|have|did|do|are|is|give|share|explain|расскажите|опишите|приведите|как|что|почему|зачем|когда|где|кто|какой|какие|какая|каким|были|был|была|есть|поделитесь|объясните";

/// Explicit questions and topics found in the instructions.
#[derive(Debug, Default, PartialEq)]
struct Parsed {
    questions: Vec<String>,
    topics: Vec<Topic>,
}

/// Strips a list marker ("- ", "* ", "• ", "1. ", "2) "), saying whether there was one.
fn strip_bullet(line: &str) -> (&str, bool) {
    let line = line.trim();
    for marker in ["- ", "* ", "• ", "– ", "— ", "· ", "+ "] {
        if let Some(rest) = line.strip_prefix(marker) {
            return (rest.trim(), true);
        }
    }
    let digits = line.len() - line.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    if digits > 0 && digits <= 3 {
        let rest = &line[digits..];
        if let Some(rest) = rest.strip_prefix(". ").or_else(|| rest.strip_prefix(") ")) {
            return (rest.trim(), true);
        }
    }
    (line, false)
}

/// Splits a line into sentences, each keeping its final punctuation.
fn sentences(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let at_boundary = chars.peek().is_none_or(|(_, n)| n.is_whitespace());
        if matches!(c, '.' | '!' | '?' | '…') && at_boundary {
            let end = i + c.len_utf8();
            let s = text[start..end].trim();
            if !s.is_empty() {
                out.push(s);
            }
            start = end;
        }
    }
    let rest = text[start..].trim();
    if !rest.is_empty() {
        out.push(rest);
    }
    out
}

/// Drops a lead-in such as "Ask them:" or "Вопрос:" before a question.
fn strip_ask_prefix(sentence: &str) -> String {
    if let Some((head, tail)) = sentence.split_once(':') {
        let head_words = words::norms(head);
        let is_lead_in = head_words.len() <= 4
            && words::has_any(
                &head_words,
                &["ask*|question*|q|спросите|спроси|вопрос*|задайте"],
            );
        let tail = tail.trim();
        if is_lead_in && !tail.is_empty() {
            let mut chars = tail.chars();
            return chars
                .next()
                .map(|first| first.to_uppercase().chain(chars).collect())
                .unwrap_or_default();
        }
    }
    sentence.to_owned()
}

/// The end of a topic's last word, extended over attached symbols ("C++", "C#").
fn extend_word_end(text: &str, end: usize) -> usize {
    let tail = &text[end..];
    let extra = tail
        .find(|c: char| c.is_whitespace() || ",;.!?:()\"«»".contains(c))
        .unwrap_or(tail.len());
    end + extra
}

/// The topics a sentence names after a trigger phrase.
fn topics_in(sentence: &str) -> Vec<Topic> {
    let split = words::split(sentence);
    let norms: Vec<String> = split.iter().map(|w| w.norm.clone()).collect();
    let Some(((start, end), prep_override)) = TOPIC_TRIGGERS
        .iter()
        .filter_map(|(p, prep)| words::find(&norms, p).map(|range| (range, *prep)))
        .min_by_key(|((start, end), _)| (*start, std::cmp::Reverse(*end)))
    else {
        return Vec::new();
    };
    if norms[..start]
        .iter()
        .any(|w| NEGATIONS.contains(&w.as_str()))
    {
        return Vec::new();
    }
    let prep = prep_override.map(str::to_owned).or_else(|| {
        norms
            .get(end.wrapping_sub(1))
            .filter(|w| ["о", "об", "обо", "про"].contains(&w.as_str()))
            .cloned()
    });
    // Topics are the runs of words after the trigger, split at commas, semicolons,
    // slashes, ampersands and conjunctions.
    let mut groups: Vec<Vec<&Word>> = vec![Vec::new()];
    let mut prev_end = split.get(end.wrapping_sub(1)).map_or(0, |w| w.end);
    for w in &split[end..] {
        let gap = &sentence[prev_end..w.start];
        if gap.contains([',', ';', '/', '&']) {
            groups.push(Vec::new());
        }
        if TOPIC_SEPARATORS.contains(&w.norm.as_str()) {
            groups.push(Vec::new());
        } else if let Some(g) = groups.last_mut() {
            g.push(w);
        }
        prev_end = w.end;
    }
    groups
        .into_iter()
        .filter_map(|g| {
            let kept: Vec<&Word> = strip_topic_lead(&g)
                .iter()
                .copied()
                .filter(|w| w.norm != "etc")
                .collect();
            let (first, last) = (kept.first()?, kept.last()?);
            (kept.len() <= MAX_TOPIC_WORDS).then(|| Topic {
                text: sentence[first.start..extend_word_end(sentence, last.end)].to_owned(),
                prep: prep.clone(),
            })
        })
        .collect()
}

/// Drops lead-in words from a topic, including a trigger that starts a later list item
/// ("…, and check their communication skills").
fn strip_topic_lead<'a, 'w>(group: &'a [&'w Word]) -> &'a [&'w Word] {
    let skip_lead = |g: &'a [&'w Word]| {
        let n = g
            .iter()
            .take_while(|w| TOPIC_LEAD_WORDS.contains(&w.norm.as_str()))
            .count();
        &g[n..]
    };
    let rest = skip_lead(group);
    let norms: Vec<String> = rest.iter().map(|w| w.norm.clone()).collect();
    let trigger_end = TOPIC_TRIGGERS
        .iter()
        .filter_map(|(p, _)| words::find(&norms, p))
        .filter(|(start, _)| *start == 0)
        .map(|(_, end)| end)
        .max();
    match trigger_end {
        Some(end) => skip_lead(&rest[end..]),
        None => rest,
    }
}

/// Finds explicit questions and topics in the instructions.
fn parse_instructions(instructions: &str) -> Parsed {
    let mut parsed = Parsed::default();
    for line in instructions.lines() {
        let (body, bulleted) = strip_bullet(line);
        if body.is_empty() {
            continue;
        }
        let opening = words::norms(body);
        let negated = opening.get(1).is_some_and(|w| w == "not");
        if bulleted
            && !body.contains('?')
            && !negated
            && words::has_any(&opening, &[QUESTION_OPENINGS])
        {
            parsed.questions.push(body.to_owned());
            continue;
        }
        for s in sentences(body) {
            let asked = strip_ask_prefix(s);
            if s.ends_with('?') {
                parsed.questions.push(asked);
            } else if asked != s && words::has_any(&words::norms(&asked), &[QUESTION_OPENINGS]) {
                // "Ask: Tell me about a time ..." is a question in imperative form.
                parsed.questions.push(asked);
            } else {
                parsed.topics.extend(topics_in(s));
            }
        }
    }
    let mut seen = BTreeSet::new();
    parsed.questions.retain(|q| seen.insert(q.to_lowercase()));
    let mut seen = BTreeSet::new();
    parsed.topics.retain(|t| seen.insert(t.text.to_lowercase()));
    parsed
}

/// Words too common in questions to tell two apart.
const SIMILARITY_STOP: &[&str] = &[
    "tell",
    "about",
    "time",
    "when",
    "what",
    "your",
    "that",
    "this",
    "with",
    "have",
    "describe",
    "were",
    "would",
    "could",
    "from",
    "into",
    "they",
    "them",
    "their",
    "there",
    "how",
    "did",
    "расскажите",
    "опишите",
    "когда",
    "какой",
    "какие",
    "было",
    "были",
    "этом",
    "вашей",
    "ваши",
    "вашего",
    "чтобы",
];

/// The distinctive stems of a question: longer words, cut to six letters.
fn stems(text: &str) -> BTreeSet<String> {
    words::norms(text)
        .into_iter()
        .filter(|w| w.chars().count() >= 4 && !SIMILARITY_STOP.contains(&w.as_str()))
        .map(|w| w.chars().take(6).collect())
        .collect()
}

/// Whether two questions ask essentially the same thing.
pub fn near_duplicate(a: &str, b: &str) -> bool {
    let (a, b) = (stems(a), stems(b));
    if a.is_empty() || b.is_empty() {
        return a == b;
    }
    let shared = a.intersection(&b).count();
    let union = a.union(&b).count();
    let smaller = a.len().min(b.len());
    shared * 5 >= union * 3 || (smaller >= 3 && shared * 5 >= smaller * 4)
}

fn covered(questions: &[PlannedQuestion]) -> BTreeSet<Competency> {
    questions
        .iter()
        .flat_map(|q| q.competencies.iter().copied())
        .collect()
}

/// Positive, finite weights; equal weights when none are.
fn effective_weights(given: &CompetencyWeights) -> CompetencyWeights {
    let w: CompetencyWeights = Competency::ALL
        .into_iter()
        .map(|c| {
            let v = given.get(&c).copied().unwrap_or(0.0);
            (c, if v.is_finite() && v > 0.0 { v } else { 0.0 })
        })
        .collect();
    if w.values().all(|v| *v == 0.0) {
        default_weights()
    } else {
        w
    }
}

fn weight(w: &CompetencyWeights, c: Competency) -> f64 {
    w.get(&c).copied().unwrap_or(0.0)
}

/// Weighted competencies, heaviest first; ties keep `Competency::ALL` order.
fn by_weight(w: &CompetencyWeights) -> Vec<Competency> {
    let mut cs: Vec<Competency> = Competency::ALL
        .into_iter()
        .filter(|c| weight(w, *c) > 0.0)
        .collect();
    cs.sort_by(|a, b| weight(w, *b).total_cmp(&weight(w, *a)));
    cs
}

/// The language of what the recruiter wrote, if they wrote anything.
fn authored_language(input: &PlanInput) -> Option<Lang> {
    let mut text = input.instructions.clone();
    for q in &input.template {
        text.push('\n');
        text.push_str(&q.text);
    }
    (!text.trim().is_empty()).then(|| lang::detect(&text))
}

/// The planned questions under construction, with the budget and duplicate checks.
struct Draft {
    questions: Vec<PlannedQuestion>,
    max: usize,
}

impl Draft {
    fn full(&self) -> bool {
        self.questions.len() >= self.max
    }

    fn is_duplicate(&self, text: &str) -> bool {
        self.questions.iter().any(|q| near_duplicate(&q.text, text))
    }

    /// Adds a question unless the plan is full or already asks it.
    fn push(&mut self, text: String, competencies: Vec<Competency>, source: Source) -> bool {
        let text = text.trim().to_owned();
        if self.full() || text.is_empty() || self.is_duplicate(&text) {
            return false;
        }
        self.questions.push(PlannedQuestion {
            text,
            competencies,
            source,
        });
        true
    }

    fn push_default(&mut self, c: Competency, lang: Lang) -> bool {
        defaults::for_competency(c).any(|d| {
            self.push(
                d.text(lang).to_owned(),
                d.competencies.to_vec(),
                Source::Default,
            )
        })
    }
}

/// Builds the plan for `input`. Same input, same plan.
pub fn build(input: &PlanInput) -> Plan {
    let max = input.max_questions.clamp(1, MAX_QUESTIONS_LIMIT);
    let language = input.language.or_else(|| authored_language(input));
    let lang = language.unwrap_or_default();
    let weights = effective_weights(&input.weights);
    let parsed = parse_instructions(&input.instructions);
    let mut draft = Draft {
        questions: Vec::new(),
        max,
    };

    for text in parsed.questions {
        let competencies = competencies_in(&text);
        draft.push(text, competencies, Source::Instructions);
    }
    for (i, topic) in parsed.topics.iter().enumerate() {
        let text = wording::topic_question(lang, &topic.text, topic.prep.as_deref(), i);
        // Topic questions share their wording, so they are compared by topic, which
        // parsing already deduplicated, not by text.
        if !draft.full() {
            draft.questions.push(PlannedQuestion {
                text,
                competencies: competencies_in(&topic.text),
                source: Source::Topic,
            });
        }
    }
    let authored = !draft.questions.is_empty() || !input.template.is_empty();

    // Cover the heaviest uncovered competency first, with the template question that
    // covers the most uncovered weight, or a built-in question when none covers it.
    let mut pool: Vec<(usize, &Question)> = input.template.iter().enumerate().collect();
    let mut unreachable = BTreeSet::new();
    while !draft.full() {
        pool.retain(|(_, q)| !q.text.trim().is_empty() && !draft.is_duplicate(&q.text));
        let covered = covered(&draft.questions);
        let Some(c) = by_weight(&weights)
            .into_iter()
            .find(|c| !covered.contains(c) && !unreachable.contains(c))
        else {
            break;
        };
        let gain = |q: &Question| -> f64 {
            let distinct: BTreeSet<&Competency> = q.competencies.iter().collect();
            distinct
                .into_iter()
                .filter(|k| !covered.contains(k))
                .map(|k| weight(&weights, *k))
                .sum()
        };
        let best = pool
            .iter()
            .enumerate()
            .filter(|(_, (_, q))| q.competencies.contains(&c))
            .max_by(|(_, (ia, a)), (_, (ib, b))| gain(a).total_cmp(&gain(b)).then(ib.cmp(ia)))
            .map(|(pos, _)| pos);
        let added = match best {
            Some(pos) => {
                let (_, q) = pool.remove(pos);
                draft.push(q.text.clone(), q.competencies.clone(), Source::Template)
            }
            None => draft.push_default(c, lang),
        };
        if !added {
            unreachable.insert(c);
        }
    }

    // The rest of the template, heaviest questions first.
    let total = |q: &Question| -> f64 { q.competencies.iter().map(|c| weight(&weights, *c)).sum() };
    pool.sort_by(|(ia, a), (ib, b)| total(b).total_cmp(&total(a)).then(ia.cmp(ib)));
    for (_, q) in pool {
        draft.push(q.text.clone(), q.competencies.clone(), Source::Template);
    }

    // With nothing from the recruiter, the built-in questions make the whole plan.
    if !authored {
        for c in by_weight(&weights) {
            for d in defaults::for_competency(c) {
                draft.push(
                    d.text(lang).to_owned(),
                    d.competencies.to_vec(),
                    Source::Default,
                );
            }
        }
    }

    Plan {
        project_name: input.project_name.clone(),
        company_name: input.company_name.clone(),
        questions: draft.questions,
        language,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Competency::*;
    use talentd_core::template::builtin;

    fn texts(p: &Plan) -> Vec<&str> {
        p.questions.iter().map(|q| q.text.as_str()).collect()
    }

    fn sources(p: &Plan) -> Vec<Source> {
        p.questions.iter().map(|q| q.source).collect()
    }

    fn template() -> Vec<Question> {
        builtin("tpl_software_engineer").unwrap().questions()
    }

    #[test]
    fn template_plan_covers_every_weighted_competency() {
        let input = PlanInput {
            template: template(),
            ..PlanInput::new("Backend", "")
        };
        let plan = build(&input);
        assert_eq!(plan.questions.len(), 6);
        assert!(plan.questions.iter().all(|q| q.source == Source::Template));
        assert_eq!(plan.covered().len(), 6);
        assert_eq!(plan.language, Some(Lang::En));
    }

    #[test]
    fn weights_order_template_questions() {
        let mut weights: CompetencyWeights =
            Competency::ALL.into_iter().map(|c| (c, 1.0)).collect();
        weights.insert(StressTolerance, 5.0);
        weights.insert(Planning, 3.0);
        let input = PlanInput {
            template: template(),
            weights,
            ..PlanInput::default()
        };
        let plan = build(&input);
        assert!(
            plan.questions[0].competencies.contains(&StressTolerance),
            "{:?}",
            texts(&plan)
        );
        assert!(
            plan.questions[1].competencies.contains(&Planning),
            "{:?}",
            texts(&plan)
        );

        // Only leadership matters and the budget is two: both questions probe it.
        let mut weights: CompetencyWeights =
            Competency::ALL.into_iter().map(|c| (c, 0.0)).collect();
        weights.insert(Leadership, 1.0);
        let plan = build(&PlanInput {
            template: template(),
            weights,
            max_questions: 2,
            ..PlanInput::default()
        });
        assert_eq!(plan.questions.len(), 2);
        assert!(
            plan.questions
                .iter()
                .all(|q| q.competencies.contains(&Leadership))
        );
    }

    #[test]
    fn explicit_questions_come_first_verbatim_then_topics() {
        let instructions = "Be friendly and patient.\n\
            - Why do you want to leave your current job?\n\
            2. Tell me about your biggest professional mistake\n\
            Focus on React and teamwork. Ask: what is your notice period?\n\
            Don't ask about salary.";
        let plan = build(&PlanInput {
            template: template(),
            ..PlanInput::new("Frontend", instructions)
        });
        let t = texts(&plan);
        assert_eq!(t[0], "Why do you want to leave your current job?");
        assert_eq!(t[1], "Tell me about your biggest professional mistake");
        assert_eq!(t[2], "What is your notice period?");
        assert_eq!(
            &sources(&plan)[..5],
            &[
                Source::Instructions,
                Source::Instructions,
                Source::Instructions,
                Source::Topic,
                Source::Topic,
            ]
        );
        assert!(t[3].contains("React") && t[3].ends_with('?'), "{}", t[3]);
        assert!(t[4].contains("teamwork"), "{}", t[4]);
        assert_ne!(
            t[3].split(' ').next(),
            t[4].split(' ').next(),
            "wording varies"
        );
        assert_eq!(plan.questions[4].competencies, vec![Communication, Empathy]);
        assert!(!t.iter().any(|q| q.contains("salary")));
        assert_eq!(plan.questions.len(), DEFAULT_MAX_QUESTIONS);
        assert!(sources(&plan)[5..].iter().all(|s| *s == Source::Template));
    }

    #[test]
    fn an_imperative_after_ask_is_an_explicit_question() {
        let p = build(&PlanInput::new(
            "Backend engineer",
            "Ask: Tell me about a time you resolved a conflict in your team. Cover leadership.",
        ));
        assert_eq!(
            p.questions[0].text,
            "Tell me about a time you resolved a conflict in your team."
        );
        assert_eq!(p.questions[0].source, Source::Instructions);
    }

    #[test]
    fn topics_are_split_and_tagged() {
        let plan = build(&PlanInput::new(
            "Ops",
            "Ask about conflict resolution and deadlines, and how they handle pressure during an outage. Focus on Kafka.",
        ));
        let topics: Vec<&PlannedQuestion> = plan
            .questions
            .iter()
            .filter(|q| q.source == Source::Topic)
            .collect();
        assert_eq!(topics.len(), 4, "{:?}", texts(&plan));
        // The fourth topic reuses the first wording and is still kept.
        assert!(topics[3].text.contains("Kafka"));
        assert!(topics[0].text.contains("conflict resolution"));
        assert_eq!(topics[0].competencies, vec![Communication, Empathy]);
        assert!(topics[1].text.contains("deadlines"));
        assert_eq!(topics[1].competencies, vec![Planning]);
        assert!(
            topics[2].text.contains("pressure during an outage"),
            "{}",
            topics[2].text
        );
        assert_eq!(topics[2].competencies, vec![StressTolerance]);
        // Competencies the topics miss are covered by built-in questions.
        assert_eq!(plan.covered().len(), 6);
        assert!(plan.questions.len() <= DEFAULT_MAX_QUESTIONS);
    }

    #[test]
    fn russian_instructions_give_a_russian_plan() {
        let plan = build(&PlanInput::new(
            "Поддержка",
            "Спросите о работе в команде и об опыте наставничества. Какой у вас график работы?",
        ));
        assert_eq!(plan.language, Some(Lang::Ru));
        assert_eq!(plan.questions[0].text, "Какой у вас график работы?");
        assert_eq!(plan.questions[1].source, Source::Topic);
        assert!(
            plan.questions[1].text.contains("о работе в команде"),
            "{}",
            plan.questions[1].text
        );
        assert!(
            plan.questions[2].text.contains("об опыте наставничества"),
            "{}",
            plan.questions[2].text
        );
        assert_eq!(plan.questions[2].competencies, vec![Leadership]);
        assert!(
            plan.questions
                .iter()
                .all(|q| lang::detect(&q.text) == Lang::Ru)
        );
    }

    #[test]
    fn defaults_fill_an_empty_project() {
        let plan = build(&PlanInput::default());
        assert_eq!(plan.language, None);
        assert_eq!(plan.questions.len(), DEFAULT_MAX_QUESTIONS);
        assert!(plan.questions.iter().all(|q| q.source == Source::Default));
        assert_eq!(plan.covered().len(), 6);
        let ru = build(&PlanInput {
            language: Some(Lang::Ru),
            ..PlanInput::default()
        });
        assert!(
            ru.questions
                .iter()
                .all(|q| lang::detect(&q.text) == Lang::Ru)
        );
        assert_eq!(plan.localised(Lang::Ru).questions, ru.questions);
    }

    #[test]
    fn near_duplicates_of_planned_questions_are_skipped() {
        let plan = build(&PlanInput {
            template: template(),
            ..PlanInput::new(
                "Backend",
                "Tell me about a technical problem you solved recently?",
            )
        });
        let t = texts(&plan);
        assert_eq!(
            t[0],
            "Tell me about a technical problem you solved recently?"
        );
        assert!(
            !t.iter().any(
                |q| q.starts_with("Tell me about a technical problem you solved recently. How")
            )
        );
        assert!(near_duplicate(
            "Describe a time you missed a deadline.",
            "Tell me about a time you missed a deadline?"
        ));
        assert!(!near_duplicate(
            "Describe a time you missed a deadline.",
            "How do you explain a trade-off to a customer?"
        ));
    }

    #[test]
    fn the_cap_holds_even_for_explicit_questions() {
        let many: String = [
            "alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india",
            "juliet", "kilo", "lima", "mike", "november", "oscar", "papa", "quebec", "romeo",
            "sierra", "tango", "uniform", "victor", "whiskey", "xray", "yankee", "zulu",
        ]
        .iter()
        .map(|w| format!("What about {w}?\n"))
        .collect();
        let plan = build(&PlanInput {
            max_questions: 5,
            ..PlanInput::new("X", many.clone())
        });
        assert_eq!(plan.questions.len(), 5);
        assert_eq!(plan.questions[4].text, "What about echo?");
        let plan = build(&PlanInput {
            max_questions: 1000,
            ..PlanInput::new("X", many)
        });
        assert_eq!(plan.questions.len(), MAX_QUESTIONS_LIMIT);
        let plan = build(&PlanInput {
            max_questions: 0,
            ..PlanInput::default()
        });
        assert_eq!(plan.questions.len(), 1);
    }

    #[test]
    fn plans_are_deterministic() {
        let mut weights = default_weights();
        weights.insert(Empathy, 3.0);
        let input = PlanInput {
            company_name: Some("Acme".into()),
            template: builtin("tpl_sales").unwrap().questions(),
            weights,
            ..PlanInput::new("Sales", "Focus on negotiation. What CRM have you used?")
        };
        let a = build(&input);
        for _ in 0..5 {
            assert_eq!(build(&input), a);
        }
        let json = serde_json::to_string(&a).unwrap();
        assert_eq!(serde_json::from_str::<Plan>(&json).unwrap(), a);
    }

    #[test]
    fn parses_bullets_and_sentences() {
        assert_eq!(strip_bullet("- Why?"), ("Why?", true));
        assert_eq!(strip_bullet("12) How?"), ("How?", true));
        assert_eq!(strip_bullet("2024 was busy"), ("2024 was busy", false));
        assert_eq!(sentences("One. Two? Three"), vec!["One.", "Two?", "Three"]);
        assert_eq!(sentences("Use e.g.React. Ok"), vec!["Use e.g.React.", "Ok"]);
        assert_eq!(
            topics_in("Topics: C++, Kafka & SQL")
                .into_iter()
                .map(|t| t.text)
                .collect::<Vec<_>>(),
            vec!["C++", "Kafka", "SQL"]
        );
        assert!(topics_in("Be kind and patient.").is_empty());
        assert_eq!(
            topics_in("Please ask the candidate about their experience with Kubernetes, and check their communication skills.")
                .into_iter()
                .map(|t| t.text)
                .collect::<Vec<_>>(),
            vec!["Kubernetes", "communication skills"]
        );
        assert!(topics_in("Do not ask about their family.").is_empty());
        assert_eq!(
            competencies_in("Led the planning of a big outage review"),
            vec![Leadership, Planning, StressTolerance]
        );
    }
}
