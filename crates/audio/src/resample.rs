//! Streaming conversion of decoded PCM to 16 kHz, chunk by chunk, so that a long
//! recording never sits in memory at its source rate.

use rubato::audioadapter_buffers::direct::SequentialSliceOfVecs;
use rubato::{Fft, FixedSync, Indexing, Resampler};

use crate::error::AudioError;

/// The one sample rate every decoded recording is converted to (what speech-to-text expects).
pub const TARGET_RATE: u32 = 16_000;

/// Input frames per resampler call: large enough for the FFT to be efficient, small
/// enough that the pending source-rate PCM stays a few kilobytes.
const CHUNK_FRAMES: usize = 2048;

/// Feeds planar PCM at the source rate in, collects 16 kHz PCM out.
pub(crate) struct StreamResampler {
    channels: usize,
    in_rate: u32,
    /// `None` when the source is already at 16 kHz: samples pass straight through.
    fft: Option<Fft<f32>>,
    /// Source-rate frames not yet consumed by the resampler, one vector per channel.
    pending: Vec<Vec<f32>>,
    /// One resampler call's output, before it is appended to `out`.
    scratch: Vec<Vec<f32>>,
    out: Vec<Vec<f32>>,
    /// Leading output frames that are the resampler's start-up delay, still to drop.
    to_trim: usize,
    frames_in: u64,
}

impl StreamResampler {
    /// A resampler from `in_rate` to 16 kHz for `channels` channels.
    pub(crate) fn new(in_rate: u32, channels: usize) -> Result<Self, AudioError> {
        if in_rate == 0 || channels == 0 {
            return Err(AudioError::Unsupported {
                reason: format!("a sample rate of {in_rate} Hz with {channels} channels"),
            });
        }
        let fft = if in_rate == TARGET_RATE {
            None
        } else {
            let fft = Fft::<f32>::new(
                in_rate as usize,
                TARGET_RATE as usize,
                CHUNK_FRAMES,
                channels,
                FixedSync::Input,
            )
            .map_err(|e| AudioError::Unsupported {
                reason: format!("cannot resample from {in_rate} Hz: {e}"),
            })?;
            Some(fft)
        };
        let (to_trim, scratch_len) = match &fft {
            Some(f) => (f.output_delay(), f.output_frames_max()),
            None => (0, 0),
        };
        Ok(StreamResampler {
            channels,
            in_rate,
            fft,
            pending: vec![Vec::with_capacity(2 * CHUNK_FRAMES); channels],
            scratch: vec![vec![0.0; scratch_len]; channels],
            out: vec![Vec::new(); channels],
            to_trim,
            frames_in: 0,
        })
    }

    /// The number of channels this resampler was made for.
    pub(crate) fn channels(&self) -> usize {
        self.channels
    }

    /// The source rate this resampler was made for.
    pub(crate) fn in_rate(&self) -> u32 {
        self.in_rate
    }

    /// Source-rate frames pushed so far.
    pub(crate) fn frames_in(&self) -> u64 {
        self.frames_in
    }

    /// Reserves room for the output of `in_frames` source frames, so that the output
    /// vectors do not grow by doubling (which would briefly hold them twice).
    pub(crate) fn reserve_for(&mut self, in_frames: u64) {
        let out_frames = self.out_len_for(in_frames) as usize;
        for ch in &mut self.out {
            ch.reserve_exact(out_frames.saturating_sub(ch.len()));
        }
    }

    /// Appends `frames` frames of planar PCM (one slice per channel).
    pub(crate) fn push(&mut self, planes: &[Vec<f32>], frames: usize) -> Result<(), AudioError> {
        self.frames_in += frames as u64;
        let Some(fft) = self.fft.as_mut() else {
            for (out, plane) in self.out.iter_mut().zip(planes) {
                out.extend_from_slice(&plane[..frames]);
            }
            return Ok(());
        };
        for (pending, plane) in self.pending.iter_mut().zip(planes) {
            pending.extend_from_slice(&plane[..frames]);
        }
        let available = self.pending.first().map_or(0, Vec::len);
        let mut offset = 0;
        while available - offset >= fft.input_frames_next() {
            let input = SequentialSliceOfVecs::new(&self.pending, self.channels, available)
                .map_err(resample_error)?;
            let out_frames = self.scratch.first().map_or(0, Vec::len);
            let mut output =
                SequentialSliceOfVecs::new_mut(&mut self.scratch, self.channels, out_frames)
                    .map_err(resample_error)?;
            let indexing = Indexing::new().input_offset(offset);
            let (used, made) = fft
                .process_into_buffer(&input, &mut output, Some(&indexing))
                .map_err(resample_error)?;
            offset += used;
            append_trimmed(&mut self.out, &self.scratch, made, &mut self.to_trim);
        }
        for pending in &mut self.pending {
            pending.drain(..offset);
        }
        Ok(())
    }

    /// Flushes the last partial chunk and returns the 16 kHz channels, exactly as long
    /// as the source duration allows.
    pub(crate) fn finish(mut self) -> Result<Vec<Vec<f32>>, AudioError> {
        let expected = self.out_len_for(self.frames_in) as usize;
        if let Some(fft) = self.fft.as_mut() {
            let left = self.pending.first().map_or(0, Vec::len);
            let out_frames = self.scratch.first().map_or(0, Vec::len);
            // The last partial chunk, then silence until the delayed tail has come out.
            let mut partial = Some(left);
            let mut guard = 0;
            while self.out.first().map_or(0, Vec::len) < expected && guard < 64 {
                guard += 1;
                let len = partial.take().unwrap_or(0);
                let frames = self.pending.first().map_or(0, Vec::len).max(len);
                let input = SequentialSliceOfVecs::new(&self.pending, self.channels, frames)
                    .map_err(resample_error)?;
                let mut output =
                    SequentialSliceOfVecs::new_mut(&mut self.scratch, self.channels, out_frames)
                        .map_err(resample_error)?;
                let indexing = Indexing::new().partial_len(len);
                let (_, made) = fft
                    .process_into_buffer(&input, &mut output, Some(&indexing))
                    .map_err(resample_error)?;
                append_trimmed(&mut self.out, &self.scratch, made, &mut self.to_trim);
                if len > 0 {
                    for pending in &mut self.pending {
                        pending.clear();
                    }
                }
            }
        }
        for ch in &mut self.out {
            ch.truncate(expected);
            ch.shrink_to_fit();
        }
        Ok(self.out)
    }

    fn out_len_for(&self, in_frames: u64) -> u64 {
        (u128::from(in_frames) * u128::from(TARGET_RATE))
            .div_ceil(u128::from(self.in_rate))
            .min(u128::from(u64::MAX)) as u64
    }
}

/// Appends `made` frames of `scratch` to `out`, first dropping what remains of the
/// start-up delay.
fn append_trimmed(out: &mut [Vec<f32>], scratch: &[Vec<f32>], made: usize, to_trim: &mut usize) {
    let skip = (*to_trim).min(made);
    *to_trim -= skip;
    for (o, s) in out.iter_mut().zip(scratch) {
        o.extend_from_slice(&s[skip..made]);
    }
}

fn resample_error(e: impl std::fmt::Display) -> AudioError {
    AudioError::Corrupt {
        reason: format!("resampling failed: {e}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sine(rate: u32, freq: f32, secs: f32) -> Vec<f32> {
        let n = (rate as f32 * secs) as usize;
        (0..n)
            .map(|i| (2.0 * std::f32::consts::PI * freq * i as f32 / rate as f32).sin() * 0.5)
            .collect()
    }

    fn run(rate: u32, input: &[Vec<f32>], piece: usize) -> Vec<Vec<f32>> {
        let mut r = StreamResampler::new(rate, input.len()).unwrap();
        let n = input[0].len();
        let mut start = 0;
        while start < n {
            let end = (start + piece).min(n);
            let planes: Vec<Vec<f32>> = input.iter().map(|c| c[start..end].to_vec()).collect();
            r.push(&planes, end - start).unwrap();
            start = end;
        }
        r.finish().unwrap()
    }

    #[test]
    fn passthrough_at_16k_keeps_samples() {
        let x = sine(16_000, 440.0, 0.5);
        let out = run(16_000, std::slice::from_ref(&x), 333);
        assert_eq!(out[0], x);
    }

    #[test]
    fn lengths_follow_the_rate_ratio_whatever_the_piece_size() {
        for rate in [8_000, 22_050, 44_100, 48_000] {
            let x = sine(rate, 300.0, 1.3);
            for piece in [1, 100, 1152, 5000] {
                let out = run(rate, std::slice::from_ref(&x), piece);
                let want = (x.len() as u64 * 16_000).div_ceil(u64::from(rate)) as usize;
                assert_eq!(out[0].len(), want, "rate {rate} piece {piece}");
            }
        }
    }

    #[test]
    fn a_tone_keeps_its_frequency_and_phase() {
        // 44.1 kHz in: the output must match a 16 kHz rendering of the same tone, with
        // no delay left at the start.
        let x = sine(44_100, 440.0, 1.0);
        let out = run(44_100, &[x], 4096);
        let want = sine(16_000, 440.0, 1.0);
        let mid = 2000..14000;
        let err: f32 = out[0][mid.clone()]
            .iter()
            .zip(&want[mid.clone()])
            .map(|(a, b)| (a - b).abs())
            .fold(0.0, f32::max);
        assert!(err < 0.02, "max error {err}");
    }

    #[test]
    fn channels_stay_apart() {
        let left = sine(48_000, 500.0, 0.8);
        let right = vec![0.0; left.len()];
        let out = run(48_000, &[left, right], 1000);
        let energy = |c: &[f32]| c.iter().map(|v| v * v).sum::<f32>();
        assert!(energy(&out[0]) > 1000.0);
        assert!(energy(&out[1]) < 1e-6);
    }

    #[test]
    fn zero_rate_is_refused() {
        assert_eq!(
            StreamResampler::new(0, 1).err().map(|e| e.code()),
            Some("unsupported_media")
        );
    }
}
