//! `talentd analyze FILE`: the analysis of one transcript or recording, offline, printed
//! as the JSON the API gives for an interview.

use crate::cli::AnalyzeArgs;
use anyhow::Context;
use std::io::IsTerminal;
use talentd_api::interviews::{analysis_view, scores_of};
use talentd_core::project::default_weights;
use talentd_core::transcript::{Segment, Transcript, parse_text};

pub fn analyze(args: AnalyzeArgs) -> anyhow::Result<()> {
    let ext = args
        .file
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    // A recording is told by its bytes, not its name.
    let (transcript, speech) = if talentd_fetch::sniff_file(&args.file).is_ok() {
        let (t, info) = transcribe(&args)?;
        (t, Some(info))
    } else {
        (read_transcript(&args, &ext)?, None)
    };
    let analyzer = crate::models::load_analyzer(&args.models_dir)?;
    let analysis = analyzer.analyze(&transcript, &default_weights())?;
    let out = serde_json::json!({
        "success": true,
        "status": "completed",
        "vacancy": args.vacancy,
        "match": analysis.match_score,
        "scores": scores_of(&analysis),
        "analysis": analysis_view(&analysis),
        "speech": speech,
        "transcript": speech.as_ref().map(|_| &transcript.segments),
    });
    println!("{}", serde_json::to_string_pretty(&out)?);
    Ok(())
}

/// Decodes and transcribes a recording, with a progress bar on a terminal.
fn transcribe(args: &AnalyzeArgs) -> anyhow::Result<(Transcript, talentd_jobs::SpeechInfo)> {
    let whisper = crate::models::load_whisper(&args.models_dir, &args.speech.stt_model)?;
    let bar = indicatif::ProgressBar::new(1000);
    // Off a terminal (a pipe, a test) the bar draws nothing.
    if !std::io::stderr().is_terminal() {
        bar.set_draw_target(indicatif::ProgressDrawTarget::hidden());
    }
    bar.set_style(
        indicatif::ProgressStyle::with_template("{msg:>12} [{bar:40}] {percent:>3}% {elapsed}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    bar.set_message("decoding");
    let audio = talentd_audio::decode_file(&args.file, &mut |f| {
        bar.set_position((f.clamp(0.0, 1.0) * 1000.0) as u64)
    })
    .with_context(|| format!("cannot decode {}", args.file.display()))?;
    bar.set_message("transcribing");
    bar.set_position(0);
    let options = talentd_jobs::MediaOptions {
        candidate_channel: args.candidate_channel,
        language: args.language.clone(),
        ..Default::default()
    };
    let result = talentd_jobs::recording::transcribe_audio(&whisper, &audio, &options, &mut |f| {
        bar.set_position((f.clamp(0.0, 1.0) * 1000.0) as u64)
    });
    bar.finish_and_clear();
    result.map_err(|e| anyhow::anyhow!("{e}"))
}

fn read_transcript(args: &AnalyzeArgs, ext: &str) -> anyhow::Result<Transcript> {
    let text = std::fs::read_to_string(&args.file)
        .with_context(|| format!("cannot read {}", args.file.display()))?;
    let transcript = if ext == "json" {
        let value: serde_json::Value =
            serde_json::from_str(&text).context("the file is not valid JSON")?;
        let segments = match value {
            serde_json::Value::Object(mut o) if o.contains_key("segments") => {
                o.remove("segments").unwrap_or_default()
            }
            v => v,
        };
        let segments: Vec<Segment> = serde_json::from_value(segments)
            .context("expected an array of {speaker, text, start?, end?}")?;
        Transcript { segments }.validated()?
    } else {
        parse_text(&text)?
    };
    Ok(transcript)
}
