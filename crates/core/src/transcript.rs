//! Transcripts: who said what, and when. Parsed from `Speaker: text` lines, WebVTT
//! (with `<v Speaker>` voice tags) or SRT; JSON segments deserialise directly.

use serde::{Deserialize, Serialize};

/// Who speaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Speaker {
    Interviewer,
    Candidate,
}

/// One turn or cue.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Segment {
    pub speaker: Speaker,
    pub text: String,
    /// Seconds from the start of the recording.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<f64>,
}

/// A whole interview.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Transcript {
    pub segments: Vec<Segment>,
}

/// Most segments a transcript may have.
pub const MAX_SEGMENTS: usize = 20_000;
/// Most characters one segment may have.
pub const MAX_SEGMENT_CHARS: usize = 50_000;

/// Why a transcript is refused; `path` names the place (`segments[3].start`, `line 12`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TranscriptError {
    pub path: Option<String>,
    pub message: String,
}

impl std::fmt::Display for TranscriptError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.path {
            Some(p) => write!(f, "{p}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for TranscriptError {}

fn err(path: Option<String>, message: impl Into<String>) -> TranscriptError {
    TranscriptError {
        path,
        message: message.into(),
    }
}

impl Transcript {
    /// A transcript of untimed turns.
    pub fn from_turns(turns: &[(Speaker, &str)]) -> Self {
        Self {
            segments: turns
                .iter()
                .map(|(speaker, text)| Segment {
                    speaker: *speaker,
                    text: (*text).to_owned(),
                    start: None,
                    end: None,
                })
                .collect(),
        }
    }

    /// The candidate's segments with their indices.
    pub fn candidate_segments(&self) -> impl Iterator<Item = (usize, &Segment)> {
        self.segments
            .iter()
            .enumerate()
            .filter(|(_, s)| s.speaker == Speaker::Candidate)
    }

    /// Words the candidate spoke.
    pub fn candidate_words(&self) -> usize {
        self.candidate_segments()
            .map(|(_, s)| s.text.split_whitespace().count())
            .sum()
    }

    /// Checks sizes and times; trims texts and drops empty segments.
    pub fn validated(mut self) -> Result<Self, TranscriptError> {
        if self.segments.len() > MAX_SEGMENTS {
            return Err(err(None, format!("at most {MAX_SEGMENTS} segments")));
        }
        for (i, s) in self.segments.iter_mut().enumerate() {
            s.text = s.text.trim().to_owned();
            if s.text.chars().count() > MAX_SEGMENT_CHARS {
                return Err(err(
                    Some(format!("[{i}].text")),
                    format!("at most {MAX_SEGMENT_CHARS} characters per segment"),
                ));
            }
            for (name, t) in [("start", s.start), ("end", s.end)] {
                if t.is_some_and(|t| !t.is_finite() || t < 0.0) {
                    return Err(err(
                        Some(format!("[{i}].{name}")),
                        "times are seconds from the start, 0 or more",
                    ));
                }
            }
            if let (Some(a), Some(b)) = (s.start, s.end)
                && b < a
            {
                return Err(err(Some(format!("[{i}].end")), "end is before start"));
            }
        }
        self.segments.retain(|s| !s.text.is_empty());
        if self.segments.is_empty() {
            return Err(err(None, "the transcript has no text"));
        }
        if !self
            .segments
            .iter()
            .any(|s| s.speaker == Speaker::Candidate)
        {
            return Err(err(None, "the transcript has no candidate speech"));
        }
        Ok(self)
    }
}

/// Labels that name the interviewer (compared lowercased).
const INTERVIEWER_LABELS: &[&str] = &[
    "interviewer",
    "tami",
    "hr",
    "recruiter",
    "q",
    "question",
    "host",
    "hiring manager",
    "интервьюер",
    "рекрутер",
    "hr-менеджер",
    "вопрос",
];
/// Labels that name the candidate.
const CANDIDATE_LABELS: &[&str] = &["candidate", "a", "answer", "applicant", "кандидат", "ответ"];

/// Parses plain text: WebVTT, SRT, or `Speaker: text` lines (a line without a label
/// continues the previous turn).
pub fn parse_text(input: &str) -> Result<Transcript, TranscriptError> {
    let input = input.trim_start_matches('\u{feff}');
    let trimmed = input.trim_start();
    let raw = if trimmed.starts_with("WEBVTT") {
        parse_cues(trimmed, true)?
    } else if looks_like_srt(trimmed) {
        parse_cues(trimmed, false)?
    } else {
        parse_lines(input)?
    };
    Transcript {
        segments: assign_speakers(raw),
    }
    .validated()
}

/// A turn before its label is resolved to a speaker.
struct RawTurn {
    label: Option<String>,
    text: String,
    start: Option<f64>,
    end: Option<f64>,
}

/// `Label: text` where the label is short and has no sentence punctuation.
fn split_label(line: &str) -> Option<(&str, &str)> {
    let (label, text) = line.split_once(':')?;
    let label = label.trim();
    let ok = !label.is_empty()
        && label.chars().count() <= 40
        && label.split_whitespace().count() <= 4
        && !label.contains(['.', '?', '!', ',', '"'])
        && !label.chars().all(|c| c.is_ascii_digit());
    ok.then_some((label, text.trim()))
}

fn parse_lines(input: &str) -> Result<Vec<RawTurn>, TranscriptError> {
    let mut turns: Vec<RawTurn> = Vec::new();
    for (n, line) in input.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        match split_label(line) {
            Some((label, text)) => turns.push(RawTurn {
                label: Some(label.to_owned()),
                text: text.to_owned(),
                start: None,
                end: None,
            }),
            None => match turns.last_mut() {
                Some(t) => {
                    t.text.push(' ');
                    t.text.push_str(line);
                }
                None => {
                    return Err(err(
                        Some(format!("line {}", n + 1)),
                        "expected `Speaker: text` (e.g. `Interviewer: ...`, `Candidate: ...`)",
                    ));
                }
            },
        }
    }
    Ok(turns)
}

fn looks_like_srt(s: &str) -> bool {
    let mut lines = s.lines().map(str::trim).filter(|l| !l.is_empty());
    matches!(
        (lines.next(), lines.next()),
        (Some(first), Some(second)) if first.chars().all(|c| c.is_ascii_digit()) && second.contains("-->")
    )
}

/// `01:02:03.456`, `02:03.456` or SRT's `01:02:03,456` as seconds.
fn parse_timestamp(s: &str) -> Option<f64> {
    let s = s.trim().replace(',', ".");
    let parts: Vec<&str> = s.split(':').collect();
    let (h, m, sec) = match parts.as_slice() {
        [h, m, s] => (
            h.parse::<f64>().ok()?,
            m.parse::<f64>().ok()?,
            s.parse::<f64>().ok()?,
        ),
        [m, s] => (0.0, m.parse::<f64>().ok()?, s.parse::<f64>().ok()?),
        _ => return None,
    };
    let t = h * 3600.0 + m * 60.0 + sec;
    t.is_finite().then_some(t)
}

/// WebVTT or SRT cues: an optional id line, a timing line, then text lines.
fn parse_cues(input: &str, vtt: bool) -> Result<Vec<RawTurn>, TranscriptError> {
    let mut turns = Vec::new();
    let lines: Vec<&str> = input.lines().collect();
    let mut i = if vtt { 1 } else { 0 };
    while i < lines.len() {
        let line = lines[i].trim();
        if line.is_empty()
            || (vtt
                && (line.starts_with("NOTE")
                    || line.starts_with("STYLE")
                    || line.starts_with("REGION")))
        {
            if !line.is_empty() {
                // Skip the whole block.
                while i < lines.len() && !lines[i].trim().is_empty() {
                    i += 1;
                }
            }
            i += 1;
            continue;
        }
        let timing_at = if line.contains("-->") { i } else { i + 1 };
        let Some(timing) = lines
            .get(timing_at)
            .map(|l| l.trim())
            .filter(|l| l.contains("-->"))
        else {
            return Err(err(
                Some(format!("line {}", i + 1)),
                "expected a cue timing line `00:00:01.000 --> 00:00:04.000`",
            ));
        };
        let (a, b) = timing.split_once("-->").unwrap_or((timing, ""));
        let b = b.split_whitespace().next().unwrap_or("");
        let (start, end) = match (parse_timestamp(a), parse_timestamp(b)) {
            (Some(s), Some(e)) => (s, e),
            _ => {
                return Err(err(
                    Some(format!("line {}", timing_at + 1)),
                    "unreadable cue timing",
                ));
            }
        };
        i = timing_at + 1;
        let mut text_lines = Vec::new();
        while i < lines.len() && !lines[i].trim().is_empty() {
            text_lines.push(lines[i].trim());
            i += 1;
        }
        let (label, text) = cue_voice(&text_lines.join(" "));
        turns.push(RawTurn {
            label,
            text,
            start: Some(start),
            end: Some(end),
        });
    }
    Ok(turns)
}

/// The speaker of a cue: a `<v Name>` voice tag, else a `Name:` prefix; tags are stripped.
fn cue_voice(text: &str) -> (Option<String>, String) {
    let mut label = None;
    if let Some(rest) = text.strip_prefix("<v")
        && let Some((tag, _)) = rest.split_once('>')
    {
        // `<v.class Name>`: the name follows the first space.
        let name = tag.split_once(' ').map(|(_, n)| n.trim()).unwrap_or("");
        if !name.is_empty() {
            label = Some(name.to_owned());
        }
    }
    let stripped = strip_tags(text);
    if label.is_none()
        && let Some((l, t)) = split_label(&stripped)
    {
        return (Some(l.to_owned()), t.to_owned());
    }
    (label, stripped)
}

fn strip_tags(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_tag = false;
    for c in text.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Resolves labels: known interviewer and candidate labels; otherwise, with no known
/// interviewer label, whoever speaks first is the interviewer and everyone else the
/// candidate. Unlabelled cues continue the previous speaker (the candidate if none).
fn assign_speakers(turns: Vec<RawTurn>) -> Vec<Segment> {
    let known = |l: &str, set: &[&str]| set.contains(&l.to_lowercase().as_str());
    let any_interviewer = turns
        .iter()
        .filter_map(|t| t.label.as_deref())
        .any(|l| known(l, INTERVIEWER_LABELS));
    let first_label = turns.iter().find_map(|t| t.label.clone());
    let mut previous = Speaker::Candidate;
    turns
        .into_iter()
        .map(|t| {
            let speaker = match t.label.as_deref() {
                Some(l) if known(l, INTERVIEWER_LABELS) => Speaker::Interviewer,
                Some(l) if known(l, CANDIDATE_LABELS) => Speaker::Candidate,
                Some(l) if !any_interviewer && first_label.as_deref() == Some(l) => {
                    Speaker::Interviewer
                }
                Some(_) => Speaker::Candidate,
                None => previous,
            };
            previous = speaker;
            Segment {
                speaker,
                text: t.text,
                start: t.start,
                end: t.end,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use Speaker::*;

    fn speakers(t: &Transcript) -> Vec<Speaker> {
        t.segments.iter().map(|s| s.speaker).collect()
    }

    #[test]
    fn parses_labelled_lines_with_continuations() {
        let t = parse_text(
            "Interviewer: Tell me about a project.\nCandidate: I led the migration.\nIt took three months.\n\nInterviewer: Thanks.",
        )
        .unwrap();
        assert_eq!(speakers(&t), vec![Interviewer, Candidate, Interviewer]);
        assert_eq!(
            t.segments[1].text,
            "I led the migration. It took three months."
        );
        assert_eq!(t.candidate_words(), 8);
    }

    #[test]
    fn unknown_names_make_the_first_speaker_the_interviewer() {
        let t =
            parse_text("Anna Petrova: Hello!\nJohn Smith: Hi, I'm John.\nAnna Petrova: Why us?")
                .unwrap();
        assert_eq!(speakers(&t), vec![Interviewer, Candidate, Interviewer]);
    }

    #[test]
    fn parses_webvtt_with_voice_tags() {
        let vtt = "WEBVTT\n\nNOTE recorded by the ATS\n\n1\n00:00:01.000 --> 00:00:04.500\n<v Interviewer>Why this role?</v>\n\n00:00:05.000 --> 00:00:09.250 align:start\n<v.loud Candidate>I want to lead a team.</v>\n";
        let t = parse_text(vtt).unwrap();
        assert_eq!(speakers(&t), vec![Interviewer, Candidate]);
        assert_eq!(t.segments[1].text, "I want to lead a team.");
        assert_eq!(t.segments[1].start, Some(5.0));
        assert_eq!(t.segments[1].end, Some(9.25));
    }

    #[test]
    fn parses_srt_with_speaker_prefixes() {
        let srt = "1\n00:00:01,000 --> 00:00:03,000\nInterviewer: Hello.\n\n2\n00:01:02,500 --> 00:01:05,000\nCandidate: Hi there,\nthanks for having me.\n";
        let t = parse_text(srt).unwrap();
        assert_eq!(speakers(&t), vec![Interviewer, Candidate]);
        assert_eq!(t.segments[1].start, Some(62.5));
        assert_eq!(t.segments[1].text, "Hi there, thanks for having me.");
    }

    #[test]
    fn refuses_what_is_not_a_transcript() {
        assert!(parse_text("just some words without any speaker").is_err());
        assert!(parse_text("").is_err());
        assert!(parse_text("Interviewer: only questions?").is_err());
        let e = parse_text("WEBVTT\n\n00:00:01.000 --> nonsense\n<v A>x</v>\n").unwrap_err();
        assert_eq!(e.path.as_deref(), Some("line 3"));
    }

    #[test]
    fn validation_checks_times() {
        let t = Transcript {
            segments: vec![Segment {
                speaker: Candidate,
                text: "x".into(),
                start: Some(5.0),
                end: Some(1.0),
            }],
        };
        assert_eq!(t.validated().unwrap_err().path.as_deref(), Some("[0].end"));
    }
}
