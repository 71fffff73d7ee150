//! The interview pipeline: transcript → analysis → scores, report, events. Recordings
//! will add a stage in front (fetch, decode, speech-to-text) that produces the
//! transcript.

use crate::JobError;
use crate::worker::Ctx;
use serde_json::json;
use std::collections::BTreeMap;
use talentd_analysis::{Analysis, Outcome};
use talentd_core::event::{Event, EventType};
use talentd_core::interview::InterviewStatus;
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
    let Some(transcript) = interview.transcript.clone() else {
        return Err(JobError::Permanent {
            code: "unsupported_media",
            message: "recordings (media_url) cannot be analysed by this server yet: send the \
                      interview as a transcript"
                .into(),
        });
    };
    let weights = weights(ctx, &interview).await?;
    let analyzer = ctx
        .analyzer
        .clone()
        .ok_or_else(|| JobError::Transient("the analysis model is not loaded".into()))?;
    let analysis = tokio::task::spawn_blocking(move || analyzer.analyze(&transcript, &weights))
        .await
        .map_err(|e| JobError::Transient(format!("analysis crashed: {e}")))?
        .map_err(|e| JobError::Transient(format!("analysis failed: {e}")))?;

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
