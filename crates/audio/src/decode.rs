//! Media files to 16 kHz PCM: probe the container, decode the first audio track packet by
//! packet, resample as decoding goes.
//!
//! Damaged input is handled the way a player would, with one rule on top:
//!
//! - A packet the codec cannot decode is skipped. Decoding stops when
//!   [`MAX_CONSECUTIVE_BAD_PACKETS`] packets in a row fail, or the container itself
//!   cannot be read further (a file cut off mid-stream).
//! - A file is cut short when decoding stopped early, or when the stream ends more than
//!   a second before the length its container announced (a cut between two packets).
//!   What decoded up to there is kept if it is at least [`MIN_SALVAGE_SECS`] long (an
//!   upload cut short still has an interview in it); shorter than that, the file is
//!   `media_corrupt`.
//! - When more packets failed than decoded, the file is `media_corrupt` whatever came out.
//!
//! Known imprecision: MP4 edit lists are not applied, so AAC in m4a/mp4 keeps the
//! encoder's priming (1024 samples, about 21–23 ms at 44.1/48 kHz) at the start.
//! Opus with more than two channels is not supported by the libopus adapter.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;
use std::sync::Arc;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};

use symphonia::core::codecs::CodecParameters;
use symphonia::core::codecs::audio::AudioDecoderOptions;
use symphonia::core::codecs::registry::CodecRegistry;
use symphonia::core::errors::Error as SymError;
use symphonia::core::formats::probe::Hint;
use symphonia::core::formats::{FormatOptions, MediaInfo, Track};
use symphonia::core::io::{MediaSource, MediaSourceStream};
use symphonia::core::meta::MetadataOptions;
use symphonia::core::units::{Duration, TimeBase, Timestamp};
use symphonia_adapter_libopus::OpusDecoder;

use crate::error::AudioError;
use crate::resample::{StreamResampler, TARGET_RATE};

/// The longest recording accepted: four hours.
pub const MAX_DURATION_SECS: u64 = 4 * 3600;

/// A recording cut off mid-stream is kept when at least this much of it decoded.
pub const MIN_SALVAGE_SECS: f64 = 1.0;

/// This many undecodable packets in a row end decoding.
pub const MAX_CONSECUTIVE_BAD_PACKETS: usize = 32;

/// Decoded audio: always 16 kHz, one channel, or two kept apart.
///
/// Two channels are kept as they are because call recorders often put each side of a
/// call on its own channel; that is the most reliable way to tell who spoke. More than
/// two channels are mixed down to one.
#[derive(Debug, Clone, PartialEq)]
pub struct Audio {
    /// Always [`TARGET_RATE`] (16 000 Hz).
    pub sample_rate: u32,
    /// One or two channels of equal length, samples in [-1, 1].
    pub channels: Vec<Vec<f32>>,
}

impl Audio {
    /// The channels mixed into one (a copy of the only channel when mono).
    pub fn mono(&self) -> Vec<f32> {
        match self.channels.as_slice() {
            [] => Vec::new(),
            [only] => only.clone(),
            all => {
                let n = all.iter().map(Vec::len).min().unwrap_or(0);
                let scale = 1.0 / all.len() as f32;
                (0..n)
                    .map(|i| all.iter().map(|c| c[i]).sum::<f32>() * scale)
                    .collect()
            }
        }
    }

    /// Length in seconds.
    pub fn duration_secs(&self) -> f64 {
        let frames = self.channels.first().map_or(0, Vec::len);
        if self.sample_rate == 0 {
            return 0.0;
        }
        frames as f64 / f64::from(self.sample_rate)
    }

    /// Whether there are two channels.
    pub fn is_stereo(&self) -> bool {
        self.channels.len() == 2
    }
}

/// Decodes the first decodable audio track of a media file to 16 kHz.
///
/// Reads the file as a stream (never whole into memory) and resamples chunk by chunk.
/// `progress` is called with a growing fraction in [0, 1]: from packet timestamps
/// against the track's duration where the container states one, from bytes read
/// otherwise; it ends with 1.0 on success.
///
/// Supported: wav, flac, mp3, ogg (Vorbis, Opus, FLAC), m4a/mp4 (AAC; video tracks are
/// skipped), webm/mkv (Opus, Vorbis, AAC, ...).
pub fn decode_file(path: &Path, progress: &mut dyn FnMut(f32)) -> Result<Audio, AudioError> {
    let io_err = |source| AudioError::Io {
        path: path.to_path_buf(),
        source,
    };
    let file = File::open(path).map_err(io_err)?;
    let len = file.metadata().map_err(io_err)?.len();
    if len == 0 {
        return Err(AudioError::Empty);
    }
    let read = Arc::new(AtomicU64::new(0));
    let source = CountingSource {
        file,
        len,
        pos: 0,
        read: Arc::clone(&read),
    };
    let mss = MediaSourceStream::new(Box::new(source), Default::default());
    let mut hint = Hint::new();
    if let Some(ext) = path.extension().and_then(|e| e.to_str()) {
        hint.with_extension(&ext.to_ascii_lowercase());
    }
    let mut format = symphonia::default::get_probe()
        .probe(
            &hint,
            mss,
            FormatOptions::default(),
            MetadataOptions::default(),
        )
        .map_err(|e| probe_error(e, path))?;

    let registry = codecs();
    let track = pick_track(format.tracks(), registry)?;
    let track_id = track.id;
    let Some(CodecParameters::Audio(params)) = track.codec_params.clone() else {
        return Err(AudioError::Unsupported {
            reason: "no audio track".into(),
        });
    };
    let stated = StatedLength::of(track, format.media_info(), params.sample_rate);
    let time_base = track.time_base;
    if stated
        .secs
        .is_some_and(|s| s > MAX_DURATION_SECS as f64 + 1.0)
    {
        return Err(AudioError::TooLong {
            max_secs: MAX_DURATION_SECS,
        });
    }
    let mut decoder = registry
        .make_audio_decoder(&params, &AudioDecoderOptions::default())
        .map_err(|e| AudioError::Unsupported {
            reason: format!("the audio codec cannot be decoded: {e}"),
        })?;

    let mut state = DecodeState::default();
    let mut planes: Vec<Vec<f32>> = Vec::new();
    let mut reporter = Progress::new(progress);
    let stop: Option<String> = loop {
        let packet = match format.next_packet() {
            Ok(Some(packet)) => packet,
            Ok(None) => break None,
            // A chained stream (a new set of tracks) is not part of one interview.
            Err(SymError::ResetRequired) => break None,
            Err(SymError::IoError(e)) if e.kind() == std::io::ErrorKind::UnexpectedEof => {
                break Some("the file ends mid-stream".to_string());
            }
            Err(SymError::IoError(e)) => return Err(io_err(e)),
            Err(e) => break Some(format!("the container is damaged: {e}")),
        };
        if packet.track_id != track_id {
            continue;
        }
        match decoder.decode(&packet) {
            Ok(buf) => {
                state.good += 1;
                state.bad_in_a_row = 0;
                let frames = buf.frames();
                if frames == 0 {
                    continue;
                }
                let rate = buf.spec().rate();
                buf.copy_to_vecs_planar::<f32>(&mut planes);
                let resampler = match state.resampler.as_mut() {
                    Some(r) => r,
                    None => {
                        let channels = if planes.len() == 2 { 2 } else { 1 };
                        let mut r = StreamResampler::new(rate, channels)?;
                        if let Some(n) = stated.frames {
                            r.reserve_for(n.min(MAX_DURATION_SECS * u64::from(rate)));
                        }
                        state.resampler.insert(r)
                    }
                };
                if rate != resampler.in_rate() {
                    // A sample-rate change mid-stream is a damaged stream: skip the packet.
                    state.bad += 1;
                    continue;
                }
                fold_channels(&mut planes, resampler.channels(), frames);
                resampler.push(&planes, frames)?;
                let secs = resampler.frames_in() as f64 / f64::from(rate);
                if secs > MAX_DURATION_SECS as f64 {
                    return Err(AudioError::TooLong {
                        max_secs: MAX_DURATION_SECS,
                    });
                }
            }
            Err(SymError::DecodeError(_)) | Err(SymError::IoError(_)) => {
                state.bad += 1;
                state.bad_in_a_row += 1;
                if state.bad_in_a_row >= MAX_CONSECUTIVE_BAD_PACKETS {
                    break Some(format!(
                        "{MAX_CONSECUTIVE_BAD_PACKETS} packets in a row could not be decoded"
                    ));
                }
                continue;
            }
            Err(SymError::Unsupported(what)) => {
                return Err(AudioError::Unsupported {
                    reason: format!("the audio codec cannot be decoded: {what}"),
                });
            }
            Err(e) => break Some(format!("decoding failed: {e}")),
        }
        let at = time_base.and_then(|tb| {
            let end = packet.pts.get().checked_add_unsigned(packet.dur.get())?;
            Some(tb.calc_time(Timestamp::new(end))?.as_secs_f64())
        });
        let fraction = match (at, stated.secs) {
            (Some(at), Some(total)) if total > 0.0 => at / total,
            // Bytes run ahead of decoding (reads are buffered): 1.0 only when done.
            _ => (read.load(Ordering::Relaxed) as f64 / len as f64).min(0.99),
        };
        reporter.report(fraction);
    };

    let Some(resampler) = state.resampler else {
        return Err(match stop {
            Some(reason) => AudioError::Corrupt { reason },
            None if state.bad > 0 => AudioError::Corrupt {
                reason: "no packet could be decoded".into(),
            },
            None => AudioError::Empty,
        });
    };
    let decoded_secs = resampler.frames_in() as f64 / f64::from(resampler.in_rate());
    if state.bad > state.good {
        return Err(AudioError::Corrupt {
            reason: format!(
                "{} of {} packets could not be decoded",
                state.bad,
                state.bad + state.good
            ),
        });
    }
    // A stream that ends well before the length its container announced was cut short
    // too, even when the cut fell between two packets.
    let stop = stop.or_else(|| {
        stated
            .secs
            .filter(|&announced| decoded_secs + 1.0 < announced)
            .map(|announced| {
                format!("the file ends after {decoded_secs:.1} s of the announced {announced:.1} s")
            })
    });
    if let Some(reason) = stop {
        if decoded_secs < MIN_SALVAGE_SECS {
            return Err(AudioError::Corrupt { reason });
        }
        tracing::warn!(
            path = %path.display(),
            decoded_secs,
            "{reason}; keeping the audio decoded up to there"
        );
    }
    let channels = resampler.finish()?;
    if channels.first().is_none_or(Vec::is_empty) {
        return Err(AudioError::Empty);
    }
    reporter.report(1.0);
    Ok(Audio {
        sample_rate: TARGET_RATE,
        channels,
    })
}

/// Why probing failed, as the client should read it.
fn probe_error(e: SymError, path: &Path) -> AudioError {
    match e {
        SymError::IoError(io) if io.kind() != std::io::ErrorKind::UnexpectedEof => AudioError::Io {
            path: path.to_path_buf(),
            source: io,
        },
        SymError::DecodeError(msg) => AudioError::Corrupt {
            reason: msg.to_string(),
        },
        // An MP4 is written with its index (moov) last by default; without it the file
        // was cut before its end.
        SymError::Unsupported(msg) if msg.contains("moov") => AudioError::Corrupt {
            reason: "the MP4 index (moov) is missing: the file is incomplete".into(),
        },
        _ => AudioError::Unsupported {
            reason: "not a recognised audio or video container".into(),
        },
    }
}

/// The codecs symphonia ships, plus Opus through libopus.
fn codecs() -> &'static CodecRegistry {
    static REGISTRY: OnceLock<CodecRegistry> = OnceLock::new();
    REGISTRY.get_or_init(|| {
        let mut registry = CodecRegistry::new();
        symphonia::default::register_enabled_codecs(&mut registry);
        registry.register_audio_decoder::<OpusDecoder>();
        registry
    })
}

/// The first audio track whose codec can be decoded; video and other tracks are skipped.
fn pick_track<'a>(tracks: &'a [Track], registry: &CodecRegistry) -> Result<&'a Track, AudioError> {
    let mut audio_seen = false;
    for track in tracks {
        if let Some(CodecParameters::Audio(params)) = &track.codec_params {
            audio_seen = true;
            if registry.get_audio_decoder(params.codec).is_some() {
                return Ok(track);
            }
        }
    }
    Err(AudioError::Unsupported {
        reason: if audio_seen {
            "the audio codec is not supported".into()
        } else {
            "the file has no audio track".into()
        },
    })
}

/// What the container says about the track's length, where it says anything.
struct StatedLength {
    secs: Option<f64>,
    /// Source-rate frames, for reserving the output up front.
    frames: Option<u64>,
}

impl StatedLength {
    fn of(track: &Track, media: &MediaInfo, sample_rate: Option<u32>) -> Self {
        let secs_of = |tb: Option<TimeBase>, d: Option<Duration>| match (tb, d) {
            (Some(tb), Some(d)) => tb.calc_duration(d).map(|t| t.as_secs_f64()),
            _ => None,
        };
        let secs_from_frames = match (track.num_frames, sample_rate) {
            (Some(n), Some(rate)) if rate > 0 => Some(n as f64 / f64::from(rate)),
            _ => None,
        };
        let secs = secs_of(track.time_base, track.duration)
            .or(secs_from_frames)
            .or_else(|| secs_of(media.time_base, media.duration))
            .filter(|s| s.is_finite() && *s > 0.0);
        let frames = match (secs, sample_rate) {
            (Some(s), Some(rate)) => Some((s * f64::from(rate)).ceil() as u64),
            _ => track.num_frames,
        };
        StatedLength { secs, frames }
    }
}

#[derive(Default)]
struct DecodeState {
    resampler: Option<StreamResampler>,
    good: usize,
    bad: usize,
    bad_in_a_row: usize,
}

/// Brings one decoded buffer to the resampler's channel count: two stay two, more
/// (or a layout change mid-stream) are averaged to one, one is copied where two are
/// expected.
fn fold_channels(planes: &mut Vec<Vec<f32>>, want: usize, frames: usize) {
    if planes.len() == want {
        return;
    }
    let count = planes.len().max(1) as f32;
    let mixed: Vec<f32> = (0..frames)
        .map(|i| planes.iter().map(|p| p[i]).sum::<f32>() / count)
        .collect();
    planes.clear();
    for _ in 0..want {
        planes.push(mixed.clone());
    }
}

/// Reports a non-decreasing fraction, only when it moved noticeably.
struct Progress<'a> {
    sink: &'a mut dyn FnMut(f32),
    last: f32,
}

impl<'a> Progress<'a> {
    fn new(sink: &'a mut dyn FnMut(f32)) -> Self {
        Progress { sink, last: -1.0 }
    }

    fn report(&mut self, fraction: f64) {
        let f = if fraction.is_finite() {
            fraction.clamp(0.0, 1.0) as f32
        } else {
            0.0
        };
        if f >= self.last + 0.005 || (f >= 1.0 && self.last < 1.0) {
            self.last = f;
            (self.sink)(f);
        }
    }
}

/// The file, counting how far into it the reader has got (for progress).
struct CountingSource {
    file: File,
    len: u64,
    pos: u64,
    read: Arc<AtomicU64>,
}

impl CountingSource {
    fn note(&mut self) {
        self.read.fetch_max(self.pos, Ordering::Relaxed);
    }
}

impl Read for CountingSource {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.file.read(buf)?;
        self.pos += n as u64;
        self.note();
        Ok(n)
    }
}

impl Seek for CountingSource {
    fn seek(&mut self, to: SeekFrom) -> std::io::Result<u64> {
        self.pos = self.file.seek(to)?;
        Ok(self.pos)
    }
}

impl MediaSource for CountingSource {
    fn is_seekable(&self) -> bool {
        true
    }

    fn byte_len(&self) -> Option<u64> {
        Some(self.len)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mono_averages_two_channels() {
        let a = Audio {
            sample_rate: TARGET_RATE,
            channels: vec![vec![1.0, 0.0, 0.5], vec![0.0, 1.0, 0.5]],
        };
        assert_eq!(a.mono(), vec![0.5, 0.5, 0.5]);
        assert!(a.is_stereo());
    }

    #[test]
    fn duration_counts_frames_not_samples() {
        let a = Audio {
            sample_rate: TARGET_RATE,
            channels: vec![vec![0.0; 8000], vec![0.0; 8000]],
        };
        assert!((a.duration_secs() - 0.5).abs() < 1e-9);
    }

    #[test]
    fn folding_more_than_two_channels_averages_them() {
        let mut planes = vec![vec![0.3, 0.3], vec![0.6, 0.0], vec![0.0, 0.0]];
        fold_channels(&mut planes, 1, 2);
        assert_eq!(planes.len(), 1);
        assert!((planes[0][0] - 0.3).abs() < 1e-6);
        assert!((planes[0][1] - 0.1).abs() < 1e-6);
    }

    #[test]
    fn progress_never_goes_back() {
        let mut seen = Vec::new();
        {
            let mut sink = |f: f32| seen.push(f);
            let mut p = Progress::new(&mut sink);
            for f in [0.0, 0.1, 0.05, 0.101, 0.5, f64::NAN, 2.0] {
                p.report(f);
            }
        }
        assert_eq!(seen, vec![0.0, 0.1, 0.5, 1.0]);
    }

    #[test]
    fn missing_file_is_an_io_error() {
        let err = decode_file(Path::new("/nonexistent/talentd.wav"), &mut |_| {}).unwrap_err();
        assert_eq!(err.code(), "media_io");
    }
}
