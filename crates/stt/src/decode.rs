//! Decoding: OpenAI Whisper's `transcribe()` loop over 30 s windows, with greedy
//! decoding of timestamped segments, the same token rules, no-speech and
//! temperature-fallback thresholds, plus guards of its own: windows without voice are
//! not decoded, a window ends at a long pause (so no segment spans it), segments are
//! kept to where there is voice, and repetition loops are cut as soon as they start.

use crate::mel::{HOP, LogMel, SAMPLE_RATE, WINDOW_FRAMES};
use crate::model::{CrossKv, Model};
use crate::vad::{FRAMES_PER_SEC, Vad};
use crate::vocab::Vocab;
use candle_core::{Device, Tensor};
use flate2::Compression;
use flate2::write::ZlibEncoder;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::io::Write;

/// A timestamped piece of a window: start and end (seconds from the window start)
/// and its text tokens.
type Piece<'t> = (f64, f64, &'t [u32]);
use std::time::Instant;

/// Seconds per timestamp token.
const TIME_PRECISION: f64 = 0.02;
/// Mel frames per encoder position (and per timestamp step).
const INPUT_STRIDE: usize = 2;
/// At most this many tokens are sampled per window (half the text context).
const SAMPLE_LEN: usize = 224;
/// The first timestamp may be at most 1 s into the window.
const MAX_INITIAL_TIMESTAMP_INDEX: u32 = 50;
/// Temperatures tried in turn while a result looks wrong (Whisper's defaults).
const TEMPERATURES: [f32; 6] = [0.0, 0.2, 0.4, 0.6, 0.8, 1.0];
/// Text that compresses better than this is repetitive (Whisper's threshold).
const COMPRESSION_RATIO_THRESHOLD: f32 = 2.4;
/// Average log-probability below which a result is retried (Whisper's threshold).
const LOGPROB_THRESHOLD: f32 = -1.0;
/// A window whose no-speech probability is above this, with a low average
/// log-probability, is silence (Whisper's threshold).
const NO_SPEECH_THRESHOLD: f32 = 0.6;
/// Leading silence longer than this (in frames) is skipped, keeping `LEAD_MARGIN`.
const MAX_LEADING_SILENCE: usize = 100;
const LEAD_MARGIN: usize = 50;
/// A window ends where a pause of at least this many frames (2 s, beyond the voice
/// margins) begins, so that no segment's timestamps can span it.
const MIN_PAUSE: usize = 100000;
/// A segment is dropped when there is no voice within this many frames of it.
const SEGMENT_VOICE_REACH: usize = 50;
/// Repetition loops: a block of up to `LOOP_MAX_PERIOD` tokens repeated back to back
/// at least 3 times and over at least `LOOP_MIN_TOKENS` tokens.
const LOOP_MAX_PERIOD: usize = 40;
const LOOP_MIN_TOKENS: usize = 16;

/// A transcribed stretch of audio, in seconds from the start.
#[derive(Debug, Clone)]
pub struct RawSegment {
    pub start: f64,
    pub end: f64,
    pub text: String,
    pub avg_logprob: f32,
    pub no_speech_prob: f32,
}

/// What the decoding of one window produced.
#[derive(Debug, Clone)]
struct WindowResult {
    /// Sampled tokens, end of text excluded.
    tokens: Vec<u32>,
    avg_logprob: f32,
    no_speech_prob: f32,
    compression_ratio: f32,
    looped: bool,
}

impl WindowResult {
    fn is_silence(&self) -> bool {
        self.no_speech_prob > NO_SPEECH_THRESHOLD && self.avg_logprob < LOGPROB_THRESHOLD
    }

    fn needs_fallback(&self) -> bool {
        self.looped
            || self.compression_ratio > COMPRESSION_RATIO_THRESHOLD
            || self.avg_logprob < LOGPROB_THRESHOLD
    }
}

/// Runs the model over a whole recording.
pub struct Transcriber<'a> {
    model: &'a Model,
    vocab: &'a Vocab,
    /// Tokens never sampled: config.json's list plus every special token other than
    /// end of text and the timestamps.
    suppressed: Vec<bool>,
}

type DecodeResult<T> = Result<T, candle_core::Error>;

impl<'a> Transcriber<'a> {
    pub fn new(model: &'a Model, vocab: &'a Vocab) -> Self {
        let mut suppressed = vec![false; vocab.n_vocab];
        for &t in &vocab.suppress {
            suppressed[t as usize] = true;
        }
        for t in vocab.eot + 1..vocab.timestamp_begin {
            suppressed[t as usize] = true;
        }
        suppressed[vocab.no_timestamps as usize] = true;
        Self {
            model,
            vocab,
            suppressed,
        }
    }

    /// Transcribes `samples` (16 kHz mono). `language` is the language token to use,
    /// or `None` to detect it on the first window with voice (multilingual models) or
    /// to use none (English-only models). Returns the language token used, if any, and
    /// the segments.
    pub fn run(
        &self,
        samples: &[f32],
        mel: &LogMel,
        vad: &Vad,
        mut language: Option<u32>,
        multilingual: bool,
        progress: &mut dyn FnMut(f32),
    ) -> DecodeResult<(Option<u32>, Vec<RawSegment>)> {
        let content_frames = samples.len() / HOP;
        let duration = samples.len() as f64 / SAMPLE_RATE as f64;
        let device = Device::Cpu;
        let mut segments = Vec::new();
        let mut seek = 0usize;
        progress(0.0);
        while seek < content_frames {
            let mut segment_size = WINDOW_FRAMES.min(content_frames - seek);
            // Windows without voice are not decoded; long leading silence is skipped.
            match vad.first_voiced(seek, seek + segment_size) {
                None => {
                    seek += segment_size;
                    progress(seek as f32 / content_frames as f32);
                    continue;
                }
                Some(first) if first > seek + MAX_LEADING_SILENCE => {
                    seek = first - LEAD_MARGIN;
                    segment_size = WINDOW_FRAMES.min(content_frames - seek);
                }
                Some(_) => {}
            }
            if let Some(pause) = vad.pause_start(seek, seek + segment_size, MIN_PAUSE) {
                segment_size = pause.saturating_sub(seek).max(1);
            }
            let time_offset = seek as f64 / FRAMES_PER_SEC;
            let window = mel.window(seek, segment_size);
            let window = Tensor::from_vec(window, (mel.n_mels, WINDOW_FRAMES), &device)?;
            let started = Instant::now();
            let audio = self.model.encode(&window)?;
            let cross = self.model.cross_kv(&audio)?;
            drop(audio);
            let encode_ms = started.elapsed().as_millis();

            if multilingual && language.is_none() {
                language = Some(self.detect_language(&cross)?);
            }
            let prompt: Vec<u32> = match (multilingual, language) {
                (true, Some(lang)) => vec![self.vocab.sot, lang, self.vocab.transcribe],
                _ => vec![self.vocab.sot],
            };
            let started = Instant::now();
            let result = self.decode_with_fallback(&cross, &prompt, seek as u64)?;
            tracing::debug!(
                seek,
                encode_ms,
                decode_ms = started.elapsed().as_millis(),
                tokens = result.tokens.len(),
                avg_logprob = result.avg_logprob,
                no_speech_prob = result.no_speech_prob,
                "window decoded"
            );
            if result.is_silence() {
                seek += segment_size;
                progress(seek as f32 / content_frames as f32);
                continue;
            }

            let window_end = time_offset + segment_size as f64 / FRAMES_PER_SEC;
            let (pieces, advance) = self.split_segments(&result.tokens, segment_size);
            for (start, end, tokens) in pieces {
                let text = self
                    .vocab
                    .decode_text(tokens)
                    .map_err(candle_core::Error::Msg)?;
                let text = text.trim();
                if text.is_empty() {
                    continue;
                }
                let start = (time_offset + start).min(duration);
                let end = (time_offset + end).min(window_end).min(duration).max(start);
                let Some((start, end)) = keep_to_voice(vad, start, end) else {
                    continue;
                };
                segments.push(RawSegment {
                    start,
                    end,
                    text: text.to_string(),
                    avg_logprob: result.avg_logprob,
                    no_speech_prob: result.no_speech_prob,
                });
            }
            seek += advance.max(1);
            progress((seek as f32 / content_frames as f32).min(1.0));
        }
        progress(1.0);
        Ok((language, segments))
    }

    /// The most likely language token at the first decoding step.
    fn detect_language(&self, cross: &CrossKv) -> DecodeResult<u32> {
        let mut cache = self.model.new_cache();
        let hidden = self.model.decode(&[self.vocab.sot], cross, &mut cache)?;
        let logits = self.model.logits(&hidden, 0)?;
        self.vocab
            .languages
            .iter()
            .map(|&(_, t)| t)
            .filter(|&t| (t as usize) < logits.len())
            .max_by(|&a, &b| logits[a as usize].total_cmp(&logits[b as usize]))
            .ok_or_else(|| candle_core::Error::Msg("the model lists no languages".into()))
    }

    /// Decodes greedily; when the result loops, compresses too well or is unlikely,
    /// samples again at rising temperatures, as Whisper does.
    fn decode_with_fallback(
        &self,
        cross: &CrossKv,
        prompt: &[u32],
        seed: u64,
    ) -> DecodeResult<WindowResult> {
        let mut rng = StdRng::seed_from_u64(seed);
        let mut best: Option<WindowResult> = None;
        for &temperature in &TEMPERATURES {
            let result = self.decode_window(cross, prompt, temperature, &mut rng)?;
            if !result.needs_fallback() || result.is_silence() {
                return Ok(result);
            }
            tracing::debug!(
                temperature,
                avg_logprob = result.avg_logprob,
                compression_ratio = result.compression_ratio,
                looped = result.looped,
                "window decoding falls back"
            );
            let rank = |r: &WindowResult| {
                let clean = !r.looped && r.compression_ratio <= COMPRESSION_RATIO_THRESHOLD;
                (clean, r.avg_logprob)
            };
            let better = match &best {
                None => true,
                Some(b) => {
                    let (rc, rl) = rank(&result);
                    let (bc, bl) = rank(b);
                    (rc && !bc) || (rc == bc && rl > bl)
                }
            };
            if better {
                best = Some(result);
            }
        }
        best.ok_or_else(|| candle_core::Error::Msg("no temperature was tried".into()))
    }

    /// One decoding pass over a window at one temperature (0: greedy).
    fn decode_window(
        &self,
        cross: &CrossKv,
        prompt: &[u32],
        temperature: f32,
        rng: &mut StdRng,
    ) -> DecodeResult<WindowResult> {
        let mut cache = self.model.new_cache();
        let hidden = self.model.decode(prompt, cross, &mut cache)?;
        // The no-speech probability is read at the start-of-transcript position.
        let first = self.model.logits(&hidden, 0)?;
        let no_speech_prob = softmax_at(&first, self.vocab.no_speech as usize);
        let mut logits = if prompt.len() == 1 {
            first
        } else {
            self.model.logits(&hidden, prompt.len() - 1)?
        };

        let max_len = SAMPLE_LEN.min(self.model.dims.n_text_ctx.saturating_sub(prompt.len()));
        let mut tokens: Vec<u32> = Vec::new();
        let mut logprobs: Vec<f32> = Vec::new();
        let mut eot_logprob = 0f32;
        let mut looped = false;
        loop {
            self.apply_rules(&mut logits, &tokens);
            let lse = logsumexp(&logits);
            if !lse.is_finite() {
                break;
            }
            let token = if temperature > 0.0 {
                sample(&logits, temperature, rng)
            } else {
                argmax(&logits)
            };
            let logprob = logits[token as usize] - lse;
            if token == self.vocab.eot {
                eot_logprob = logprob;
                break;
            }
            tokens.push(token);
            logprobs.push(logprob);
            if let Some(cut) = self.loop_start(&tokens) {
                tokens.truncate(cut);
                logprobs.truncate(cut);
                looped = true;
                break;
            }
            if tokens.len() >= max_len {
                break;
            }
            let hidden = self.model.decode(&[token], cross, &mut cache)?;
            logits = self.model.logits(&hidden, 0)?;
        }

        let sum: f32 = logprobs.iter().sum::<f32>() + eot_logprob;
        let avg_logprob = sum / (tokens.len() + 1) as f32;
        let text = self
            .vocab
            .decode_text(&tokens)
            .map_err(candle_core::Error::Msg)?;
        Ok(WindowResult {
            tokens,
            avg_logprob,
            no_speech_prob,
            compression_ratio: compression_ratio(&text),
            looped,
        })
    }

    /// Whisper's logit filters: suppressed tokens, no blank or end first, and the
    /// timestamp rules (timestamps come in pairs, never go back, the first is within
    /// 1 s, and a timestamp wins when timestamps together are likelier than any
    /// text token).
    fn apply_rules(&self, logits: &mut [f32], sampled: &[u32]) {
        let neg = f32::NEG_INFINITY;
        for (l, &s) in logits.iter_mut().zip(&self.suppressed) {
            if s {
                *l = neg;
            }
        }
        let ts = self.vocab.timestamp_begin as usize;
        let eot = self.vocab.eot as usize;
        if sampled.is_empty() {
            for &t in &self.vocab.suppress_begin {
                logits[t as usize] = neg;
            }
            logits[..ts].fill(neg);
            let last_allowed = ts + MAX_INITIAL_TIMESTAMP_INDEX as usize;
            if last_allowed + 1 < logits.len() {
                logits[last_allowed + 1..].fill(neg);
            }
        }
        let is_ts = |t: u32| t as usize >= ts;
        let n = sampled.len();
        let last_was_ts = n >= 1 && is_ts(sampled[n - 1]);
        let penultimate_was_ts = n < 2 || is_ts(sampled[n - 2]);
        if last_was_ts {
            if penultimate_was_ts {
                logits[ts..].fill(neg);
            } else {
                logits[..eot].fill(neg);
            }
        }
        if let Some(&last) = sampled.iter().rev().find(|&&t| is_ts(t)) {
            // Never backwards; a segment that was just opened must not close at once.
            let bound = if last_was_ts && !penultimate_was_ts {
                last as usize
            } else {
                last as usize + 1
            };
            let bound = bound.min(logits.len());
            logits[ts..bound].fill(neg);
        }
        let lse = logsumexp(logits);
        if lse.is_finite() {
            let ts_logprob = logsumexp(&logits[ts..]) - lse;
            let max_text = logits[..ts].iter().copied().fold(neg, f32::max) - lse;
            if ts_logprob > max_text {
                logits[..ts].fill(neg);
            }
        }
    }

    /// Where a repetition loop at the end of `tokens` begins its first repeat (the
    /// index to cut at), looking at text tokens only since timestamps keep rising.
    fn loop_start(&self, tokens: &[u32]) -> Option<usize> {
        let ts = self.vocab.timestamp_begin;
        let positions: Vec<usize> = (0..tokens.len()).filter(|&i| tokens[i] < ts).collect();
        let text: Vec<u32> = positions.iter().map(|&i| tokens[i]).collect();
        let keep = repeated_tail(&text)?;
        positions.get(keep).copied()
    }

    /// Cuts a window's tokens into timestamped pieces `(start, end, tokens)` (seconds
    /// from the window start) and says how many frames the window consumed, exactly
    /// as Whisper's `transcribe()` does.
    fn split_segments<'t>(
        &self,
        tokens: &'t [u32],
        segment_size: usize,
    ) -> (Vec<Piece<'t>>, usize) {
        let ts = self.vocab.timestamp_begin;
        let is_ts = |t: u32| t >= ts;
        let pos = |t: u32| f64::from(t.saturating_sub(ts)) * TIME_PRECISION;
        let n = tokens.len();
        let single_ending = n >= 2 && !is_ts(tokens[n - 2]) && is_ts(tokens[n - 1]);
        let consecutive: Vec<usize> = (1..n)
            .filter(|&i| is_ts(tokens[i - 1]) && is_ts(tokens[i]))
            .collect();
        let segment_secs = segment_size as f64 / FRAMES_PER_SEC;
        let mut pieces = Vec::new();
        if consecutive.is_empty() {
            let mut end = segment_secs;
            if let Some(&last) = tokens.iter().rev().find(|&&t| is_ts(t))
                && last != ts
            {
                end = pos(last);
            }
            let start = tokens
                .first()
                .filter(|&&t| is_ts(t))
                .map_or(0.0, |&t| pos(t));
            pieces.push((start, end, tokens));
            return (pieces, segment_size);
        }
        let mut slices = consecutive;
        if single_ending {
            slices.push(n);
        }
        let mut last = 0;
        for &current in &slices {
            let sliced = &tokens[last..current];
            if let (Some(&first), Some(&end)) = (sliced.first(), sliced.last()) {
                let start = if is_ts(first) { pos(first) } else { 0.0 };
                pieces.push((start, pos(end), sliced));
            }
            last = current;
        }
        let advance = if single_ending {
            segment_size
        } else {
            let last_ts = tokens[last - 1].saturating_sub(ts) as usize;
            last_ts * INPUT_STRIDE
        };
        (pieces, advance)
    }
}

/// Keeps a segment only where there is voice: dropped when no voice lies within
/// `SEGMENT_VOICE_REACH` frames of it, else its ends are moved in to the voice it
/// holds.
fn keep_to_voice(vad: &Vad, start: f64, end: f64) -> Option<(f64, f64)> {
    let f0 = (start * FRAMES_PER_SEC).floor() as usize;
    let f1 = ((end * FRAMES_PER_SEC).ceil() as usize).max(f0 + 1);
    vad.first_voiced(
        f0.saturating_sub(SEGMENT_VOICE_REACH),
        f1 + SEGMENT_VOICE_REACH,
    )?;
    let first = vad.first_voiced(f0, f1);
    let last = vad.last_voiced(f0, f1);
    match (first, last) {
        (Some(a), Some(b)) => Some((
            (a as f64 / FRAMES_PER_SEC).max(start),
            ((b + 1) as f64 / FRAMES_PER_SEC).min(end),
        )),
        _ => Some((start, end)),
    }
}

/// If `seq` ends in a block repeated back to back often enough to be a decoding
/// loop, the index just after the first copy of the block (what to keep).
fn repeated_tail(seq: &[u32]) -> Option<usize> {
    let n = seq.len();
    for period in 1..=LOOP_MAX_PERIOD.min(n / 2) {
        let min_reps = 3.max(LOOP_MIN_TOKENS.div_ceil(period));
        if n < period * min_reps {
            continue;
        }
        let block = &seq[n - period..];
        let mut reps = 1;
        while (reps + 1) * period <= n && &seq[n - (reps + 1) * period..n - reps * period] == block
        {
            reps += 1;
        }
        if reps >= min_reps {
            return Some(n - (reps - 1) * period);
        }
    }
    None
}

fn logsumexp(x: &[f32]) -> f32 {
    let max = x.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    if !max.is_finite() {
        return max;
    }
    let sum: f32 = x.iter().map(|&v| (v - max).exp()).sum();
    max + sum.ln()
}

fn softmax_at(x: &[f32], i: usize) -> f32 {
    let lse = logsumexp(x);
    x.get(i).map_or(0.0, |&v| (v - lse).exp())
}

fn argmax(x: &[f32]) -> u32 {
    let mut best = 0;
    for (i, &v) in x.iter().enumerate() {
        if v > x[best] {
            best = i;
        }
    }
    best as u32
}

/// Draws a token from `softmax(logits / temperature)`.
fn sample(logits: &[f32], temperature: f32, rng: &mut StdRng) -> u32 {
    let max = logits.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let weights: Vec<f64> = logits
        .iter()
        .map(|&l| f64::from((l - max) / temperature).exp())
        .collect();
    let total: f64 = weights.iter().sum();
    let mut r = rng.random::<f64>() * total;
    for (i, w) in weights.iter().enumerate() {
        if *w > 0.0 {
            if r < *w {
                return i as u32;
            }
            r -= w;
        }
    }
    argmax(logits)
}

/// Bytes of text over bytes of its zlib compression, as Whisper measures repetition.
fn compression_ratio(text: &str) -> f32 {
    if text.is_empty() {
        return 0.0;
    }
    let mut enc = ZlibEncoder::new(Vec::new(), Compression::default());
    let compressed = enc
        .write_all(text.as_bytes())
        .and_then(|()| enc.finish())
        .map_or(text.len(), |c| c.len());
    text.len() as f32 / compressed.max(1) as f32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_repetition_loops_but_not_speech() {
        // " the" sixteen times is a loop, keep one.
        let seq: Vec<u32> = std::iter::repeat_n(5, 20).collect();
        assert_eq!(repeated_tail(&seq), Some(1));
        // A phrase said twice, or a word three times, is speech.
        assert_eq!(repeated_tail(&[1, 2, 3, 4, 5, 6, 1, 2, 3, 4, 5, 6]), None);
        assert_eq!(repeated_tail(&[9, 8, 7, 7, 7]), None);
        // A 6-token block three times after other text: keep text plus one copy.
        let mut seq = vec![100, 101];
        for _ in 0..3 {
            seq.extend([1, 2, 3, 4, 5, 6]);
        }
        assert_eq!(repeated_tail(&seq), Some(8));
    }

    #[test]
    fn compression_ratio_flags_repetition() {
        let normal =
            "I have worked as a software engineer for six years, mostly on backend systems.";
        assert!(compression_ratio(normal) < COMPRESSION_RATIO_THRESHOLD);
        let looped = "Thank you. ".repeat(20);
        assert!(compression_ratio(&looped) > COMPRESSION_RATIO_THRESHOLD);
        assert_eq!(compression_ratio(""), 0.0);
    }

    #[test]
    fn softmax_helpers() {
        let x = [1.0f32, 2.0, 3.0];
        let p: f32 = (0..3).map(|i| softmax_at(&x, i)).sum();
        assert!((p - 1.0).abs() < 1e-6);
        assert_eq!(argmax(&x), 2);
        assert_eq!(logsumexp(&[f32::NEG_INFINITY; 3]), f32::NEG_INFINITY);
        let mut rng = StdRng::seed_from_u64(1);
        let logits = [f32::NEG_INFINITY, 0.0, f32::NEG_INFINITY];
        for _ in 0..10 {
            assert_eq!(sample(&logits, 1.0, &mut rng), 1);
        }
    }
}
