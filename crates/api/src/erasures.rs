//! Erasure receipts: what `DELETE /v1/candidates/{id}` (or the organisation's
//! retention) erased, and when. A receipt names the candidate only by a pseudonym.

use crate::AppState;
use crate::auth::Principal;
use crate::error::ApiError;
use crate::extract::PathId;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use talentd_core::ErasureId;
use talentd_core::timefmt::format_millis;
use talentd_store::ErasureRow;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_erasure))
}

/// The receipt of a candidate's erasure.
#[derive(Serialize, Deserialize, utoipa::ToSchema)]
#[schema(example = json!({
    "success": true, "id": "era_Q2v9XbT4mWl0aZ8r", "status": "completed",
    "subject": "cand#3f2a9c0d81b4e7a2", "requested_by": "key_8sJd02kLm3nB4vCx",
    "requested_at": "2026-06-13T09:24:00Z", "purge_by": "2026-06-14T09:24:00Z",
    "completed_at": "2026-06-13T09:24:02Z",
    "erased": {"candidates": 1, "interviews": 2, "transcripts": 2, "reports": 2,
               "recordings": 1, "events": 6, "webhook_deliveries": 6, "webhook_attempts": 6,
               "overrides": 1, "jobs": 2, "idempotency_keys": 1}
}))]
pub struct ErasureOut {
    pub success: bool,
    /// `era_...`
    pub id: String,
    /// `pending` (hidden from every read; the purge has yet to run) or `completed`
    /// (everything deleted).
    pub status: String,
    /// The candidate's pseudonym: `cand#` and the first 16 hex characters of SHA-256 of
    /// `org_id:candidate_id`, as the audit log names them. Never the id itself.
    pub subject: String,
    /// The API key or dashboard user that asked, or `system` (the retention).
    pub requested_by: String,
    pub requested_at: String,
    /// The purge finishes by then (24 hours after the request; normally seconds).
    pub purge_by: String,
    pub completed_at: Option<String>,
    /// What was deleted, by kind; complete once `status` is `completed`.
    #[schema(value_type = Object)]
    pub erased: BTreeMap<String, i64>,
}

impl ErasureOut {
    pub fn from_row(r: ErasureRow) -> Self {
        Self {
            success: true,
            id: r.id.to_string(),
            status: r.status,
            subject: r.subject,
            requested_by: r.requested_by,
            requested_at: format_millis(r.requested_at),
            purge_by: format_millis(r.purge_by),
            completed_at: r.completed_at.map(format_millis),
            erased: r.erased,
        }
    }
}

/// Erases `org`'s candidate `candidate_id` (see `DELETE /v1/candidates/{id}`) for
/// `requested_by` (an API key id or a user id); shared by the API and the dashboard.
/// An unknown candidate, or one already being erased, is a 404.
pub async fn erase(
    state: &AppState,
    org: &talentd_core::OrgId,
    candidate_id: &str,
    requested_by: &str,
) -> Result<ErasureRow, ApiError> {
    let now = talentd_core::timefmt::to_millis(state.clock.now());
    let row = talentd_jobs::erase_candidate(&*state.store, org, candidate_id, requested_by, now)
        .await?
        .ok_or_else(|| ApiError::not_found("candidate"))?;
    if let Some(wake) = &state.wake_workers {
        wake.notify_one();
    }
    Ok(row)
}

/// Get the receipt of a candidate's erasure: whether the purge has run, and what it
/// deleted.
#[utoipa::path(get, path = "/v1/erasures/{id}", tag = "erasures",
    params(("id" = String, Path, description = "Erasure id (`era_...`)")),
    responses(
        (status = 200, body = ErasureOut),
        (status = 404, description = "No such erasure", body = crate::error::ErrorBody),
    ))]
pub async fn get_erasure(
    State(state): State<AppState>,
    who: Principal,
    PathId(id): PathId,
) -> Result<axum::Json<ErasureOut>, ApiError> {
    let id = ErasureId::parse(&id).ok_or_else(|| ApiError::not_found("erasure"))?;
    let row = state
        .store
        .get_erasure(&who.org_id, &id)
        .await?
        .ok_or_else(|| ApiError::not_found("erasure"))?;
    Ok(axum::Json(ErasureOut::from_row(row)))
}
