//! What every transcript parser must hold to, whatever its input: a result, never a
//! panic; an accepted transcript already validated; a refusal that says why.

use talentd_core::transcript::{
    MAX_SEGMENT_CHARS, MAX_SEGMENTS, Segment, Speaker, Transcript, TranscriptError,
};

/// Panics (a fuzzer finding) when a parser's result breaks the transcript's invariants.
pub fn check(result: Result<Transcript, TranscriptError>) {
    match result {
        Ok(t) => {
            assert!(!t.segments.is_empty(), "accepted an empty transcript");
            assert!(t.segments.len() <= MAX_SEGMENTS, "too many segments");
            assert!(
                t.segments.iter().any(|s| s.speaker == Speaker::Candidate),
                "accepted a transcript without candidate speech"
            );
            for s in &t.segments {
                assert!(!s.text.is_empty(), "empty segment kept");
                assert_eq!(s.text, s.text.trim(), "segment text not trimmed");
                assert!(
                    s.text.chars().count() <= MAX_SEGMENT_CHARS,
                    "segment too long"
                );
                for t in [s.start, s.end].into_iter().flatten() {
                    assert!(t.is_finite() && t >= 0.0, "bad time {t}");
                }
                if let (Some(a), Some(b)) = (s.start, s.end) {
                    assert!(a <= b, "end {b} before start {a}");
                }
            }
            // Validation is idempotent: a parsed transcript passes it unchanged.
            assert_eq!(t.clone().validated().as_ref(), Ok(&t));
            // Accepted transcripts are stored as JSON and read back.
            let json = serde_json::to_vec(&t.segments).expect("segments serialise");
            let back: Vec<Segment> = serde_json::from_slice(&json).expect("segments read back");
            assert_eq!(back.len(), t.segments.len());
        }
        Err(e) => {
            assert!(!e.message.is_empty(), "refusal without a reason");
            let _ = e.to_string();
        }
    }
}

/// The JSON upload path: `[...]` or `{"segments": [...]}` into segments, then validated.
pub fn parse_json(bytes: &[u8]) -> Option<Result<Transcript, TranscriptError>> {
    let value: serde_json::Value = serde_json::from_slice(bytes).ok()?;
    let segments = match value {
        serde_json::Value::Object(mut o) if o.contains_key("segments") => {
            o.remove("segments").unwrap_or_default()
        }
        v => v,
    };
    let segments: Vec<Segment> = serde_json::from_value(segments).ok()?;
    Some(Transcript { segments }.validated())
}
