//! Prometheus metrics at `/metrics`: requests by route and status with latency
//! histograms (recorded here), job and webhook outcomes and speech-to-text speed
//! (recorded by the workers through the same `metrics` facade), and queue depth and
//! age by job kind (read from the database at each scrape, so every replica reports
//! the one shared queue).

use crate::AppState;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use std::sync::OnceLock;
use std::time::Instant;
use talentd_core::timefmt::to_millis;

/// Latency buckets in seconds: from a cached read to a slow upload.
const SECONDS_BUCKETS: &[f64] = &[
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 120.0,
];
/// Speech-to-text real-time factor buckets (processing time / audio time).
const RTF_BUCKETS: &[f64] = &[0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1.0, 1.5, 2.0, 4.0];

/// The process-wide recorder, installed on first use. `None` when another recorder was
/// installed first (an embedding program's own).
pub fn handle() -> Option<&'static PrometheusHandle> {
    static HANDLE: OnceLock<Option<PrometheusHandle>> = OnceLock::new();
    HANDLE
        .get_or_init(|| {
            let builder = PrometheusBuilder::new()
                .set_buckets_for_metric(Matcher::Suffix("_seconds".into()), SECONDS_BUCKETS)
                .and_then(|b| {
                    b.set_buckets_for_metric(
                        Matcher::Full("talentd_stt_real_time_factor".into()),
                        RTF_BUCKETS,
                    )
                });
            match builder.and_then(|b| b.install_recorder()) {
                Ok(h) => Some(h),
                Err(e) => {
                    tracing::warn!(error = %e, "metrics recorder not installed");
                    None
                }
            }
        })
        .as_ref()
}

/// Counts every request by route template (never the raw path, which holds ids) and
/// status, and times it.
pub async fn track(req: Request, next: Next) -> Response {
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_else(|| "unmatched".to_owned());
    let method = req.method().as_str().to_owned();
    let started = Instant::now();
    let response = next.run(req).await;
    let status = response.status().as_u16().to_string();
    let elapsed = started.elapsed().as_secs_f64();
    metrics::counter!("talentd_http_requests_total", "method" => method.clone(), "route" => route.clone(), "status" => status).increment(1);
    metrics::histogram!("talentd_http_request_duration_seconds", "method" => method, "route" => route).record(elapsed);
    response
}

/// Prometheus metrics in the text exposition format.
///
/// Not under `/v1` and not authenticated, like the health endpoints: it carries no
/// organisation's data. Expose it to the monitoring network only.
#[utoipa::path(get, path = "/metrics", tag = "health", security(()),
    responses((status = 200, description = "Prometheus text format", content_type = "text/plain")))]
pub async fn metrics(State(state): State<AppState>) -> Response {
    let Some(handle) = handle() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let now = to_millis(state.clock.now());
    match state.store.queue_stats().await {
        Ok(stats) => {
            // Kinds that emptied since the last scrape read zero, not their last value.
            for kind in talentd_jobs::JOB_KINDS {
                for status in ["queued", "running"] {
                    let s = stats.iter().find(|s| s.kind == *kind && s.status == status);
                    metrics::gauge!("talentd_jobs", "kind" => *kind, "status" => status)
                        .set(s.map_or(0.0, |s| s.count as f64));
                    if status == "queued" {
                        let age = s.map_or(0, |s| (now - s.oldest_due_at).max(0));
                        metrics::gauge!("talentd_job_queue_age_seconds", "kind" => *kind)
                            .set(age as f64 / 1000.0);
                    }
                }
            }
            metrics::gauge!("talentd_database_up").set(1.0);
        }
        Err(e) => {
            tracing::warn!(error = %e, "metrics: cannot read the job queue");
            metrics::gauge!("talentd_database_up").set(0.0);
        }
    }
    handle.run_upkeep();
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        handle.render(),
    )
        .into_response()
}
