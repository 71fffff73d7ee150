//! Decoding real media files made with espeak-ng, sox and ffmpeg, and attributing the
//! spans of a synthetic two-voice interview.

use std::path::{Path, PathBuf};

use talentd_audio::{Audio, AudioError, Method, Side, Span, attribute, decode_file, turn_taking};

/// Test media made on the spot in a temporary folder.
mod media {
    use std::path::{Path, PathBuf};
    use std::process::Command;

    /// Runs a tool and fails the test with its stderr when it fails.
    pub fn run(program: &str, args: &[&str]) {
        let out = Command::new(program)
            .args(args)
            .output()
            .unwrap_or_else(|e| panic!("{program} could not start: {e}"));
        assert!(
            out.status.success(),
            "{program} {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// ffmpeg, quiet and overwriting.
    pub fn ffmpeg(args: &[&str]) {
        let mut all = vec!["-hide_banner", "-loglevel", "error", "-y"];
        all.extend_from_slice(args);
        run("ffmpeg", &all);
    }

    /// Speech by espeak-ng into a 22 050 Hz mono wav.
    pub fn speak(voice: &str, pitch: u32, speed: u32, text: &str, out: &Path) {
        let (p, s) = (pitch.to_string(), speed.to_string());
        run(
            "espeak-ng",
            &["-v", voice, "-p", &p, "-s", &s, "-w", path(out), text],
        );
    }

    /// Length of a sound file in seconds, as sox reads it.
    pub fn duration(file: &Path) -> f64 {
        let out = Command::new("soxi")
            .args(["-D", path(file)])
            .output()
            .expect("soxi runs");
        assert!(out.status.success());
        String::from_utf8_lossy(&out.stdout)
            .trim()
            .parse()
            .expect("soxi prints seconds")
    }

    /// Silence of `secs` seconds.
    pub fn silence(secs: f64, channels: u32, out: &Path) {
        run(
            "sox",
            &[
                "-n",
                "-r",
                "22050",
                "-c",
                &channels.to_string(),
                path(out),
                "trim",
                "0",
                &format!("{secs}"),
            ],
        );
    }

    pub fn path(p: &Path) -> &str {
        p.to_str().expect("temporary paths are UTF-8")
    }

    pub fn join(dir: &Path, name: &str) -> PathBuf {
        dir.join(name)
    }
}

use media::{duration, ffmpeg, join, path, run, silence, speak};

const INTERVIEWER_VOICE: (&str, u32, u32) = ("en-us+m3", 40, 160);
const CANDIDATE_VOICE: (&str, u32, u32) = ("en-gb+f4", 80, 170);

/// The interview script: who says what, in order. The interviewer asks short questions
/// (and makes a few remarks that are not questions); the candidate answers at length,
/// sometimes in two spans.
const SCRIPT: &[(Side, &str)] = &[
    (
        Side::Interviewer,
        "Hello, and thank you for joining us today.",
    ),
    (
        Side::Candidate,
        "Thank you for having me, I am glad to be here.",
    ),
    (
        Side::Interviewer,
        "Could you tell me about your current role?",
    ),
    (
        Side::Candidate,
        "I work as a backend engineer at a logistics company, where I build services that track parcels across Europe.",
    ),
    (
        Side::Candidate,
        "Most of my time goes into making those services reliable and fast under heavy load.",
    ),
    (
        Side::Interviewer,
        "What was the hardest problem you solved last year?",
    ),
    (
        Side::Candidate,
        "We had a memory leak that only appeared after several days of traffic, and I traced it to a cache that never evicted old entries.",
    ),
    (Side::Interviewer, "Interesting."),
    (Side::Interviewer, "How did you find it?"),
    (
        Side::Candidate,
        "I compared heap snapshots taken a day apart and looked for the objects that kept growing.",
    ),
    (
        Side::Interviewer,
        "Why do you want to leave your current job?",
    ),
    (
        Side::Candidate,
        "I would like to work on products that people use directly, and your team builds exactly that.",
    ),
    (
        Side::Candidate,
        "I also want to grow into a role where I mentor other engineers.",
    ),
    (
        Side::Interviewer,
        "Can you describe a time you disagreed with a colleague?",
    ),
    (
        Side::Candidate,
        "My colleague wanted to rewrite a service from scratch, so we measured both options and chose to improve it step by step.",
    ),
    (Side::Interviewer, "Thank you, that is very helpful."),
    (Side::Interviewer, "Do you have any questions for us?"),
    (
        Side::Candidate,
        "Yes, I would like to know how your team plans its work and how often you release.",
    ),
];

const GAP_SECS: f64 = 0.5;

/// A synthetic interview: the mono mix, the two-channel mix (each voice on its own
/// channel, with a little bleed into the other), and the true spans.
struct Interview {
    _dir: tempfile::TempDir,
    mono: PathBuf,
    stereo: PathBuf,
    spans: Vec<Span>,
    truth: Vec<Side>,
}

fn interview(script: &[(Side, &str)], same_voice: bool) -> Interview {
    interview_with(
        script,
        INTERVIEWER_VOICE,
        if same_voice {
            INTERVIEWER_VOICE
        } else {
            CANDIDATE_VOICE
        },
    )
}

fn interview_with(
    script: &[(Side, &str)],
    iv_voice: (&str, u32, u32),
    cand_voice: (&str, u32, u32),
) -> Interview {
    let dir = tempfile::tempdir().expect("temporary folder");
    let gap = join(dir.path(), "gap.wav");
    let gap2 = join(dir.path(), "gap2.wav");
    silence(GAP_SECS, 1, &gap);
    silence(GAP_SECS, 2, &gap2);
    let mut mono_parts: Vec<PathBuf> = vec![gap.clone()];
    let mut stereo_parts: Vec<PathBuf> = vec![gap2.clone()];
    let mut spans = Vec::new();
    let mut truth = Vec::new();
    let mut t = GAP_SECS;
    for (i, (side, text)) in script.iter().enumerate() {
        let (voice, pitch, speed) = match side {
            Side::Candidate => cand_voice,
            _ => iv_voice,
        };
        let utterance = join(dir.path(), &format!("u{i}.wav"));
        speak(voice, pitch, speed, text, &utterance);
        let secs = duration(&utterance);
        // Interviewer on the left, candidate on the right, each leaking at -20 dB.
        let two = join(dir.path(), &format!("s{i}.wav"));
        let remix: &[&str] = match side {
            Side::Interviewer => &["remix", "1", "1v0.1"],
            Side::Candidate => &["remix", "1v0.1", "1"],
        };
        let mut args = vec![path(&utterance), path(&two)];
        args.extend_from_slice(remix);
        run("sox", &args);
        spans.push(Span {
            start: t,
            end: t + secs,
            text: (*text).to_string(),
        });
        truth.push(*side);
        t += secs + GAP_SECS;
        mono_parts.extend([utterance, gap.clone()]);
        stereo_parts.extend([two, gap2.clone()]);
    }
    let mono = join(dir.path(), "interview.wav");
    let stereo = join(dir.path(), "interview-stereo.wav");
    for (parts, out) in [(&mono_parts, &mono), (&stereo_parts, &stereo)] {
        let mut args: Vec<&str> = parts.iter().map(|p| path(p)).collect();
        args.push(path(out));
        run("sox", &args);
    }
    let total = duration(&mono);
    assert!(
        (total - t).abs() < 0.01,
        "spans add up to {t}, the mix is {total}"
    );
    Interview {
        _dir: dir,
        mono,
        stereo,
        spans,
        truth,
    }
}

fn accuracy(got: &[Side], truth: &[Side]) -> f64 {
    assert_eq!(got.len(), truth.len());
    let right = got.iter().zip(truth).filter(|(a, b)| a == b).count();
    right as f64 / truth.len() as f64
}

fn decode(file: &Path) -> Result<Audio, AudioError> {
    decode_file(file, &mut |_| {})
}

#[test]
fn two_voices_on_one_channel_are_told_apart() {
    let iv = interview(SCRIPT, false);
    let audio = decode(&iv.mono).expect("the interview decodes");
    assert!(!audio.is_stereo());
    let att = attribute(&audio, &iv.spans, None);
    let acc = accuracy(&att.sides, &iv.truth);
    println!(
        "mono, two voices: accuracy {:.1}% of {} spans, method {:?}, confidence {:.2}",
        acc * 100.0,
        iv.spans.len(),
        att.method,
        att.confidence
    );
    assert_eq!(att.method, Method::Voices);
    assert!(acc >= 0.9, "accuracy {acc}");

    // Without question marks: the questions still open with question words, and the
    // voices carry the rest.
    let stripped: Vec<Span> = iv
        .spans
        .iter()
        .map(|s| Span {
            text: s.text.replace('?', "."),
            ..s.clone()
        })
        .collect();
    let att = attribute(&audio, &stripped, None);
    let acc = accuracy(&att.sides, &iv.truth);
    let baseline = accuracy(&turn_taking(&stripped).sides, &iv.truth);
    println!(
        "mono, no question marks: accuracy {:.1}% (turn-taking alone {:.1}%), method {:?}",
        acc * 100.0,
        baseline * 100.0,
        att.method
    );
    assert_eq!(att.method, Method::Voices);
    assert!(acc >= 0.9, "accuracy {acc}");
    assert!(acc > baseline, "the voices add nothing to turn-taking");

    // Without any text: only the voices and how long each talks.
    let silent: Vec<Span> = iv
        .spans
        .iter()
        .map(|s| Span {
            text: String::new(),
            ..s.clone()
        })
        .collect();
    let att = attribute(&audio, &silent, None);
    let acc = accuracy(&att.sides, &iv.truth);
    let baseline = accuracy(&turn_taking(&silent).sides, &iv.truth);
    println!(
        "mono, no text: accuracy {:.1}% (turn-taking alone {:.1}%), method {:?}",
        acc * 100.0,
        baseline * 100.0,
        att.method
    );
    assert!(acc >= 0.9, "accuracy {acc}");
    assert!(acc > baseline);
}

#[test]
fn two_channels_are_told_apart() {
    let iv = interview(SCRIPT, false);
    let audio = decode(&iv.stereo).expect("the interview decodes");
    assert!(audio.is_stereo());
    let att = attribute(&audio, &iv.spans, None);
    let acc = accuracy(&att.sides, &iv.truth);
    println!(
        "stereo: accuracy {:.1}% of {} spans, method {:?}, confidence {:.2}",
        acc * 100.0,
        iv.spans.len(),
        att.method,
        att.confidence
    );
    assert_eq!(att.method, Method::Channels);
    assert_eq!(acc, 1.0);
    // The client's channel wins; here it agrees with the talk-time guess.
    assert_eq!(attribute(&audio, &iv.spans, Some(1)).sides, iv.truth);
}

#[test]
fn one_voice_is_not_split_in_two() {
    let iv = interview(SCRIPT, true);
    let audio = decode(&iv.mono).expect("the interview decodes");
    let att = attribute(&audio, &iv.spans, None);
    let acc = accuracy(&att.sides, &iv.truth);
    println!(
        "mono, one voice: method {:?}, confidence {:.2}, accuracy {:.1}%",
        att.method,
        att.confidence,
        acc * 100.0
    );
    assert_eq!(att.method, Method::TurnTaking);
}

/// What a decoded file must look like: 16 kHz, the expected channel count, the source's
/// length within 50 ms, real signal, and progress that climbs to 1.
fn assert_decodes(file: &Path, source_secs: f64, channels: usize) -> Audio {
    let mut seen: Vec<f32> = Vec::new();
    let audio = decode_file(file, &mut |f| seen.push(f))
        .unwrap_or_else(|e| panic!("{} does not decode: {e} ({})", file.display(), e.code()));
    let name = file.file_name().and_then(|n| n.to_str()).unwrap_or("?");
    println!(
        "{name}: {:.3} s decoded, source {source_secs:.3} s, {} channel(s), {} progress reports",
        audio.duration_secs(),
        audio.channels.len(),
        seen.len()
    );
    assert_eq!(audio.sample_rate, 16_000, "{name}");
    assert_eq!(audio.channels.len(), channels, "{name}");
    assert!(
        (audio.duration_secs() - source_secs).abs() <= 0.05,
        "{name}: {} s decoded, the source is {source_secs} s",
        audio.duration_secs()
    );
    let rms = (audio.mono().iter().map(|v| v * v).sum::<f32>() / audio.mono().len() as f32).sqrt();
    assert!(rms > 0.01, "{name} decodes to near silence (rms {rms})");
    assert!(
        seen.windows(2).all(|w| w[0] <= w[1]),
        "{name}: progress went back: {seen:?}"
    );
    assert_eq!(seen.last(), Some(&1.0), "{name}: progress did not finish");
    assert!(seen.len() >= 3, "{name}: progress reported only {seen:?}");
    audio
}

const SENTENCE: &str = "Thank you for coming in today. Could you walk me through the last project you \
     shipped, and what you would do differently next time?";

#[test]
fn every_supported_format_decodes_to_16k() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let source = join(dir.path(), "source.wav");
    let (voice, pitch, speed) = INTERVIEWER_VOICE;
    speak(voice, pitch, speed, SENTENCE, &source);
    let secs = duration(&source);
    assert!(secs > 5.0);

    // The espeak-ng wav itself (22 050 Hz), then what ffmpeg makes of it.
    assert_decodes(&source, secs, 1);
    let cases: &[(&str, &[&str])] = &[
        ("pcm44k.wav", &["-c:a", "pcm_s16le", "-ar", "44100"]),
        ("same-rate.wav", &["-c:a", "pcm_s16le", "-ar", "16000"]),
        ("lossless.flac", &["-c:a", "flac"]),
        (
            "speech.mp3",
            &["-c:a", "libmp3lame", "-b:a", "64k", "-ar", "44100"],
        ),
        (
            "speech.m4a",
            &["-c:a", "aac", "-b:a", "96k", "-ar", "48000"],
        ),
        ("opus.ogg", &["-c:a", "libopus", "-b:a", "32k"]),
        ("vorbis.ogg", &["-c:a", "libvorbis"]),
        ("opus.webm", &["-c:a", "libopus", "-b:a", "32k"]),
        ("opus.mkv", &["-c:a", "libopus"]),
    ];
    for (name, codec) in cases {
        let out = join(dir.path(), name);
        let mut args = vec!["-i", path(&source)];
        args.extend_from_slice(codec);
        args.push(path(&out));
        ffmpeg(&args);
        assert_decodes(&out, secs, 1);
    }

    // A video: an h264 track first, then AAC audio. The video track is skipped.
    let video = join(dir.path(), "call.mp4");
    let length = format!("{:.3}", secs + 1.0);
    ffmpeg(&[
        "-f",
        "lavfi",
        "-i",
        &format!("color=c=black:s=64x64:r=25:d={length}"),
        "-i",
        path(&source),
        "-map",
        "0:v",
        "-map",
        "1:a",
        "-c:v",
        "libx264",
        "-pix_fmt",
        "yuv420p",
        "-c:a",
        "aac",
        "-ar",
        "48000",
        path(&video),
    ]);
    assert_decodes(&video, secs, 1);
}

#[test]
fn stereo_channels_stay_apart_and_more_channels_mix_down() {
    let dir = tempfile::tempdir().expect("temporary folder");
    // A tone on the left channel only.
    let tone = join(dir.path(), "left-tone.wav");
    run(
        "sox",
        &[
            "-n",
            "-r",
            "44100",
            "-c",
            "2",
            path(&tone),
            "synth",
            "3",
            "sine",
            "440",
            "remix",
            "1",
            "0",
        ],
    );
    let level = |c: &[f32]| (c.iter().map(|v| v * v).sum::<f32>() / c.len() as f32).max(1e-20);
    let check = |file: &Path, min_db: f32| {
        let audio = assert_decodes(file, 3.0, 2);
        let db = 10.0 * (level(&audio.channels[0]) / level(&audio.channels[1])).log10();
        println!("  left is {db:.1} dB above right");
        assert!(
            db >= min_db,
            "{}: left only {db} dB above right",
            file.display()
        );
    };
    check(&tone, 60.0);
    for (name, codec) in [
        ("left-tone.mp3", &["-c:a", "libmp3lame", "-b:a", "128k"][..]),
        ("left-tone.m4a", &["-c:a", "aac", "-b:a", "128k"][..]),
        ("left-tone.webm", &["-c:a", "libopus", "-b:a", "96k"][..]),
        ("left-tone.flac", &["-c:a", "flac"][..]),
    ] {
        let out = join(dir.path(), name);
        let mut args = vec!["-i", path(&tone)];
        args.extend_from_slice(codec);
        args.push(path(&out));
        ffmpeg(&args);
        check(&out, 20.0);
    }

    // Six channels are mixed down to one.
    let six = join(dir.path(), "six.wav");
    run(
        "sox",
        &[
            "-n",
            "-r",
            "48000",
            "-c",
            "6",
            path(&six),
            "synth",
            "2",
            "sine",
            "300",
        ],
    );
    assert_decodes(&six, 2.0, 1);
}

fn error_code(file: &Path) -> &'static str {
    match decode(file) {
        Ok(audio) => panic!(
            "{} decoded to {} s of audio",
            file.display(),
            audio.duration_secs()
        ),
        Err(e) => {
            println!("{}: {} ({e})", file.display(), e.code());
            e.code()
        }
    }
}

#[test]
fn files_that_are_not_audio_are_refused_with_a_code() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let html = join(dir.path(), "song.mp3");
    std::fs::write(
        &html,
        "<!DOCTYPE html>\n<html><head><title>404 Not Found</title></head>\n<body><h1>Not Found</h1>\
         <p>The requested URL was not found on this server.</p></body></html>\n"
            .repeat(20),
    )
    .expect("write");
    assert_eq!(error_code(&html), "unsupported_media");

    let empty = join(dir.path(), "empty.wav");
    std::fs::write(&empty, b"").expect("write");
    assert_eq!(error_code(&empty), "media_empty");

    let png = join(dir.path(), "picture.png");
    ffmpeg(&[
        "-f",
        "lavfi",
        "-i",
        "color=c=red:s=32x32",
        "-frames:v",
        "1",
        path(&png),
    ]);
    assert_eq!(error_code(&png), "unsupported_media");

    // A video with no sound at all.
    let silent_video = join(dir.path(), "silent.mp4");
    ffmpeg(&[
        "-f",
        "lavfi",
        "-i",
        "color=c=black:s=64x64:r=25:d=2",
        "-c:v",
        "libx264",
        "-pix_fmt",
        "yuv420p",
        path(&silent_video),
    ]);
    assert_eq!(error_code(&silent_video), "unsupported_media");

    assert_eq!(error_code(&join(dir.path(), "missing.wav")), "media_io");
}

#[test]
fn a_truncated_file_keeps_what_decoded() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let source = join(dir.path(), "source.wav");
    let (voice, pitch, speed) = CANDIDATE_VOICE;
    speak(voice, pitch, speed, &[SENTENCE; 3].join(" "), &source);
    let secs = duration(&source);
    let mp3 = join(dir.path(), "full.mp3");
    ffmpeg(&[
        "-i",
        path(&source),
        "-c:a",
        "libmp3lame",
        "-b:a",
        "64k",
        path(&mp3),
    ]);
    let bytes = std::fs::read(&mp3).expect("read");

    // The first 30 % of the bytes: cut mid-stream, about 30 % of the speech decodes.
    let cut = join(dir.path(), "cut.mp3");
    std::fs::write(&cut, &bytes[..bytes.len() * 3 / 10]).expect("write");
    let audio = decode(&cut).expect("a cut mp3 keeps what decoded");
    let share = audio.duration_secs() / secs;
    println!(
        "30 % of the bytes: {:.2} s of {secs:.2} s decoded ({:.0} %)",
        audio.duration_secs(),
        share * 100.0
    );
    assert!((0.25..=0.35).contains(&share), "{share}");

    // Cut so short that less than a second of sound is left: nothing worth keeping.
    let stub = join(dir.path(), "stub.mp3");
    std::fs::write(&stub, &bytes[..bytes.len().min(3000)]).expect("write");
    assert_eq!(error_code(&stub), "media_corrupt");

    // An m4a written with its index at the end, cut before the index.
    let m4a = join(dir.path(), "full.m4a");
    ffmpeg(&["-i", path(&source), "-c:a", "aac", path(&m4a)]);
    let bytes = std::fs::read(&m4a).expect("read");
    let cut = join(dir.path(), "cut.m4a");
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).expect("write");
    assert_eq!(error_code(&cut), "media_corrupt");
}

#[test]
fn recordings_over_four_hours_are_refused() {
    // A wav whose header announces five hours of 8 kHz, 8-bit mono; the body is short.
    let dir = tempfile::tempdir().expect("temporary folder");
    let data_len: u32 = 5 * 3600 * 8000;
    let mut wav = Vec::new();
    wav.extend_from_slice(b"RIFF");
    wav.extend_from_slice(&(36 + data_len).to_le_bytes());
    wav.extend_from_slice(b"WAVEfmt ");
    wav.extend_from_slice(&16u32.to_le_bytes());
    wav.extend_from_slice(&1u16.to_le_bytes()); // PCM
    wav.extend_from_slice(&1u16.to_le_bytes()); // mono
    wav.extend_from_slice(&8000u32.to_le_bytes());
    wav.extend_from_slice(&8000u32.to_le_bytes()); // bytes per second
    wav.extend_from_slice(&1u16.to_le_bytes()); // block align
    wav.extend_from_slice(&8u16.to_le_bytes()); // bits per sample
    wav.extend_from_slice(b"data");
    wav.extend_from_slice(&data_len.to_le_bytes());
    wav.extend(std::iter::repeat_n(128u8, 16_000));
    let long = join(dir.path(), "long.wav");
    std::fs::write(&long, &wav).expect("write");
    assert_eq!(error_code(&long), "media_too_long");
    assert_eq!(talentd_audio::MAX_DURATION_SECS, 4 * 3600);
}
