//! Webhook delivery: claims due deliveries from the durable queue, signs them (Standard
//! Webhooks), POSTs them through the SSRF-guarded client, and records each attempt with
//! its effect: delivered, retried on the schedule (or after `Retry-After`), failed, or
//! the endpoint disabled (`410 Gone`, or failing for five days). A delivery in flight
//! when the process dies keeps its lease only until it runs out, then it is sent again:
//! delivery is at least once, and the `webhook-id` (the event id) lets receivers drop
//! duplicates.

use std::sync::Arc;
use std::time::{Duration, Instant};
use talentd_core::webhook::{self, RetrySchedule, Verdict};
use talentd_core::{AttemptId, Clock, timefmt::to_millis};
use talentd_store::{
    AttemptRow, DeliveryRow, DeliveryUpdate, EndpointUpdate, Store, WebhookRow, webhook_status,
};

/// The most of an answer's body kept for the deliveries API (and read to find the
/// challenge).
const RESPONSE_EXCERPT: usize = 1024;

/// How deliveries are made.
#[derive(Clone, Debug)]
pub struct DeliveryConfig {
    /// Names this process in claims.
    pub id: String,
    /// Delays before each attempt (`TALENTD_WEBHOOK_RETRY_SCHEDULE`).
    pub schedule: RetrySchedule,
    /// Limit for one attempt, connection included.
    pub timeout: Duration,
    /// How long a claim lasts; a delivery whose sender died is sent again after it.
    /// Never shorter than `timeout` and a margin, so that a slow attempt is not sent a
    /// second time while it is still waiting.
    pub lease: Duration,
    /// Whether endpoints on private and loopback addresses may be called.
    pub allow_private: bool,
    /// How long to sleep when nothing is due.
    pub poll_interval: Duration,
    /// Deliveries in flight at once.
    pub concurrency: usize,
}

impl Default for DeliveryConfig {
    fn default() -> Self {
        Self {
            id: format!("deliverer_{}", talentd_core::id::random_token(10)),
            schedule: RetrySchedule::default(),
            timeout: Duration::from_secs(15),
            lease: Duration::from_secs(20),
            allow_private: false,
            poll_interval: Duration::from_millis(500),
            concurrency: 16,
        }
    }
}

/// What one attempt did.
#[derive(Clone, Debug, PartialEq)]
pub enum DeliveryOutcome {
    Delivered {
        delivery: String,
        status: u16,
    },
    /// Failed; queued again for `at` (Unix ms).
    Retrying {
        delivery: String,
        at: i64,
        error: String,
    },
    /// Failed for good (attempts used up, endpoint gone or disabled).
    Failed {
        delivery: String,
        error: String,
    },
}

/// Sends webhook deliveries.
#[derive(Clone)]
pub struct Deliverer {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    client: reqwest::Client,
    guard: talentd_fetch::Guard,
    config: DeliveryConfig,
}

/// Why the deliverer cannot start.
#[derive(Debug, thiserror::Error)]
#[error("cannot build the webhook HTTP client: {0}")]
pub struct DelivererError(String);

impl Deliverer {
    pub fn new(
        store: Arc<dyn Store>,
        clock: Arc<dyn Clock>,
        config: DeliveryConfig,
    ) -> Result<Self, DelivererError> {
        let mut config = config;
        config.lease = config.lease.max(config.timeout + Duration::from_secs(5));
        let guard = talentd_fetch::Guard::new(config.allow_private);
        let client = talentd_fetch::client_builder(&guard, config.timeout, config.timeout)
            .timeout(config.timeout)
            .build()
            .map_err(|e| DelivererError(e.to_string()))?;
        Ok(Self {
            store,
            clock,
            client,
            guard,
            config,
        })
    }

    fn now_ms(&self) -> i64 {
        to_millis(self.clock.now())
    }

    /// Claims and makes one due attempt; `None` when nothing is due.
    pub async fn run_once(&self) -> Result<Option<DeliveryOutcome>, talentd_store::StoreError> {
        let outcome = self.attempt_once().await?;
        if let Some(o) = &outcome {
            let label = match o {
                DeliveryOutcome::Delivered { .. } => "delivered",
                DeliveryOutcome::Retrying { .. } => "retrying",
                DeliveryOutcome::Failed { .. } => "failed",
            };
            metrics::counter!("talentd_webhook_attempts_total", "outcome" => label).increment(1);
        }
        Ok(outcome)
    }

    async fn attempt_once(&self) -> Result<Option<DeliveryOutcome>, talentd_store::StoreError> {
        let lease = self.config.lease.as_millis() as i64;
        let Some((d, w)) = self
            .store
            .claim_delivery(&self.config.id, self.now_ms(), lease)
            .await?
        else {
            return Ok(None);
        };
        let verification = d.event_type == webhook::VERIFICATION_TYPE;
        let expected = if verification {
            webhook_status::PENDING
        } else {
            webhook_status::ACTIVE
        };
        if w.status != expected {
            let error = format!("the endpoint is {}", w.status);
            let now = self.now_ms();
            let attempt = attempt_row(&d, now, None, 0, None, Some(error.clone()));
            self.store
                .record_attempt(
                    &attempt,
                    DeliveryUpdate::Failed,
                    EndpointUpdate::Unchanged,
                    now,
                )
                .await?;
            return Ok(Some(DeliveryOutcome::Failed {
                delivery: d.id.to_string(),
                error,
            }));
        }
        let answer = self.send(&d, &w).await;
        self.record(&d, &w, answer).await.map(Some)
    }

    /// One POST; the answer or why none came.
    async fn send(&self, d: &DeliveryRow, w: &WebhookRow) -> Answer {
        let started = Instant::now();
        let now = self.now_ms();
        let url = match url::Url::parse(&w.url) {
            Ok(u) => u,
            Err(e) => return Answer::error(started, format!("invalid URL: {e}")),
        };
        let target = url.clone();
        if let Err(e) = self.guard.check_url(&url) {
            return Answer::error(started, e.to_string());
        }
        let timestamp = now.div_euclid(1000);
        let signature = match webhook::signature_header(
            &w.signing_secrets(now),
            &d.event_id,
            timestamp,
            d.payload.as_bytes(),
        ) {
            Ok(s) => s,
            Err(e) => return Answer::error(started, e.to_string()),
        };
        let sent = self
            .client
            .post(url)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .header("webhook-id", &d.event_id)
            .header("webhook-timestamp", timestamp.to_string())
            .header("webhook-signature", signature)
            .body(d.payload.clone())
            .send()
            .await;
        let mut resp = match sent {
            Ok(r) => r,
            Err(e) => {
                let why = if e.is_timeout() {
                    format!("no answer within {} s", self.config.timeout.as_secs())
                } else {
                    talentd_fetch::FetchError::from_reqwest(e, &target).to_string()
                };
                return Answer::error(started, why);
            }
        };
        let status = resp.status().as_u16();
        let retry_after = resp
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let mut body = Vec::new();
        // Only the start of the answer matters; a receiver that streams for ever is
        // cut off by the timeout.
        while body.len() < RESPONSE_EXCERPT {
            match resp.chunk().await {
                Ok(Some(chunk)) => body.extend_from_slice(&chunk),
                _ => break,
            }
        }
        body.truncate(RESPONSE_EXCERPT);
        Answer {
            status: Some(status),
            retry_after,
            body,
            error: None,
            latency: started.elapsed(),
        }
    }

    async fn record(
        &self,
        d: &DeliveryRow,
        w: &WebhookRow,
        answer: Answer,
    ) -> Result<DeliveryOutcome, talentd_store::StoreError> {
        let now = self.now_ms();
        let verification = d.event_type == webhook::VERIFICATION_TYPE;
        let mut verdict = webhook::judge(answer.status, answer.retry_after.as_deref());
        let mut error = answer.error.clone();
        if verification && verdict == Verdict::Delivered {
            let challenge = w.challenge.as_deref().unwrap_or_default();
            if challenge.is_empty() || !webhook::answers_challenge(&answer.body, challenge) {
                verdict = Verdict::Failed { not_before: None };
                error = Some("the answer did not contain the challenge".into());
            }
        }
        if error.is_none()
            && let (Some(code), Verdict::Failed { .. } | Verdict::Gone) = (answer.status, &verdict)
        {
            error = Some(format!("the endpoint answered {code}"));
        }
        let attempt = attempt_row(
            d,
            now,
            answer.status,
            answer.latency.as_millis() as i64,
            Some(String::from_utf8_lossy(&answer.body).into_owned()).filter(|b| !b.is_empty()),
            error.clone(),
        );
        let number = d.attempts as u32 + 1;
        let (update, endpoint, outcome) = match verdict {
            Verdict::Delivered => (
                DeliveryUpdate::Delivered,
                if verification {
                    EndpointUpdate::Verified
                } else {
                    EndpointUpdate::Healthy
                },
                DeliveryOutcome::Delivered {
                    delivery: d.id.to_string(),
                    status: answer.status.unwrap_or_default(),
                },
            ),
            Verdict::Gone => {
                let reason = "the endpoint answered 410 Gone".to_string();
                (
                    DeliveryUpdate::Failed,
                    EndpointUpdate::Disable {
                        reason: reason.clone(),
                    },
                    DeliveryOutcome::Failed {
                        delivery: d.id.to_string(),
                        error: reason,
                    },
                )
            }
            Verdict::Failed { not_before } => {
                let error = error.unwrap_or_else(|| "failed".into());
                let next = webhook::next_retry(
                    &self.config.schedule,
                    number,
                    not_before,
                    rand::random::<f64>(),
                )
                .map(|delay| now + delay.as_millis() as i64)
                // A challenge is retried only within its window.
                .filter(|at| !verification || w.verify_until.is_none_or(|until| *at <= until));
                let failing_for = w.failing_since.map(|since| now - since);
                let endpoint = match failing_for {
                    Some(ms)
                        if !verification
                            && ms >= webhook::DISABLE_AFTER_FAILING.as_millis() as i64 =>
                    {
                        EndpointUpdate::Disable {
                            reason: "every delivery failed for 5 days".into(),
                        }
                    }
                    _ => EndpointUpdate::Failing { since: now },
                };
                match next {
                    Some(at) if !matches!(endpoint, EndpointUpdate::Disable { .. }) => (
                        DeliveryUpdate::Retry { at },
                        endpoint,
                        DeliveryOutcome::Retrying {
                            delivery: d.id.to_string(),
                            at,
                            error,
                        },
                    ),
                    _ => (
                        DeliveryUpdate::Failed,
                        endpoint,
                        DeliveryOutcome::Failed {
                            delivery: d.id.to_string(),
                            error,
                        },
                    ),
                }
            }
        };
        tracing::info!(
            delivery = %d.id, webhook = %w.id, event = %d.event_id, kind = %d.event_type,
            attempt = number, status = ?answer.status, latency_ms = attempt.latency_ms,
            outcome = ?outcome, "webhook attempt"
        );
        self.store
            .record_attempt(&attempt, update, endpoint, now)
            .await?;
        Ok(outcome)
    }

    /// Delivers until `stop` turns true, `concurrency` deliveries at a time; `wake`
    /// cuts the idle sleep short when new deliveries are queued.
    pub async fn run(
        self,
        stop: tokio::sync::watch::Receiver<bool>,
        wake: Option<Arc<tokio::sync::Notify>>,
    ) {
        let wake = wake.unwrap_or_default();
        let mut tasks = tokio::task::JoinSet::new();
        for i in 0..self.config.concurrency.max(1) {
            let me = self.clone();
            let mut stop = stop.clone();
            let wake = wake.clone();
            // One task watches the queue closely; the others poll rarely and are woken
            // when work turns up, so that an idle process does not busy the database.
            let idle_sleep = if i == 0 {
                me.config.poll_interval
            } else {
                me.config.poll_interval * 10
            };
            tasks.spawn(async move {
                loop {
                    if *stop.borrow() {
                        break;
                    }
                    let idle = match me.run_once().await {
                        Ok(Some(_)) => {
                            wake.notify_waiters();
                            false
                        }
                        Ok(None) => true,
                        Err(e) => {
                            tracing::error!(error = %e, "webhook delivery error");
                            true
                        }
                    };
                    if idle {
                        tokio::select! {
                            _ = tokio::time::sleep(idle_sleep) => {}
                            _ = wake.notified() => {}
                            _ = stop.changed() => {}
                        }
                    }
                }
            });
        }
        while tasks.join_next().await.is_some() {}
        tracing::info!("webhook deliverer stopped");
    }
}

struct Answer {
    status: Option<u16>,
    retry_after: Option<String>,
    body: Vec<u8>,
    error: Option<String>,
    latency: Duration,
}

impl Answer {
    fn error(started: Instant, error: String) -> Self {
        Self {
            status: None,
            retry_after: None,
            body: Vec::new(),
            error: Some(error),
            latency: started.elapsed(),
        }
    }
}

fn attempt_row(
    d: &DeliveryRow,
    now: i64,
    status: Option<u16>,
    latency_ms: i64,
    response: Option<String>,
    error: Option<String>,
) -> AttemptRow {
    AttemptRow {
        id: AttemptId::generate(),
        delivery_id: d.id.clone(),
        webhook_id: d.webhook_id.clone(),
        attempted_at: now,
        status_code: status.map(i64::from),
        latency_ms,
        response,
        error,
    }
}
