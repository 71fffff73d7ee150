//! Who said each timed span of a transcript: the interviewer or the candidate.
//!
//! Three sources of evidence, strongest first:
//!
//! 1. **Channels** (two-channel recordings): call recorders put each side on its own
//!    channel, so a span belongs to the channel that is louder (RMS) over it. Which
//!    channel is the candidate's comes from the client when it says so
//!    (`candidate_channel`); otherwise the channel with more talk time is the
//!    candidate's (in an interview the candidate talks more), and when the talk times
//!    are within 10 % of each other the channel with more question-like spans is the
//!    interviewer's. A "stereo" file whose channels carry the same signal (median level
//!    difference under 3 dB) says nothing about speakers and is treated as one channel.
//! 2. **Voices** (one channel): no speaker-embedding model ships with talentd, so
//!    each span is described by classic acoustic voice features (see `voice`:
//!    cepstral means and spreads plus median pitch over voiced frames), the features
//!    are standardised, and the spans are split into two voices by k-means (k = 2,
//!    initialised deterministically by the sign of the first principal component, so
//!    the same input gives the same output). Only spans with at least 0.64 s of voicing
//!    shape the clusters (a one-word span has a noisy voice); shorter ones join the
//!    nearer voice, and spans with no usable voice follow the turn-taking rule below.
//!    The split is used only when it is clear: at least 4 such spans, a mean
//!    silhouette of at least 0.21 and the smaller voice at least 10 % of the spans.
//!    (Measured on espeak-ng voices: one voice split in two scores 0.11–0.17, two
//!    distinct voices 0.25–0.56.) The interviewer is the voice whose spans are more
//!    question-like, shorter, and that talks less overall.
//! 3. **Turn-taking**, when neither of the above can decide: question-like spans are the
//!    interviewer's, the spans after a question until the next question are the
//!    candidate's answer; before the first question (greetings) and when no span is
//!    question-like at all, the spans alternate, starting with the interviewer
//!    (interviews open with the interviewer).
//!
//! When the client knows who spoke when, [`attribute_given`] uses that instead.
//!
//! `confidence` is a heuristic in [0, 1] that orders the methods and the clarity of
//! their evidence; it is not a calibrated probability.
//!
//! Limits: a span in which both people speak (a transcript segment across a turn) gets
//! one side; two voices of the same pitch through the same microphone may not split
//! and then fall back to turn-taking; more than two speakers are forced into two.

use crate::decode::Audio;
use crate::voice::{FEATURES, PITCH, Voice, VoiceAnalyzer};

/// A timed piece of transcript, as speech-to-text yields it. Times in seconds.
#[derive(Debug, Clone, PartialEq)]
pub struct Span {
    /// Start, in seconds from the start of the recording.
    pub start: f64,
    /// End, in seconds from the start of the recording.
    pub end: f64,
    /// What was said.
    pub text: String,
}

/// One side of the interview.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Side {
    /// The person asking the questions.
    Interviewer,
    /// The person being interviewed.
    Candidate,
}

impl Side {
    /// The other side.
    pub fn other(self) -> Side {
        match self {
            Side::Interviewer => Side::Candidate,
            Side::Candidate => Side::Interviewer,
        }
    }
}

/// How the sides were decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    /// By the louder channel of a two-channel recording.
    Channels,
    /// By clustering the spans into two voices.
    Voices,
    /// By the order of questions and answers alone.
    TurnTaking,
    /// From time ranges the client supplied.
    Given,
}

/// The side of every span, in span order, and how it was decided.
#[derive(Debug, Clone, PartialEq)]
pub struct Attribution {
    /// One side per span, in the order of the spans.
    pub sides: Vec<Side>,
    /// The evidence used.
    pub method: Method,
    /// A heuristic in [0, 1]: how clear the evidence was (not a calibrated probability).
    pub confidence: f32,
}

/// The voice split is used only when its mean silhouette reaches this.
const MIN_SILHOUETTE: f32 = 0.21;
/// The voice split is used only when the smaller voice has at least this share of spans.
const MIN_VOICE_SHARE: f32 = 0.1;
/// Spans with at least this many voiced frames (about 0.64 s of voicing) shape the
/// voice clusters; shorter ones only join the nearer voice.
const RELIABLE_VOICED_FRAMES: usize = 40;
/// Fewer spans with a reliable voice than this: too few to cluster.
const MIN_SPANS_TO_CLUSTER: usize = 4;
/// Channels whose median level difference over the spans is below this are the same
/// signal twice.
const SAME_SIGNAL_DB: f64 = 3.0;
/// Pitch separates voices best; it weighs as much as this many other features.
const PITCH_WEIGHT: f32 = 4.0;

/// Decides who said each span, from the audio and the text.
///
/// `candidate_channel` (0 or 1) names the candidate's channel of a two-channel
/// recording when the client knows it; other values, and any value for a
/// one-channel recording, are ignored.
pub fn attribute(audio: &Audio, spans: &[Span], candidate_channel: Option<usize>) -> Attribution {
    if spans.is_empty() {
        return Attribution {
            sides: Vec::new(),
            method: if audio.is_stereo() {
                Method::Channels
            } else {
                Method::TurnTaking
            },
            confidence: 0.0,
        };
    }
    if audio.is_stereo()
        && let Some(att) = by_channels(audio, spans, candidate_channel.filter(|c| *c < 2))
    {
        return att;
    }
    let mono = audio.mono();
    by_voices(&mono, audio.sample_rate, spans).unwrap_or_else(|| turn_taking(spans))
}

/// Sides from the interviewer's time ranges (seconds, as the client gives them): a span
/// is the interviewer's when more than half of it lies inside those ranges; a span
/// of no length is the interviewer's when its instant does.
pub fn attribute_given(spans: &[Span], interviewer: &[(f64, f64)]) -> Attribution {
    let ranges = merge_ranges(interviewer);
    let mut decisiveness = 0.0f64;
    let sides: Vec<Side> = spans
        .iter()
        .map(|span| {
            let (start, end) = span_bounds(span);
            let len = end - start;
            let share = if len > 0.0 {
                ranges
                    .iter()
                    .map(|&(a, b)| (b.min(end) - a.max(start)).max(0.0))
                    .sum::<f64>()
                    / len
            } else if ranges.iter().any(|&(a, b)| a <= start && start <= b) {
                1.0
            } else {
                0.0
            };
            decisiveness += share.max(1.0 - share);
            if share > 0.5 {
                Side::Interviewer
            } else {
                Side::Candidate
            }
        })
        .collect();
    let confidence = if spans.is_empty() {
        0.0
    } else {
        (decisiveness / spans.len() as f64) as f32
    };
    Attribution {
        sides,
        method: Method::Given,
        confidence,
    }
}

/// Sides from the order of questions and answers alone (see the module notes).
pub fn turn_taking(spans: &[Span]) -> Attribution {
    let questions: Vec<bool> = spans.iter().map(|s| is_question_like(&s.text)).collect();
    let any_question = questions.iter().any(|q| *q);
    let mut sides = Vec::with_capacity(spans.len());
    let mut prev: Option<Side> = None;
    let mut asked = false;
    for &question in &questions {
        let side = match (question, prev) {
            (true, _) | (false, None) => Side::Interviewer,
            // After a question, everything is the answer until the next question.
            (false, Some(_)) if asked => Side::Candidate,
            // Before the first question (greetings), the speakers alternate.
            (false, Some(p)) => p.other(),
        };
        asked |= question;
        sides.push(side);
        prev = Some(side);
    }
    Attribution {
        sides,
        method: Method::TurnTaking,
        confidence: if any_question { 0.4 } else { 0.2 },
    }
}

/// Whether a span reads as a question or a prompt: it ends with a question mark, or its
/// first or last sentence opens with a question word or prompt (English and Russian),
/// after fillers such as "so" or "ну".
pub fn is_question_like(text: &str) -> bool {
    let trimmed = text.trim();
    if trimmed.ends_with('?') || trimmed.ends_with('？') {
        return true;
    }
    let sentences: Vec<&str> = trimmed
        .split(['.', '!', '?', ';', '…'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    match (sentences.first(), sentences.last()) {
        (Some(first), Some(last)) => opens_with_question(first) || opens_with_question(last),
        _ => false,
    }
}

const FILLERS: &[&str] = &[
    "so",
    "and",
    "now",
    "okay",
    "ok",
    "well",
    "alright",
    "right",
    "then",
    "great",
    "good",
    "thanks",
    "а",
    "и",
    "так",
    "ну",
    "хорошо",
    "теперь",
    "отлично",
    "спасибо",
    "ладно",
];

const QUESTION_OPENERS: &[&str] = &[
    "what",
    "how",
    "why",
    "when",
    "where",
    "which",
    "who",
    "whom",
    "whose",
    "tell me",
    "could you",
    "can you",
    "would you",
    "will you",
    "describe",
    "explain",
    "walk me through",
    "give me an example",
    "do you",
    "did you",
    "have you",
    "are you",
    "were you",
    "is there",
    "is it",
    "что",
    "чем",
    "как",
    "какой",
    "какая",
    "какое",
    "какие",
    "каким",
    "какую",
    "каких",
    "почему",
    "зачем",
    "когда",
    "где",
    "куда",
    "кто",
    "сколько",
    "расскажите",
    "расскажи",
    "опишите",
    "опиши",
    "объясните",
    "объясни",
    "приведите",
    "назовите",
    "можете",
    "могли бы",
    "были ли",
    "есть ли",
    "был ли",
    "была ли",
];

fn opens_with_question(sentence: &str) -> bool {
    let words: Vec<String> = sentence
        .split(|c: char| c.is_whitespace() || c == ',' || c == ':' || c == '-' || c == '—')
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric() && c != '\'')
                .to_lowercase()
        })
        .filter(|w| !w.is_empty())
        .collect();
    let start = words
        .iter()
        .position(|w| !FILLERS.contains(&w.as_str()))
        .unwrap_or(words.len());
    let rest = &words[start..];
    QUESTION_OPENERS.iter().any(|opener| {
        let parts: Vec<&str> = opener.split(' ').collect();
        parts.len() <= rest.len()
            && parts
                .iter()
                .zip(rest)
                .all(|(p, w)| *p == w.as_str() || (parts.len() == 1 && is_contraction(w, p)))
    })
}

/// "what's", "how's", "who'd": a question word with a clitic.
fn is_contraction(word: &str, opener: &str) -> bool {
    word.strip_prefix(opener)
        .is_some_and(|rest| rest.starts_with('\''))
}

/// Start and end of a span as usable numbers (NaN as 0, end never before start).
fn span_bounds(span: &Span) -> (f64, f64) {
    let clean = |v: f64| if v.is_finite() { v.max(0.0) } else { 0.0 };
    let start = clean(span.start);
    (start, clean(span.end).max(start))
}

/// Sorted, non-overlapping ranges, so overlap is never counted twice.
fn merge_ranges(ranges: &[(f64, f64)]) -> Vec<(f64, f64)> {
    let mut sorted: Vec<(f64, f64)> = ranges
        .iter()
        .filter(|(a, b)| a.is_finite() && b.is_finite() && b >= a)
        .copied()
        .collect();
    sorted.sort_by(|x, y| x.0.total_cmp(&y.0));
    let mut merged: Vec<(f64, f64)> = Vec::with_capacity(sorted.len());
    for (a, b) in sorted {
        match merged.last_mut() {
            Some(last) if a <= last.1 => last.1 = last.1.max(b),
            _ => merged.push((a, b)),
        }
    }
    merged
}

fn sample_range(span: &Span, rate: u32, len: usize) -> std::ops::Range<usize> {
    let (start, end) = span_bounds(span);
    let at = |t: f64| ((t * f64::from(rate)).round() as usize).min(len);
    at(start)..at(end)
}

fn mean_square(x: &[f32]) -> f64 {
    if x.is_empty() {
        return 0.0;
    }
    x.iter().map(|v| f64::from(*v) * f64::from(*v)).sum::<f64>() / x.len() as f64
}

/// Channel attribution, or `None` when the two channels carry the same signal.
fn by_channels(audio: &Audio, spans: &[Span], given: Option<usize>) -> Option<Attribution> {
    let (left, right) = (&audio.channels[0], &audio.channels[1]);
    let len = left.len().min(right.len());
    let energies: Vec<(f64, f64)> = spans
        .iter()
        .map(|s| {
            let r = sample_range(s, audio.sample_rate, len);
            (mean_square(&left[r.clone()]), mean_square(&right[r]))
        })
        .collect();
    let mut level_gaps: Vec<f64> = energies
        .iter()
        .filter(|(a, b)| a + b > 0.0)
        .map(|(a, b)| (10.0 * ((a + 1e-12) / (b + 1e-12)).log10()).abs())
        .collect();
    if level_gaps.is_empty() {
        return None;
    }
    level_gaps.sort_by(f64::total_cmp);
    if level_gaps[level_gaps.len() / 2] < SAME_SIGNAL_DB {
        return None;
    }
    let louder: Vec<usize> = energies.iter().map(|(a, b)| usize::from(b > a)).collect();
    let dominance = energies
        .iter()
        .map(|(a, b)| {
            if a + b > 0.0 {
                (a - b).abs() / (a + b)
            } else {
                0.0
            }
        })
        .sum::<f64>()
        / spans.len() as f64;

    let (candidate, naming) = match given {
        Some(c) => (c, 1.0),
        None => {
            let mut talk = [0.0f64; 2];
            let mut questions = [0usize; 2];
            let mut count = [0usize; 2];
            for (span, &ch) in spans.iter().zip(&louder) {
                let (s, e) = span_bounds(span);
                talk[ch] += e - s;
                count[ch] += 1;
                questions[ch] += usize::from(is_question_like(&span.text));
            }
            let total = talk[0] + talk[1];
            let talk_gap = if total > 0.0 {
                (talk[1] - talk[0]) / total
            } else {
                0.0
            };
            let share = |c: usize| {
                if count[c] == 0 {
                    0.0
                } else {
                    questions[c] as f64 / count[c] as f64
                }
            };
            if talk_gap.abs() >= 0.1 || share(0) == share(1) {
                (usize::from(talk_gap > 0.0), (talk_gap.abs() * 2.0).min(1.0))
            } else {
                // Talk times are close: the channel asking more questions interviews.
                let interviewer = usize::from(share(1) > share(0));
                (1 - interviewer, (share(0) - share(1)).abs().min(1.0))
            }
        }
    };
    let sides = louder
        .iter()
        .map(|&ch| {
            if ch == candidate {
                Side::Candidate
            } else {
                Side::Interviewer
            }
        })
        .collect();
    Some(Attribution {
        sides,
        method: Method::Channels,
        confidence: (dominance * (0.6 + 0.4 * naming)) as f32,
    })
}

/// Voice attribution, or `None` when the spans do not split clearly into two voices.
fn by_voices(mono: &[f32], rate: u32, spans: &[Span]) -> Option<Attribution> {
    let mut analyzer = VoiceAnalyzer::new();
    let voices: Vec<Option<Voice>> = spans
        .iter()
        .map(|s| analyzer.features(&mono[sample_range(s, rate, mono.len())]))
        .collect();
    // Only spans with enough voicing shape the clusters: a one-word span has a noisy
    // voice and would pull a cluster of its own.
    let reliable: Vec<usize> = (0..spans.len())
        .filter(|&i| voices[i].is_some_and(|v| v.voiced_frames >= RELIABLE_VOICED_FRAMES))
        .collect();
    if reliable.len() < MIN_SPANS_TO_CLUSTER {
        return None;
    }
    let scale = Scale::fit(
        &reliable
            .iter()
            .filter_map(|&i| voices[i].map(|v| v.values))
            .collect::<Vec<_>>(),
    );
    let points: Vec<[f32; FEATURES]> = reliable
        .iter()
        .filter_map(|&i| voices[i].map(|v| scale.apply(&v.values)))
        .collect();
    let labels = two_means(&points);
    let silhouette = mean_silhouette(&points, &labels);
    let ones = labels.iter().filter(|l| **l).count();
    let smaller = ones.min(labels.len() - ones);
    if silhouette < MIN_SILHOUETTE || (smaller as f32) < MIN_VOICE_SHARE * points.len() as f32 {
        return None;
    }
    let centres = centroids(&points, &labels);

    // Every span with a voice joins the nearer voice.
    let mut voice_of: Vec<Option<bool>> = vec![None; spans.len()];
    for (&i, &label) in reliable.iter().zip(&labels) {
        voice_of[i] = Some(label);
    }
    for (i, voice) in voices.iter().enumerate() {
        if let (None, Some(v)) = (voice_of[i], voice) {
            let p = scale.apply(&v.values);
            voice_of[i] = Some(distance(&p, &centres[1]) < distance(&p, &centres[0]));
        }
    }

    // Name the voices: the interviewer asks, speaks in shorter spans and talks less.
    let mut stats = [VoiceStats::default(); 2];
    for (span, label) in spans.iter().zip(&voice_of) {
        if let Some(label) = label {
            let (s, e) = span_bounds(span);
            let st = &mut stats[usize::from(*label)];
            st.spans += 1;
            st.talk += e - s;
            st.questions += usize::from(is_question_like(&span.text));
        }
    }
    let rel = |a: f64, b: f64| if a + b > 0.0 { (a - b) / (a + b) } else { 0.0 };
    // Positive: voice 0 (label `false`) is the interviewer.
    let score = (stats[0].question_share() - stats[1].question_share())
        + 0.25 * rel(stats[1].mean_span(), stats[0].mean_span())
        + 0.25 * rel(stats[1].talk, stats[0].talk);
    let interviewer_label = score <= 0.0;

    // Spans too short or too quiet to carry a voice: a question is the interviewer's,
    // anything else answers whoever spoke before it.
    let mut prev: Option<Side> = None;
    let sides: Vec<Side> = voice_of
        .iter()
        .zip(spans)
        .map(|(label, span)| {
            let side = match label {
                Some(l) if *l == interviewer_label => Side::Interviewer,
                Some(_) => Side::Candidate,
                None if is_question_like(&span.text) => Side::Interviewer,
                None => prev.map_or(Side::Interviewer, Side::other),
            };
            prev = Some(side);
            side
        })
        .collect();
    let clarity = (silhouette / 0.5).min(1.0);
    let naming = (score.abs() as f32).min(1.0);
    Some(Attribution {
        sides,
        method: Method::Voices,
        confidence: (0.5 + 0.5 * clarity) * (0.5 + 0.5 * naming),
    })
}

#[derive(Debug, Default, Clone, Copy)]
struct VoiceStats {
    spans: usize,
    questions: usize,
    talk: f64,
}

impl VoiceStats {
    fn question_share(&self) -> f64 {
        if self.spans == 0 {
            0.0
        } else {
            self.questions as f64 / self.spans as f64
        }
    }

    fn mean_span(&self) -> f64 {
        if self.spans == 0 {
            0.0
        } else {
            self.talk / self.spans as f64
        }
    }
}

/// Per-feature z-scores fitted on the clustered spans; pitch scaled up by the square
/// root of its weight.
struct Scale {
    mean: [f32; FEATURES],
    factor: [f32; FEATURES],
}

impl Scale {
    fn fit(rows: &[[f32; FEATURES]]) -> Self {
        let n = rows.len().max(1) as f32;
        let mut mean = [0.0; FEATURES];
        let mut factor = [0.0; FEATURES];
        for k in 0..FEATURES {
            mean[k] = rows.iter().map(|r| r[k]).sum::<f32>() / n;
            let sd = (rows.iter().map(|r| (r[k] - mean[k]).powi(2)).sum::<f32>() / n).sqrt();
            let weight = if k == PITCH { PITCH_WEIGHT.sqrt() } else { 1.0 };
            factor[k] = if sd > 1e-6 { weight / sd } else { 0.0 };
        }
        Scale { mean, factor }
    }

    fn apply(&self, row: &[f32; FEATURES]) -> [f32; FEATURES] {
        let mut out = [0.0; FEATURES];
        for k in 0..FEATURES {
            out[k] = (row[k] - self.mean[k]) * self.factor[k];
        }
        out
    }
}

/// The mean point of each of the two groups (zero for an empty group).
fn centroids(points: &[[f32; FEATURES]], labels: &[bool]) -> [[f32; FEATURES]; 2] {
    let mut centres = [[0.0f32; FEATURES]; 2];
    let mut counts = [0usize; 2];
    for (p, &l) in points.iter().zip(labels) {
        let c = usize::from(l);
        counts[c] += 1;
        for (ck, pk) in centres[c].iter_mut().zip(p) {
            *ck += pk;
        }
    }
    for (centre, &count) in centres.iter_mut().zip(&counts) {
        if count > 0 {
            for x in centre.iter_mut() {
                *x /= count as f32;
            }
        }
    }
    centres
}

fn distance(a: &[f32; FEATURES], b: &[f32; FEATURES]) -> f32 {
    a.iter()
        .zip(b)
        .map(|(x, y)| (x - y) * (x - y))
        .sum::<f32>()
        .sqrt()
}

/// k-means with k = 2 on centred points, started from the split by the sign of the
/// projection on the first principal component (power iteration from a fixed vector),
/// so the result depends on the input alone.
fn two_means(points: &[[f32; FEATURES]]) -> Vec<bool> {
    // First principal component of the (already centred) points.
    let mut v = [0.0f32; FEATURES];
    for (k, x) in v.iter_mut().enumerate() {
        *x = 1.0 / (k as f32 + 1.0);
    }
    for _ in 0..100 {
        let mut next = [0.0f32; FEATURES];
        for p in points {
            let dot: f32 = p.iter().zip(&v).map(|(a, b)| a * b).sum();
            for (nk, pk) in next.iter_mut().zip(p) {
                *nk += dot * pk;
            }
        }
        let norm = next.iter().map(|x| x * x).sum::<f32>().sqrt();
        if norm <= f32::EPSILON {
            break;
        }
        for x in &mut next {
            *x /= norm;
        }
        v = next;
    }
    let mut labels: Vec<bool> = points
        .iter()
        .map(|p| p.iter().zip(&v).map(|(a, b)| a * b).sum::<f32>() > 0.0)
        .collect();
    for _ in 0..100 {
        if labels.iter().all(|l| *l) || labels.iter().all(|l| !*l) {
            break;
        }
        let centres = centroids(points, &labels);
        let next: Vec<bool> = points
            .iter()
            .map(|p| distance(p, &centres[1]) < distance(p, &centres[0]))
            .collect();
        if next == labels {
            break;
        }
        labels = next;
    }
    labels
}

/// Mean silhouette of a two-way split: near 1 for tight, far-apart groups, near 0 for
/// one blob cut in two.
fn mean_silhouette(points: &[[f32; FEATURES]], labels: &[bool]) -> f32 {
    let n = points.len();
    let mut total = 0.0f32;
    for i in 0..n {
        let mut sums = [0.0f32; 2];
        let mut counts = [0usize; 2];
        for j in 0..n {
            if i == j {
                continue;
            }
            let c = usize::from(labels[j]);
            sums[c] += distance(&points[i], &points[j]);
            counts[c] += 1;
        }
        let own = usize::from(labels[i]);
        let other = 1 - own;
        if counts[own] == 0 || counts[other] == 0 {
            continue;
        }
        let a = sums[own] / counts[own] as f32;
        let b = sums[other] / counts[other] as f32;
        let m = a.max(b);
        if m > 0.0 {
            total += (b - a) / m;
        }
    }
    total / n as f32
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resample::TARGET_RATE;

    fn span(start: f64, end: f64, text: &str) -> Span {
        Span {
            start,
            end,
            text: text.to_string(),
        }
    }

    fn silence(secs: f64) -> Vec<f32> {
        vec![0.0; (secs * f64::from(TARGET_RATE)) as usize]
    }

    /// Formants (F1, F2, F3) of six vowels of an adult male voice.
    const VOWELS: [(f32, f32, f32); 6] = [
        (270.0, 2290.0, 3010.0),
        (530.0, 1840.0, 2480.0),
        (730.0, 1090.0, 2440.0),
        (570.0, 840.0, 2410.0),
        (300.0, 870.0, 2240.0),
        (500.0, 1500.0, 2500.0),
    ];

    /// Vowel-like speech: 120 ms vowels in a pseudo-random order (from `seed`), each a
    /// harmonic series on `f0` shaped by the vowel's formants scaled by `tract` (a
    /// shorter vocal tract has higher formants).
    fn voice(f0: f32, tract: f32, secs: f64, seed: u32) -> Vec<f32> {
        let rate = TARGET_RATE as f32;
        let n = (secs * f64::from(TARGET_RATE)) as usize;
        let segment = (0.12 * rate) as usize;
        let mut state = seed.wrapping_mul(2_654_435_761).wrapping_add(1);
        let mut out = Vec::with_capacity(n);
        let mut phase = vec![0.0f32; (7000.0 / f0) as usize + 1];
        while out.len() < n {
            state = state.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            let (f1, f2, f3) = VOWELS[(state >> 16) as usize % VOWELS.len()];
            let pitch = f0 * (1.0 + 0.05 * (((state >> 8) & 0xff) as f32 / 255.0 - 0.5));
            let gain = |f: f32, c: f32, bw: f32| 1.0 / (1.0 + ((f - c * tract) / bw).powi(2));
            let amps: Vec<f32> = (1..=phase.len())
                .map(|h| {
                    let f = h as f32 * pitch;
                    if f >= 7000.0 {
                        0.0
                    } else {
                        (gain(f, f1, 80.0) + 0.5 * gain(f, f2, 120.0) + 0.25 * gain(f, f3, 160.0))
                            / (h as f32).sqrt()
                    }
                })
                .collect();
            for _ in 0..segment.min(n - out.len()) {
                let mut v = 0.0;
                for (h, (ph, a)) in phase.iter_mut().zip(&amps).enumerate() {
                    *ph += 2.0 * std::f32::consts::PI * pitch * (h + 1) as f32 / rate;
                    v += a * ph.sin();
                }
                out.push(v * 0.05);
            }
        }
        out
    }

    /// An interview of two synthetic voices, one after the other with pauses.
    fn dialogue(turns: &[(Side, f64, &str)]) -> (Audio, Vec<Span>, Vec<Side>) {
        let mut samples = silence(0.3);
        let mut spans = Vec::new();
        let mut truth = Vec::new();
        for (i, (side, secs, text)) in turns.iter().enumerate() {
            let start = samples.len() as f64 / f64::from(TARGET_RATE);
            let sound = match side {
                Side::Interviewer => voice(110.0, 1.0, *secs, i as u32),
                Side::Candidate => voice(210.0, 1.18, *secs, i as u32),
            };
            samples.extend(sound);
            let end = samples.len() as f64 / f64::from(TARGET_RATE);
            samples.extend(silence(0.4));
            spans.push(span(start, end, text));
            truth.push(*side);
        }
        (
            Audio {
                sample_rate: TARGET_RATE,
                channels: vec![samples],
            },
            spans,
            truth,
        )
    }

    const TURNS: &[(Side, f64, &str)] = &[
        (Side::Interviewer, 1.5, "Hello and welcome."),
        (Side::Candidate, 2.0, "Thank you for having me."),
        (
            Side::Interviewer,
            1.8,
            "What do you do at your current job?",
        ),
        (Side::Candidate, 3.5, "I build payment services in Rust."),
        (Side::Candidate, 2.5, "Before that I worked on billing."),
        (Side::Interviewer, 1.2, "I see."),
        (Side::Interviewer, 1.6, "How do you handle incidents?"),
        (Side::Candidate, 4.0, "We keep runbooks and rotate on call."),
        (Side::Interviewer, 1.5, "Why do you want to join us?"),
        (Side::Candidate, 3.0, "The product matters to me."),
    ];

    #[test]
    fn voices_split_two_synthetic_speakers() {
        let (audio, spans, truth) = dialogue(TURNS);
        let att = attribute(&audio, &spans, None);
        assert_eq!(att.method, Method::Voices);
        assert_eq!(att.sides, truth);
        assert!(att.confidence > 0.5, "{}", att.confidence);
    }

    #[test]
    fn voices_still_name_the_sides_without_question_marks() {
        let (audio, mut spans, truth) = dialogue(TURNS);
        for s in &mut spans {
            s.text = s.text.replace('?', ".");
        }
        assert_eq!(attribute(&audio, &spans, None).sides, truth);
        // With no text at all, shorter spans and less talk still point at the interviewer.
        for s in &mut spans {
            s.text.clear();
        }
        assert_eq!(attribute(&audio, &spans, None).sides, truth);
    }

    #[test]
    fn the_same_input_gives_the_same_output() {
        let (audio, spans, _) = dialogue(TURNS);
        let a = attribute(&audio, &spans, None);
        let b = attribute(&audio, &spans, None);
        assert_eq!(a, b);
    }

    #[test]
    fn one_voice_falls_back_to_turn_taking() {
        let turns: Vec<(Side, f64, &str)> = TURNS
            .iter()
            .map(|(_, secs, text)| (Side::Interviewer, *secs, *text))
            .collect();
        let (audio, spans, _) = dialogue(&turns);
        let att = attribute(&audio, &spans, None);
        assert_eq!(att.method, Method::TurnTaking);
        assert!(att.confidence < 0.5);
    }

    #[test]
    fn silence_falls_back_to_turn_taking() {
        let audio = Audio {
            sample_rate: TARGET_RATE,
            channels: vec![silence(10.0)],
        };
        let spans = vec![
            span(0.0, 1.0, "What is your name?"),
            span(1.0, 3.0, "Ann."),
            span(3.0, 4.0, "Where do you live?"),
            span(4.0, 6.0, "Oslo."),
        ];
        let att = attribute(&audio, &spans, None);
        assert_eq!(att.method, Method::TurnTaking);
        assert_eq!(
            att.sides,
            vec![
                Side::Interviewer,
                Side::Candidate,
                Side::Interviewer,
                Side::Candidate
            ]
        );
    }

    fn stereo(turns: &[(usize, f64, &str)], bleed: f32) -> (Audio, Vec<Span>) {
        let mut ch = [silence(0.2), silence(0.2)];
        let mut spans = Vec::new();
        for (channel, secs, text) in turns {
            let start = ch[0].len() as f64 / f64::from(TARGET_RATE);
            let sound = voice(150.0, 1.0, *secs, 7);
            let other = 1 - channel;
            ch[*channel].extend(&sound);
            ch[other].extend(sound.iter().map(|s| s * bleed));
            let end = ch[0].len() as f64 / f64::from(TARGET_RATE);
            ch[0].extend(silence(0.3));
            ch[1].extend(silence(0.3));
            spans.push(span(start, end, text));
        }
        let [l, r] = ch;
        (
            Audio {
                sample_rate: TARGET_RATE,
                channels: vec![l, r],
            },
            spans,
        )
    }

    #[test]
    fn channels_decide_and_the_talkative_channel_is_the_candidate() {
        let (audio, spans) = stereo(
            &[
                (1, 1.0, "Tell me about yourself."),
                (0, 4.0, "I am an engineer."),
                (1, 1.0, "Why this role?"),
                (0, 5.0, "It fits."),
            ],
            0.1,
        );
        let att = attribute(&audio, &spans, None);
        assert_eq!(att.method, Method::Channels);
        use Side::*;
        assert_eq!(
            att.sides,
            vec![Interviewer, Candidate, Interviewer, Candidate]
        );
        assert!(att.confidence > 0.5);
        // The client's word wins over talk time.
        let att = attribute(&audio, &spans, Some(1));
        assert_eq!(
            att.sides,
            vec![Candidate, Interviewer, Candidate, Interviewer]
        );
        // An impossible channel number is ignored.
        assert_eq!(attribute(&audio, &spans, Some(7)).sides[0], Interviewer);
    }

    #[test]
    fn close_talk_times_are_settled_by_questions() {
        let (audio, spans) = stereo(
            &[
                (0, 2.0, "What did you build last year?"),
                (1, 2.0, "A search engine."),
                (0, 2.0, "How big was the team?"),
                (1, 2.1, "Five people."),
            ],
            0.0,
        );
        let att = attribute(&audio, &spans, None);
        use Side::*;
        assert_eq!(
            att.sides,
            vec![Interviewer, Candidate, Interviewer, Candidate]
        );
    }

    #[test]
    fn identical_channels_are_treated_as_mono() {
        let (mono, spans, truth) = dialogue(TURNS);
        let twice = Audio {
            sample_rate: TARGET_RATE,
            channels: vec![mono.channels[0].clone(), mono.channels[0].clone()],
        };
        let att = attribute(&twice, &spans, Some(0));
        assert_eq!(att.method, Method::Voices);
        assert_eq!(att.sides, truth);
    }

    #[test]
    fn no_spans_no_sides() {
        let (audio, _, _) = dialogue(TURNS);
        let att = attribute(&audio, &[], None);
        assert!(att.sides.is_empty());
        assert_eq!(att.confidence, 0.0);
    }

    #[test]
    fn given_ranges_decide_by_majority_overlap() {
        let spans = vec![
            span(0.0, 2.0, "a"),
            span(2.0, 6.0, "b"),
            span(6.0, 7.0, "c"),
            span(7.0, 9.0, "d"),
            span(9.5, 9.5, "e"),
        ];
        // Overlapping ranges are merged, not counted twice.
        let ranges = [(0.0, 1.5), (1.0, 2.2), (6.2, 7.0), (7.0, 7.5), (9.0, 10.0)];
        let att = attribute_given(&spans, &ranges);
        use Side::*;
        assert_eq!(
            att.sides,
            vec![Interviewer, Candidate, Interviewer, Candidate, Interviewer]
        );
        assert_eq!(att.method, Method::Given);
        assert!(att.confidence > 0.8 && att.confidence <= 1.0);
        // Garbage ranges and spans do not panic and count as no overlap.
        let odd = attribute_given(
            &[span(f64::NAN, 3.0, "x"), span(5.0, 1.0, "y")],
            &[(f64::NAN, 1.0), (4.0, 2.0)],
        );
        assert_eq!(odd.sides, vec![Candidate, Candidate]);
    }

    #[test]
    fn question_detection_in_english_and_russian() {
        for q in [
            "What is your biggest strength?",
            "Tell me about a conflict",
            "So, how did you handle it",
            "Thanks. Could you describe the architecture",
            "Describe your last project.",
            "What's the hardest bug you fixed",
            "Расскажите о себе.",
            "Почему вы ушли с прошлой работы",
            "Ну, как вы решали эту задачу",
            "Хорошо. Опишите ваш подход",
            "Какие у вас сильные стороны",
        ] {
            assert!(is_question_like(q), "{q}");
        }
        for a in [
            "I led a team of five.",
            "We shipped it in March",
            "Whatever works, I guess",
            "Я работал в банке.",
            "Мы использовали Rust",
            "",
            "   ",
        ] {
            assert!(!is_question_like(a), "{a}");
        }
    }

    #[test]
    fn turn_taking_answers_run_until_the_next_question() {
        use Side::*;
        let spans = vec![
            span(0.0, 1.0, "Hi, welcome."),
            span(1.0, 2.0, "Thanks for inviting me."),
            span(2.0, 3.0, "Tell me about your work."),
            span(3.0, 4.0, "I write compilers."),
            span(4.0, 5.0, "Mostly for GPUs."),
            span(5.0, 6.0, "Why GPUs?"),
            span(6.0, 7.0, "They are fast."),
        ];
        let att = turn_taking(&spans);
        assert_eq!(
            att.sides,
            vec![
                Interviewer,
                Candidate,
                Interviewer,
                Candidate,
                Candidate,
                Interviewer,
                Candidate
            ]
        );
        // With no question at all the spans alternate.
        let plain: Vec<Span> = ["a", "b", "c"].iter().map(|t| span(0.0, 1.0, t)).collect();
        assert_eq!(
            turn_taking(&plain).sides,
            vec![Interviewer, Candidate, Interviewer]
        );
    }
}
