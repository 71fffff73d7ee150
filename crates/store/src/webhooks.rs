//! Webhook endpoints, their deliveries and attempts. A delivery is one event for one
//! endpoint; it is its own durable queue entry (claimed with a lease like a job) and
//! keeps every attempt for the debugging API.

use crate::{Page, SqlStore, StoreError};
use sqlx::any::AnyRow;
use sqlx::{Any, FromRow, Row, Transaction};
use talentd_core::event::Event;
use talentd_core::{AttemptId, DeliveryId, OrgId, WebhookId};

/// Endpoint states.
pub mod status {
    /// Waiting for the endpoint to answer its challenge; receives no events.
    pub const PENDING: &str = "pending_verification";
    /// Receives the events it subscribes to.
    pub const ACTIVE: &str = "active";
    /// Receives nothing (by request, after `410 Gone`, or after failing for days).
    pub const DISABLED: &str = "disabled";
}

/// Delivery states.
pub mod delivery_status {
    pub const PENDING: &str = "pending";
    pub const DELIVERED: &str = "delivered";
    pub const FAILED: &str = "failed";
}

/// A webhook endpoint as stored.
#[derive(Clone, Debug, PartialEq)]
pub struct WebhookRow {
    pub id: WebhookId,
    pub org_id: OrgId,
    pub url: String,
    pub events: Vec<String>,
    pub secret: String,
    /// The previous secret, still signing until `old_secret_until`.
    pub old_secret: Option<String>,
    pub old_secret_until: Option<i64>,
    pub status: String,
    pub disabled_reason: Option<String>,
    /// The open ownership challenge, while pending verification.
    pub challenge: Option<String>,
    /// Verification is retried until then.
    pub verify_until: Option<i64>,
    /// Since when every attempt has failed (none when the last one succeeded).
    pub failing_since: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

impl WebhookRow {
    /// The secrets that sign at `now`: the current one, and the previous one during
    /// its grace period.
    pub fn signing_secrets(&self, now: i64) -> Vec<&str> {
        let mut s = vec![self.secret.as_str()];
        if let (Some(old), Some(until)) = (&self.old_secret, self.old_secret_until)
            && until > now
        {
            s.push(old);
        }
        s
    }
}

const WEBHOOK_COLUMNS: &str = "id, org_id, url, events, secret, old_secret, old_secret_until, \
     status, disabled_reason, challenge, verify_until, failing_since, created_at, updated_at";

impl FromRow<'_, AnyRow> for WebhookRow {
    fn from_row(r: &AnyRow) -> Result<Self, sqlx::Error> {
        let events: String = r.try_get("events")?;
        Ok(Self {
            id: WebhookId::from_trusted(r.try_get("id")?),
            org_id: OrgId::from_trusted(r.try_get("org_id")?),
            url: r.try_get("url")?,
            events: serde_json::from_str(&events).map_err(|e| sqlx::Error::Decode(Box::new(e)))?,
            secret: r.try_get("secret")?,
            old_secret: r.try_get("old_secret")?,
            old_secret_until: r.try_get("old_secret_until")?,
            status: r.try_get("status")?,
            disabled_reason: r.try_get("disabled_reason")?,
            challenge: r.try_get("challenge")?,
            verify_until: r.try_get("verify_until")?,
            failing_since: r.try_get("failing_since")?,
            created_at: r.try_get("created_at")?,
            updated_at: r.try_get("updated_at")?,
        })
    }
}

/// A delivery to queue.
#[derive(Clone, Debug)]
pub struct NewDelivery {
    pub id: DeliveryId,
    pub webhook_id: WebhookId,
    pub org_id: OrgId,
    /// The `webhook-id` header: the event's id, the same on every attempt.
    pub event_id: String,
    pub event_type: String,
    /// The exact body sent.
    pub payload: String,
    pub event_at: i64,
    /// Due at (and created at).
    pub now: i64,
}

impl NewDelivery {
    /// The delivery of `event` to `webhook`.
    pub fn of_event(event: &Event, webhook: &WebhookId, now: i64) -> Self {
        Self {
            id: DeliveryId::generate(),
            webhook_id: webhook.clone(),
            org_id: event.org_id.clone(),
            event_id: event.id.to_string(),
            event_type: event.kind.as_str().to_owned(),
            payload: event.envelope().to_string(),
            event_at: event.created_at_ms,
            now,
        }
    }
}

/// A delivery as stored.
#[derive(Clone, Debug, PartialEq)]
pub struct DeliveryRow {
    pub id: DeliveryId,
    pub webhook_id: WebhookId,
    pub org_id: OrgId,
    pub event_id: String,
    pub event_type: String,
    pub payload: String,
    pub status: String,
    pub attempts: i64,
    pub next_attempt_at: Option<i64>,
    pub last_status: Option<i64>,
    pub last_error: Option<String>,
    pub event_at: i64,
    pub created_at: i64,
    pub updated_at: i64,
    pub delivered_at: Option<i64>,
}

const DELIVERY_COLUMNS: &str = "id, webhook_id, org_id, event_id, event_type, payload, status, \
     attempts, next_attempt_at, last_status, last_error, event_at, created_at, updated_at, \
     delivered_at";

impl FromRow<'_, AnyRow> for DeliveryRow {
    fn from_row(r: &AnyRow) -> Result<Self, sqlx::Error> {
        Ok(Self {
            id: DeliveryId::from_trusted(r.try_get("id")?),
            webhook_id: WebhookId::from_trusted(r.try_get("webhook_id")?),
            org_id: OrgId::from_trusted(r.try_get("org_id")?),
            event_id: r.try_get("event_id")?,
            event_type: r.try_get("event_type")?,
            payload: r.try_get("payload")?,
            status: r.try_get("status")?,
            attempts: r.try_get("attempts")?,
            next_attempt_at: r.try_get("next_attempt_at")?,
            last_status: r.try_get("last_status")?,
            last_error: r.try_get("last_error")?,
            event_at: r.try_get("event_at")?,
            created_at: r.try_get("created_at")?,
            updated_at: r.try_get("updated_at")?,
            delivered_at: r.try_get("delivered_at")?,
        })
    }
}

/// One HTTP attempt.
#[derive(Clone, Debug, PartialEq)]
pub struct AttemptRow {
    pub id: AttemptId,
    pub delivery_id: DeliveryId,
    pub webhook_id: WebhookId,
    pub attempted_at: i64,
    /// The answer's status; none when no answer came.
    pub status_code: Option<i64>,
    pub latency_ms: i64,
    /// The first kilobyte of the answer's body.
    pub response: Option<String>,
    /// Why it failed, when it did.
    pub error: Option<String>,
}

impl FromRow<'_, AnyRow> for AttemptRow {
    fn from_row(r: &AnyRow) -> Result<Self, sqlx::Error> {
        Ok(Self {
            id: AttemptId::from_trusted(r.try_get("id")?),
            delivery_id: DeliveryId::from_trusted(r.try_get("delivery_id")?),
            webhook_id: WebhookId::from_trusted(r.try_get("webhook_id")?),
            attempted_at: r.try_get("attempted_at")?,
            status_code: r.try_get("status_code")?,
            latency_ms: r.try_get("latency_ms")?,
            response: r.try_get("response")?,
            error: r.try_get("error")?,
        })
    }
}

/// What an attempt does to its delivery.
#[derive(Clone, Debug, PartialEq)]
pub enum DeliveryUpdate {
    Delivered,
    /// Failed; try again at this time.
    Retry {
        at: i64,
    },
    /// Failed for good.
    Failed,
}

/// What an attempt does to its endpoint.
#[derive(Clone, Debug, PartialEq)]
pub enum EndpointUpdate {
    /// Nothing changes.
    Unchanged,
    /// Delivered: the endpoint is healthy.
    Healthy,
    /// The challenge was answered: the endpoint becomes active.
    Verified,
    /// Failed: the endpoint has been failing since at least then.
    Failing { since: i64 },
    /// The endpoint is disabled, its pending deliveries fail.
    Disable { reason: String },
}

#[async_trait::async_trait]
pub trait WebhookStore {
    /// Creates an endpoint and, when it must prove ownership, its challenge delivery.
    async fn create_webhook(
        &self,
        w: &WebhookRow,
        challenge: Option<&NewDelivery>,
    ) -> Result<(), StoreError>;
    async fn get_webhook(
        &self,
        org: &OrgId,
        id: &WebhookId,
    ) -> Result<Option<WebhookRow>, StoreError>;
    /// The organisation's endpoints, oldest first.
    async fn list_webhooks(&self, org: &OrgId) -> Result<Vec<WebhookRow>, StoreError>;
    /// Writes an endpoint's fields; queues `challenge` when given. An endpoint that is
    /// no longer active has its pending event deliveries failed.
    async fn update_webhook(
        &self,
        w: &WebhookRow,
        challenge: Option<&NewDelivery>,
    ) -> Result<(), StoreError>;
    /// Deletes an endpoint with its deliveries; false when there was none.
    async fn delete_webhook(&self, org: &OrgId, id: &WebhookId) -> Result<bool, StoreError>;
    /// Queues one delivery (a test event).
    async fn enqueue_delivery(&self, d: &NewDelivery) -> Result<(), StoreError>;
    /// Claims the next due delivery with a lease, with its endpoint.
    async fn claim_delivery(
        &self,
        worker: &str,
        now: i64,
        lease_ms: i64,
    ) -> Result<Option<(DeliveryRow, WebhookRow)>, StoreError>;
    /// Records an attempt and its effects on the delivery and the endpoint, at once.
    async fn record_attempt(
        &self,
        attempt: &AttemptRow,
        delivery: DeliveryUpdate,
        endpoint: EndpointUpdate,
        now: i64,
    ) -> Result<(), StoreError>;
    /// An endpoint's deliveries, newest first, each with its attempts (oldest first).
    async fn list_deliveries(
        &self,
        org: &OrgId,
        webhook: &WebhookId,
        limit: i64,
        offset: i64,
    ) -> Result<Page<(DeliveryRow, Vec<AttemptRow>)>, StoreError>;
    /// Queues a delivery for one more attempt now; false when there is none.
    async fn retry_delivery(
        &self,
        org: &OrgId,
        webhook: &WebhookId,
        delivery: &DeliveryId,
        now: i64,
    ) -> Result<Option<DeliveryRow>, StoreError>;
    /// Whether new endpoints of the organisation must answer a challenge.
    async fn webhook_verification(&self, org: &OrgId) -> Result<bool, StoreError>;
    async fn set_webhook_verification(&self, org: &OrgId, on: bool) -> Result<(), StoreError>;
}

async fn insert_delivery(tx: &mut Transaction<'_, Any>, d: &NewDelivery) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO webhook_deliveries (id, webhook_id, org_id, event_id, event_type, payload, \
         status, attempts, next_attempt_at, event_at, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, 'pending', 0, $7, $8, $7, $7)",
    )
    .bind(d.id.as_str())
    .bind(d.webhook_id.as_str())
    .bind(d.org_id.as_str())
    .bind(&d.event_id)
    .bind(&d.event_type)
    .bind(&d.payload)
    .bind(d.now)
    .bind(d.event_at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Queues `event` for every active endpoint of its organisation that subscribes to it,
/// in the transaction that records the event.
pub(crate) async fn fan_out(
    tx: &mut Transaction<'_, Any>,
    event: &Event,
) -> Result<(), StoreError> {
    let hooks: Vec<WebhookRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {WEBHOOK_COLUMNS} FROM webhooks WHERE org_id = $1 AND status = $2"
    )))
    .bind(event.org_id.as_str())
    .bind(status::ACTIVE)
    .fetch_all(&mut **tx)
    .await?;
    let kind = event.kind.as_str();
    for w in hooks.iter().filter(|w| w.events.iter().any(|e| e == kind)) {
        insert_delivery(
            tx,
            &NewDelivery::of_event(event, &w.id, event.created_at_ms),
        )
        .await?;
    }
    Ok(())
}

async fn fail_pending(
    tx: &mut Transaction<'_, Any>,
    webhook: &WebhookId,
    reason: &str,
    now: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE webhook_deliveries SET status = 'failed', last_error = $2, next_attempt_at = NULL, \
         locked_until = NULL, locked_by = NULL, updated_at = $3 \
         WHERE webhook_id = $1 AND status = 'pending' AND event_type <> 'webhook.verification'",
    )
    .bind(webhook.as_str())
    .bind(reason)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

async fn write_webhook(tx: &mut Transaction<'_, Any>, w: &WebhookRow) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE webhooks SET url = $3, events = $4, secret = $5, old_secret = $6, \
         old_secret_until = $7, status = $8, disabled_reason = $9, challenge = $10, \
         verify_until = $11, failing_since = $12, updated_at = $13 \
         WHERE org_id = $1 AND id = $2",
    )
    .bind(w.org_id.as_str())
    .bind(w.id.as_str())
    .bind(&w.url)
    .bind(events_json(&w.events))
    .bind(&w.secret)
    .bind(w.old_secret.as_deref())
    .bind(w.old_secret_until)
    .bind(&w.status)
    .bind(w.disabled_reason.as_deref())
    .bind(w.challenge.as_deref())
    .bind(w.verify_until)
    .bind(w.failing_since)
    .bind(w.updated_at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

fn events_json(events: &[String]) -> String {
    serde_json::Value::from(events.to_vec()).to_string()
}

#[async_trait::async_trait]
impl WebhookStore for SqlStore {
    async fn create_webhook(
        &self,
        w: &WebhookRow,
        challenge: Option<&NewDelivery>,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO webhooks (id, org_id, url, events, secret, status, challenge, \
             verify_until, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(w.id.as_str())
        .bind(w.org_id.as_str())
        .bind(&w.url)
        .bind(events_json(&w.events))
        .bind(&w.secret)
        .bind(&w.status)
        .bind(w.challenge.as_deref())
        .bind(w.verify_until)
        .bind(w.created_at)
        .bind(w.updated_at)
        .execute(&mut *tx)
        .await?;
        if let Some(d) = challenge {
            insert_delivery(&mut tx, d).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn get_webhook(
        &self,
        org: &OrgId,
        id: &WebhookId,
    ) -> Result<Option<WebhookRow>, StoreError> {
        Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {WEBHOOK_COLUMNS} FROM webhooks WHERE org_id = $1 AND id = $2"
        )))
        .bind(org.as_str())
        .bind(id.as_str())
        .fetch_optional(&self.pool)
        .await?)
    }

    async fn list_webhooks(&self, org: &OrgId) -> Result<Vec<WebhookRow>, StoreError> {
        Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {WEBHOOK_COLUMNS} FROM webhooks WHERE org_id = $1 ORDER BY created_at, id"
        )))
        .bind(org.as_str())
        .fetch_all(&self.pool)
        .await?)
    }

    async fn update_webhook(
        &self,
        w: &WebhookRow,
        challenge: Option<&NewDelivery>,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        write_webhook(&mut tx, w).await?;
        if w.status != status::ACTIVE {
            fail_pending(&mut tx, &w.id, "the endpoint is not active", w.updated_at).await?;
        }
        if let Some(d) = challenge {
            // A new challenge replaces any earlier one still queued.
            sqlx::query(
                "UPDATE webhook_deliveries SET status = 'failed', last_error = 'superseded', \
                 next_attempt_at = NULL, updated_at = $2 \
                 WHERE webhook_id = $1 AND status = 'pending' AND event_type = 'webhook.verification'",
            )
            .bind(w.id.as_str())
            .bind(w.updated_at)
            .execute(&mut *tx)
            .await?;
            insert_delivery(&mut tx, d).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn delete_webhook(&self, org: &OrgId, id: &WebhookId) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin().await?;
        // Children first: SQLite enforces the cascade only with foreign keys switched on.
        sqlx::query(
            "DELETE FROM webhook_attempts WHERE webhook_id = $1 AND EXISTS \
             (SELECT 1 FROM webhooks WHERE id = $1 AND org_id = $2)",
        )
        .bind(id.as_str())
        .bind(org.as_str())
        .execute(&mut *tx)
        .await?;
        sqlx::query("DELETE FROM webhook_deliveries WHERE webhook_id = $1 AND org_id = $2")
            .bind(id.as_str())
            .bind(org.as_str())
            .execute(&mut *tx)
            .await?;
        let n = sqlx::query("DELETE FROM webhooks WHERE id = $1 AND org_id = $2")
            .bind(id.as_str())
            .bind(org.as_str())
            .execute(&mut *tx)
            .await?
            .rows_affected();
        tx.commit().await?;
        Ok(n == 1)
    }

    async fn enqueue_delivery(&self, d: &NewDelivery) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        insert_delivery(&mut tx, d).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn claim_delivery(
        &self,
        worker: &str,
        now: i64,
        lease_ms: i64,
    ) -> Result<Option<(DeliveryRow, WebhookRow)>, StoreError> {
        let lock = match self.backend {
            crate::Backend::Postgres => "FOR UPDATE SKIP LOCKED",
            crate::Backend::Sqlite => "",
        };
        let sql = format!(
            "UPDATE webhook_deliveries SET locked_until = $2, locked_by = $3, updated_at = $1 \
             WHERE id = (SELECT id FROM webhook_deliveries WHERE status = 'pending' \
             AND next_attempt_at <= $1 AND (locked_until IS NULL OR locked_until <= $1) \
             ORDER BY next_attempt_at, id LIMIT 1 {lock}) RETURNING {DELIVERY_COLUMNS}"
        );
        let Some(d): Option<DeliveryRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(now)
            .bind(now + lease_ms)
            .bind(worker)
            .fetch_optional(&self.pool)
            .await?
        else {
            return Ok(None);
        };
        let w: Option<WebhookRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {WEBHOOK_COLUMNS} FROM webhooks WHERE id = $1"
        )))
        .bind(d.webhook_id.as_str())
        .fetch_optional(&self.pool)
        .await?;
        match w {
            Some(w) => Ok(Some((d, w))),
            // The endpoint was deleted meanwhile (and its deliveries with it).
            None => Ok(None),
        }
    }

    async fn record_attempt(
        &self,
        a: &AttemptRow,
        delivery: DeliveryUpdate,
        endpoint: EndpointUpdate,
        now: i64,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO webhook_attempts (id, delivery_id, webhook_id, attempted_at, \
             status_code, latency_ms, response, error) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(a.id.as_str())
        .bind(a.delivery_id.as_str())
        .bind(a.webhook_id.as_str())
        .bind(a.attempted_at)
        .bind(a.status_code)
        .bind(a.latency_ms)
        .bind(a.response.as_deref())
        .bind(a.error.as_deref())
        .execute(&mut *tx)
        .await?;
        let (state, next, delivered) = match delivery {
            DeliveryUpdate::Delivered => (delivery_status::DELIVERED, None, Some(now)),
            DeliveryUpdate::Retry { at } => (delivery_status::PENDING, Some(at), None),
            DeliveryUpdate::Failed => (delivery_status::FAILED, None, None),
        };
        sqlx::query(
            "UPDATE webhook_deliveries SET status = $2, attempts = attempts + 1, \
             next_attempt_at = $3, last_status = $4, last_error = $5, delivered_at = $6, \
             locked_until = NULL, locked_by = NULL, updated_at = $7 WHERE id = $1",
        )
        .bind(a.delivery_id.as_str())
        .bind(state)
        .bind(next)
        .bind(a.status_code)
        .bind(a.error.as_deref())
        .bind(delivered)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        match endpoint {
            EndpointUpdate::Unchanged => {}
            EndpointUpdate::Healthy => {
                sqlx::query("UPDATE webhooks SET failing_since = NULL WHERE id = $1")
                    .bind(a.webhook_id.as_str())
                    .execute(&mut *tx)
                    .await?;
            }
            EndpointUpdate::Verified => {
                sqlx::query(
                    "UPDATE webhooks SET status = 'active', challenge = NULL, verify_until = NULL, \
                     failing_since = NULL, updated_at = $2 WHERE id = $1 AND status = $3",
                )
                .bind(a.webhook_id.as_str())
                .bind(now)
                .bind(status::PENDING)
                .execute(&mut *tx)
                .await?;
            }
            EndpointUpdate::Failing { since } => {
                sqlx::query(
                    "UPDATE webhooks SET failing_since = COALESCE(failing_since, $2) WHERE id = $1",
                )
                .bind(a.webhook_id.as_str())
                .bind(since)
                .execute(&mut *tx)
                .await?;
            }
            EndpointUpdate::Disable { reason } => {
                sqlx::query(
                    "UPDATE webhooks SET status = 'disabled', disabled_reason = $2, \
                     updated_at = $3 WHERE id = $1",
                )
                .bind(a.webhook_id.as_str())
                .bind(&reason)
                .bind(now)
                .execute(&mut *tx)
                .await?;
                fail_pending(&mut tx, &a.webhook_id, &reason, now).await?;
            }
        }
        tx.commit().await?;
        Ok(())
    }

    async fn list_deliveries(
        &self,
        org: &OrgId,
        webhook: &WebhookId,
        limit: i64,
        offset: i64,
    ) -> Result<Page<(DeliveryRow, Vec<AttemptRow>)>, StoreError> {
        let (total,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM webhook_deliveries WHERE org_id = $1 AND webhook_id = $2",
        )
        .bind(org.as_str())
        .bind(webhook.as_str())
        .fetch_one(&self.pool)
        .await?;
        let rows: Vec<DeliveryRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {DELIVERY_COLUMNS} FROM webhook_deliveries WHERE org_id = $1 \
             AND webhook_id = $2 ORDER BY created_at DESC, id DESC LIMIT $3 OFFSET $4"
        )))
        .bind(org.as_str())
        .bind(webhook.as_str())
        .bind(limit)
        .bind(offset)
        .fetch_all(&self.pool)
        .await?;
        let mut items = Vec::with_capacity(rows.len());
        for d in rows {
            let attempts: Vec<AttemptRow> = sqlx::query_as(
                "SELECT id, delivery_id, webhook_id, attempted_at, status_code, latency_ms, \
                 response, error FROM webhook_attempts WHERE delivery_id = $1 \
                 ORDER BY attempted_at, id",
            )
            .bind(d.id.as_str())
            .fetch_all(&self.pool)
            .await?;
            items.push((d, attempts));
        }
        Ok(Page { total, items })
    }

    async fn retry_delivery(
        &self,
        org: &OrgId,
        webhook: &WebhookId,
        delivery: &DeliveryId,
        now: i64,
    ) -> Result<Option<DeliveryRow>, StoreError> {
        Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = $4, \
             locked_until = NULL, locked_by = NULL, updated_at = $4 \
             WHERE org_id = $1 AND webhook_id = $2 AND id = $3 RETURNING {DELIVERY_COLUMNS}"
        )))
        .bind(org.as_str())
        .bind(webhook.as_str())
        .bind(delivery.as_str())
        .bind(now)
        .fetch_optional(&self.pool)
        .await?)
    }

    async fn webhook_verification(&self, org: &OrgId) -> Result<bool, StoreError> {
        let row: Option<(i64,)> =
            sqlx::query_as("SELECT webhook_verification FROM orgs WHERE id = $1")
                .bind(org.as_str())
                .fetch_optional(&self.pool)
                .await?;
        Ok(row.is_none_or(|(v,)| v != 0))
    }

    async fn set_webhook_verification(&self, org: &OrgId, on: bool) -> Result<(), StoreError> {
        sqlx::query("UPDATE orgs SET webhook_verification = $2 WHERE id = $1")
            .bind(org.as_str())
            .bind(i64::from(on))
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
