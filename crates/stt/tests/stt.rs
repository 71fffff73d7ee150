//! Whisper end to end on synthetic speech: English from espeak-ng, Russian from
//! Festival's Russian voice, silence. Needs the models (`scripts/fetch-models.sh`) and
//! the speech tools (`scripts/system-packages.sh --tests`).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, OnceLock};
use talentd_stt::{SAMPLE_RATE, TranscribeOptions, Transcription, Whisper};

const ENGLISH: [&str; 3] = [
    "Last year I led the migration of our billing system to a new platform.",
    "I organised a team of five engineers and we shipped a month early.",
    "When two people disagreed about the data model, I listened to both of them.",
];

const RUSSIAN: &str = "В прошлом году я руководил переносом платёжной системы на новую \
                       платформу. Я собрал команду из пяти инженеров, и мы закончили на \
                       месяц раньше срока.";

fn models_dir() -> PathBuf {
    std::env::var_os("TALENTD_MODELS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../models"))
}

fn model(name: &str) -> Arc<Whisper> {
    static TINY: OnceLock<Arc<Whisper>> = OnceLock::new();
    static BASE: OnceLock<Arc<Whisper>> = OnceLock::new();
    let cell = if name == "whisper-base" { &BASE } else { &TINY };
    cell.get_or_init(|| {
        let w = Whisper::load(&models_dir().join(name))
            .unwrap_or_else(|e| panic!("{e}: run scripts/fetch-models.sh before the tests"));
        Arc::new(w)
    })
    .clone()
}

fn run(cmd: &mut Command) {
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("{cmd:?}: {e} (run scripts/system-packages.sh --tests)"));
    assert!(
        out.status.success(),
        "{cmd:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Reads any WAV as 16 kHz mono f32, converting it with sox first.
fn load(raw: &Path) -> Vec<f32> {
    let wav = raw.with_extension("16k.wav");
    run(Command::new("sox")
        .arg(raw)
        .args(["-r", "16000", "-c", "1", "-b", "16", "-e", "signed-integer"])
        .arg(&wav));
    let mut reader = hound::WavReader::open(&wav).expect("wav");
    reader
        .samples::<i16>()
        .map(|s| f32::from(s.expect("sample")) / 32768.0)
        .collect()
}

fn espeak(dir: &Path, name: &str, text: &str) -> Vec<f32> {
    let raw = dir.join(format!("{name}.wav"));
    run(Command::new("espeak-ng")
        .args(["-v", "en-us", "-s", "150", "-w"])
        .arg(&raw)
        .arg(text));
    load(&raw)
}

fn festival_russian(dir: &Path, text: &str) -> Vec<f32> {
    let txt = dir.join("ru.txt");
    std::fs::write(&txt, text).expect("write");
    let raw = dir.join("ru.wav");
    run(Command::new("text2wave")
        .args(["-eval", "(voice_msu_ru_nsh_clunits)"])
        .arg(&txt)
        .arg("-o")
        .arg(&raw));
    load(&raw)
}

fn silence(secs: f64) -> Vec<f32> {
    vec![0.0; (secs * SAMPLE_RATE as f64) as usize]
}

/// Low white noise (a quiet room), deterministic.
fn room_noise(secs: f64) -> Vec<f32> {
    let mut x: u32 = 0x1234_5678;
    (0..(secs * SAMPLE_RATE as f64) as usize)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            (x as f32 / u32::MAX as f32 - 0.5) * 0.004
        })
        .collect()
}

fn words(text: &str) -> Vec<String> {
    text.to_lowercase()
        .replace("organized", "organised")
        .split(|c: char| !c.is_alphanumeric() && c != '\'')
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Word error rate: word-level edit distance over the reference's length.
fn wer(reference: &str, hypothesis: &str) -> f64 {
    let r = words(reference);
    let h = words(hypothesis);
    let mut prev: Vec<usize> = (0..=h.len()).collect();
    for (i, rw) in r.iter().enumerate() {
        let mut cur = vec![i + 1; h.len() + 1];
        for (j, hw) in h.iter().enumerate() {
            let sub = prev[j] + usize::from(rw != hw);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[h.len()] as f64 / r.len().max(1) as f64
}

fn text(t: &Transcription) -> String {
    t.segments
        .iter()
        .map(|s| s.text.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

fn transcribe(w: &Whisper, audio: &[f32], language: Option<&str>) -> Transcription {
    let opts = TranscribeOptions {
        language: language.map(str::to_owned),
    };
    w.transcribe(audio, &opts, &mut |_| {}).expect("transcribe")
}

fn assert_well_formed(t: &Transcription) {
    let mut last = 0.0;
    for s in &t.segments {
        assert!(s.start >= last - 1e-6, "segments out of order: {t:?}");
        assert!(s.end >= s.start, "{s:?}");
        assert!(s.end <= t.duration_secs + 0.5, "{s:?} past the end");
        assert!(!s.text.trim().is_empty(), "{s:?}");
        last = s.start;
    }
}

/// English speech with long silences between sentences: both models transcribe it
/// with a low word error rate, put the text where the speech is, and write nothing for
/// the silences (no repeated or invented text).
#[test]
fn english_speech_is_transcribed_with_timestamps_and_nothing_over_silence() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut audio = silence(3.0);
    let mut spoken = Vec::new();
    for (i, sentence) in ENGLISH.iter().enumerate() {
        let start = audio.len() as f64 / SAMPLE_RATE as f64;
        audio.extend(espeak(dir.path(), &format!("en{i}"), sentence));
        spoken.push((start, audio.len() as f64 / SAMPLE_RATE as f64));
        // A long pause: most of a 30 s window is silence and noise.
        audio.extend(room_noise(12.0));
    }
    let reference = ENGLISH.join(" ");
    // The base model is the default; tiny.en (the test suite's fast model) misses a
    // few more of espeak's words.
    for (name, max_wer) in [("whisper-tiny.en", 0.25), ("whisper-base", 0.15)] {
        let w = model(name);
        let mut seen = Vec::new();
        let opts = TranscribeOptions {
            language: Some("en".into()),
        };
        let t = w
            .transcribe(&audio, &opts, &mut |p| seen.push(p))
            .expect("transcribe");
        assert_well_formed(&t);
        let e = wer(&reference, &text(&t));
        println!("{name}: WER {:.1}% | {}", e * 100.0, text(&t));
        assert!(e <= max_wer, "{name}: WER {e:.3} on {:?}", text(&t));
        assert_eq!(t.language, "en");
        assert!((t.duration_secs - audio.len() as f64 / 16_000.0).abs() < 0.01);
        // Every segment lies over speech (give or take Whisper's 20 ms steps and
        // espeak's trailing quiet), none in the long pauses.
        for s in &t.segments {
            let mid = (s.start + s.end) / 2.0;
            assert!(
                spoken.iter().any(|(a, b)| mid >= a - 1.0 && mid <= b + 1.0),
                "{name}: segment {s:?} lies in silence; speech at {spoken:?}"
            );
        }
        // Each sentence is found near where it was spoken.
        for ((a, b), sentence) in spoken.iter().zip(ENGLISH) {
            let near: String = t
                .segments
                .iter()
                .filter(|s| s.end >= a - 1.0 && s.start <= b + 1.0)
                .map(|s| s.text.as_str())
                .collect::<Vec<_>>()
                .join(" ");
            assert!(
                wer(sentence, &near) <= 0.4,
                "{name}: {sentence:?} vs {near:?}"
            );
        }
        // Progress rises to 1.
        assert!(seen.windows(2).all(|p| p[0] <= p[1]), "{seen:?}");
        assert_eq!(seen.last().copied(), Some(1.0));
    }
}

/// Silence and room noise give no segments at all.
#[test]
fn silence_and_noise_give_no_text() {
    let mut audio = silence(20.0);
    audio.extend(room_noise(40.0));
    for name in ["whisper-tiny.en", "whisper-base"] {
        let t = transcribe(&model(name), &audio, None);
        assert!(t.segments.is_empty(), "{name}: {:?}", t.segments);
        assert!((t.duration_secs - 60.0).abs() < 0.01);
    }
    let t = transcribe(&model("whisper-tiny.en"), &[], None);
    assert!(t.segments.is_empty());
}

/// The multilingual model tells Russian from English by itself and writes Cyrillic.
#[test]
fn the_multilingual_model_detects_russian_and_english() {
    let dir = tempfile::tempdir().expect("tempdir");
    let base = model("whisper-base");
    assert!(base.multilingual());
    let ru = festival_russian(dir.path(), RUSSIAN);
    let t = transcribe(&base, &ru, None);
    assert_well_formed(&t);
    assert_eq!(t.language, "ru", "{t:?}");
    let said = text(&t).to_lowercase();
    println!("ru: {said}");
    for word in ["прошлом", "году", "платформу", "команду", "инженеров"]
    {
        assert!(said.contains(word), "{word:?} missing from {said:?}");
    }
    let en = espeak(dir.path(), "en", &ENGLISH.join(" "));
    let t = transcribe(&base, &en, None);
    assert_eq!(t.language, "en", "{t:?}");
}

/// Same audio, same transcript, segment for segment.
#[test]
fn transcription_is_deterministic() {
    let dir = tempfile::tempdir().expect("tempdir");
    let audio = espeak(dir.path(), "en", ENGLISH[0]);
    let w = model("whisper-tiny.en");
    let a = transcribe(&w, &audio, None);
    let b = transcribe(&w, &audio, None);
    assert!(!a.segments.is_empty());
    assert_eq!(a.segments, b.segments);
}

/// Clear errors: a language the model lacks, a folder without the model.
#[test]
fn unsupported_languages_and_missing_models_are_clear_errors() {
    let w = model("whisper-tiny.en");
    assert!(!w.multilingual());
    assert_eq!(w.name(), "whisper-tiny.en");
    let opts = TranscribeOptions {
        language: Some("ru".into()),
    };
    let err = w
        .transcribe(&silence(1.0), &opts, &mut |_| {})
        .expect_err("tiny.en cannot do Russian");
    assert_eq!(err.code(), "stt_language_unsupported");
    let opts = TranscribeOptions {
        language: Some("xx".into()),
    };
    let err = model("whisper-base")
        .transcribe(&silence(1.0), &opts, &mut |_| {})
        .expect_err("no such language");
    assert_eq!(err.code(), "stt_language_unsupported");

    let empty = tempfile::tempdir().expect("tempdir");
    let Err(err) = Whisper::load(empty.path()) else {
        panic!("loaded a model from an empty folder");
    };
    assert_eq!(err.code(), "stt_model_missing");
    assert!(err.to_string().contains("fetch-models.sh"), "{err}");
    std::fs::write(empty.path().join("model.bin"), b"not a model").expect("write");
    for f in ["config.json", "tokenizer.json", "vocabulary.txt"] {
        std::fs::copy(
            models_dir().join("whisper-tiny.en").join(f),
            empty.path().join(f),
        )
        .expect("copy");
    }
    let Err(err) = Whisper::load(empty.path()) else {
        panic!("loaded a broken model");
    };
    assert_eq!(err.code(), "stt_model_invalid", "{err}");
}
