//! What Tami says, in English and Russian. Each slot has several variants; the variant
//! is chosen by hashing the session seed with the turn index, so a session replays
//! word for word.

use crate::guard::Intent;
use crate::lang::Lang;
use crate::probe::ProbeKind;

/// Which phrase a variant is picked for; hashed in so that slots vary independently.
#[derive(Clone, Copy)]
enum Slot {
    Salutation = 1,
    Greeting,
    Transition,
    FollowUp,
    Redirect,
    Bridge,
    Closing,
}

/// FNV-1a over the seed, the turn and the slot: tiny, stable across platforms and
/// releases, unlike `std`'s hasher.
fn fnv1a(seed: u64, turn: usize, slot: Slot) -> u64 {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    let turn = u64::try_from(turn).unwrap_or(u64::MAX);
    seed.to_le_bytes()
        .into_iter()
        .chain(turn.to_le_bytes())
        .chain([slot as u8])
        .fold(OFFSET, |h, b| (h ^ u64::from(b)).wrapping_mul(PRIME))
}

/// One of `variants`, chosen by `(seed, turn, slot)`.
fn pick<'a>(variants: &[&'a str], seed: u64, turn: usize, slot: Slot) -> &'a str {
    let len = u64::try_from(variants.len()).unwrap_or(1).max(1);
    let i = usize::try_from(fnv1a(seed, turn, slot) % len).unwrap_or(0);
    variants.get(i).copied().unwrap_or_default()
}

/// Replaces each `{key}` in `template`.
fn fill(template: &str, values: &[(&str, &str)]) -> String {
    values.iter().fold(template.to_owned(), |s, (k, v)| {
        s.replace(&format!("{{{k}}}"), v)
    })
}

/// The `{, name}` and `{, name,}` placeholders: empty when there is no name, so a
/// sentence reads naturally either way.
fn name_values(name: &str) -> [(&'static str, String); 3] {
    let name = name.trim();
    if name.is_empty() {
        [
            (", name", String::new()),
            (", name,", String::new()),
            (" name", String::new()),
        ]
    } else {
        [
            (", name", format!(", {name}")),
            (", name,", format!(", {name},")),
            (" name", format!(" {name}")),
        ]
    }
}

fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// "8 questions" / "8 вопросов".
fn question_count(lang: Lang, n: usize) -> String {
    match lang {
        Lang::En if n == 1 => "1 question".to_owned(),
        Lang::En => format!("{n} questions"),
        Lang::Ru => {
            let form = match (n % 10, n % 100) {
                (_, 11..=14) => "вопросов",
                (1, _) => "вопрос",
                (2..=4, _) => "вопроса",
                _ => "вопросов",
            };
            format!("{n} {form}")
        }
    }
}

/// What the interview is for: the project, and the company when known.
fn org(lang: Lang, project: &str, company: Option<&str>) -> String {
    let project = project.trim();
    let company = company.map(str::trim).filter(|c| !c.is_empty());
    match (lang, project.is_empty(), company) {
        (Lang::En, false, Some(c)) => format!("“{project}” at {c}"),
        (Lang::En, false, None) => format!("“{project}”"),
        (Lang::En, true, Some(c)) => c.to_owned(),
        (Lang::En, true, None) => "this role".to_owned(),
        (Lang::Ru, false, Some(c)) => format!("по проекту «{project}» компании {c}"),
        (Lang::Ru, false, None) => format!("по проекту «{project}»"),
        (Lang::Ru, true, Some(c)) => format!("для компании {c}"),
        (Lang::Ru, true, None) => "на эту позицию".to_owned(),
    }
}

/// Who reviews the answers.
fn team(lang: Lang, company: Option<&str>) -> String {
    match (lang, company.map(str::trim).filter(|c| !c.is_empty())) {
        (Lang::En, Some(c)) => format!("{c} team"),
        (Lang::En, None) => "hiring team".to_owned(),
        (Lang::Ru, Some(c)) => format!("команда {c}"),
        (Lang::Ru, None) => "команда по найму".to_owned(),
    }
}

const SALUTATION_EN: &[&str] = &["Hello{, name}!", "Hi{ name}!", "Welcome{, name}!"];
const SALUTATION_RU: &[&str] = &[
    "Здравствуйте{, name}!",
    "Добрый день{, name}!",
    "Приветствую{, name}!",
];

const GREETING_EN: &[&str] = &[
    "I'm Tami, an AI interviewer, and I'll run this interview for {org}. I'll ask you {count}; please answer with real examples from your own experience, in as much detail as you like. Let's begin. {q}",
    "My name is Tami. I'm an AI, and I'm conducting this interview for {org}. There are {count} ahead. Real situations you've been in, what you did and how it turned out, are the most useful to talk about. First question: {q}",
    "I'm Tami, the AI interviewer for {org}. We'll go through {count} together. Take your time, and try to describe real situations from your work. Here's the first one: {q}",
];
const GREETING_RU: &[&str] = &[
    "Я Tami, ИИ-интервьюер, и сегодня я проведу с вами интервью {org}. Я задам {count}; пожалуйста, отвечайте на примерах из собственного опыта, так подробно, как вам удобно. Начнём. {q}",
    "Меня зовут Tami, я искусственный интеллект и провожу это интервью {org}. Впереди {count}. Лучше всего рассказывать о реальных ситуациях: что произошло, что вы сделали и чем всё закончилось. Первый вопрос: {q}",
    "Я Tami, ИИ-интервьюер. Это интервью {org}, и мы вместе пройдём {count}. Не торопитесь и рассказывайте о реальных ситуациях из вашей работы. Вот первый вопрос: {q}",
];

/// The opening message: who Tami is, what the interview is for, how many questions
/// there are, and the first question.
pub fn greeting(
    lang: Lang,
    seed: u64,
    candidate_name: &str,
    project: &str,
    company: Option<&str>,
    total: usize,
    first_question: &str,
) -> String {
    let (salutations, bodies) = match lang {
        Lang::En => (SALUTATION_EN, GREETING_EN),
        Lang::Ru => (SALUTATION_RU, GREETING_RU),
    };
    let names = name_values(candidate_name);
    let names: Vec<(&str, &str)> = names.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let hello = fill(pick(salutations, seed, 0, Slot::Salutation), &names);
    let body = fill(
        pick(bodies, seed, 0, Slot::Greeting),
        &[
            ("org", &org(lang, project, company)),
            ("count", &question_count(lang, total)),
            ("q", first_question),
        ],
    );
    format!("{hello} {body}")
}

const TRANSITION_EN: &[&str] = &[
    "Thank you. Next: {q}",
    "Thanks for sharing that. Question {k} of {n}: {q}",
    "Got it, thank you. Let's move on. {q}",
    "Thank you. Here's the next question: {q}",
];
const TRANSITION_RU: &[&str] = &[
    "Спасибо. Следующий вопрос: {q}",
    "Спасибо, что поделились. Вопрос {k} из {n}: {q}",
    "Понятно, спасибо. Двигаемся дальше. {q}",
    "Спасибо. Вот следующий вопрос: {q}",
];
const LAST_EN: &[&str] = &[
    "Thank you. And the last question: {q}",
    "Thanks. We're at the final question: {q}",
    "Thank you for that. One last question: {q}",
];
const LAST_RU: &[&str] = &[
    "Спасибо. И последний вопрос: {q}",
    "Спасибо. Мы дошли до заключительного вопроса: {q}",
    "Благодарю. Остался один вопрос: {q}",
];

/// The bridge from one answered question to question `number` (1-based) of `total`.
pub fn transition(
    lang: Lang,
    seed: u64,
    turn: usize,
    number: usize,
    total: usize,
    question: &str,
) -> String {
    let last = number == total;
    let variants = match (lang, last) {
        (Lang::En, false) => TRANSITION_EN,
        (Lang::Ru, false) => TRANSITION_RU,
        (Lang::En, true) => LAST_EN,
        (Lang::Ru, true) => LAST_RU,
    };
    fill(
        pick(variants, seed, turn, Slot::Transition),
        &[
            ("k", &number.to_string()),
            ("n", &total.to_string()),
            ("q", question),
        ],
    )
}

fn follow_up_variants(lang: Lang, kind: ProbeKind) -> &'static [&'static str] {
    use ProbeKind::*;
    match (lang, kind) {
        (Lang::En, TooShort) => &[
            "Could you tell me a bit more? What was the situation, and what happened?",
            "I'd like to hear more detail. Can you walk me through what happened, step by step?",
            "Could you expand on that a little? A specific example would help me understand.",
        ],
        (Lang::En, Vague) => &[
            "Could you make that more concrete? Pick one specific situation: where were you, and what exactly happened?",
            "Let's zoom in on a single example. What was going on, and who was involved?",
            "Can you give me one particular case rather than the general picture? What happened there?",
        ],
        (Lang::En, Hypothetical) => &[
            "That sounds like how you'd approach it in general. Can you tell me about a time it actually happened? What did you do?",
            "Thanks. Could you think of a real situation from your past work, rather than what you would do? What happened?",
            "Is there a specific time you faced this? Please tell me what you actually did then.",
        ],
        (Lang::En, MissingAction) => &[
            "What did you personally do in that situation? Walk me through your own steps.",
            "And what was your own part in it? What did you decide or do yourself?",
            "Could you focus on your role? What actions did you take?",
        ],
        (Lang::En, MissingResult) => &[
            "How did it turn out in the end? What was the result?",
            "What came of it? How did things look afterwards?",
            "And what was the outcome? Did anything change as a result?",
        ],
        (Lang::Ru, TooShort) => &[
            "Могли бы вы рассказать чуть подробнее? Какая была ситуация и что произошло?",
            "Хотелось бы услышать больше деталей. Можете по шагам рассказать, что происходило?",
            "Можете немного развернуть ответ? Конкретный пример поможет мне лучше понять.",
        ],
        (Lang::Ru, Vague) => &[
            "Можете сделать это конкретнее? Выберите одну ситуацию: где это было и что именно произошло?",
            "Давайте остановимся на одном примере. Что происходило и кто был вовлечён?",
            "Можете привести один конкретный случай, а не общую картину? Что тогда произошло?",
        ],
        (Lang::Ru, Hypothetical) => &[
            "Похоже, это ваш общий подход. Можете рассказать о случае, когда это действительно произошло? Что вы сделали?",
            "Спасибо. Вспомните, пожалуйста, реальную ситуацию из вашей работы, а не то, как вы поступили бы. Что тогда произошло?",
            "Был ли у вас конкретный случай, когда вы с этим столкнулись? Расскажите, что вы тогда сделали.",
        ],
        (Lang::Ru, MissingAction) => &[
            "Что лично вы сделали в этой ситуации? Расскажите о своих шагах.",
            "А какой была ваша собственная роль? Что вы решили или сделали сами?",
            "Можете рассказать именно о своей роли? Какие действия вы предприняли?",
        ],
        (Lang::Ru, MissingResult) => &[
            "Чем всё закончилось? Каким был результат?",
            "К чему это привело? Что изменилось после этого?",
            "И каков был итог? Что в результате изменилось?",
        ],
    }
}

/// A follow-up asking for what the answer lacks.
pub fn follow_up(lang: Lang, seed: u64, turn: usize, kind: ProbeKind) -> String {
    pick(follow_up_variants(lang, kind), seed, turn, Slot::FollowUp).to_owned()
}

fn redirect_variants(lang: Lang, intent: Intent) -> &'static [&'static str] {
    use Intent::*;
    match (lang, intent) {
        (Lang::En, Injection | Answer) => &[
            "I'm here only to run this interview, so I'll keep to the questions.",
            "I can't change how this interview works, but I'm glad to continue with it.",
            "Let's stay with the interview itself.",
        ],
        (Lang::En, AsksCriteria) => &[
            "I can't share how the answers are assessed. The best thing you can do is answer in your own words, with real examples.",
            "The assessment details aren't something I can share, sorry. Just describe what really happened, in your own words.",
            "I'm not able to go into how the interview is evaluated. Please simply answer as openly as you can.",
        ],
        (Lang::En, AsksForScore) => &[
            "I don't evaluate answers during the interview, and I can't share any results. The team will follow up with you after it.",
            "I'm not able to comment on how you're doing. The hiring team will be in touch once the interview is reviewed.",
            "There's no score I can share during our conversation. The team will get back to you afterwards.",
        ],
        (Lang::En, OffTopic) => &[
            "I can only help with this interview, so let's keep to it.",
            "That's outside what I can do here; I'm only conducting this interview.",
            "I'll have to leave that aside, as I'm here just for the interview.",
        ],
        (Lang::En, WantsHuman) => &[
            "I understand. I can't connect you with a person from here, but you can contact the hiring team directly about that, including any request about your data.",
            "Noted. Requests to speak with someone, or about your data, are best sent to the hiring team directly; I can't handle them myself.",
            "I'm an AI and can't transfer you, but the hiring team can help with that if you contact them directly.",
        ],
        (Lang::Ru, Injection | Answer) => &[
            "Я здесь только для того, чтобы провести это интервью, поэтому продолжу задавать вопросы.",
            "Я не могу изменить порядок интервью, но с удовольствием продолжу его.",
            "Давайте вернёмся к самому интервью.",
        ],
        (Lang::Ru, AsksCriteria) => &[
            "Я не могу рассказать, как оцениваются ответы. Лучше всего просто отвечать своими словами, на реальных примерах.",
            "Подробности оценки я, к сожалению, раскрыть не могу. Просто расскажите, как всё было на самом деле.",
            "Я не могу рассказывать о том, как оценивается интервью. Пожалуйста, просто отвечайте как можно откровеннее.",
        ],
        (Lang::Ru, AsksForScore) => &[
            "Я не оцениваю ответы во время интервью и не могу сообщить никаких результатов. Команда свяжется с вами после него.",
            "Я не могу комментировать, как у вас получается. Команда по найму свяжется с вами после просмотра интервью.",
            "Во время разговора я не могу поделиться никакой оценкой. Команда ответит вам позже.",
        ],
        (Lang::Ru, OffTopic) => &[
            "Я могу помочь только с этим интервью, поэтому давайте не будем отвлекаться.",
            "Это выходит за рамки того, что я могу здесь сделать: я только провожу интервью.",
            "Это придётся оставить в стороне — я здесь только ради интервью.",
        ],
        (Lang::Ru, WantsHuman) => &[
            "Понимаю. Отсюда я не могу соединить вас с человеком, но вы можете напрямую обратиться к команде по найму, в том числе с просьбой о ваших данных.",
            "Принято. Просьбы поговорить с человеком или о ваших данных лучше направить команде по найму напрямую — сам я их выполнить не могу.",
            "Я ИИ и не могу передать разговор человеку, но команда по найму поможет, если вы свяжетесь с ней напрямую.",
        ],
    }
}

const BRIDGE_EN: &[&str] = &[
    "Back to the question:",
    "Let's continue:",
    "Here's the question again:",
];
const BRIDGE_RU: &[&str] = &["Вернёмся к вопросу:", "Продолжим:", "Повторю вопрос:"];

/// A polite redirection for a message that is not an answer, followed by the current
/// question again. It neither reveals the criteria nor judges the candidate.
pub fn redirect(lang: Lang, seed: u64, turn: usize, intent: Intent, question: &str) -> String {
    let bridges = match lang {
        Lang::En => BRIDGE_EN,
        Lang::Ru => BRIDGE_RU,
    };
    format!(
        "{} {} {question}",
        pick(redirect_variants(lang, intent), seed, turn, Slot::Redirect),
        pick(bridges, seed, turn, Slot::Bridge),
    )
}

const CLOSING_EN: &[&str] = &[
    "Thank you{, name}, that was the last question. Your answers have been recorded and will be reviewed by the {team}, who will be in touch about the next steps. Goodbye!",
    "That's all from me. Thank you{, name,} for your time and your answers. The {team} will review the interview and get back to you. All the best!",
    "We're done. Thank you{, name,} for talking with me today. Your answers go to the {team}, who will contact you about what happens next. Have a good day!",
];
const CLOSING_RU: &[&str] = &[
    "Спасибо{, name}, это был последний вопрос. Ваши ответы сохранены, их посмотрит {team}, и с вами свяжутся по поводу следующих шагов. До свидания!",
    "На этом у меня всё. Спасибо{, name,} за ваше время и ответы. {Team} изучит интервью и свяжется с вами. Всего доброго!",
    "Мы закончили. Спасибо{, name,} за разговор. Ваши ответы получит {team}, и с вами свяжутся насчёт дальнейших шагов. Хорошего дня!",
];

/// The closing message: thanks, and who follows up. Never a verdict.
pub fn closing(
    lang: Lang,
    seed: u64,
    turn: usize,
    candidate_name: &str,
    company: Option<&str>,
) -> String {
    let variants = match lang {
        Lang::En => CLOSING_EN,
        Lang::Ru => CLOSING_RU,
    };
    let team = team(lang, company);
    let team_cap = capitalise(&team);
    let names = name_values(candidate_name);
    let mut values: Vec<(&str, &str)> = names.iter().map(|(k, v)| (*k, v.as_str())).collect();
    values.push(("team", &team));
    values.push(("Team", &team_cap));
    fill(pick(variants, seed, turn, Slot::Closing), &values)
}

const TOPIC_EN: &[&str] = &[
    "Tell me about a specific time when {topic} mattered in your work. What did you do, and how did it turn out?",
    "Think of a recent situation that involved {topic}. What was your role, what did you do, and what was the result?",
    "Describe a concrete example from your experience with {topic}. What exactly did you do, and what came of it?",
];
const TOPIC_RU: &[&str] = &[
    "Расскажите о конкретном случае из вашей работы, когда речь шла {about}. Что вы сделали и чем всё закончилось?",
    "Вспомните недавнюю ситуацию, в которой речь шла {about}. Какой была ваша роль, что вы сделали и каков был результат?",
    "Расскажите {about} на конкретном примере: какой была ситуация, что вы сделали и к чему это привело?",
];

/// A behavioural question about a topic the instructions name; `index` varies the
/// wording between topics. For Russian, `prep` is the preposition the instructions put
/// before the topic (`о`, `об`, `про`, `на`), which fixes the topic's case.
pub fn topic_question(lang: Lang, topic: &str, prep: Option<&str>, index: usize) -> String {
    match lang {
        Lang::En => fill(TOPIC_EN[index % TOPIC_EN.len()], &[("topic", topic)]),
        Lang::Ru => {
            let about = match prep {
                Some("про") => format!("про {topic}"),
                Some("о" | "об" | "обо" | "на") => {
                    let vowel = topic
                        .chars()
                        .next()
                        .is_some_and(|c| "аоуэиАОУЭИ".contains(c));
                    format!("{} {topic}", if vowel { "об" } else { "о" })
                }
                _ => format!("о теме «{topic}»"),
            };
            fill(TOPIC_RU[index % TOPIC_RU.len()], &[("about", &about)])
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::detect;

    #[test]
    fn picks_are_deterministic_and_vary() {
        let a: Vec<usize> = (0..20)
            .map(|t| usize::try_from(fnv1a(7, t, Slot::Transition) % 4).unwrap())
            .collect();
        let b: Vec<usize> = (0..20)
            .map(|t| usize::try_from(fnv1a(7, t, Slot::Transition) % 4).unwrap())
            .collect();
        assert_eq!(a, b);
        let distinct: std::collections::BTreeSet<_> = a.iter().collect();
        assert!(distinct.len() >= 3, "{a:?}");
        // A different seed gives a different sequence.
        let c: Vec<usize> = (0..20)
            .map(|t| usize::try_from(fnv1a(8, t, Slot::Transition) % 4).unwrap())
            .collect();
        assert_ne!(a, c);
    }

    #[test]
    fn greeting_names_the_candidate_the_company_and_the_count() {
        for seed in 0..6 {
            let g = greeting(Lang::En, seed, "Anna", "Backend", Some("Acme"), 5, "Q1?");
            assert!(
                g.contains("Anna") && g.contains("Acme") && g.contains("5 questions"),
                "{g}"
            );
            assert!(g.contains("AI") && g.ends_with("Q1?"), "{g}");
            let g = greeting(Lang::Ru, seed, "Анна", "Бэкенд", Some("Акме"), 5, "Вопрос?");
            assert!(
                g.contains("Анна")
                    && g.contains("5 вопросов")
                    && (g.contains("ИИ") || g.contains("искусственный")),
                "{g}"
            );
            assert_eq!(detect(&g), Lang::Ru, "{g}");
            let g = greeting(Lang::En, seed, " ", "", None, 1, "Q?");
            assert!(
                !g.contains("{") && !g.contains(" ,") && g.contains("1 question"),
                "{g}"
            );
        }
    }

    #[test]
    fn russian_counts_agree_with_the_number() {
        let f = |n| question_count(Lang::Ru, n);
        assert_eq!(f(1), "1 вопрос");
        assert_eq!(f(3), "3 вопроса");
        assert_eq!(f(8), "8 вопросов");
        assert_eq!(f(11), "11 вопросов");
        assert_eq!(f(21), "21 вопрос");
    }

    #[test]
    fn every_slot_has_three_variants_in_both_languages() {
        for lang in [Lang::En, Lang::Ru] {
            for kind in [
                ProbeKind::TooShort,
                ProbeKind::Vague,
                ProbeKind::Hypothetical,
                ProbeKind::MissingAction,
                ProbeKind::MissingResult,
            ] {
                let v = follow_up_variants(lang, kind);
                assert!(v.len() >= 3);
                assert!(v.iter().all(|t| detect(t) == lang));
            }
            for intent in [
                Intent::Injection,
                Intent::AsksCriteria,
                Intent::AsksForScore,
                Intent::OffTopic,
                Intent::WantsHuman,
            ] {
                let v = redirect_variants(lang, intent);
                assert!(v.len() >= 3);
                assert!(v.iter().all(|t| detect(t) == lang));
            }
        }
        assert!(GREETING_EN.len() >= 3 && GREETING_RU.len() >= 3);
        assert!(TRANSITION_EN.len() >= 3 && TRANSITION_RU.len() >= 3);
        assert!(CLOSING_EN.len() >= 3 && CLOSING_RU.len() >= 3);
    }

    #[test]
    fn closings_read_well_with_and_without_a_name() {
        for turn in 0..9 {
            for (lang, name) in [
                (Lang::En, "Bob"),
                (Lang::En, ""),
                (Lang::Ru, "Иван"),
                (Lang::Ru, ""),
            ] {
                let c = closing(lang, 3, turn, name, Some("Acme"));
                assert!(
                    !c.contains('{') && !c.contains(",,") && !c.contains(" ,"),
                    "{c}"
                );
                assert!(c.contains("Acme"), "{c}");
                assert!(name.is_empty() || c.contains(name), "{c}");
            }
        }
    }

    #[test]
    fn topic_questions_keep_the_russian_case() {
        let q = topic_question(Lang::Ru, "работе в команде", Some("о"), 0);
        assert!(q.contains("о работе в команде"), "{q}");
        let q = topic_question(Lang::Ru, "опыте руководства", Some("о"), 2);
        assert!(q.starts_with("Расскажите об опыте руководства"), "{q}");
        let q = topic_question(Lang::Ru, "командную работу", None, 1);
        assert!(q.contains("о теме «командную работу»"), "{q}");
        let q = topic_question(Lang::En, "React", None, 4);
        assert!(q.contains("React") && q.ends_with('?'), "{q}");
    }
}
