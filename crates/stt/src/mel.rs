//! Log-mel spectrogram, computed exactly as OpenAI Whisper's `log_mel_spectrogram`:
//! 30 s of zeros appended, a centred STFT (n_fft 400, hop 160, periodic Hann window,
//! reflect padding) whose last frame is dropped, power spectrum, Slaney mel filters
//! (as librosa builds them), `log10(max(x, 1e-10))`, values below the global maximum
//! minus 8 raised to it, then `(x + 4) / 4`.

use realfft::RealFftPlanner;

/// The sample rate Whisper expects.
pub const SAMPLE_RATE: usize = 16_000;
/// FFT window length (25 ms).
pub const N_FFT: usize = 400;
/// Hop between frames (10 ms): one mel frame per 160 samples.
pub const HOP: usize = 160;
/// Mel frames in one 30 s window.
pub const WINDOW_FRAMES: usize = 3_000;
/// Samples in one 30 s window.
pub const WINDOW_SAMPLES: usize = WINDOW_FRAMES * HOP;
/// Frequency bins of the power spectrum.
pub const N_BINS: usize = N_FFT / 2 + 1;

/// A log-mel spectrogram, row-major `(n_mels, frames)`, already normalised.
#[derive(Debug, Clone)]
pub struct LogMel {
    /// Number of mel bands (80 for the models here).
    pub n_mels: usize,
    /// Number of frames, the 30 s of appended silence included.
    pub frames: usize,
    data: Vec<f32>,
}

impl LogMel {
    /// Copies `len` frames from `start` into a `(n_mels, WINDOW_FRAMES)` buffer,
    /// filled up with zeros as Whisper's `transcribe()` does (`pad_or_trim` of the
    /// window's frames; zero is a quiet but not silent level after normalisation).
    pub fn window(&self, start: usize, len: usize) -> Vec<f32> {
        let mut out = vec![0f32; self.n_mels * WINDOW_FRAMES];
        let end = (start + len.min(WINDOW_FRAMES)).min(self.frames);
        if start < end {
            for m in 0..self.n_mels {
                let row = &self.data[m * self.frames..(m + 1) * self.frames];
                out[m * WINDOW_FRAMES..m * WINDOW_FRAMES + (end - start)]
                    .copy_from_slice(&row[start..end]);
            }
        }
        out
    }

    /// One value, for tests.
    #[cfg(test)]
    pub fn at(&self, mel: usize, frame: usize) -> f32 {
        self.data[mel * self.frames + frame]
    }
}

/// Slaney-style mel filters for `n_mels` bands over the `N_BINS` bins of a 16 kHz,
/// 400-point FFT, normalised by band width (librosa's `norm="slaney"`), as
/// `librosa.filters.mel(sr=16000, n_fft=400, n_mels=n_mels)` returns them.
pub fn mel_filters(n_mels: usize) -> Vec<Vec<f32>> {
    let sr = SAMPLE_RATE as f64;
    let fft_freqs: Vec<f64> = (0..N_BINS).map(|k| k as f64 * sr / N_FFT as f64).collect();
    let mel_min = hz_to_mel(0.0);
    let mel_max = hz_to_mel(sr / 2.0);
    // n_mels + 2 points evenly spaced in mel: each band spans three of them.
    let points: Vec<f64> = (0..n_mels + 2)
        .map(|i| mel_to_hz(mel_min + (mel_max - mel_min) * i as f64 / (n_mels + 1) as f64))
        .collect();
    (0..n_mels)
        .map(|i| {
            let (lo, centre, hi) = (points[i], points[i + 1], points[i + 2]);
            let enorm = 2.0 / (hi - lo);
            fft_freqs
                .iter()
                .map(|&f| {
                    let lower = (f - lo) / (centre - lo);
                    let upper = (hi - f) / (hi - centre);
                    (lower.min(upper).max(0.0) * enorm) as f32
                })
                .collect()
        })
        .collect()
}

/// Hz to mel on the Slaney scale: linear below 1 kHz, logarithmic above.
pub fn hz_to_mel(hz: f64) -> f64 {
    const F_SP: f64 = 200.0 / 3.0;
    const MIN_LOG_HZ: f64 = 1000.0;
    let min_log_mel = MIN_LOG_HZ / F_SP;
    let log_step = 6.4f64.ln() / 27.0;
    if hz >= MIN_LOG_HZ {
        min_log_mel + (hz / MIN_LOG_HZ).ln() / log_step
    } else {
        hz / F_SP
    }
}

/// The inverse of [`hz_to_mel`].
pub fn mel_to_hz(mel: f64) -> f64 {
    const F_SP: f64 = 200.0 / 3.0;
    const MIN_LOG_HZ: f64 = 1000.0;
    let min_log_mel = MIN_LOG_HZ / F_SP;
    let log_step = 6.4f64.ln() / 27.0;
    if mel >= min_log_mel {
        MIN_LOG_HZ * (log_step * (mel - min_log_mel)).exp()
    } else {
        F_SP * mel
    }
}

/// A mel filter stored as its non-zero run of weights.
struct SparseFilter {
    first_bin: usize,
    weights: Vec<f32>,
}

fn sparse_filters(n_mels: usize) -> Vec<SparseFilter> {
    mel_filters(n_mels)
        .into_iter()
        .map(|row| {
            let first = row.iter().position(|&w| w > 0.0).unwrap_or(0);
            let last = row.iter().rposition(|&w| w > 0.0).unwrap_or(0);
            SparseFilter {
                first_bin: first,
                weights: if last >= first {
                    row[first..=last].to_vec()
                } else {
                    Vec::new()
                },
            }
        })
        .collect()
}

/// Computes the log-mel spectrogram of 16 kHz mono samples. `on_frame` sees the
/// power spectrum (`N_BINS` values) of every frame that holds audio (not the frames
/// of the appended silence), in order, so that voice activity can be judged from the
/// same analysis.
pub fn log_mel(samples: &[f32], n_mels: usize, mut on_frame: impl FnMut(&[f32])) -> LogMel {
    // Whisper appends 30 s of silence so that the last window is always full.
    let padded_len = samples.len() + WINDOW_SAMPLES;
    let frames = padded_len / HOP;
    let audio_frames = samples.len() / HOP;
    let half = N_FFT / 2;
    // The centred STFT reflects the signal at both ends (the edge sample not
    // repeated); the right end lies in the appended zeros.
    let sample_at = |i: isize| -> f32 {
        let n = padded_len as isize;
        let j = if i < 0 {
            -i
        } else if i >= n {
            2 * (n - 1) - i
        } else {
            i
        };
        usize::try_from(j)
            .ok()
            .and_then(|j| samples.get(j))
            .copied()
            .unwrap_or(0.0)
    };

    let window: Vec<f32> = (0..N_FFT)
        .map(|n| {
            let x = 2.0 * std::f64::consts::PI * n as f64 / N_FFT as f64;
            (0.5 - 0.5 * x.cos()) as f32
        })
        .collect();
    let filters = sparse_filters(n_mels);
    let mut planner = RealFftPlanner::<f32>::new();
    let fft = planner.plan_fft_forward(N_FFT);
    let mut input = fft.make_input_vec();
    let mut spectrum = fft.make_output_vec();
    let mut scratch = fft.make_scratch_vec();
    let mut power = vec![0f32; N_BINS];

    let mut data = vec![0f32; n_mels * frames];
    let mut max = f32::NEG_INFINITY;
    // Every frame past the audio sees only zeros: its FFT is computed once.
    let mut silent_column: Option<Vec<f32>> = None;
    for t in 0..frames {
        let start = (t * HOP) as isize - half as isize;
        let all_zero = start >= samples.len() as isize && t > audio_frames;
        if all_zero && let Some(column) = &silent_column {
            for (m, &v) in column.iter().enumerate() {
                data[m * frames + t] = v;
            }
            continue;
        }
        for (n, slot) in input.iter_mut().enumerate() {
            *slot = sample_at(start + n as isize) * window[n];
        }
        // The lengths come from the same plan, so processing cannot fail.
        if fft
            .process_with_scratch(&mut input, &mut spectrum, &mut scratch)
            .is_err()
        {
            spectrum.iter_mut().for_each(|c| *c = Default::default());
        }
        for (p, c) in power.iter_mut().zip(&spectrum) {
            *p = c.re * c.re + c.im * c.im;
        }
        if t < audio_frames {
            on_frame(&power);
        }
        let mut column = Vec::with_capacity(n_mels);
        for (m, filter) in filters.iter().enumerate() {
            let bins = &power[filter.first_bin..filter.first_bin + filter.weights.len()];
            let energy: f32 = bins.iter().zip(&filter.weights).map(|(p, w)| p * w).sum();
            let v = energy.max(1e-10).log10();
            max = max.max(v);
            data[m * frames + t] = v;
            column.push(v);
        }
        if all_zero {
            silent_column = Some(column);
        }
    }

    let floor = max - 8.0;
    for v in &mut data {
        *v = (v.max(floor) + 4.0) / 4.0;
    }
    LogMel {
        n_mels,
        frames,
        data,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// librosa's mel filters written the way librosa computes them: the ramps between
    /// `mel_frequencies(n_mels + 2)` and the FFT bin frequencies, with the Slaney mel
    /// scale in its other form (`mel = 3 f / 200` below 1 kHz and
    /// `15 + 27 ln(f / 1000) / ln 6.4` above).
    fn librosa_filters(n_mels: usize) -> Vec<Vec<f64>> {
        let to_mel = |f: f64| {
            if f < 1000.0 {
                3.0 * f / 200.0
            } else {
                15.0 + 27.0 * (f / 1000.0).ln() / 6.4f64.ln()
            }
        };
        let to_hz = |m: f64| {
            if m < 15.0 {
                200.0 * m / 3.0
            } else {
                1000.0 * 6.4f64.powf((m - 15.0) / 27.0)
            }
        };
        let top = to_mel(8000.0);
        let mel_f: Vec<f64> = (0..n_mels + 2)
            .map(|i| to_hz(top * i as f64 / (n_mels + 1) as f64))
            .collect();
        let fdiff: Vec<f64> = mel_f.windows(2).map(|w| w[1] - w[0]).collect();
        (0..n_mels)
            .map(|i| {
                (0..N_BINS)
                    .map(|k| {
                        let f = k as f64 * 40.0;
                        let lower = -(mel_f[i] - f) / fdiff[i];
                        let upper = (mel_f[i + 2] - f) / fdiff[i + 1];
                        0f64.max(lower.min(upper)) * 2.0 / (mel_f[i + 2] - mel_f[i])
                    })
                    .collect()
            })
            .collect()
    }

    #[test]
    fn mel_scale_round_trips_and_has_its_break_at_1khz() {
        assert!((hz_to_mel(1000.0) - 15.0).abs() < 1e-12);
        assert!((hz_to_mel(200.0) - 3.0).abs() < 1e-12);
        for hz in [0.0, 55.0, 440.0, 999.0, 1000.0, 3000.0, 8000.0] {
            assert!((mel_to_hz(hz_to_mel(hz)) - hz).abs() < 1e-9, "{hz}");
        }
    }

    #[test]
    fn filters_match_librosa() {
        for n_mels in [80, 128] {
            let ours = mel_filters(n_mels);
            let theirs = librosa_filters(n_mels);
            assert_eq!(ours.len(), n_mels);
            for (a, b) in ours.iter().zip(&theirs) {
                assert_eq!(a.len(), N_BINS);
                for (x, y) in a.iter().zip(b) {
                    assert!((f64::from(*x) - y).abs() < 1e-7, "{x} vs {y}");
                }
            }
        }
        let f = mel_filters(80);
        // The first band peaks in bin 1 (40 Hz); its centre lies at 3 * 33.22/81 mel.
        assert!(f[0][1] > 0.0 && f[0][0] == 0.0 && f[0][3] == 0.0);
        // Slaney normalisation: each triangle's area (in Hz) is 1, so the weights sum
        // to about 1/40 per band over the 40 Hz bins (exactly in the linear region
        // when the triangle is sampled finely enough, as band 10 below 1 kHz is).
        let sum: f32 = f[10].iter().sum();
        assert!((sum * 40.0 - 1.0).abs() < 0.05, "{sum}");
        // No band is empty and none reaches past 8 kHz.
        for row in &f {
            assert!(row.iter().any(|&w| w > 0.0));
        }
    }

    #[test]
    fn spectrogram_has_whisper_shape_and_range() {
        // One second of a 1 kHz tone at half scale.
        let samples: Vec<f32> = (0..SAMPLE_RATE)
            .map(|n| 0.5 * (2.0 * std::f32::consts::PI * 1000.0 * n as f32 / 16_000.0).sin())
            .collect();
        let mut seen = 0;
        let mel = log_mel(&samples, 80, |p| {
            assert_eq!(p.len(), N_BINS);
            seen += 1;
        });
        assert_eq!(seen, 100);
        assert_eq!(mel.frames, (SAMPLE_RATE + WINDOW_SAMPLES) / HOP);
        // The loudest band is the one holding 1 kHz; silence sits 8 (log10) below the
        // maximum, i.e. 2 below after the (x + 4) / 4 scaling.
        let loud = (0..80)
            .max_by(|&a, &b| mel.at(a, 50).total_cmp(&mel.at(b, 50)))
            .unwrap_or(0);
        let centre = mel_to_hz(hz_to_mel(8000.0) * (loud + 1) as f64 / 81.0);
        assert!((centre - 1000.0).abs() < 60.0, "band {loud} at {centre} Hz");
        let top = mel.at(loud, 50);
        let silent = mel.at(loud, 1000);
        assert!((top - silent - 2.0).abs() < 1e-4, "{top} {silent}");
        let w = mel.window(mel.frames - 10, WINDOW_FRAMES);
        assert_eq!(w.len(), 80 * WINDOW_FRAMES);
        assert_eq!(w[9], silent);
        assert_eq!(w[10], 0.0);
        let w = mel.window(40, 20);
        assert_eq!(w[19], mel.at(0, 59));
        assert_eq!(w[20], 0.0);
    }
}
