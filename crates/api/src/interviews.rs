//! Interviews (TalentMind): submit a recording URL or a transcript for analysis, read
//! its status, scores, evidence and report link.

use crate::AppState;
use crate::auth::Principal;
use crate::envelope::ListOut;
use crate::error::ApiError;
use crate::extract::{Json, PathId, Query, parse_json};
use crate::pagination::paging;
use axum::extract::{FromRequest, Multipart, Request, State};
use axum::http::{StatusCode, header};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::PathBuf;
use talentd_analysis::{Analysis, Outcome};
use talentd_core::id::{random_token, valid_external_id};
use talentd_core::interview::{InterviewSource, InterviewStatus, Stage};
use talentd_core::project::default_weights;
use talentd_core::timefmt::{format_millis, to_millis};
use talentd_core::transcript::{Segment, Transcript, TranscriptError, parse_text};
use talentd_core::{InterviewId, ProjectId};
use talentd_jobs::MediaOptions;
use talentd_store::{CandidateRow, InterviewRow, NewInterview, VacancyRow};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_interview, list_interviews))
        .routes(routes!(get_interview))
}

/// An interview to analyse: exactly one of `media_url` and `transcript`.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "candidate_id": "cand_4f21",
    "vacancy_id": "ui-engineer",
    "media_url": "https://cdn.acme.io/int-204.mp4"
}))]
pub struct InterviewIn {
    /// The client's own candidate id; the candidate is created on first reference.
    pub candidate_id: String,
    /// The client's vacancy key, or a project id (`prj_...`) whose weights to use.
    pub vacancy_id: String,
    /// URL of the recording (mp4, mp3, m4a).
    pub media_url: Option<String>,
    /// The transcript: an array of `{speaker: interviewer|candidate, text, start?, end?}`,
    /// or text: `Speaker: text` lines, WebVTT with `<v Speaker>` tags, or SRT.
    #[schema(schema_with = transcript_schema)]
    pub transcript: Option<serde_json::Value>,
    pub candidate_name: Option<String>,
    pub candidate_email: Option<String>,
    /// For a stereo recording: the channel that carries the candidate (`0`/`left` or
    /// `1`/`right`); detected by talk share when absent.
    #[schema(schema_with = channel_schema)]
    pub candidate_channel: Option<serde_json::Value>,
    /// For a recording: the interviewer's time ranges in seconds, `[[start, end], ...]`,
    /// when the client knows them; they decide who spoke.
    #[schema(value_type = Option<Vec<Vec<f64>>>)]
    pub interviewer_segments: Option<serde_json::Value>,
    /// For a recording: the spoken language (`en`, `ru`, ...); detected when absent.
    pub language: Option<String>,
}

/// `transcript`: segments or text (what [`transcript_of`] reads), or null.
fn transcript_schema() -> utoipa::openapi::schema::Schema {
    use utoipa::openapi::Ref;
    use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, OneOfBuilder, Type};
    OneOfBuilder::new()
        .item(ArrayBuilder::new().items(Ref::from_schema_name("Segment")))
        .item(ObjectBuilder::new().schema_type(Type::String))
        .item(ObjectBuilder::new().schema_type(Type::Null))
        .build()
        .into()
}

/// `candidate_channel`: 0 or 1, `left` or `right` (what [`MediaFields::options`] reads),
/// or null.
fn channel_schema() -> utoipa::openapi::schema::Schema {
    use utoipa::openapi::schema::{ObjectBuilder, OneOfBuilder, Type};
    OneOfBuilder::new()
        .item(
            ObjectBuilder::new()
                .schema_type(Type::Integer)
                .enum_values(Some([0, 1])),
        )
        .item(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .enum_values(Some(["0", "1", "left", "right"])),
        )
        .item(ObjectBuilder::new().schema_type(Type::Null))
        .build()
        .into()
}

/// The answer to a submission.
#[derive(Serialize, Deserialize, utoipa::ToSchema)]
pub struct InterviewAcceptedOut {
    pub success: bool,
    /// `int_...`
    pub id: String,
    /// `processing`
    pub status: InterviewStatus,
    pub created_at: String,
}

/// Why an interview failed.
#[derive(Serialize, Deserialize, utoipa::ToSchema)]
pub struct InterviewErrorOut {
    /// e.g. `unsupported_media`, `analysis_failed`.
    pub code: String,
    pub message: String,
}

/// An interview with its result.
#[derive(Serialize, Deserialize, utoipa::ToSchema)]
pub struct InterviewOut {
    pub success: bool,
    pub id: String,
    /// `processing`, `completed` or `failed`.
    pub status: InterviewStatus,
    /// Match for the vacancy in [0, 1]; null until completed or when evidence is insufficient.
    #[serde(rename = "match")]
    pub match_score: Option<f64>,
    /// Link to the human-readable report page.
    pub report_url: String,
    /// Score per skill in [0, 1]; null until completed or when evidence is insufficient.
    #[schema(value_type = Option<Object>)]
    pub scores: Option<BTreeMap<String, f64>>,
    pub candidate_id: String,
    pub vacancy_id: String,
    pub project_id: Option<String>,
    /// `upload` or `live`.
    pub source: InterviewSource,
    /// While processing: `queued`, `fetching`, `decoding`, `transcribing` or `analyzing`.
    pub stage: Option<Stage>,
    /// Overall progress of processing in [0, 1].
    pub progress: f64,
    /// For a recording: the speech-to-text model, language, duration, how speech was
    /// attributed to the candidate, and the share heard with low confidence.
    #[schema(value_type = Option<Object>)]
    pub speech: Option<serde_json::Value>,
    pub created_at: String,
    pub updated_at: String,
    pub completed_at: Option<String>,
    /// Set when `status` is `failed`.
    pub error: Option<InterviewErrorOut>,
    /// Per skill: score, confidence and evidence; strengths, risks, summary, versions.
    #[schema(value_type = Option<Object>)]
    pub analysis: Option<serde_json::Value>,
    /// With `?include=transcript`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transcript: Option<Vec<Segment>>,
    /// A recruiter's decision over the AI's `analysis.recommendation`, when one was
    /// made in the dashboard (the newest; the dashboard keeps every change).
    pub human_recommendation: Option<HumanDecisionOut>,
}

/// A recruiter's decision.
#[derive(Serialize, Deserialize, utoipa::ToSchema, Clone, Debug)]
pub struct HumanDecisionOut {
    /// `strongly_recommended`, `recommended`, `consider` or `not_recommended`.
    pub recommendation: String,
    pub reason: String,
    /// The recruiter's email.
    pub by: String,
    pub at: String,
}

/// The newest recruiter decision on an interview.
pub async fn human_decision(
    state: &AppState,
    i: &InterviewRow,
) -> Result<Option<HumanDecisionOut>, ApiError> {
    Ok(state
        .store
        .list_overrides(&i.org_id, &i.id)
        .await?
        .into_iter()
        .next()
        .map(|o| HumanDecisionOut {
            recommendation: o.recommendation,
            reason: o.reason,
            by: o.user_email,
            at: format_millis(o.created_at),
        }))
}

/// Score per skill.
pub fn scores_of(a: &Analysis) -> Option<BTreeMap<String, f64>> {
    a.scores.as_ref().map(|s| {
        s.iter()
            .map(|(c, v)| (c.as_str().to_owned(), v.score))
            .collect()
    })
}

/// The analysis as the API shows it.
pub fn analysis_view(a: &Analysis) -> serde_json::Value {
    let (outcome, reason) = match &a.outcome {
        Outcome::Scored => ("scored", None),
        Outcome::InsufficientEvidence { reason } => ("insufficient_evidence", Some(reason)),
    };
    let skills = a.scores.as_ref().map(|s| {
        s.iter()
            .map(|(c, v)| (c.as_str().to_owned(), serde_json::json!(v)))
            .collect::<serde_json::Map<_, _>>()
    });
    serde_json::json!({
        "outcome": outcome,
        "reason": reason,
        "skills": skills,
        "strengths": a.strengths,
        "risks": a.risks,
        "summary": a.summary,
        "recommendation": a.recommendation,
        "candidate_words": a.candidate_words,
        "model_version": a.model_version,
        "rubric_version": a.rubric_version,
    })
}

/// Reads a stored analysis; a row that does not decode is reported, not hidden.
pub fn stored_analysis(i: &InterviewRow) -> Result<Option<Analysis>, ApiError> {
    i.analysis
        .clone()
        .map(serde_json::from_value::<Analysis>)
        .transpose()
        .map_err(|e| ApiError::internal(&e))
}

impl InterviewOut {
    pub fn build(
        i: &InterviewRow,
        public_url: &str,
        with_transcript: bool,
    ) -> Result<Self, ApiError> {
        let analysis = stored_analysis(i)?;
        Ok(Self {
            success: true,
            id: i.id.to_string(),
            status: i.status,
            match_score: i.match_score,
            report_url: talentd_jobs::report_url(public_url, &i.report_token),
            scores: analysis.as_ref().and_then(scores_of),
            candidate_id: i.candidate_id.clone(),
            vacancy_id: i.vacancy_id.clone(),
            project_id: i.project_id.as_ref().map(|p| p.to_string()),
            source: i.source,
            stage: match i.status {
                InterviewStatus::Processing => Some(i.stage.unwrap_or(Stage::Queued)),
                _ => None,
            },
            progress: if i.status == InterviewStatus::Processing {
                i.progress
            } else {
                1.0
            },
            speech: i.speech.clone(),
            created_at: format_millis(i.created_at),
            updated_at: format_millis(i.updated_at),
            completed_at: i.completed_at.map(format_millis),
            error: i.error_code.as_ref().map(|code| InterviewErrorOut {
                code: code.clone(),
                message: i.error_message.clone().unwrap_or_default(),
            }),
            analysis: analysis.as_ref().map(analysis_view),
            transcript: if with_transcript {
                i.transcript.as_ref().map(|t| t.segments.clone())
            } else {
                None
            },
            human_recommendation: None,
        })
    }
}

fn transcript_error(param: &str, e: TranscriptError) -> ApiError {
    let param = match &e.path {
        Some(p) if p.starts_with('[') => format!("{param}{p}"),
        Some(p) => format!("{param} ({p})"),
        None => param.to_owned(),
    };
    ApiError::invalid(&param, format!("invalid transcript: {}", e.message))
}

/// Parses the `transcript` field: segments or text.
fn transcript_of(value: serde_json::Value) -> Result<Transcript, ApiError> {
    match value {
        serde_json::Value::String(text) => {
            parse_text(&text).map_err(|e| transcript_error("transcript", e))
        }
        serde_json::Value::Array(ref items) => {
            // serde would read a segment from an array by position.
            if let Some(i) = items.iter().position(|s| !s.is_object()) {
                return Err(ApiError::invalid(
                    &format!("transcript[{i}]"),
                    "a segment is an object {speaker, text, start?, end?}",
                ));
            }
            let bytes = serde_json::to_vec(&value).map_err(|e| ApiError::internal(&e))?;
            let segments: Vec<Segment> = parse_json(&bytes).map_err(|mut e| {
                e.param = Some(
                    format!(
                        "transcript{}",
                        e.param
                            .as_deref()
                            .map(|p| format!(".{p}"))
                            .unwrap_or_default()
                    )
                    .replace(".[", "["),
                );
                e
            })?;
            Transcript { segments }
                .validated()
                .map_err(|e| transcript_error("transcript", e))
        }
        _ => Err(ApiError::invalid(
            "transcript",
            "transcript must be an array of segments or a text",
        )),
    }
}

fn media_url(raw: &str) -> Result<String, ApiError> {
    let raw = raw.trim();
    let url = url::Url::parse(raw)
        .map_err(|_| ApiError::invalid("media_url", "media_url must be an absolute http(s) URL"))?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(ApiError::invalid(
            "media_url",
            "media_url must be an http or https URL",
        ));
    }
    if raw.len() > 2048 {
        return Err(ApiError::invalid(
            "media_url",
            "media_url must be at most 2048 characters",
        ));
    }
    Ok(url.to_string())
}

/// A trimmed optional text field: empty is absent, longer than `max` characters is a 400
/// naming `param`.
pub(crate) fn optional_text(
    param: &str,
    v: Option<String>,
    max: usize,
) -> Result<Option<String>, ApiError> {
    match v.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty()) {
        Some(s) if s.chars().count() > max => Err(ApiError::invalid(
            param,
            format!("{param} must be at most {max} characters"),
        )),
        other => Ok(other),
    }
}

/// A submission, from JSON or multipart.
struct Submission {
    candidate_id: String,
    vacancy_id: String,
    media_url: Option<String>,
    transcript: Option<Transcript>,
    candidate_name: Option<String>,
    candidate_email: Option<String>,
    /// For a recording (a `media_url` or an upload).
    media: Option<MediaOptions>,
    upload: Option<SavedUpload>,
}

/// A recording written to the media folder; removed again unless kept, so that a
/// refused submission leaves no file behind.
struct SavedUpload {
    path: PathBuf,
    bytes: u64,
    keep: bool,
}

impl Drop for SavedUpload {
    fn drop(&mut self) {
        if !self.keep {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

/// The recording options given as JSON values (JSON body) or text (multipart).
#[derive(Default)]
struct MediaFields {
    candidate_channel: Option<serde_json::Value>,
    interviewer_segments: Option<serde_json::Value>,
    language: Option<String>,
}

impl MediaFields {
    /// Checks each option; `recording` says whether a recording comes with them.
    fn options(self, recording: bool) -> Result<Option<MediaOptions>, ApiError> {
        if !recording {
            if let Some(name) = [
                ("candidate_channel", self.candidate_channel.is_some()),
                ("interviewer_segments", self.interviewer_segments.is_some()),
                ("language", self.language.is_some()),
            ]
            .iter()
            .find(|(_, given)| *given)
            .map(|(n, _)| *n)
            {
                return Err(ApiError::invalid(
                    name,
                    format!("{name} applies to recordings only (media_url or a media file)"),
                ));
            }
            return Ok(None);
        }
        let candidate_channel = match self.candidate_channel {
            None | Some(serde_json::Value::Null) => None,
            Some(v) => Some(
                match v
                    .as_u64()
                    .map(|n| n.to_string())
                    .or_else(|| v.as_str().map(|s| s.trim().to_ascii_lowercase()))
                    .as_deref()
                {
                    Some("0" | "left") => 0,
                    Some("1" | "right") => 1,
                    _ => {
                        return Err(ApiError::invalid(
                            "candidate_channel",
                            "candidate_channel must be 0 (left) or 1 (right)",
                        ));
                    }
                },
            ),
        };
        let interviewer_segments = match self.interviewer_segments {
            None | Some(serde_json::Value::Null) => None,
            Some(v) => Some(time_ranges(&v)?),
        };
        let language = match self.language.map(|l| l.trim().to_ascii_lowercase()) {
            None => None,
            Some(l) if l.is_empty() => None,
            Some(l) if (2..=3).contains(&l.len()) && l.chars().all(|c| c.is_ascii_lowercase()) => {
                Some(l)
            }
            Some(_) => {
                return Err(ApiError::invalid(
                    "language",
                    "language must be a two-letter code such as en or ru",
                ));
            }
        };
        Ok(Some(MediaOptions {
            candidate_channel,
            interviewer_segments,
            language,
            uploaded_bytes: None,
        }))
    }
}

/// `[[start, end], ...]` or `[{"start": s, "end": e}, ...]` in seconds.
fn time_ranges(v: &serde_json::Value) -> Result<Vec<(f64, f64)>, ApiError> {
    let bad = |i: usize, why: &str| {
        ApiError::invalid(&format!("interviewer_segments[{i}]"), why.to_owned())
    };
    let items = v.as_array().ok_or_else(|| {
        ApiError::invalid(
            "interviewer_segments",
            "interviewer_segments must be an array of [start, end] pairs in seconds",
        )
    })?;
    if items.len() > talentd_core::transcript::MAX_SEGMENTS {
        return Err(ApiError::invalid(
            "interviewer_segments",
            "interviewer_segments has too many ranges",
        ));
    }
    items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let (start, end) = match item {
                serde_json::Value::Array(pair) if pair.len() == 2 => {
                    (pair[0].as_f64(), pair[1].as_f64())
                }
                serde_json::Value::Object(o) => (
                    o.get("start").and_then(|x| x.as_f64()),
                    o.get("end").and_then(|x| x.as_f64()),
                ),
                _ => (None, None),
            };
            match (start, end) {
                (Some(s), Some(e)) if s.is_finite() && e.is_finite() && s >= 0.0 && e > s => {
                    Ok((s, e))
                }
                (Some(_), Some(_)) => Err(bad(i, "each range needs 0 <= start < end")),
                _ => Err(bad(i, "each range is [start, end] in seconds")),
            }
        })
        .collect()
}

/// Streams the `media` part to the media folder, checking its size and that its
/// bytes are audio or video.
async fn save_upload(
    mut field: axum::extract::multipart::Field<'_>,
    dest: PathBuf,
    limit: u64,
) -> Result<SavedUpload, ApiError> {
    use tokio::io::AsyncWriteExt;
    if let Some(dir) = dest.parent() {
        tokio::fs::create_dir_all(dir)
            .await
            .map_err(|e| ApiError::internal(&e))?;
    }
    let mut saved = SavedUpload {
        path: dest,
        bytes: 0,
        keep: false,
    };
    let mut file = tokio::fs::File::create(&saved.path)
        .await
        .map_err(|e| ApiError::internal(&e))?;
    loop {
        match field.chunk().await {
            Ok(Some(bytes)) => {
                saved.bytes += bytes.len() as u64;
                if saved.bytes > limit {
                    return Err(ApiError::for_status(StatusCode::PAYLOAD_TOO_LARGE));
                }
                file.write_all(&bytes)
                    .await
                    .map_err(|e| ApiError::internal(&e))?;
            }
            Ok(None) => break,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                return Err(ApiError::for_status(StatusCode::PAYLOAD_TOO_LARGE));
            }
            Err(e) => {
                return Err(ApiError::invalid("media", format!("unreadable part: {e}")));
            }
        }
    }
    file.flush().await.map_err(|e| ApiError::internal(&e))?;
    drop(file);
    if saved.bytes == 0 {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "media_empty",
            "the media file is empty",
        )
        .param("media"));
    }
    if let Err(e) = talentd_fetch::sniff_file(&saved.path) {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "unsupported_media",
            format!("the media file is not a recording talentd can read: {e}"),
        )
        .param("media"));
    }
    Ok(saved)
}

fn checked_ids(candidate_id: &str, vacancy_id: &str) -> Result<(), ApiError> {
    if !valid_external_id(candidate_id) {
        return Err(ApiError::invalid(
            "candidate_id",
            "candidate_id must be 1 to 128 letters, digits or _ - . : @",
        ));
    }
    if !valid_external_id(vacancy_id) {
        return Err(ApiError::invalid(
            "vacancy_id",
            "vacancy_id must be 1 to 128 letters, digits or _ - . : @",
        ));
    }
    Ok(())
}

/// An optional email address in the field `param`: trimmed, at most 254 characters, and
/// shaped like `local@domain.tld` with no whitespace.
pub(crate) fn checked_email(
    param: &str,
    email: Option<String>,
) -> Result<Option<String>, ApiError> {
    let email = optional_text(param, email, 254)?;
    if email.as_ref().is_some_and(|e| {
        let mut parts = e.splitn(2, '@');
        let (local, domain) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
        local.is_empty() || !domain.contains('.') || e.contains(char::is_whitespace)
    }) {
        return Err(ApiError::invalid(
            param,
            format!("{param} is not an email address"),
        ));
    }
    Ok(email)
}

impl Submission {
    fn from_json(input: InterviewIn) -> Result<Self, ApiError> {
        checked_ids(&input.candidate_id, &input.vacancy_id)?;
        let fields = MediaFields {
            candidate_channel: input.candidate_channel,
            interviewer_segments: input.interviewer_segments,
            language: input.language,
        };
        let media = fields.options(input.media_url.is_some() && input.transcript.is_none())?;
        let (media_url, transcript) = match (input.media_url, input.transcript) {
            (Some(_), Some(_)) => {
                return Err(ApiError::invalid(
                    "transcript",
                    "give either media_url or transcript, not both",
                ));
            }
            (None, None) => {
                return Err(ApiError::invalid(
                    "media_url",
                    "give media_url (a recording) or transcript",
                ));
            }
            (Some(url), None) => (Some(media_url(&url)?), None),
            (None, Some(t)) => (None, Some(transcript_of(t)?)),
        };
        Ok(Self {
            candidate_id: input.candidate_id,
            vacancy_id: input.vacancy_id,
            media_url,
            transcript,
            candidate_name: optional_text("candidate_name", input.candidate_name, 200)?,
            candidate_email: checked_email("candidate_email", input.candidate_email)?,
            media,
            upload: None,
        })
    }

    /// Multipart: text fields plus a `transcript` file (.txt, .vtt, .srt or .json) or a
    /// `media` file (a recording, streamed to `media_dest`).
    async fn from_multipart(
        form: Multipart,
        media_dest: PathBuf,
        upload_limit: u64,
    ) -> Result<Self, ApiError> {
        Self::from_multipart_with(form, media_dest, upload_limit, None).await
    }

    /// [`Self::from_multipart`] for the dashboard's form: its `csrf` field must come
    /// before any file and satisfy `csrf`, or the form is refused (403) before a byte of
    /// a file is written.
    async fn from_multipart_with(
        mut form: Multipart,
        media_dest: PathBuf,
        upload_limit: u64,
        csrf: Option<&(dyn Fn(&str) -> bool + Sync)>,
    ) -> Result<Self, ApiError> {
        let forbidden = || {
            ApiError::new(
                StatusCode::FORBIDDEN,
                "forbidden",
                "reload the page and try again",
            )
        };
        let mut csrf_passed = csrf.is_none();
        let mut fields: BTreeMap<String, String> = BTreeMap::new();
        let mut file: Option<(String, String)> = None;
        let mut upload: Option<SavedUpload> = None;
        while let Some(field) = form.next_field().await.map_err(|e| {
            if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                return ApiError::for_status(StatusCode::PAYLOAD_TOO_LARGE);
            }
            ApiError::new(
                StatusCode::BAD_REQUEST,
                "invalid_request",
                format!("malformed multipart body: {e}"),
            )
        })? {
            let name = field.name().unwrap_or_default().to_owned();
            // A browser sends a file input left empty as a part with no file name.
            if field.file_name() == Some("") {
                continue;
            }
            if !csrf_passed && name != "csrf" {
                return Err(forbidden());
            }
            if name == "media" {
                if upload.is_some() {
                    return Err(ApiError::invalid("media", "give one media file"));
                }
                upload = Some(save_upload(field, media_dest.clone(), upload_limit).await?);
                continue;
            }
            let file_name = field.file_name().map(str::to_owned);
            let text = field.text().await.map_err(|e| {
                if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                    return ApiError::for_status(StatusCode::PAYLOAD_TOO_LARGE);
                }
                ApiError::invalid(&name, format!("unreadable part: {e}"))
            })?;
            match name.as_str() {
                "csrf" if csrf.is_some() => {
                    if !csrf.is_some_and(|ok| ok(&text)) {
                        return Err(forbidden());
                    }
                    csrf_passed = true;
                }
                "transcript" => file = Some((file_name.unwrap_or_default(), text)),
                "candidate_id"
                | "vacancy_id"
                | "candidate_name"
                | "candidate_email"
                | "media_url"
                | "candidate_channel"
                | "interviewer_segments"
                | "language" => {
                    fields.insert(name, text);
                }
                other => return Err(ApiError::invalid(other, format!("unknown field `{other}`"))),
            }
        }
        if !csrf_passed {
            return Err(forbidden());
        }
        let take = |f: &mut BTreeMap<String, String>, k: &str| f.remove(k);
        let candidate_id = take(&mut fields, "candidate_id")
            .ok_or_else(|| ApiError::invalid("candidate_id", "missing field `candidate_id`"))?;
        let vacancy_id = take(&mut fields, "vacancy_id")
            .ok_or_else(|| ApiError::invalid("vacancy_id", "missing field `vacancy_id`"))?;
        checked_ids(&candidate_id, &vacancy_id)?;
        let media = take(&mut fields, "media_url");
        let given = [media.is_some(), file.is_some(), upload.is_some()]
            .iter()
            .filter(|g| **g)
            .count();
        if given > 1 {
            return Err(ApiError::invalid(
                "media",
                "give one of media_url, a media file or a transcript",
            ));
        }
        let segments = match take(&mut fields, "interviewer_segments") {
            None => None,
            Some(text) => Some(
                parse_json::<serde_json::Value>(text.as_bytes())
                    .map_err(|e| e.param("interviewer_segments"))?,
            ),
        };
        let media_fields = MediaFields {
            candidate_channel: take(&mut fields, "candidate_channel")
                .map(serde_json::Value::String),
            interviewer_segments: segments,
            language: take(&mut fields, "language"),
        };
        let recording = media.is_some() || upload.is_some();
        let mut media_options = media_fields.options(recording)?;
        if let (Some(o), Some(u)) = (media_options.as_mut(), upload.as_ref()) {
            o.uploaded_bytes = Some(u.bytes);
        }
        let (media_url, transcript) = match (media, file) {
            (None, None) if upload.is_some() => (None, None),
            (Some(_), Some(_)) => {
                return Err(ApiError::invalid(
                    "transcript",
                    "give either media_url or transcript, not both",
                ));
            }
            (None, None) => {
                return Err(ApiError::invalid(
                    "transcript",
                    "attach a transcript or media file, or give media_url",
                ));
            }
            (Some(url), None) => (Some(media_url(&url)?), None),
            (None, Some((name, text))) => {
                let t = if name.to_ascii_lowercase().ends_with(".json") {
                    let value: serde_json::Value =
                        parse_json(text.as_bytes()).map_err(|e| e.param("transcript"))?;
                    let value = match value {
                        serde_json::Value::Object(mut o) if o.contains_key("segments") => {
                            o.remove("segments").unwrap_or_default()
                        }
                        v => v,
                    };
                    transcript_of(value)?
                } else {
                    parse_text(&text).map_err(|e| transcript_error("transcript", e))?
                };
                (None, Some(t))
            }
        };
        Ok(Self {
            candidate_id,
            vacancy_id,
            media_url,
            transcript,
            candidate_name: optional_text(
                "candidate_name",
                take(&mut fields, "candidate_name"),
                200,
            )?,
            candidate_email: checked_email(
                "candidate_email",
                take(&mut fields, "candidate_email"),
            )?,
            media: media_options,
            upload,
        })
    }
}

/// Upload an interview for analysis.
///
/// JSON with `media_url` (the recording) or `transcript`, or `multipart/form-data`
/// with the same fields and a `transcript` file. Answers at once with status
/// `processing`; analysis runs in the durable queue. When it ends, the events
/// `interview.completed`, `report.ready` and `candidate.scored` are recorded.
#[utoipa::path(post, path = "/v1/interviews", tag = "interviews",
    request_body(content(
        (InterviewIn = "application/json"),
        (InterviewIn = "multipart/form-data"),
    )),
    responses(
        (status = 200, description = "Accepted for processing", body = InterviewAcceptedOut),
        (status = 400, description = "Invalid request", body = crate::error::ErrorBody),
    ))]
pub async fn create_interview(
    State(state): State<AppState>,
    who: Principal,
    req: Request,
) -> Result<axum::Json<InterviewAcceptedOut>, ApiError> {
    let is_multipart = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.to_ascii_lowercase().starts_with("multipart/form-data"));
    let id = InterviewId::generate();
    let sub = if is_multipart {
        let form = Multipart::from_request(req, &state).await.map_err(|e| {
            ApiError::new(StatusCode::BAD_REQUEST, "invalid_request", e.body_text())
        })?;
        let dest = talentd_jobs::media_path(&state.config.media_dir, &id);
        Submission::from_multipart(form, dest, state.config.max_upload_bytes as u64).await?
    } else {
        let Json(input) = Json::<InterviewIn>::from_request(req, &state).await?;
        Submission::from_json(input)?
    };
    submit(&state, &who.org_id, id, sub).await.map(axum::Json)
}

/// Submits an interview from the dashboard's multipart form (a recording or a
/// transcript file) for `org`, once `csrf_ok` accepts the form's `csrf` field; a refused
/// form keeps no file.
pub async fn create_from_multipart(
    state: &AppState,
    org: &talentd_core::OrgId,
    req: Request,
    csrf_ok: &(dyn Fn(&str) -> bool + Sync),
) -> Result<InterviewAcceptedOut, ApiError> {
    let form = Multipart::from_request(req, state)
        .await
        .map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, "invalid_request", e.body_text()))?;
    let id = InterviewId::generate();
    let dest = talentd_jobs::media_path(&state.config.media_dir, &id);
    let sub = Submission::from_multipart_with(
        form,
        dest,
        state.config.max_upload_bytes as u64,
        Some(csrf_ok),
    )
    .await?;
    submit(state, org, id, sub).await
}

/// Submits an interview given as JSON fields (a transcript or a `media_url`) for
/// `org`; shared by the API and the dashboard's upload form.
pub async fn create_from_json(
    state: &AppState,
    org: &talentd_core::OrgId,
    input: InterviewIn,
) -> Result<InterviewAcceptedOut, ApiError> {
    let sub = Submission::from_json(input)?;
    submit(state, org, InterviewId::generate(), sub).await
}

async fn submit(
    state: &AppState,
    org: &talentd_core::OrgId,
    id: InterviewId,
    mut sub: Submission,
) -> Result<InterviewAcceptedOut, ApiError> {
    let now = to_millis(state.clock.now());
    let project = match ProjectId::parse(&sub.vacancy_id) {
        Some(pid) => state.store.get_project(org, &pid).await?,
        None => None,
    };
    let vacancy = match &project {
        Some(_) => None,
        None => Some(VacancyRow {
            org_id: org.clone(),
            id: sub.vacancy_id.clone(),
            title: None,
            competency_weights: default_weights(),
            created_at: now,
            updated_at: now,
        }),
    };
    let media = sub
        .media
        .as_ref()
        .map(serde_json::to_value)
        .transpose()
        .map_err(|e| ApiError::internal(&e))?;
    // With a bucket, the recording is there before the job exists, so that a worker on
    // any machine finds it; the local copy is dropped below.
    let bucket = state.config.remote_media.as_ref();
    let object = talentd_media::MediaStore::name_of(id.as_str());
    if let (Some(bucket), Some(upload)) = (bucket, sub.upload.as_ref()) {
        bucket.upload(&object, &upload.path).await.map_err(|e| {
            tracing::error!(error = %e, "cannot store the recording");
            ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "media_storage_unavailable",
                "the recording could not be stored; try again shortly",
            )
        })?;
    }
    let interview = InterviewRow {
        id,
        org_id: org.clone(),
        candidate_id: sub.candidate_id.clone(),
        vacancy_id: sub.vacancy_id.clone(),
        project_id: project.as_ref().map(|p| p.id.clone()),
        source: InterviewSource::Upload,
        status: InterviewStatus::Processing,
        media_url: sub.media_url,
        transcript: sub.transcript,
        analysis: None,
        match_score: None,
        error_code: None,
        error_message: None,
        report_token: random_token(32),
        created_at: now,
        updated_at: now,
        completed_at: None,
        stage: Some(Stage::Queued),
        progress: 0.0,
        media,
        speech: None,
    };
    let new = NewInterview {
        candidate: CandidateRow {
            org_id: org.clone(),
            id: sub.candidate_id,
            name: sub.candidate_name,
            email: sub.candidate_email,
            position: None,
            created_at: now,
            updated_at: now,
        },
        vacancy,
        job: talentd_jobs::analyze_job(&interview, now),
        events: Vec::new(),
        interview,
    };
    if let Err(e) = state.store.create_interview(&new).await {
        if let (Some(bucket), Some(_)) = (bucket, sub.upload.as_ref()) {
            let _ = bucket.delete(&object).await;
        }
        return Err(e.into());
    }
    if let Some(upload) = sub.upload.as_mut() {
        upload.keep = bucket.is_none();
    }
    if let Some(wake) = &state.wake_workers {
        wake.notify_one();
    }
    Ok(InterviewAcceptedOut {
        success: true,
        id: new.interview.id.to_string(),
        status: InterviewStatus::Processing,
        created_at: format_millis(now),
    })
}

/// Query of one interview.
#[derive(Deserialize, utoipa::IntoParams)]
pub struct InterviewQuery {
    /// `transcript` to include the transcript.
    pub include: Option<String>,
}

/// Get an interview's status and analysis.
#[utoipa::path(get, path = "/v1/interviews/{id}", tag = "interviews",
    params(("id" = String, Path, description = "Interview id (`int_...`)"), InterviewQuery),
    responses(
        (status = 200, body = InterviewOut),
        (status = 404, description = "No such interview", body = crate::error::ErrorBody),
    ))]
pub async fn get_interview(
    State(state): State<AppState>,
    who: Principal,
    PathId(id): PathId,
    Query(q): Query<InterviewQuery>,
) -> Result<axum::Json<InterviewOut>, ApiError> {
    let with_transcript = match q.include.as_deref() {
        None | Some("") => false,
        Some("transcript") => true,
        Some(_) => {
            return Err(ApiError::invalid(
                "include",
                "include may only be `transcript`",
            ));
        }
    };
    let id = InterviewId::parse(&id).ok_or_else(|| ApiError::not_found("interview"))?;
    let row = state
        .store
        .get_interview(&who.org_id, &id)
        .await?
        .ok_or_else(|| ApiError::not_found("interview"))?;
    let mut out = InterviewOut::build(&row, &state.config.public_url, with_transcript)?;
    out.human_recommendation = human_decision(&state, &row).await?;
    Ok(axum::Json(out))
}

/// An interview in a list.
#[derive(Serialize, Deserialize, utoipa::ToSchema)]
pub struct InterviewItemOut {
    pub id: String,
    pub status: InterviewStatus,
    #[serde(rename = "match")]
    pub match_score: Option<f64>,
    pub candidate_id: String,
    pub vacancy_id: String,
    pub created_at: String,
}

/// Query of the interview list.
#[derive(Deserialize, utoipa::IntoParams)]
pub struct InterviewListQuery {
    /// `processing`, `completed` or `failed`.
    pub status: Option<String>,
    /// Default 20, at most 100.
    pub limit: Option<String>,
    pub offset: Option<String>,
}

/// List interviews, newest first.
#[utoipa::path(get, path = "/v1/interviews", tag = "interviews", params(InterviewListQuery),
    responses(
        (status = 200, body = ListOut<InterviewItemOut>),
        (status = 400, description = "Invalid status, limit or offset", body = crate::error::ErrorBody),
    ))]
pub async fn list_interviews(
    State(state): State<AppState>,
    who: Principal,
    Query(q): Query<InterviewListQuery>,
) -> Result<axum::Json<ListOut<InterviewItemOut>>, ApiError> {
    let paging = paging(q.limit.as_deref(), q.offset.as_deref())?;
    let status = q
        .status
        .as_deref()
        .map(|s| {
            InterviewStatus::parse(s).ok_or_else(|| {
                ApiError::invalid(
                    "status",
                    "status must be one of processing, completed, failed",
                )
            })
        })
        .transpose()?;
    let page = state
        .store
        .list_interviews(&who.org_id, status, paging.limit, paging.offset)
        .await?;
    let items = page
        .items
        .into_iter()
        .map(|i| InterviewItemOut {
            id: i.id.to_string(),
            status: i.status,
            match_score: i.match_score,
            candidate_id: i.candidate_id,
            vacancy_id: i.vacancy_id,
            created_at: format_millis(i.created_at),
        })
        .collect();
    Ok(axum::Json(ListOut::new(page.total, items, paging)))
}
