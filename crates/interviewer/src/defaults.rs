//! Built-in behavioural questions, two per competency in English and Russian, used when
//! a project's own questions leave a weighted competency uncovered.

use crate::lang::Lang;
use talentd_core::template::Competency::{self, *};

/// One built-in question in both languages.
pub struct DefaultQuestion {
    /// The competency the question is chosen for.
    pub primary: Competency,
    /// Every competency an answer gives evidence about, `primary` first.
    pub competencies: &'static [Competency],
    /// The English wording.
    pub en: &'static str,
    /// The Russian wording.
    pub ru: &'static str,
}

impl DefaultQuestion {
    /// The wording in `lang`.
    pub fn text(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::En => self.en,
            Lang::Ru => self.ru,
        }
    }
}

/// The built-in questions, in order of preference within each competency.
pub const DEFAULT_QUESTIONS: &[DefaultQuestion] = &[
    DefaultQuestion {
        primary: Leadership,
        competencies: &[Leadership],
        en: "Tell me about a time you took the lead on something without being asked. What did you do, and what was the result?",
        ru: "Расскажите о случае, когда вы взяли на себя инициативу, хотя вас об этом не просили. Что вы сделали и к какому результату это привело?",
    },
    DefaultQuestion {
        primary: Leadership,
        competencies: &[Leadership, Empathy],
        en: "Describe a situation where you helped a colleague grow or get unstuck. How did you go about it, and how did it turn out?",
        ru: "Опишите ситуацию, когда вы помогли коллеге вырасти или сдвинуться с мёртвой точки. Как вы действовали и чем всё закончилось?",
    },
    DefaultQuestion {
        primary: Communication,
        competencies: &[Communication],
        en: "Tell me about a time you had to explain something complicated to someone outside your field. How did you approach it, and how did it go?",
        ru: "Расскажите о случае, когда вам нужно было объяснить что-то сложное человеку не из вашей области. Как вы это сделали и что получилось?",
    },
    DefaultQuestion {
        primary: Communication,
        competencies: &[Communication, Empathy],
        en: "Describe a disagreement with a colleague about how to do something. What did you say and do, and how was it resolved?",
        ru: "Опишите разногласие с коллегой о том, как что-то сделать. Что вы говорили и делали, и чем всё разрешилось?",
    },
    DefaultQuestion {
        primary: Empathy,
        competencies: &[Empathy],
        en: "Tell me about a time you noticed a colleague or a customer was struggling. What did you do, and what changed?",
        ru: "Расскажите о случае, когда вы заметили, что коллеге или клиенту тяжело. Что вы сделали и что изменилось?",
    },
    DefaultQuestion {
        primary: Empathy,
        competencies: &[Empathy, Communication],
        en: "Describe a situation where you had to give someone unwelcome news. How did you handle it, and how did they react?",
        ru: "Опишите ситуацию, когда вам пришлось сообщить человеку неприятную новость. Как вы это сделали и как он отреагировал?",
    },
    DefaultQuestion {
        primary: Logic,
        competencies: &[Logic],
        en: "Tell me about a difficult problem you solved recently. How did you break it down, and what was the outcome?",
        ru: "Расскажите о сложной задаче, которую вы недавно решили. Как вы её разбирали и каким был результат?",
    },
    DefaultQuestion {
        primary: Logic,
        competencies: &[Logic, Planning],
        en: "Describe a decision you had to make with incomplete information. How did you weigh the options, and how did it turn out?",
        ru: "Опишите решение, которое вам пришлось принять при неполной информации. Как вы взвешивали варианты и чем всё закончилось?",
    },
    DefaultQuestion {
        primary: Planning,
        competencies: &[Planning],
        en: "Tell me about a piece of work with a tight deadline. How did you plan and prioritise it, and did you make it?",
        ru: "Расскажите о работе с жёстким сроком. Как вы её планировали и расставляли приоритеты, и успели ли вы?",
    },
    DefaultQuestion {
        primary: Planning,
        competencies: &[Planning, Logic],
        en: "Describe a time you had several competing priorities at once. How did you decide what to do first, and what was the result?",
        ru: "Опишите случай, когда у вас было сразу несколько конкурирующих задач. Как вы решили, что делать в первую очередь, и каков был результат?",
    },
    DefaultQuestion {
        primary: StressTolerance,
        competencies: &[StressTolerance],
        en: "Tell me about a time something went wrong under pressure, such as an outage or an urgent escalation. What did you do in the moment, and how did it end?",
        ru: "Расскажите о случае, когда что-то пошло не так в напряжённый момент, например авария или срочная эскалация. Что вы делали и чем всё закончилось?",
    },
    DefaultQuestion {
        primary: StressTolerance,
        competencies: &[StressTolerance, Leadership],
        en: "Describe a setback or failure at work that affected you. How did you respond, and what did you take from it?",
        ru: "Опишите неудачу или серьёзную помеху в работе, которая вас задела. Как вы на неё отреагировали и какие выводы сделали?",
    },
];

/// The built-in questions chosen for `c`, in order of preference.
pub fn for_competency(c: Competency) -> impl Iterator<Item = &'static DefaultQuestion> {
    DEFAULT_QUESTIONS.iter().filter(move |q| q.primary == c)
}

/// The built-in question whose wording (in either language) is `text`.
pub fn find(text: &str) -> Option<&'static DefaultQuestion> {
    DEFAULT_QUESTIONS
        .iter()
        .find(|q| q.en == text || q.ru == text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_competency_has_two_questions_in_both_languages() {
        for c in Competency::ALL {
            let qs: Vec<_> = for_competency(c).collect();
            assert_eq!(qs.len(), 2, "{c:?}");
            for q in qs {
                assert_eq!(q.competencies[0], c);
                assert_eq!(crate::lang::detect(q.en), Lang::En);
                assert_eq!(crate::lang::detect(q.ru), Lang::Ru);
                assert!(q.en.ends_with('?') && q.ru.ends_with('?'));
                assert!(std::ptr::eq(find(q.ru).unwrap(), q));
            }
        }
    }
}
