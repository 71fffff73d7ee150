//! Voice features of a stretch of 16 kHz speech: the timbre (mel-frequency cepstral
//! coefficients) and the pitch of its voiced frames.
//!
//! Frames are 32 ms with a 16 ms hop. A frame counts as voiced when it is within 30 dB
//! of the loudest frame of the stretch and its autocorrelation shows a clear period
//! between 60 and 400 Hz (Boersma's window-corrected autocorrelation, threshold 0.45).
//! Over the voiced frames the stretch is described by the mean and standard deviation
//! of cepstral coefficients 1–12 (coefficient 0, loudness, is left out: it says more
//! about the distance to the microphone than about the voice) and the median of log₂ f0.

use std::sync::Arc;

use realfft::num_complex::Complex;
use realfft::{ComplexToReal, RealFftPlanner, RealToComplex};

/// Sample rate the features are computed at.
const RATE: f32 = 16_000.0;
/// Analysis frame: 32 ms.
const FRAME: usize = 512;
/// Hop between frames: 16 ms.
const HOP: usize = 256;
/// FFT length: twice the frame, so the autocorrelation is not circular.
const NFFT: usize = 2 * FRAME;
const MEL_BANDS: usize = 24;
const MEL_LOW_HZ: f32 = 80.0;
const MEL_HIGH_HZ: f32 = 7_600.0;
/// Cepstral coefficients 1..=CEPSTRA are kept.
const CEPSTRA: usize = 12;
const F0_MIN_HZ: f32 = 60.0;
const F0_MAX_HZ: f32 = 400.0;
/// Normalised autocorrelation peak above which a frame is periodic (Praat's default).
const VOICING_THRESHOLD: f32 = 0.45;
/// A peak this close to the highest autocorrelation peak counts as the period.
const OCTAVE_TOLERANCE: f32 = 0.9;
/// Frames more than 30 dB below the loudest frame of the stretch are background.
const FLOOR_BELOW_PEAK_DB: f32 = 30.0;
/// Mean-square energy below which a frame is silence whatever the stretch (-70 dBFS).
const ABSOLUTE_FLOOR: f32 = 1e-7;
/// A stretch needs this many voiced frames (about 0.15 s of voicing) to be described.
pub(crate) const MIN_VOICED_FRAMES: usize = 10;

/// The number of values in a feature vector: cepstral means, cepstral deviations, pitch.
pub(crate) const FEATURES: usize = 2 * CEPSTRA + 1;
/// Index of the pitch (median log₂ f0) in a feature vector.
pub(crate) const PITCH: usize = 2 * CEPSTRA;

/// The voice of one stretch of speech.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Voice {
    /// Cepstral means, cepstral deviations, median log₂ f0 (see [`FEATURES`]).
    pub(crate) values: [f32; FEATURES],
    /// How many voiced frames the values are drawn from.
    pub(crate) voiced_frames: usize,
}

/// Computes voice features; holds the FFT plans and filter banks between stretches.
pub(crate) struct VoiceAnalyzer {
    forward: Arc<dyn RealToComplex<f32>>,
    inverse: Arc<dyn ComplexToReal<f32>>,
    window: Vec<f32>,
    /// Autocorrelation of the window, for Boersma's correction.
    window_acf: Vec<f32>,
    /// Each mel band as (first FFT bin, weights).
    mel: Vec<(usize, Vec<f32>)>,
    /// DCT-II rows for coefficients 1..=CEPSTRA.
    dct: Vec<[f32; MEL_BANDS]>,
    time: Vec<f32>,
    spectrum: Vec<Complex<f32>>,
    power: Vec<Complex<f32>>,
    acf: Vec<f32>,
}

impl VoiceAnalyzer {
    pub(crate) fn new() -> Self {
        let mut planner = RealFftPlanner::<f32>::new();
        let forward = planner.plan_fft_forward(NFFT);
        let inverse = planner.plan_fft_inverse(NFFT);
        let window: Vec<f32> = (0..FRAME)
            .map(|i| 0.5 - 0.5 * (2.0 * std::f32::consts::PI * i as f32 / (FRAME - 1) as f32).cos())
            .collect();
        let window_acf: Vec<f32> = (0..FRAME)
            .map(|lag| (0..FRAME - lag).map(|i| window[i] * window[i + lag]).sum())
            .collect();
        let dct = (1..=CEPSTRA)
            .map(|k| {
                let mut row = [0.0; MEL_BANDS];
                for (m, v) in row.iter_mut().enumerate() {
                    *v = (std::f32::consts::PI * k as f32 * (m as f32 + 0.5) / MEL_BANDS as f32)
                        .cos();
                }
                row
            })
            .collect();
        VoiceAnalyzer {
            spectrum: forward.make_output_vec(),
            power: forward.make_output_vec(),
            time: vec![0.0; NFFT],
            acf: vec![0.0; NFFT],
            forward,
            inverse,
            window,
            window_acf,
            mel: mel_bank(),
            dct,
        }
    }

    /// The feature vector of a stretch of 16 kHz samples, or `None` when it has too
    /// little voiced speech to describe a voice.
    pub(crate) fn features(&mut self, samples: &[f32]) -> Option<Voice> {
        if samples.len() < FRAME {
            return None;
        }
        let starts: Vec<usize> = (0..=samples.len() - FRAME).step_by(HOP).collect();
        let energies: Vec<f32> = starts
            .iter()
            .map(|&s| {
                let frame = &samples[s..s + FRAME];
                let mean = frame.iter().sum::<f32>() / FRAME as f32;
                frame.iter().map(|v| (v - mean) * (v - mean)).sum::<f32>() / FRAME as f32
            })
            .collect();
        let loudest = energies.iter().copied().fold(0.0_f32, f32::max);
        let floor = (loudest * 10f32.powf(-FLOOR_BELOW_PEAK_DB / 10.0)).max(ABSOLUTE_FLOOR);

        let mut cepstra: Vec<[f32; CEPSTRA]> = Vec::new();
        let mut pitches: Vec<f32> = Vec::new();
        for (&start, &energy) in starts.iter().zip(&energies) {
            if energy < floor {
                continue;
            }
            if let Some((ceps, f0)) = self.frame(&samples[start..start + FRAME]) {
                cepstra.push(ceps);
                pitches.push(f0.log2());
            }
        }
        if cepstra.len() < MIN_VOICED_FRAMES {
            return None;
        }
        let n = cepstra.len() as f32;
        let mut out = [0.0; FEATURES];
        for k in 0..CEPSTRA {
            let mean = cepstra.iter().map(|c| c[k]).sum::<f32>() / n;
            let var = cepstra.iter().map(|c| (c[k] - mean).powi(2)).sum::<f32>() / n;
            out[k] = mean;
            out[CEPSTRA + k] = var.sqrt();
        }
        pitches.sort_by(f32::total_cmp);
        out[PITCH] = pitches[pitches.len() / 2];
        Some(Voice {
            values: out,
            voiced_frames: cepstra.len(),
        })
    }

    /// Cepstrum and f0 of one frame, or `None` when the frame is not periodic.
    fn frame(&mut self, frame: &[f32]) -> Option<([f32; CEPSTRA], f32)> {
        let mean = frame.iter().sum::<f32>() / FRAME as f32;
        for (i, t) in self.time.iter_mut().enumerate() {
            *t = if i < FRAME {
                (frame[i] - mean) * self.window[i]
            } else {
                0.0
            };
        }
        self.forward
            .process(&mut self.time, &mut self.spectrum)
            .ok()?;
        for (p, s) in self.power.iter_mut().zip(&self.spectrum) {
            *p = Complex::new(s.norm_sqr(), 0.0);
        }

        // Pitch: the autocorrelation is the inverse transform of the power spectrum.
        let mut power = self.power.clone();
        self.inverse.process(&mut power, &mut self.acf).ok()?;
        let r0 = self.acf[0];
        if r0 <= 0.0 {
            return None;
        }
        let min_lag = (RATE / F0_MAX_HZ).floor() as usize;
        let max_lag = ((RATE / F0_MIN_HZ).ceil() as usize).min(FRAME / 2);
        let norm = |lag: usize, acf: &[f32], wacf: &[f32]| acf[lag] / r0 / (wacf[lag] / wacf[0]);
        let peaks: Vec<(usize, f32)> = (min_lag..=max_lag)
            .filter_map(|lag| {
                let r = norm(lag, &self.acf, &self.window_acf);
                let left = norm(lag - 1, &self.acf, &self.window_acf);
                let right = norm(lag + 1, &self.acf, &self.window_acf);
                (r >= left && r >= right).then_some((lag, r))
            })
            .collect();
        let highest = peaks.iter().map(|p| p.1).fold(0.0f32, f32::max);
        if highest < VOICING_THRESHOLD {
            return None;
        }
        // Multiples of the period score nearly as high as the period itself: the
        // shortest lag close to the highest peak is the period.
        let (lag, _) = *peaks.iter().find(|p| p.1 >= OCTAVE_TOLERANCE * highest)?;
        let f0 = RATE / lag as f32;

        // Timbre: log mel energies, then DCT.
        let mut log_mel = [0.0f32; MEL_BANDS];
        for (m, (first, weights)) in self.mel.iter().enumerate() {
            let e: f32 = weights
                .iter()
                .zip(&self.power[*first..])
                .map(|(w, p)| w * p.re)
                .sum();
            log_mel[m] = (e + 1e-10).ln();
        }
        let mut ceps = [0.0f32; CEPSTRA];
        for (c, row) in ceps.iter_mut().zip(&self.dct) {
            *c = row.iter().zip(&log_mel).map(|(a, b)| a * b).sum();
        }
        Some((ceps, f0))
    }
}

/// Triangular filters evenly spaced on the mel scale (HTK formula).
fn mel_bank() -> Vec<(usize, Vec<f32>)> {
    let mel = |f: f32| 2595.0 * (1.0 + f / 700.0).log10();
    let hz = |m: f32| 700.0 * (10f32.powf(m / 2595.0) - 1.0);
    let (lo, hi) = (mel(MEL_LOW_HZ), mel(MEL_HIGH_HZ));
    let edges: Vec<f32> = (0..MEL_BANDS + 2)
        .map(|i| hz(lo + (hi - lo) * i as f32 / (MEL_BANDS + 1) as f32))
        .collect();
    let bin_hz = RATE / NFFT as f32;
    (0..MEL_BANDS)
        .map(|b| {
            let (left, centre, right) = (edges[b], edges[b + 1], edges[b + 2]);
            let first = (left / bin_hz).ceil() as usize;
            let last = ((right / bin_hz).floor() as usize).min(NFFT / 2);
            let weights = (first..=last)
                .map(|k| {
                    let f = k as f32 * bin_hz;
                    if f <= centre {
                        ((f - left) / (centre - left)).max(0.0)
                    } else {
                        ((right - f) / (right - centre)).max(0.0)
                    }
                })
                .collect();
            (first, weights)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A buzzy voice-like tone: harmonics of `f0` with a falling spectrum.
    fn buzz(f0: f32, secs: f32, tilt: f32) -> Vec<f32> {
        let n = (RATE * secs) as usize;
        (0..n)
            .map(|i| {
                let t = i as f32 / RATE;
                (1..)
                    .take_while(|h| f0 * *h as f32 <= 7_500.0)
                    .map(|h| {
                        (2.0 * std::f32::consts::PI * f0 * h as f32 * t).sin()
                            / (h as f32).powf(tilt)
                    })
                    .sum::<f32>()
                    * 0.1
            })
            .collect()
    }

    #[test]
    fn pitch_is_found_for_low_and_high_voices() {
        let mut v = VoiceAnalyzer::new();
        for f0 in [90.0f32, 140.0, 220.0, 330.0] {
            let f = v.features(&buzz(f0, 0.6, 1.0)).unwrap().values;
            let found = 2f32.powf(f[PITCH]);
            assert!((found - f0).abs() / f0 < 0.03, "{f0} Hz found as {found}");
        }
    }

    #[test]
    fn noise_and_silence_have_no_voice() {
        let mut v = VoiceAnalyzer::new();
        assert!(v.features(&vec![0.0; 16_000]).is_none());
        // A deterministic white-ish noise (linear congruential generator).
        let mut x: u32 = 12345;
        let noise: Vec<f32> = (0..16_000)
            .map(|_| {
                x = x.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
                (x >> 8) as f32 / (1u32 << 24) as f32 - 0.5
            })
            .collect();
        assert!(v.features(&noise).is_none());
        assert!(v.features(&[0.1; 100]).is_none());
    }

    #[test]
    fn timbre_differs_with_spectral_tilt_not_with_loudness() {
        let mut v = VoiceAnalyzer::new();
        let bright = v.features(&buzz(150.0, 0.6, 0.5)).unwrap().values;
        let quiet: Vec<f32> = buzz(150.0, 0.6, 0.5).iter().map(|s| s * 0.1).collect();
        let quiet = v.features(&quiet).unwrap().values;
        let dull = v.features(&buzz(150.0, 0.6, 2.0)).unwrap().values;
        let dist = |a: &[f32], b: &[f32]| -> f32 {
            a[..CEPSTRA]
                .iter()
                .zip(&b[..CEPSTRA])
                .map(|(x, y)| (x - y).powi(2))
                .sum::<f32>()
                .sqrt()
        };
        assert!(dist(&bright, &quiet) < 0.01 * dist(&bright, &dull));
    }
}
