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
}

async fn read(state: &AppState, who: &Principal) -> Result<SettingsOut, ApiError> {
    Ok(SettingsOut {
        webhook_verification: state.store.webhook_verification(&who.org_id).await?,
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
    if let Some(on) = input.webhook_verification {
        state
            .store
            .set_webhook_verification(&who.org_id, on)
            .await?;
    }
    Ok(axum::Json(Success::new(read(&state, &who).await?)))
}
