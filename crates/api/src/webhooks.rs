//! Webhook endpoints: create (the signing secret is shown once), list, read, change,
//! delete, rotate the secret, verify ownership, send a test event, and see and replay
//! deliveries. Deliveries themselves are made by the jobs crate's deliverer.

use crate::AppState;
use crate::auth::Principal;
use crate::envelope::{ListOut, Success};
use crate::error::ApiError;
use crate::extract::{Json, PathId, Query};
use crate::pagination::paging;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use talentd_core::event::{Event, EventType};
use talentd_core::timefmt::{format_millis, to_millis};
use talentd_core::webhook::{self, SUBSCRIBABLE, VERIFICATION_TYPE};
use talentd_core::{DeliveryId, EventId, WebhookId};
use talentd_store::{AttemptRow, DeliveryRow, NewDelivery, WebhookRow, webhook_status};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_webhook, list_webhooks))
        .routes(routes!(get_webhook, update_webhook, delete_webhook))
        .routes(routes!(rotate_secret))
        .routes(routes!(verify_webhook))
        .routes(routes!(test_webhook))
        .routes(routes!(list_deliveries))
        .routes(routes!(retry_delivery))
}

/// Most endpoints an organisation may have.
const MAX_WEBHOOKS: usize = 20;
/// Longest endpoint URL.
const MAX_URL_LEN: usize = 2000;

/// A new endpoint, as the TalentMind document shows it.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WebhookIn {
    /// Where events are POSTed: http or https, a public address.
    #[schema(example = "https://acme.io/hooks/talentmind")]
    pub url: String,
    /// Events to receive: `project.created`, `interview.started`, `interview.completed`,
    /// `report.ready`, `candidate.scored`.
    #[schema(example = json!(["interview.completed", "report.ready"]))]
    pub events: Vec<String>,
}

/// Changes to an endpoint; absent fields stay as they are.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WebhookPatch {
    /// A new URL; the endpoint must prove ownership again when verification is on.
    pub url: Option<String>,
    pub events: Option<Vec<String>>,
    /// `false` stops deliveries (pending ones fail); `true` resumes them.
    pub enabled: Option<bool>,
}

/// A webhook endpoint (never its secret, except just after creation or rotation).
#[derive(Serialize, Deserialize, utoipa::ToSchema)]
pub struct WebhookOut {
    /// `wh_...`
    pub id: String,
    pub url: String,
    pub events: Vec<String>,
    /// `pending_verification` (receives no events until it answers the challenge),
    /// `active` or `disabled`.
    pub status: String,
    /// Whether deliveries are on (`status` is not `disabled`).
    pub enabled: bool,
    /// Why it was disabled.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub disabled_reason: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    /// The signing secret (`whsec_...`): only in the answers to creation and rotation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
}

impl WebhookOut {
    fn of(w: WebhookRow, secret: Option<String>) -> Self {
        Self {
            id: w.id.to_string(),
            enabled: w.status != webhook_status::DISABLED,
            url: w.url,
            events: w.events,
            status: w.status,
            disabled_reason: w.disabled_reason,
            created_at: format_millis(w.created_at),
            updated_at: format_millis(w.updated_at),
            secret,
        }
    }
}

/// The list of endpoints, as the TalentMind document shows it.
#[derive(Serialize, Deserialize, utoipa::ToSchema)]
pub struct WebhookListOut {
    pub success: bool,
    pub items: Vec<WebhookOut>,
}

/// The answer to a deletion. Its own name: the document has one schema per name, and
/// projects' and templates' `DeletedOut` carries an `id`.
#[derive(Serialize, Deserialize, utoipa::ToSchema)]
pub struct WebhookDeletedOut {
    pub success: bool,
    pub deleted: bool,
}

/// One HTTP attempt of a delivery.
#[derive(Serialize, Deserialize, utoipa::ToSchema)]
pub struct AttemptOut {
    pub id: String,
    pub attempted_at: String,
    /// The receiver's status code; absent when no answer came.
    pub status_code: Option<i64>,
    pub latency_ms: i64,
    /// The start of the receiver's answer (at most 1 KiB).
    pub response: Option<String>,
    pub error: Option<String>,
}

impl From<AttemptRow> for AttemptOut {
    fn from(a: AttemptRow) -> Self {
        Self {
            id: a.id.to_string(),
            attempted_at: format_millis(a.attempted_at),
            status_code: a.status_code,
            latency_ms: a.latency_ms,
            response: a.response,
            error: a.error,
        }
    }
}

/// One event's delivery to the endpoint, with its attempts.
#[derive(Serialize, Deserialize, utoipa::ToSchema)]
pub struct DeliveryOut {
    /// `dlv_...`
    pub id: String,
    /// The event id, sent as `webhook-id`: the same on every attempt.
    pub event_id: String,
    pub event_type: String,
    /// `pending`, `delivered` or `failed`.
    pub status: String,
    pub attempts: Vec<AttemptOut>,
    /// When the next attempt is due, while pending.
    pub next_attempt_at: Option<String>,
    pub created_at: String,
    pub delivered_at: Option<String>,
    /// The exact body sent.
    pub payload: serde_json::Value,
}

impl DeliveryOut {
    fn of(d: DeliveryRow, attempts: Vec<AttemptRow>) -> Self {
        Self {
            id: d.id.to_string(),
            payload: serde_json::from_str(&d.payload).unwrap_or(serde_json::Value::Null),
            event_id: d.event_id,
            event_type: d.event_type,
            status: d.status,
            attempts: attempts.into_iter().map(AttemptOut::from).collect(),
            next_attempt_at: d.next_attempt_at.map(format_millis),
            created_at: format_millis(d.created_at),
            delivered_at: d.delivered_at.map(format_millis),
        }
    }
}

/// Paging of deliveries.
#[derive(Deserialize, utoipa::IntoParams)]
pub struct DeliveryListQuery {
    pub limit: Option<String>,
    pub offset: Option<String>,
}

fn parse_id(id: &str) -> Result<WebhookId, ApiError> {
    WebhookId::parse(id).ok_or_else(|| ApiError::not_found("webhook"))
}

fn check_events(events: &[String]) -> Result<Vec<String>, ApiError> {
    if events.is_empty() {
        return Err(ApiError::invalid(
            "events",
            "events must name at least one event",
        ));
    }
    let mut out: Vec<String> = Vec::new();
    for e in events {
        let e = e.trim();
        if !SUBSCRIBABLE.contains(&e) {
            return Err(ApiError::invalid(
                "events",
                format!(
                    "unknown event {e:?}; events are {}",
                    SUBSCRIBABLE.join(", ")
                ),
            ));
        }
        if !out.iter().any(|o| o == e) {
            out.push(e.to_owned());
        }
    }
    Ok(out)
}

/// Checks a URL as the deliverer will see it: http(s), a host, and (unless the operator
/// allows private targets) every address it resolves to public.
async fn check_url(state: &AppState, url: &str) -> Result<String, ApiError> {
    let url = url.trim();
    if url.len() > MAX_URL_LEN {
        return Err(ApiError::invalid(
            "url",
            "url must be at most 2000 characters",
        ));
    }
    let parsed = talentd_fetch::check_url(url)
        .map_err(|e| ApiError::invalid("url", format!("url is not usable: {e}")))?;
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(ApiError::invalid(
            "url",
            "url must not carry credentials: the signature authenticates deliveries",
        ));
    }
    let guard = talentd_fetch::Guard::new(state.config.allow_private_urls);
    guard
        .check_url(&parsed)
        .map_err(|e| ApiError::invalid("url", format!("url is refused: {e}")))?;
    if let Some(host) = parsed
        .host_str()
        .filter(|_| matches!(parsed.host(), Some(url::Host::Domain(_))))
    {
        let port = parsed.port_or_known_default().unwrap_or(443);
        // An unresolvable name is accepted (DNS may not be set up yet); deliveries
        // check every address again when they connect.
        if let Ok(addrs) = tokio::net::lookup_host((host, port)).await {
            for a in addrs {
                if !guard.permits(a.ip()) {
                    return Err(ApiError::invalid(
                        "url",
                        format!(
                            "url is refused: {host} resolves to {}, which is not a public \
                             address (operators may allow private targets with \
                             TALENTD_ALLOW_PRIVATE_URLS=true)",
                            a.ip()
                        ),
                    ));
                }
            }
        }
    }
    Ok(parsed.to_string())
}

/// The challenge delivery for an endpoint: a signed `webhook.verification` event whose
/// `data.challenge` the endpoint must echo.
fn challenge_delivery(w: &WebhookRow, challenge: &str, now: i64) -> NewDelivery {
    let id = EventId::generate();
    let payload = serde_json::json!({
        "id": id,
        "type": VERIFICATION_TYPE,
        "created_at": format_millis(now),
        "data": {"webhook_id": w.id, "challenge": challenge},
    });
    NewDelivery {
        id: DeliveryId::generate(),
        webhook_id: w.id.clone(),
        org_id: w.org_id.clone(),
        event_id: id.to_string(),
        event_type: VERIFICATION_TYPE.to_owned(),
        payload: payload.to_string(),
        event_at: now,
        now,
    }
}

/// Starts (or restarts) verification: a fresh challenge, retried for 24 hours.
fn start_verification(w: &mut WebhookRow, now: i64) -> NewDelivery {
    let challenge = webhook::new_challenge();
    w.status = webhook_status::PENDING.to_owned();
    w.disabled_reason = None;
    w.verify_until = Some(now + webhook::VERIFICATION_WINDOW.as_millis() as i64);
    let d = challenge_delivery(w, &challenge, now);
    w.challenge = Some(challenge);
    d
}

fn wake(state: &AppState) {
    if let Some(w) = &state.wake_deliveries {
        w.notify_waiters();
    }
}

/// Subscribe an endpoint to events. The answer carries the signing secret, shown this
/// once. Unless the organisation turned verification off, the endpoint is
/// `pending_verification` and receives a signed `webhook.verification` request whose
/// `data.challenge` it must echo (`{"challenge": "..."}` or the bare value) with a 2xx
/// before any event is sent to it.
#[utoipa::path(post, path = "/v1/webhooks", tag = "webhooks", request_body = WebhookIn,
    responses(
        (status = 200, body = Success<WebhookOut>, example = json!({
            "success": true, "id": "wh_2c91", "url": "https://acme.io/hooks/talentmind",
            "events": ["interview.completed", "report.ready"], "status": "pending_verification",
            "enabled": true, "created_at": "2026-06-13T09:00:00Z", "updated_at": "2026-06-13T09:00:00Z",
            "secret": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"})),
        (status = 400, description = "Unknown event, unusable or private URL", body = crate::error::ErrorBody),
    ))]
pub async fn create_webhook(
    State(state): State<AppState>,
    who: Principal,
    Json(input): Json<WebhookIn>,
) -> Result<axum::Json<Success<WebhookOut>>, ApiError> {
    Ok(axum::Json(Success::new(
        create(&state, &who.org_id, input).await?,
    )))
}

/// Registers an endpoint for `org` (verification started when the organisation wants
/// it); the answer carries the secret. Shared by the API and the dashboard.
pub async fn create(
    state: &AppState,
    org: &talentd_core::OrgId,
    input: WebhookIn,
) -> Result<WebhookOut, ApiError> {
    let events = check_events(&input.events)?;
    let url = check_url(state, &input.url).await?;
    if state.store.list_webhooks(org).await?.len() >= MAX_WEBHOOKS {
        return Err(ApiError::conflict(format!(
            "an organisation may have at most {MAX_WEBHOOKS} webhooks"
        )));
    }
    let now = to_millis(state.clock.now());
    let mut w = WebhookRow {
        id: WebhookId::generate(),
        org_id: org.clone(),
        url,
        events,
        secret: webhook::new_secret(),
        old_secret: None,
        old_secret_until: None,
        status: webhook_status::ACTIVE.to_owned(),
        disabled_reason: None,
        challenge: None,
        verify_until: None,
        failing_since: None,
        created_at: now,
        updated_at: now,
    };
    let challenge = if state.store.webhook_verification(org).await? {
        Some(start_verification(&mut w, now))
    } else {
        None
    };
    state.store.create_webhook(&w, challenge.as_ref()).await?;
    wake(state);
    let secret = Some(w.secret.clone());
    Ok(WebhookOut::of(w, secret))
}

/// List the organisation's webhook endpoints.
#[utoipa::path(get, path = "/v1/webhooks", tag = "webhooks",
    responses((status = 200, body = WebhookListOut)))]
pub async fn list_webhooks(
    State(state): State<AppState>,
    who: Principal,
) -> Result<axum::Json<WebhookListOut>, ApiError> {
    let items = state
        .store
        .list_webhooks(&who.org_id)
        .await?
        .into_iter()
        .map(|w| WebhookOut::of(w, None))
        .collect();
    Ok(axum::Json(WebhookListOut {
        success: true,
        items,
    }))
}

/// The organisation's webhook `id`, or 404.
pub async fn load(
    state: &AppState,
    org: &talentd_core::OrgId,
    id: &str,
) -> Result<WebhookRow, ApiError> {
    let id = parse_id(id)?;
    state
        .store
        .get_webhook(org, &id)
        .await?
        .ok_or_else(|| ApiError::not_found("webhook"))
}

/// Read one endpoint.
#[utoipa::path(get, path = "/v1/webhooks/{id}", tag = "webhooks",
    params(("id" = String, Path, description = "Webhook id (`wh_...`)")),
    responses(
        (status = 200, body = Success<WebhookOut>),
        (status = 404, description = "No such webhook", body = crate::error::ErrorBody),
    ))]
pub async fn get_webhook(
    State(state): State<AppState>,
    who: Principal,
    PathId(id): PathId,
) -> Result<axum::Json<Success<WebhookOut>>, ApiError> {
    let w = load(&state, &who.org_id, &id).await?;
    Ok(axum::Json(Success::new(WebhookOut::of(w, None))))
}

/// Change an endpoint's URL, events, or whether it is enabled. A new URL must prove
/// ownership again (when verification is on); enabling an endpoint that was never
/// verified restarts its verification.
#[utoipa::path(patch, path = "/v1/webhooks/{id}", tag = "webhooks", request_body = WebhookPatch,
    params(("id" = String, Path, description = "Webhook id (`wh_...`)")),
    responses(
        (status = 200, body = Success<WebhookOut>),
        (status = 400, description = "Invalid change", body = crate::error::ErrorBody),
        (status = 404, description = "No such webhook", body = crate::error::ErrorBody),
    ))]
pub async fn update_webhook(
    State(state): State<AppState>,
    who: Principal,
    PathId(id): PathId,
    Json(input): Json<WebhookPatch>,
) -> Result<axum::Json<Success<WebhookOut>>, ApiError> {
    let mut w = load(&state, &who.org_id, &id).await?;
    let now = to_millis(state.clock.now());
    let verify = state.store.webhook_verification(&who.org_id).await?;
    if let Some(events) = &input.events {
        w.events = check_events(events)?;
    }
    let mut challenge = None;
    let url_changed = match &input.url {
        Some(url) => {
            let url = check_url(&state, url).await?;
            let changed = url != w.url;
            w.url = url;
            changed
        }
        None => false,
    };
    match input.enabled {
        Some(false) => {
            w.status = webhook_status::DISABLED.to_owned();
            w.disabled_reason = Some("disabled by request".into());
            w.challenge = None;
            w.verify_until = None;
        }
        Some(true) if w.status == webhook_status::DISABLED => {
            w.failing_since = None;
            if verify && (url_changed || w.challenge.is_some()) {
                challenge = Some(start_verification(&mut w, now));
            } else {
                w.status = webhook_status::ACTIVE.to_owned();
                w.disabled_reason = None;
            }
        }
        _ => {}
    }
    if url_changed && verify && w.status != webhook_status::DISABLED && challenge.is_none() {
        challenge = Some(start_verification(&mut w, now));
    }
    w.updated_at = now;
    state.store.update_webhook(&w, challenge.as_ref()).await?;
    wake(&state);
    Ok(axum::Json(Success::new(WebhookOut::of(w, None))))
}

/// Delete an endpoint and its delivery history. Deliveries stop at once.
#[utoipa::path(delete, path = "/v1/webhooks/{id}", tag = "webhooks",
    params(("id" = String, Path, description = "Webhook id (`wh_...`)")),
    responses(
        (status = 200, body = WebhookDeletedOut, example = json!({"success": true, "deleted": true})),
        (status = 404, description = "No such webhook", body = crate::error::ErrorBody),
    ))]
pub async fn delete_webhook(
    State(state): State<AppState>,
    who: Principal,
    PathId(id): PathId,
) -> Result<axum::Json<WebhookDeletedOut>, ApiError> {
    let id = parse_id(&id)?;
    if !state.store.delete_webhook(&who.org_id, &id).await? {
        return Err(ApiError::not_found("webhook"));
    }
    Ok(axum::Json(WebhookDeletedOut {
        success: true,
        deleted: true,
    }))
}

/// Issue a new signing secret. For 24 hours deliveries carry two signatures, one with
/// the old secret and one with the new, so that receivers can switch without losing
/// events. The answer carries the new secret, shown this once.
#[utoipa::path(post, path = "/v1/webhooks/{id}/rotate-secret", tag = "webhooks",
    params(("id" = String, Path, description = "Webhook id (`wh_...`)")),
    responses(
        (status = 200, body = Success<WebhookOut>),
        (status = 404, description = "No such webhook", body = crate::error::ErrorBody),
    ))]
pub async fn rotate_secret(
    State(state): State<AppState>,
    who: Principal,
    PathId(id): PathId,
) -> Result<axum::Json<Success<WebhookOut>>, ApiError> {
    let mut w = load(&state, &who.org_id, &id).await?;
    let now = to_millis(state.clock.now());
    w.old_secret = Some(std::mem::replace(&mut w.secret, webhook::new_secret()));
    w.old_secret_until = Some(now + webhook::OLD_SECRET_GRACE.as_millis() as i64);
    w.updated_at = now;
    state.store.update_webhook(&w, None).await?;
    let secret = Some(w.secret.clone());
    Ok(axum::Json(Success::new(WebhookOut::of(w, secret))))
}

/// Send the ownership challenge again (a fresh one, retried for 24 hours). The endpoint
/// is `pending_verification` until it answers.
#[utoipa::path(post, path = "/v1/webhooks/{id}/verify", tag = "webhooks",
    params(("id" = String, Path, description = "Webhook id (`wh_...`)")),
    responses(
        (status = 200, body = Success<WebhookOut>),
        (status = 404, description = "No such webhook", body = crate::error::ErrorBody),
    ))]
pub async fn verify_webhook(
    State(state): State<AppState>,
    who: Principal,
    PathId(id): PathId,
) -> Result<axum::Json<Success<WebhookOut>>, ApiError> {
    Ok(axum::Json(Success::new(
        verify(&state, &who.org_id, &id).await?,
    )))
}

/// Sends the endpoint a new challenge; shared by the API and the dashboard.
pub async fn verify(
    state: &AppState,
    org: &talentd_core::OrgId,
    id: &str,
) -> Result<WebhookOut, ApiError> {
    let mut w = load(state, org, id).await?;
    let now = to_millis(state.clock.now());
    let challenge = start_verification(&mut w, now);
    w.failing_since = None;
    w.updated_at = now;
    state.store.update_webhook(&w, Some(&challenge)).await?;
    wake(state);
    Ok(WebhookOut::of(w, None))
}

/// A test event queued for one endpoint.
#[derive(Serialize, Deserialize, utoipa::ToSchema)]
pub struct TestOut {
    /// The delivery, to follow in `/deliveries`.
    pub delivery_id: String,
    pub event_id: String,
}

/// Send a `webhook.test` event to this endpoint (whatever it subscribes to). The
/// endpoint must be active.
#[utoipa::path(post, path = "/v1/webhooks/{id}/test", tag = "webhooks",
    params(("id" = String, Path, description = "Webhook id (`wh_...`)")),
    responses(
        (status = 200, body = Success<TestOut>),
        (status = 404, description = "No such webhook", body = crate::error::ErrorBody),
        (status = 409, description = "The endpoint is not active", body = crate::error::ErrorBody),
    ))]
pub async fn test_webhook(
    State(state): State<AppState>,
    who: Principal,
    PathId(id): PathId,
) -> Result<axum::Json<Success<TestOut>>, ApiError> {
    Ok(axum::Json(Success::new(
        send_test(&state, &who.org_id, &id).await?,
    )))
}

/// Queues a `webhook.test` event for the endpoint; shared by the API and the dashboard.
pub async fn send_test(
    state: &AppState,
    org: &talentd_core::OrgId,
    id: &str,
) -> Result<TestOut, ApiError> {
    let w = load(state, org, id).await?;
    if w.status != webhook_status::ACTIVE {
        return Err(ApiError::conflict(format!(
            "the webhook is {}: only an active endpoint receives events",
            w.status
        )));
    }
    let now = to_millis(state.clock.now());
    let event = Event::new(
        org.clone(),
        EventType::WebhookTest,
        serde_json::json!({"webhook_id": w.id, "message": "A test event from talentd."}),
        now,
    );
    let d = NewDelivery::of_event(&event, &w.id, now);
    state.store.enqueue_delivery(&d).await?;
    wake(state);
    Ok(TestOut {
        delivery_id: d.id.to_string(),
        event_id: event.id.to_string(),
    })
}

/// The endpoint's deliveries, newest first, each with its attempts: time, status code,
/// latency, the start of the answer, and when the next retry is due.
#[utoipa::path(get, path = "/v1/webhooks/{id}/deliveries", tag = "webhooks",
    params(("id" = String, Path, description = "Webhook id (`wh_...`)"), DeliveryListQuery),
    responses(
        (status = 200, body = ListOut<DeliveryOut>),
        (status = 404, description = "No such webhook", body = crate::error::ErrorBody),
    ))]
pub async fn list_deliveries(
    State(state): State<AppState>,
    who: Principal,
    PathId(id): PathId,
    Query(q): Query<DeliveryListQuery>,
) -> Result<axum::Json<ListOut<DeliveryOut>>, ApiError> {
    let w = load(&state, &who.org_id, &id).await?;
    let paging = paging(q.limit.as_deref(), q.offset.as_deref())?;
    let page = state
        .store
        .list_deliveries(&who.org_id, &w.id, paging.limit, paging.offset)
        .await?;
    let items = page
        .items
        .into_iter()
        .map(|(d, a)| DeliveryOut::of(d, a))
        .collect();
    Ok(axum::Json(ListOut::new(page.total, items, paging)))
}

/// Send a delivery again now (one more attempt), e.g. after fixing the receiver. The
/// event keeps its id.
#[utoipa::path(post, path = "/v1/webhooks/{id}/deliveries/{delivery_id}/retry", tag = "webhooks",
    params(
        ("id" = String, Path, description = "Webhook id (`wh_...`)"),
        ("delivery_id" = String, Path, description = "Delivery id (`dlv_...`)"),
    ),
    responses(
        (status = 200, body = Success<DeliveryOut>),
        (status = 404, description = "No such webhook or delivery", body = crate::error::ErrorBody),
        (status = 409, description = "The endpoint is not active", body = crate::error::ErrorBody),
    ))]
pub async fn retry_delivery(
    State(state): State<AppState>,
    who: Principal,
    axum::extract::Path((id, delivery)): axum::extract::Path<(String, String)>,
) -> Result<axum::Json<Success<DeliveryOut>>, ApiError> {
    Ok(axum::Json(Success::new(
        retry(&state, &who.org_id, &id, &delivery).await?,
    )))
}

/// Queues one more attempt of a delivery now; shared by the API and the dashboard.
pub async fn retry(
    state: &AppState,
    org: &talentd_core::OrgId,
    id: &str,
    delivery: &str,
) -> Result<DeliveryOut, ApiError> {
    let w = load(state, org, id).await?;
    let delivery = DeliveryId::parse(delivery).ok_or_else(|| ApiError::not_found("delivery"))?;
    if w.status != webhook_status::ACTIVE {
        return Err(ApiError::conflict(format!(
            "the webhook is {}: enable it first",
            w.status
        )));
    }
    let now = to_millis(state.clock.now());
    let d = state
        .store
        .retry_delivery(org, &w.id, &delivery, now)
        .await?
        .ok_or_else(|| ApiError::not_found("delivery"))?;
    wake(state);
    Ok(DeliveryOut::of(d, Vec::new()))
}

/// An example of each event a receiver gets, for the OpenAPI document.
fn event_examples() -> Vec<(&'static str, &'static str, serde_json::Value)> {
    let scores = serde_json::json!({"communication": 81.0, "empathy": 70.2, "leadership": 84.5,
        "logic": 77.0, "planning": 80.1, "stress_tolerance": 75.3});
    let envelope = |kind: &str, data: serde_json::Value| {
        serde_json::json!({"id": "evt_Vb0K3kXq8Yt2mN4p", "type": kind,
            "created_at": "2026-06-13T09:00:05Z", "data": data})
    };
    vec![
        (
            "project.created",
            "A project was created; `data` is the project as `GET /v1/projects/{id}` shows it.",
            envelope(
                "project.created",
                serde_json::json!({"id": "prj_8d24f0aB9cD1eF2g",
                "project_name": "Senior Frontend Developer", "status": "active",
                "interview_url": "https://talent.example.com/i/uiWNg9IKWwPie6wWxI6IAIsALEHvHVS9"}),
            ),
        ),
        (
            "interview.started",
            "A candidate started a live interview.",
            envelope(
                "interview.started",
                serde_json::json!({"id": "int_5EWE7Y6KaD4yb49U",
                "project_id": "prj_8d24f0aB9cD1eF2g", "candidate_id": "cand_4f21"}),
            ),
        ),
        (
            "interview.completed",
            "An interview finished: `status` is `completed` (with `match`, `scores`, \
             `report_url`; `insufficient_evidence` says why there are none) or `failed` \
             (with `error`).",
            envelope(
                "interview.completed",
                serde_json::json!({"id": "int_5EWE7Y6KaD4yb49U",
                "candidate_id": "cand_4f21", "vacancy_id": "ui-engineer", "status": "completed",
                "match": 78.4, "scores": scores, "insufficient_evidence": null,
                "report_url": "https://talent.example.com/r/pe4sLVN41cw5dj3muADoSN0i8PNZjRXt"}),
            ),
        ),
        (
            "report.ready",
            "The interview's report page is ready.",
            envelope(
                "report.ready",
                serde_json::json!({"id": "int_5EWE7Y6KaD4yb49U",
                "candidate_id": "cand_4f21", "vacancy_id": "ui-engineer",
                "report_url": "https://talent.example.com/r/pe4sLVN41cw5dj3muADoSN0i8PNZjRXt",
                "recommendation": "recommended"}),
            ),
        ),
        (
            "candidate.scored",
            "A candidate has new scores from a completed interview.",
            envelope(
                "candidate.scored",
                serde_json::json!({"candidate_id": "cand_4f21",
                "interview_id": "int_5EWE7Y6KaD4yb49U", "match": 78.4, "scores": scores}),
            ),
        ),
        (
            "candidate.request_created",
            "A candidate asked, from the interview page, for their data to be deleted \
             (`kind: deletion`) or for an interview with a person instead of the AI \
             (`kind: human_alternative`). Act on it, then resolve it with \
             `POST /v1/candidate-requests/{id}/resolve`.",
            envelope(
                "candidate.request_created",
                serde_json::json!({"id": "req_Q2m8VtXw0LbN5sKd", "kind": "human_alternative",
                "project_id": "prj_8d24f0aB9cD1eF2g", "candidate_id": "cand_4f21",
                "interview_id": "int_5EWE7Y6KaD4yb49U", "email": "anna@example.com",
                "status": "open"}),
            ),
        ),
        (
            "webhook.test",
            "Sent by `POST /v1/webhooks/{id}/test`.",
            envelope(
                "webhook.test",
                serde_json::json!({"webhook_id": "wh_t4fuRyRPppMoJkaA",
                "message": "A test event from talentd."}),
            ),
        ),
        (
            VERIFICATION_TYPE,
            "The ownership challenge: answer 2xx with `{\"challenge\": \"...\"}` or the bare \
             value.",
            envelope(
                VERIFICATION_TYPE,
                serde_json::json!({"webhook_id": "wh_t4fuRyRPppMoJkaA",
                "challenge": "Xfhn27uMUxwDghPueL5JUlhRi2IvmRh4"}),
            ),
        ),
    ]
}

/// The events talentd POSTs to endpoints, as the document's `webhooks` section.
pub(crate) fn openapi_webhooks() -> utoipa::openapi::Paths {
    use utoipa::openapi::content::ContentBuilder;
    use utoipa::openapi::path::{HttpMethod, OperationBuilder, PathItem};
    use utoipa::openapi::request_body::RequestBodyBuilder;
    use utoipa::openapi::{PathsBuilder, Ref, Response};
    const HEADERS: &str = "Headers: `webhook-id` (the event id, stable across attempts), \
        `webhook-timestamp` (Unix seconds), `webhook-signature` (`v1,` + base64 \
        HMAC-SHA256 of `{id}.{timestamp}.{body}` keyed with the base64-decoded secret after \
        `whsec_`; two space-separated signatures during a rotation). Answer 2xx within \
        15 s; anything else is retried, `410` disables the endpoint.";
    let mut paths = PathsBuilder::new();
    for (kind, what, example) in event_examples() {
        let body = RequestBodyBuilder::new()
            .content(
                "application/json",
                ContentBuilder::new()
                    .schema(Some(Ref::from_schema_name("EventOut")))
                    .example(Some(example))
                    .build(),
            )
            .required(Some(utoipa::openapi::Required::True))
            .build();
        let op = OperationBuilder::new()
            .summary(Some(kind))
            .description(Some(format!("{what}\n\n{HEADERS}")))
            .tag("webhooks")
            .request_body(Some(body))
            .response("2XX", Response::new("Received"))
            .response("410", Response::new("Gone: the endpoint is disabled"));
        paths = paths.path(kind, PathItem::new(HttpMethod::Post, op));
    }
    paths.build()
}
