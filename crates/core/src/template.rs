//! Question plans. A template is an ordered list of questions, each tagged with the
//! competencies its answers give evidence about.

use serde::{Deserialize, Serialize};

/// A soft skill the analysis scores.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Competency {
    Leadership,
    Communication,
    Empathy,
    Logic,
    Planning,
    StressTolerance,
}

impl Competency {
    pub const ALL: [Competency; 6] = [
        Competency::Leadership,
        Competency::Communication,
        Competency::Empathy,
        Competency::Logic,
        Competency::Planning,
        Competency::StressTolerance,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Competency::Leadership => "leadership",
            Competency::Communication => "communication",
            Competency::Empathy => "empathy",
            Competency::Logic => "logic",
            Competency::Planning => "planning",
            Competency::StressTolerance => "stress_tolerance",
        }
    }
}

/// One question of a plan.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Question {
    /// What Tami asks.
    pub text: String,
    /// The competencies an answer gives evidence about.
    pub competencies: Vec<Competency>,
}

/// A built-in template, shipped with talentd and visible to every organisation.
#[derive(Clone, Debug)]
pub struct BuiltinTemplate {
    pub id: &'static str,
    pub name: &'static str,
    pub description: &'static str,
    pub questions: &'static [(&'static str, &'static [Competency])],
}

impl BuiltinTemplate {
    pub fn questions(&self) -> Vec<Question> {
        self.questions
            .iter()
            .map(|(text, comps)| Question {
                text: (*text).to_owned(),
                competencies: comps.to_vec(),
            })
            .collect()
    }
}

use Competency::*;

/// The templates every organisation can use.
pub const BUILTIN_TEMPLATES: &[BuiltinTemplate] = &[
    BuiltinTemplate {
        id: "tpl_software_engineer",
        name: "Software engineer",
        description: "Collaboration, problem solving and delivery for engineering roles.",
        questions: &[
            (
                "Tell me about a technical problem you solved recently. How did you break it down?",
                &[Logic, Communication],
            ),
            (
                "Describe a time you disagreed with a teammate about a design. What happened?",
                &[Communication, Empathy, Leadership],
            ),
            (
                "How do you plan and estimate a feature that will take several weeks?",
                &[Planning, Logic],
            ),
            (
                "Tell me about a production incident you were part of. What did you do under pressure?",
                &[StressTolerance, Logic],
            ),
            (
                "How have you helped a less experienced colleague grow?",
                &[Leadership, Empathy],
            ),
            (
                "How do you explain a technical trade-off to someone who is not an engineer?",
                &[Communication],
            ),
        ],
    },
    BuiltinTemplate {
        id: "tpl_sales",
        name: "Sales",
        description: "Prospecting, negotiation and resilience for sales roles.",
        questions: &[
            (
                "Walk me through a deal you closed that you are proud of. What was your approach?",
                &[Planning, Communication],
            ),
            (
                "Tell me about a customer who said no. What did you do next?",
                &[StressTolerance, Empathy],
            ),
            (
                "How do you find out what a customer actually needs?",
                &[Empathy, Communication],
            ),
            (
                "How do you organise your pipeline and your week?",
                &[Planning],
            ),
            (
                "Describe a negotiation where you had to find a compromise.",
                &[Logic, Communication, Leadership],
            ),
            (
                "Tell me about a quarter when you missed your target. What did you learn?",
                &[StressTolerance, Leadership],
            ),
        ],
    },
    BuiltinTemplate {
        id: "tpl_customer_support",
        name: "Customer support",
        description: "Empathy, clarity and composure for support roles.",
        questions: &[
            (
                "Tell me about a time you helped a frustrated customer. What did you say and do?",
                &[Empathy, StressTolerance],
            ),
            (
                "How do you explain a complicated fix to a customer who is not technical?",
                &[Communication],
            ),
            (
                "Describe how you handle a queue of many urgent requests at once.",
                &[Planning, StressTolerance],
            ),
            (
                "Tell me about a problem you could not solve yourself. How did you escalate it?",
                &[Logic, Communication],
            ),
            (
                "What have you done to improve a process or a help article for your team?",
                &[Leadership, Planning],
            ),
        ],
    },
    BuiltinTemplate {
        id: "tpl_project_manager",
        name: "Project manager",
        description: "Planning, stakeholder management and leadership for project roles.",
        questions: &[
            (
                "Tell me about a project you led from start to finish. How did you plan it?",
                &[Planning, Leadership],
            ),
            (
                "Describe a time a project went off track. What did you do?",
                &[StressTolerance, Logic, Leadership],
            ),
            (
                "How do you handle a conflict between two stakeholders with different priorities?",
                &[Empathy, Communication],
            ),
            (
                "How do you keep a team informed and motivated over a long project?",
                &[Leadership, Communication],
            ),
            (
                "Tell me about a risk you identified early. How did you manage it?",
                &[Planning, Logic],
            ),
            (
                "Describe a difficult conversation you had with a team member.",
                &[Empathy, Leadership],
            ),
        ],
    },
];

/// Looks up a built-in template by id.
pub fn builtin(id: &str) -> Option<&'static BuiltinTemplate> {
    BUILTIN_TEMPLATES.iter().find(|t| t.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtins_are_well_formed_and_cover_every_competency() {
        assert!(BUILTIN_TEMPLATES.len() >= 4);
        for t in BUILTIN_TEMPLATES {
            assert!(crate::TemplateId::parse(t.id).is_some(), "{}", t.id);
            assert!(t.questions.iter().all(|(_, c)| !c.is_empty()));
            for c in Competency::ALL {
                let covered = BUILTIN_TEMPLATES
                    .iter()
                    .any(|t| t.questions.iter().any(|(_, cs)| cs.contains(&c)));
                assert!(covered, "{c:?}");
            }
        }
    }
}
