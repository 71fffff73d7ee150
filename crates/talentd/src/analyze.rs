//! `talentd analyze FILE`: the analysis of one transcript, offline, printed as the JSON
//! the API gives for an interview.

use crate::cli::AnalyzeArgs;
use anyhow::{Context, bail};
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
    if matches!(ext.as_str(), "mp3" | "m4a" | "mp4" | "wav" | "ogg" | "webm") {
        bail!(
            "recordings need speech-to-text, which this build does not have yet: give a transcript (.txt, .vtt, .srt, .json)"
        );
    }
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
    let analyzer = crate::models::load_analyzer(&args.models_dir)?;
    let analysis = analyzer.analyze(&transcript, &default_weights())?;
    let out = serde_json::json!({
        "success": true,
        "status": "completed",
        "vacancy": args.vacancy,
        "match": analysis.match_score,
        "scores": scores_of(&analysis),
        "analysis": analysis_view(&analysis),
    });
    println!("{}", serde_json::to_string_pretty(&out)?);
    Ok(())
}
