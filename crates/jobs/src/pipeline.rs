//! The interview pipeline: transcript → analysis → scores, report, events. Recordings
//! add a stage in front (fetch, decode, speech-to-text, who spoke) that produces the
//! transcript.

use crate::progress::Progress;
use crate::recording::{self, SpeechInfo};
use crate::worker::Ctx;
use crate::{JobError, MediaOptions};
use serde_json::json;
use std::collections::BTreeMap;
use talentd_analysis::{Analysis, Outcome};
use talentd_core::event::{Event, EventType};
use talentd_core::interview::{InterviewStatus, Stage};
use talentd_core::project::{CompetencyWeights, default_weights};
use talentd_core::{InterviewId, JobId};
use talentd_store::{InterviewResult, InterviewRow};

/// The job kind that analyses an interview.
pub const ANALYZE_INTERVIEW: &str = "analyze_interview";

/// A new `analyze_interview` job for an interview.
pub fn analyze_job(interview: &InterviewRow, now: i64) -> talentd_store::NewJob {
    talentd_store::NewJob {
        id: JobId::generate(),
        kind: ANALYZE_INTERVIEW.to_owned(),
        org_id: Some(interview.org_id.clone()),
        subject_id: interview.id.to_string(),
        max_attempts: 5,
        run_at: now,
    }
}

/// The weights of the interview's vacancy: its project's, its vacancy's, or balanced.
async fn weights(ctx: &Ctx, i: &InterviewRow) -> Result<CompetencyWeights, JobError> {
    if let Some(project) = &i.project_id
        && let Some(p) = ctx.store.get_project(&i.org_id, project).await?
    {
        return Ok(p.competency_weights);
    }
    Ok(ctx
        .store
        .get_vacancy(&i.org_id, &i.vacancy_id)
        .await?
        .map(|v| v.competency_weights)
        .unwrap_or_else(default_weights))
}

/// Public link of an interview's report.
pub fn report_url(public_url: &str, token: &str) -> String {
    format!("{}/r/{token}", public_url.trim_end_matches('/'))
}

/// Score per skill, as the API and events show them.
pub fn score_map(a: &Analysis) -> Option<BTreeMap<&'static str, f64>> {
    a.scores
        .as_ref()
        .map(|s| s.iter().map(|(c, v)| (c.as_str(), v.score)).collect())
}

pub(crate) async fn analyze_interview(
    ctx: &Ctx,
    job_id: &JobId,
    subject: &str,
) -> Result<(), JobError> {
    let Some(id) = InterviewId::parse(subject) else {
        return Err(JobError::Permanent {
            code: "invalid_job",
            message: format!("not an interview id: {subject}"),
        });
    };
    let Some(interview) = ctx.store.get_interview_any_org(&id).await? else {
        // Deleted meanwhile: nothing to do.
        ctx.store
            .drop_job(job_id, "interview no longer exists", ctx.now_ms())
            .await?;
        return Ok(());
    };
    if interview.status != InterviewStatus::Processing {
        ctx.store
            .drop_job(job_id, "interview already finished", ctx.now_ms())
            .await?;
        return Ok(());
    }
    let has_media = interview.media.is_some();
    let progress = Progress::new(has_media);
    let reporter = progress.report(
        ctx.store.clone(),
        interview.id.clone(),
        std::time::Duration::from_secs(1),
    );
    let result = run(ctx, &interview, &progress).await;
    reporter.abort();
    let analysis = result?;

    let now = ctx.now_ms();
    let url = report_url(&ctx.config.public_url, &interview.report_token);
    let scores = score_map(&analysis);
    let insufficient = match &analysis.outcome {
        Outcome::Scored => None,
        Outcome::InsufficientEvidence { reason } => Some(reason.clone()),
    };
    let base = json!({
        "id": interview.id,
        "candidate_id": interview.candidate_id,
        "vacancy_id": interview.vacancy_id,
    });
    let completed = json!({
        "id": interview.id,
        "candidate_id": interview.candidate_id,
        "vacancy_id": interview.vacancy_id,
        "status": "completed",
        "match": analysis.match_score,
        "scores": scores,
        "insufficient_evidence": insufficient,
        "report_url": url,
    });
    let mut completed = completed;
    if interview.source == talentd_core::interview::InterviewSource::Live {
        // A session's events name it as the talentoBot API does.
        completed["session_id"] = json!(interview.id.session_id());
        completed["project_id"] = json!(interview.project_id);
    }
    let mut report = base.clone();
    report["report_url"] = json!(url);
    report["recommendation"] = json!(analysis.recommendation);
    let scored = json!({
        "candidate_id": interview.candidate_id,
        "interview_id": interview.id,
        "match": analysis.match_score,
        "scores": scores,
    });
    let events = vec![
        Event::new(
            interview.org_id.clone(),
            EventType::InterviewCompleted,
            completed,
            now,
        ),
        Event::new(
            interview.org_id.clone(),
            EventType::ReportReady,
            report,
            now,
        ),
        Event::new(
            interview.org_id.clone(),
            EventType::CandidateScored,
            scored,
            now,
        ),
    ];
    let result = InterviewResult {
        interview_id: interview.id.clone(),
        analysis: serde_json::to_value(&analysis)
            .map_err(|e| JobError::Transient(format!("cannot encode the analysis: {e}")))?,
        match_score: analysis.match_score,
        events,
        job_id: job_id.clone(),
        now,
    };
    ctx.store.complete_interview(&result).await?;
    Ok(())
}

/// Most of the candidate's words that may be transcribed with low confidence before
/// the interview is not scored.
const MAX_LOW_CONFIDENCE_SHARE: f32 = 0.3;

/// The stages: a recording's transcript (made now, or kept from an earlier attempt),
/// then the analysis.
async fn run(
    ctx: &Ctx,
    interview: &InterviewRow,
    progress: &Progress,
) -> Result<Analysis, JobError> {
    let (transcript, speech) = match (&interview.transcript, &interview.media) {
        (Some(t), _) => (
            t.clone(),
            interview
                .speech
                .clone()
                .and_then(|s| serde_json::from_value::<SpeechInfo>(s).ok()),
        ),
        (None, Some(media)) => {
            let options: MediaOptions =
                serde_json::from_value(media.clone()).map_err(|e| JobError::Permanent {
                    code: "invalid_job",
                    message: format!("the recording's options do not decode: {e}"),
                })?;
            let (t, info) = recording::transcribe(ctx, interview, &options, progress).await?;
            let info_json = serde_json::to_value(&info)
                .map_err(|e| JobError::transient(format!("cannot encode: {e}")))?;
            ctx.store
                .set_interview_transcript(&interview.id, &t, &info_json, ctx.now_ms())
                .await?;
            (t, Some(info))
        }
        (None, None) => {
            return Err(JobError::Permanent {
                code: "invalid_job",
                message: "the interview has neither a transcript nor a recording".into(),
            });
        }
    };
    progress.set(Stage::Analyzing, 0.0);
    let weights = weights(ctx, interview).await?;
    let analyzer = ctx
        .engines
        .analyzer
        .clone()
        .ok_or_else(|| JobError::transient("the analysis model is not loaded"))?;
    // Speech that was heard badly is not scored: the words may not be the candidate's.
    let gate = speech
        .as_ref()
        .filter(|s| s.low_confidence_share > MAX_LOW_CONFIDENCE_SHARE)
        .map(|s| {
            format!(
                "{:.0}% of the candidate's words were transcribed with low confidence \
                 (a noisy or quiet recording, or a language other than {}).",
                s.low_confidence_share * 100.0,
                s.language
            )
        });
    tokio::task::spawn_blocking(move || analyzer.analyze_gated(&transcript, &weights, gate))
        .await
        .map_err(|e| JobError::transient(format!("analysis crashed: {e}")))?
        .map_err(|e| JobError::transient(format!("analysis failed: {e}")))
}
