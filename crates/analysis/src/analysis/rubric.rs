//! The behaviourally anchored rubric: for each competency, plain-language descriptions
//! of behaviour at the high and at the low end. The candidate's sentences are matched
//! against them with the embedding model.
//!
//! Anchors describe behaviour, never traits, and are all written in the affirmative
//! (the low ones too: "avoided making decisions", not "did not decide"), because a
//! negated sentence is embedded in its affirmative form and then counted the other way.

use talentd_core::template::Competency;

/// The rubric's version, recorded with every analysis. Change it whenever an anchor,
/// a feature or a constant of the scoring changes.
pub const RUBRIC_VERSION: &str = "rubric-2026.11.1";

/// The anchors of one competency.
#[derive(Clone, Copy, Debug)]
pub struct Anchors {
    pub competency: Competency,
    /// Behaviour of a strong candidate, as "did X" phrases.
    pub high: &'static [&'static str],
    /// Behaviour of a weak candidate.
    pub low: &'static [&'static str],
    /// The strength phrase for the report.
    pub strength: &'static str,
    /// The development area phrase for the report.
    pub gap: &'static str,
}

/// The rubric, one entry per competency in `Competency::ALL` order.
pub const RUBRIC: [Anchors; 6] = [
    Anchors {
        competency: Competency::Leadership,
        high: &[
            "took ownership and organised others toward a goal",
            "made the decision and took responsibility for the outcome",
            "set a clear direction and assigned tasks to the team",
            "stepped up to lead when the others hesitated",
            "motivated the team and coached a struggling colleague",
            "delegated work and followed up with each person",
            "proposed a change and convinced the others to try it",
            "brought the team together and agreed who would do what",
        ],
        low: &[
            "waited to be told what to do",
            "avoided making decisions and left them to others",
            "let someone else take charge",
            "followed instructions without taking initiative",
            "stayed out of it when the team had a problem",
            "blamed others when things went wrong",
            "kept my ideas to myself and went along with what others decided",
            "did only my own tasks and left the coordination to others",
        ],
        strength: "Takes ownership and organises others",
        gap: "Little evidence of taking the lead",
    },
    Anchors {
        competency: Competency::Communication,
        high: &[
            "explained a complex idea clearly so everyone understood",
            "adapted the message to the audience, such as non-technical people",
            "wrote clear documentation and shared regular updates",
            "presented the results to stakeholders and answered their questions",
            "summarised the decisions in writing so everyone was aligned",
            "asked clarifying questions to avoid misunderstandings",
            "kept everyone informed about changes as soon as they happened",
            "checked that the other person understood by asking them to repeat it back",
        ],
        low: &[
            "used jargon that confused everyone",
            "kept information to myself instead of sharing updates",
            "misunderstood what was asked and went in the wrong direction",
            "rambled on without getting to the main message",
            "sent confusing messages that people misread",
            "avoided talking to people about problems",
            "left people to find out about changes on their own",
            "gave everyone all the details at once and expected them to work it out",
        ],
        strength: "Explains clearly with concrete examples",
        gap: "Answers were vague or hard to follow",
    },
    Anchors {
        competency: Competency::Empathy,
        high: &[
            "listened carefully to understand how the other person felt",
            "noticed a colleague was struggling and offered help",
            "put myself in the customer's shoes to understand their problem",
            "acknowledged someone's frustration before solving the problem",
            "adjusted my approach to what the other person needed",
            "gave difficult feedback kindly and in private",
            "asked how they were doing and what was behind the change",
            "stayed kind and calm with an upset person and reassured them",
        ],
        low: &[
            "ignored how others felt and focused only on the task",
            "dismissed a colleague's concerns as their own problem",
            "interrupted people and insisted on my own view",
            "criticised a colleague in front of everyone",
            "got annoyed with a customer who kept asking questions",
            "thought people who complain are wasting my time",
            "told an upset person to calm down and stop complaining",
            "applied the rules strictly without asking what was going on",
        ],
        strength: "Listens and considers others' needs",
        gap: "Little attention to how others feel",
    },
    Anchors {
        competency: Competency::Logic,
        high: &[
            "broke the problem into parts and analysed each one",
            "found the root cause by testing hypotheses one by one",
            "compared the options by their costs and trade-offs before choosing",
            "used data to check my assumptions",
            "reasoned step by step from the evidence to a conclusion",
            "ruled out possible causes systematically until one remained",
            "looked at the records over time and noticed the pattern behind the problem",
            "reproduced the problem to confirm what caused it",
        ],
        low: &[
            "guessed at a fix without understanding the cause",
            "tried random things until something worked",
            "went with my gut feeling and ignored the data",
            "jumped to conclusions",
            "got confused by the problem and gave up on understanding it",
            "copied a solution without knowing why it worked",
            "assumed what the cause was and skipped checking",
            "blamed the problem on people without looking at the facts",
        ],
        strength: "Analyses problems systematically and finds root causes",
        gap: "Reasoning was not shown step by step",
    },
    Anchors {
        competency: Competency::Planning,
        high: &[
            "planned the work in milestones with deadlines",
            "prioritised the tasks by impact and urgency",
            "estimated the effort and built in a buffer for risks",
            "tracked progress every week against the plan and adjusted it",
            "prepared a schedule and checked the dependencies in advance",
            "organised my week ahead with a task list and a calendar",
            "kept a written list of tasks and due dates and checked it regularly",
            "flagged early that the work was too much and agreed what to move",
        ],
        low: &[
            "started without a plan and figured it out as I went",
            "missed deadlines because I left things to the last minute",
            "forgot tasks and lost track of what was due",
            "worked on whatever came up first",
            "underestimated the work and ran out of time",
            "let the schedule slip without telling anyone",
            "kept everything in my head and hoped for the best",
            "rushed to finish at the end because I started late",
        ],
        strength: "Plans ahead and tracks work to deadlines",
        gap: "Little evidence of planning ahead",
    },
    Anchors {
        competency: Competency::StressTolerance,
        high: &[
            "stayed calm under pressure and focused on the next step",
            "handled a crisis by dealing with the most important thing first",
            "recovered quickly from a setback and kept going",
            "took criticism calmly and learned from it",
            "kept working steadily through a tight deadline",
            "managed stress with breaks, exercise or talking it through",
            "kept a clear head in an emergency and did what needed doing",
            "kept my temper and stayed polite even when people were shouting",
        ],
        low: &[
            "panicked when things went wrong",
            "felt overwhelmed and froze under pressure",
            "got angry and snapped at people when stressed",
            "gave up when it got hard",
            "took criticism personally and was upset for days",
            "called in sick to escape a stressful deadline",
            "fell apart and lost sleep during a busy period",
            "walked away from the problem and left it to others",
        ],
        strength: "Stays calm and effective under pressure",
        gap: "Pressure seems to affect the work",
    },
];

/// The text the model embeds for an anchor: a first-person sentence, as candidates
/// speak ("I took ownership …").
pub fn anchor_sentence(anchor: &str) -> String {
    format!("I {anchor}.")
}

/// The rubric entry of a competency.
pub fn anchors(competency: Competency) -> &'static Anchors {
    let i = Competency::ALL
        .iter()
        .position(|c| *c == competency)
        .unwrap_or(0);
    &RUBRIC[i]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rubric_follows_competency_order_and_is_affirmative() {
        for (entry, c) in RUBRIC.iter().zip(Competency::ALL) {
            assert_eq!(entry.competency, c);
            assert!(entry.high.len() >= 5 && entry.low.len() >= 5);
            for a in entry.high.iter().chain(entry.low) {
                let f = super::super::features::features(&anchor_sentence(a));
                assert!(!f.negated, "anchor {a:?} must be affirmative");
            }
        }
    }
}
