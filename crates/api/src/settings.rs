//! The organisation's settings.

use crate::AppState;
use crate::auth::Principal;
use crate::envelope::Success;
use crate::error::ApiError;
use crate::extract::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_settings, update_settings))
}

/// The organisation's settings.
#[derive(Serialize, Deserialize, utoipa::ToSchema)]
pub struct SettingsOut {
    /// Whether a new webhook endpoint (or a changed URL) must answer a signed challenge
    /// before it receives events (default `true`).
    pub webhook_verification: bool,
    /// Days after a candidate's newest interview when the candidate is erased, as
    /// `DELETE /v1/candidates/{id}` erases (with `system` as who asked); null keeps
    /// candidates until deleted (the default).
    pub retention_days: Option<i64>,
}

/// Changes to the settings; absent fields stay as they are.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SettingsPatch {
    /// Turning this off lets receivers that cannot answer the challenge (a no-code
    /// automation tool, a queue's HTTP ingest) get events at once. The cost: anyone with
    /// an API key can then point events at any public URL without proving it is
    /// theirs. Endpoints already verified or pending are not changed.
    pub webhook_verification: Option<bool>,
    /// 1 to 3650 days, or null to keep candidates until deleted. Lowering it erases,
    /// within the hour, every candidate whose newest interview is older.
    #[serde(default, deserialize_with = "crate::extract::nullable")]
    #[schema(value_type = Option<i64>, minimum = 1, maximum = 3650)]
    pub retention_days: Option<Option<i64>>,
}

async fn read(state: &AppState, who: &Principal) -> Result<SettingsOut, ApiError> {
    Ok(SettingsOut {
        webhook_verification: state.store.webhook_verification(&who.org_id).await?,
        retention_days: state.store.retention_days(&who.org_id).await?,
    })
}

/// Read the organisation's settings.
#[utoipa::path(get, path = "/v1/settings", tag = "settings",
    responses((status = 200, body = Success<SettingsOut>)))]
pub async fn get_settings(
    State(state): State<AppState>,
    who: Principal,
) -> Result<axum::Json<Success<SettingsOut>>, ApiError> {
    Ok(axum::Json(Success::new(read(&state, &who).await?)))
}

/// Change the organisation's settings.
#[utoipa::path(patch, path = "/v1/settings", tag = "settings", request_body = SettingsPatch,
    responses(
        (status = 200, body = Success<SettingsOut>),
        (status = 400, description = "Invalid request", body = crate::error::ErrorBody),
    ))]
pub async fn update_settings(
    State(state): State<AppState>,
    who: Principal,
    Json(input): Json<SettingsPatch>,
) -> Result<axum::Json<Success<SettingsOut>>, ApiError> {
    if let Some(Some(days)) = input.retention_days
        && !talentd_core::erasure::valid_retention_days(days)
    {
        return Err(ApiError::invalid(
            "retention_days",
            "retention_days must be 1 to 3650 days, or null to keep candidates",
        ));
    }
    if let Some(days) = input.retention_days {
        state.store.set_retention_days(&who.org_id, days).await?;
    }
    if let Some(on) = input.webhook_verification {
        state
            .store
            .set_webhook_verification(&who.org_id, on)
            .await?;
    }
    Ok(axum::Json(Success::new(read(&state, &who).await?)))
}
