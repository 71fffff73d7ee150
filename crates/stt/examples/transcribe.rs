//! Transcribes a 16 kHz mono 16-bit WAV file and prints its segments and the
//! real-time factor.
//!
//! ```sh
//! cargo run --release -p talentd-stt --example transcribe -- models/whisper-base clip.wav [lang]
//! ```

use std::path::Path;
use std::time::Instant;
use talentd_stt::{SAMPLE_RATE, TranscribeOptions, Whisper};

fn main() {
    if let Err(e) = run() {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    // `RUST_LOG=talentd_stt=debug` shows the time spent per window.
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .with_writer(std::io::stderr)
        .init();
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 3 {
        return Err("usage: transcribe MODEL_DIR WAV_16K_MONO [LANGUAGE]".into());
    }
    let samples = read_wav(Path::new(&args[2]))?;
    let started = Instant::now();
    let whisper = Whisper::load(Path::new(&args[1]))?;
    let load_secs = started.elapsed().as_secs_f64();

    let opts = TranscribeOptions {
        language: args.get(3).cloned(),
    };
    let started = Instant::now();
    let t = whisper.transcribe(&samples, &opts, &mut |_| {})?;
    let secs = started.elapsed().as_secs_f64();
    for s in &t.segments {
        println!("[{:7.2} -> {:7.2}] {}", s.start, s.end, s.text);
    }
    println!(
        "model {} | language {} | audio {:.2} s | load {:.2} s | transcribe {:.2} s | RTF {:.3}",
        whisper.name(),
        t.language,
        t.duration_secs,
        load_secs,
        secs,
        secs / t.duration_secs.max(1e-9)
    );
    Ok(())
}

/// Reads a 16 kHz mono WAV with 16-bit PCM samples, as `ffmpeg -ar 16000 -ac 1` writes.
fn read_wav(path: &Path) -> Result<Vec<f32>, Box<dyn std::error::Error>> {
    let mut reader = hound::WavReader::open(path)?;
    let spec = reader.spec();
    if spec.sample_rate as usize != SAMPLE_RATE || spec.channels != 1 {
        return Err(format!(
            "{} is {} Hz with {} channels; convert it with `ffmpeg -i IN -ar 16000 -ac 1 OUT.wav`",
            path.display(),
            spec.sample_rate,
            spec.channels
        )
        .into());
    }
    match spec.sample_format {
        hound::SampleFormat::Int if spec.bits_per_sample == 16 => Ok(reader
            .samples::<i16>()
            .map(|s| s.map(|v| f32::from(v) / 32768.0))
            .collect::<Result<_, _>>()?),
        hound::SampleFormat::Float => Ok(reader.samples::<f32>().collect::<Result<_, _>>()?),
        _ => Err("only 16-bit PCM or float WAV files are read".into()),
    }
}
