//! talentd's HTTP API: one `router()` per resource module, merged in [`app`], with the
//! OpenAPI document generated from the handlers.

pub mod aggregate;
pub mod api_keys;
pub mod audit;
pub mod auth;
pub mod bodylimit;
pub mod candidate_requests;
pub mod candidates;
pub mod context;
pub mod culture;
pub mod dashboard;
pub mod decisions;
pub mod demographics;
pub mod envelope;
pub mod erasures;
pub mod error;
pub mod events;
pub mod explanation;
pub mod extract;
pub mod health;
pub mod idempotency;
pub mod interviews;
pub mod live;
mod openapi;
pub mod pagination;
pub mod projects;
pub mod prometheus;
pub mod provision;
pub mod ratelimit;
pub mod report_page;
pub mod reports;
pub mod sessions;
pub mod settings;
pub mod templates;
pub mod vacancies;
pub mod webhooks;

use axum::Router;
use axum::extract::Request;
use axum::middleware::{from_fn, from_fn_with_state};
use axum::response::IntoResponse;
use std::sync::Arc;
use talentd_core::Clock;
use talentd_store::Store;
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::trace::TraceLayer;

pub use error::ApiError;
pub use ratelimit::{DatabaseRateLimiter, MemoryRateLimiter, RateLimiter, RedisRateLimiter};

/// Settings of the HTTP layer.
#[derive(Clone, Debug)]
pub struct ApiConfig {
    /// Base of interview links and report links, without a trailing slash.
    pub public_url: String,
    /// Largest accepted request body in bytes.
    pub max_body_bytes: usize,
    /// Largest accepted recording upload in bytes.
    pub max_upload_bytes: usize,
    /// Where uploaded recordings are kept; with `remote_media`, where they are staged
    /// on their way to the bucket.
    pub media_dir: std::path::PathBuf,
    /// The bucket recordings are kept in (`TALENTD_MEDIA_URL=s3://...`); `None` keeps
    /// them in `media_dir`.
    pub remote_media: Option<talentd_media::MediaStore>,
    /// Whether webhook URLs may point at private and loopback addresses
    /// (`TALENTD_ALLOW_PRIVATE_URLS`).
    pub allow_private_urls: bool,
    /// The longest a candidate waits for the LLM's wording before Tami's own is used.
    pub llm_deadline: std::time::Duration,
}

impl ApiConfig {
    pub fn new(public_url: impl Into<String>) -> Self {
        Self {
            public_url: public_url.into().trim_end_matches('/').to_owned(),
            max_body_bytes: 1024 * 1024,
            max_upload_bytes: 2 * 1024 * 1024 * 1024,
            media_dir: std::path::PathBuf::from("media"),
            remote_media: None,
            allow_private_urls: false,
            llm_deadline: std::time::Duration::from_secs(4),
        }
    }
}

/// What every handler can reach.
pub struct Services {
    pub store: Arc<dyn Store>,
    pub clock: Arc<dyn Clock>,
    pub limiter: Arc<dyn RateLimiter>,
    pub config: ApiConfig,
    /// Woken when a job is queued, so that an in-process worker starts at once.
    pub wake_workers: Option<Arc<tokio::sync::Notify>>,
    /// Woken when a webhook delivery is queued, so that an in-process deliverer sends it
    /// at once.
    pub wake_deliveries: Option<Arc<tokio::sync::Notify>>,
    /// Whether this process's workers have their analysis models, for readiness.
    pub models: ModelsState,
    /// Whether this process's workers have their speech-to-text model.
    pub speech: ModelsState,
    /// Transcribes candidates' voice answers; without it they get 503.
    pub whisper: Option<Arc<talentd_stt::Whisper>>,
    /// Words Tami's follow-ups and closing when an LLM is configured.
    pub phraser: Option<Arc<dyn talentd_llm::Phraser>>,
}

/// The state of the models this process needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ModelsState {
    /// No worker runs here: the API needs no model.
    NotNeeded,
    Loaded,
    /// What is missing, and how to fetch it.
    Missing(String),
}

/// The handlers' state: one pointer, cheap to clone on every request.
#[derive(Clone)]
pub struct AppState(Arc<Services>);

impl AppState {
    pub fn new(services: Services) -> Self {
        Self(Arc::new(services))
    }
}

impl std::ops::Deref for AppState {
    type Target = Services;

    fn deref(&self) -> &Services {
        &self.0
    }
}

/// Only the health endpoints: what a worker-only process serves.
pub fn health_app(state: AppState) -> Router {
    let (router, _) = health::router().split_for_parts();
    let limits = bodylimit::BodyLimits {
        json: state.config.max_body_bytes,
        upload: state.config.max_body_bytes,
        audio: state.config.max_body_bytes,
    };
    with_layers(router.with_state(state), limits)
}

/// The whole HTTP application.
pub fn app(state: AppState) -> Router {
    let (v1, api) = openapi::v1_router().split_for_parts();
    // Audit inside authentication: it reads the caller that authentication found.
    let v1 = v1
        .route_layer(from_fn_with_state(state.clone(), audit::record_api_writes))
        .route_layer(from_fn_with_state(state.clone(), auth::authenticate));
    let (public, mut api) = openapi::public_router(api).split_for_parts();
    openapi::finish(&mut api);

    let limits = bodylimit::BodyLimits {
        json: state.config.max_body_bytes,
        upload: state.config.max_upload_bytes,
        audio: live::speech::MAX_AUDIO_BYTES,
    };
    let router = Router::new()
        .merge(v1)
        .merge(public)
        .merge(report_page::router())
        .merge(live::page::router())
        .merge(dashboard::router().route_layer(from_fn_with_state(
            state.clone(),
            audit::record_dashboard_writes,
        )))
        .merge(utoipa_swagger_ui::SwaggerUi::new("/docs").url("/v1/openapi.json", api))
        .with_state(state);
    with_layers(router, limits)
}

/// The layers every response passes: request id and error bodies, tracing, panics
/// turned into 500s, the body limits; and the JSON 404 for unknown routes.
fn with_layers(router: Router, limits: bodylimit::BodyLimits) -> Router {
    prometheus::handle();
    router
        .fallback(|| async { ApiError::for_status(axum::http::StatusCode::NOT_FOUND) })
        .layer(
            ServiceBuilder::new()
                .layer(from_fn(prometheus::track))
                .layer(from_fn(context::request_context))
                .layer(TraceLayer::new_for_http().make_span_with(|req: &Request| {
                    // Debug level: free unless asked for (TALENTD_LOG=debug).
                    tracing::debug_span!(
                        "request",
                        method = %req.method(),
                        path = %req.uri().path(),
                        request_id = %context::current_request_id(),
                    )
                }))
                .layer(CatchPanicLayer::custom(|_| {
                    tracing::error!("a handler panicked");
                    ApiError::internal_opaque().into_response()
                }))
                // Our own limits replace axum's 2 MB default, which would cap uploads.
                .layer(axum::extract::DefaultBodyLimit::disable())
                .layer(from_fn(move |req, next| {
                    bodylimit::limit_body(limits, req, next)
                })),
        )
}
