//! Liveness and readiness.

use crate::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Serialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(healthz))
        .routes(routes!(readyz))
        .routes(routes!(crate::prometheus::metrics))
}

/// Health of the process or of its dependencies.
#[derive(Serialize, utoipa::ToSchema)]
pub struct HealthOut {
    /// `ok`, `ready` or `unavailable`.
    pub status: &'static str,
    /// Each dependency's state, for readiness.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub checks: Option<std::collections::BTreeMap<&'static str, &'static str>>,
}

/// Liveness: the process answers.
#[utoipa::path(get, path = "/healthz", tag = "health", security(()),
    responses((status = 200, body = HealthOut)))]
pub async fn healthz() -> Json<HealthOut> {
    Json(HealthOut {
        status: "ok",
        checks: None,
    })
}

/// Readiness: the database answers and, where workers run, the analysis models are
/// loaded (503 when not). A missing speech-to-text model is reported in `checks`.
#[utoipa::path(get, path = "/readyz", tag = "health", security(()),
    responses((status = 200, body = HealthOut), (status = 503, body = HealthOut)))]
pub async fn readyz(State(state): State<AppState>) -> (StatusCode, Json<HealthOut>) {
    let db_ok = match state.store.ping().await {
        Ok(()) => true,
        Err(e) => {
            tracing::warn!(error = %e, "readiness: database unavailable");
            false
        }
    };
    let models_ok = !matches!(state.models, crate::ModelsState::Missing(_));
    let mut checks: std::collections::BTreeMap<&'static str, &'static str> =
        [("database", if db_ok { "ok" } else { "unavailable" })].into();
    match &state.models {
        crate::ModelsState::NotNeeded => {}
        crate::ModelsState::Loaded => {
            checks.insert("models", "ok");
        }
        crate::ModelsState::Missing(_) => {
            checks.insert("models", "missing: run scripts/fetch-models.sh");
        }
    }
    // Transcripts are analysed without speech-to-text, so a missing Whisper model is
    // reported but does not take the process out of rotation.
    match &state.speech {
        crate::ModelsState::NotNeeded => {}
        crate::ModelsState::Loaded => {
            checks.insert("speech_to_text", "ok");
        }
        crate::ModelsState::Missing(_) => {
            checks.insert(
                "speech_to_text",
                "missing: recordings cannot be transcribed; run scripts/fetch-models.sh",
            );
        }
    }
    if db_ok && models_ok {
        (
            StatusCode::OK,
            Json(HealthOut {
                status: "ready",
                checks: Some(checks),
            }),
        )
    } else {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(HealthOut {
                status: "unavailable",
                checks: Some(checks),
            }),
        )
    }
}
