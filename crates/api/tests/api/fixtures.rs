//! Transcripts used by the tests.

use serde_json::{Value, json};

fn seg(speaker: &str, text: &str, start: f64, end: f64) -> Value {
    json!({"speaker": speaker, "text": text, "start": start, "end": end})
}

/// A candidate who describes concrete behaviour with ownership and results.
pub fn strong() -> Value {
    json!([
        seg("interviewer", "Tell me about a project you led.", 0.0, 4.0),
        seg(
            "candidate",
            "Last year I led the migration of our billing system to a new platform. I organised a team of five engineers, split the work into two-week milestones and set up a weekly review with finance. When two people disagreed about the data model, I brought them together, listened to both and we agreed on a design within a day. We shipped a month early and cut invoice errors by forty percent.",
            4.5,
            38.0
        ),
        seg("interviewer", "How do you handle pressure?", 39.0, 42.0),
        seg(
            "candidate",
            "During a production outage I stayed calm, wrote down what we knew, assigned one person to customer updates and focused on the logs myself. We restored service in forty minutes and I wrote the post-mortem the next morning so the team could learn from it.",
            42.5,
            70.0
        ),
        seg(
            "interviewer",
            "How do you explain technical ideas?",
            71.0,
            74.0
        ),
        seg(
            "candidate",
            "I start from what the listener needs to decide, use a concrete example and check that they understood by asking them to restate the trade-off. I also noticed when a junior colleague felt lost, so I paired with her every morning for two weeks until she was confident.",
            74.5,
            100.0
        ),
        seg("interviewer", "What are your expectations?", 101.0, 103.0),
        seg(
            "candidate",
            "My notice period is three months, and I expect a salary well above the range you posted, around twice the top of it.",
            103.5,
            112.0
        ),
    ])
}

/// Answers too short to judge.
pub fn tiny() -> Value {
    json!([
        seg("interviewer", "Tell me about a project you led.", 0.0, 4.0),
        seg("candidate", "Yes.", 4.5, 5.0),
        seg("interviewer", "How do you handle pressure?", 6.0, 8.0),
        seg("candidate", "Fine.", 8.5, 9.0),
        seg("interviewer", "Anything else?", 10.0, 11.0),
        seg("candidate", "No.", 11.5, 12.0),
    ])
}

/// The same interview as text lines.
pub fn strong_text() -> String {
    strong()
        .as_array()
        .map(|a| {
            a.iter()
                .map(|s| {
                    let who = if s["speaker"] == "candidate" {
                        "Candidate"
                    } else {
                        "Interviewer"
                    };
                    format!("{who}: {}", s["text"].as_str().unwrap_or_default())
                })
                .collect::<Vec<_>>()
                .join("\n")
        })
        .unwrap_or_default()
}

/// A passive candidate who describes waiting for instructions.
pub fn weak() -> Value {
    json!([
        seg("interviewer", "Tell me about a project you led.", 0.0, 4.0),
        seg(
            "candidate",
            "I did not really lead anything. My manager organised everything and told me what to do, and I waited for instructions. I did not want to make decisions because someone else usually handled that. I guess it went okay, maybe.",
            4.5,
            30.0
        ),
        seg("interviewer", "How do you handle pressure?", 31.0, 33.0),
        seg(
            "candidate",
            "When things get stressful I usually panic a bit and wait until it passes. I am not sure what I would do differently, it depends, I guess someone else fixes it.",
            33.5,
            50.0
        ),
        seg(
            "interviewer",
            "How do you explain technical ideas?",
            51.0,
            53.0
        ),
        seg(
            "candidate",
            "I don't really explain things to people, I just send them the documentation and they can figure it out themselves if they want to.",
            53.5,
            66.0
        ),
    ])
}
