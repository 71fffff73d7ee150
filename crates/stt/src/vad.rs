//! Voice activity from energy and spectral flatness, per 10 ms frame.
//!
//! Whisper writes plausible text over silence and noise ("Thank you.") when a window
//! holds no speech. This check runs before the model: windows with no voice are not
//! decoded, and segments are kept to where the voice is. A frame is voice-like when
//! its 80 Hz–4 kHz band is loud enough and its spectrum is peaky (harmonics, formants)
//! rather than flat: white noise has a flatness near 0.56, voiced speech below 0.1.
//! The check is deliberately lenient: noise that is not flat (hum, music, babble) passes
//! it and is left to Whisper's own no-speech probability.

use crate::mel::{HOP, N_FFT, SAMPLE_RATE};

/// Lowest and highest FFT bins of the speech band (40 Hz per bin: 80 Hz to 4 kHz).
const BAND: std::ops::RangeInclusive<usize> = 2..=100;
/// Sum of the squared periodic Hann window of 400 points: turns band power into
/// signal power, so that levels read as dBFS.
const WINDOW_POWER: f32 = 150.0;
/// Quietest band level (dBFS) that may be speech.
const MIN_LEVEL_DB: f32 = -55.0;
/// Flattest spectrum (geometric over arithmetic mean of the band's power) that may be
/// speech. White noise never reaches it for several frames in a row.
const MAX_FLATNESS: f32 = 0.25;
/// A voice-like frame counts only with at least this many voice-like frames among the
/// five around it, which removes isolated frames of noise.
const MIN_NEIGHBOURS: usize = 3;
/// Frames of margin kept on both sides of voice (0.3 s): quiet word onsets and
/// endings, unvoiced consonants.
const HANGOVER: usize = 30;

/// Frames per second.
pub const FRAMES_PER_SEC: f64 = (SAMPLE_RATE / HOP) as f64;

/// Collects frame features while the spectrogram is computed, then answers where
/// there is voice.
#[derive(Debug, Default)]
pub struct VadBuilder {
    like: Vec<bool>,
}

impl VadBuilder {
    /// Feeds the power spectrum of the next frame (`N_FFT / 2 + 1` bins).
    pub fn push(&mut self, power: &[f32]) {
        debug_assert_eq!(power.len(), N_FFT / 2 + 1);
        let band = &power[BAND];
        let n = band.len() as f32;
        let mean = band.iter().sum::<f32>() / n;
        let level_db = 10.0 * (mean / WINDOW_POWER + 1e-20).log10();
        let like = if level_db < MIN_LEVEL_DB {
            false
        } else {
            let log_mean = band.iter().map(|p| (p + 1e-20).ln()).sum::<f32>() / n;
            let flatness = log_mean.exp() / (mean + 1e-20);
            flatness < MAX_FLATNESS
        };
        self.like.push(like);
    }

    /// Smooths the frames into voice regions.
    pub fn finish(self) -> Vad {
        let n = self.like.len();
        let mut core = vec![false; n];
        for (i, slot) in core.iter_mut().enumerate() {
            if self.like[i] {
                let lo = i.saturating_sub(2);
                let hi = (i + 3).min(n);
                *slot = self.like[lo..hi].iter().filter(|&&b| b).count() >= MIN_NEIGHBOURS;
            }
        }
        let mut voiced = vec![false; n];
        // Dilate by the hangover: a running count of core frames within reach.
        let mut last_core: Option<usize> = None;
        for i in 0..n {
            if core[i] {
                last_core = Some(i);
            }
            if last_core.is_some_and(|c| i - c <= HANGOVER) {
                voiced[i] = true;
            }
        }
        let mut next_core: Option<usize> = None;
        for i in (0..n).rev() {
            if core[i] {
                next_core = Some(i);
            }
            if next_core.is_some_and(|c| c - i <= HANGOVER) {
                voiced[i] = true;
            }
        }
        Vad { voiced }
    }
}

/// Where the audio holds voice, per 10 ms frame.
#[derive(Debug, Clone)]
pub struct Vad {
    voiced: Vec<bool>,
}

impl Vad {
    /// The first voiced frame in `from..to`, if any.
    pub fn first_voiced(&self, from: usize, to: usize) -> Option<usize> {
        let to = to.min(self.voiced.len());
        (from..to).find(|&i| self.voiced[i])
    }

    /// The last voiced frame in `from..to`, if any.
    pub fn last_voiced(&self, from: usize, to: usize) -> Option<usize> {
        let to = to.min(self.voiced.len());
        (from..to).rev().find(|&i| self.voiced[i])
    }

    /// The first frame of the first pause of at least `min_len` frames that follows
    /// voice and starts in `from..to` (it may run past `to`).
    pub fn pause_start(&self, from: usize, to: usize, min_len: usize) -> Option<usize> {
        let n = self.voiced.len();
        let to = to.min(n);
        let mut seen_voice = false;
        let mut run_start = None;
        for i in from..(to + min_len).min(n) {
            if self.voiced[i] {
                if i >= to {
                    return None;
                }
                seen_voice = true;
                run_start = None;
            } else if seen_voice {
                let start = *run_start.get_or_insert(i);
                if start >= to {
                    return None;
                }
                if i + 1 - start >= min_len {
                    return Some(start);
                }
            }
        }
        // A pause that reaches the end of the audio counts whatever its length.
        run_start.filter(|&s| s < to)
    }

    /// Seconds of voice in the whole audio.
    #[cfg(test)]
    pub fn voiced_secs(&self) -> f64 {
        self.voiced.iter().filter(|&&v| v).count() as f64 / FRAMES_PER_SEC
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mel::log_mel;

    fn vad_of(samples: &[f32]) -> Vad {
        let mut b = VadBuilder::default();
        log_mel(samples, 80, |p| b.push(p));
        b.finish()
    }

    /// A deterministic uniform noise in [-amp, amp].
    fn noise(len: usize, amp: f32, seed: u64) -> Vec<f32> {
        let mut s = seed;
        (0..len)
            .map(|_| {
                s ^= s << 13;
                s ^= s >> 7;
                s ^= s << 17;
                ((s >> 40) as f32 / (1u64 << 24) as f32 * 2.0 - 1.0) * amp
            })
            .collect()
    }

    /// A vowel-like buzz: harmonics of 120 Hz with falling amplitude.
    fn buzz(len: usize) -> Vec<f32> {
        (0..len)
            .map(|n| {
                let t = n as f32 / SAMPLE_RATE as f32;
                (1..30)
                    .map(|h| {
                        (2.0 * std::f32::consts::PI * 120.0 * h as f32 * t).sin() * 0.2 / h as f32
                    })
                    .sum()
            })
            .collect()
    }

    #[test]
    fn silence_and_white_noise_have_no_voice() {
        assert_eq!(vad_of(&vec![0.0; 5 * SAMPLE_RATE]).voiced_secs(), 0.0);
        for amp in [0.01, 0.1, 0.5] {
            assert_eq!(vad_of(&noise(10 * SAMPLE_RATE, amp, 7)).voiced_secs(), 0.0);
        }
    }

    #[test]
    fn harmonic_sound_is_voice_with_margins() {
        // 1 s of silence, 1 s of buzz, 1 s of silence.
        let mut s = vec![0.0; SAMPLE_RATE];
        s.extend(buzz(SAMPLE_RATE));
        s.extend(vec![0.0; SAMPLE_RATE]);
        let vad = vad_of(&s);
        let first = vad.first_voiced(0, 300).unwrap_or(usize::MAX);
        let last = vad.last_voiced(0, 300).unwrap_or(0);
        assert!((60..=75).contains(&first), "{first}");
        assert!((225..=235).contains(&last), "{last}");
        assert!(vad.first_voiced(0, 50).is_none());
        // The pause after the buzz is found from anywhere before it; none before voice.
        assert_eq!(vad.pause_start(0, 300, 50), Some(last + 1));
        assert_eq!(vad.pause_start(100, 240, 50), Some(last + 1));
        assert_eq!(vad.pause_start(0, 50, 20), None);
        assert_eq!(vad.pause_start(100, 200, 300), None);
        // Mixed with loud white noise (about 0 dB SNR) it is still found.
        let mixed: Vec<f32> = s
            .iter()
            .zip(noise(s.len(), 0.15, 3))
            .map(|(a, b)| a + b)
            .collect();
        let vad = vad_of(&mixed);
        assert!(vad.voiced_secs() > 0.8, "{}", vad.voiced_secs());
        assert!(vad.first_voiced(0, 50).is_none());
    }
}
