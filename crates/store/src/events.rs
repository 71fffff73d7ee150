//! The event outbox: every event is written in the transaction of the change it reports.

use crate::{Page, SqlStore, StoreError};
use sqlx::any::AnyRow;
use sqlx::{Any, FromRow, Row, Transaction};
use talentd_core::event::{Event, EventType};
use talentd_core::{EventId, OrgId};

/// An event as stored.
pub type EventRow = Event;

struct Stored(Event);

impl FromRow<'_, AnyRow> for Stored {
    fn from_row(r: &AnyRow) -> Result<Self, sqlx::Error> {
        let kind: String = r.try_get("type")?;
        let data: String = r.try_get("data")?;
        Ok(Stored(Event {
            id: EventId::from_trusted(r.try_get("id")?),
            org_id: OrgId::from_trusted(r.try_get("org_id")?),
            kind: EventType::parse(&kind)
                .ok_or_else(|| sqlx::Error::Decode(format!("event type {kind}").into()))?,
            data: serde_json::from_str(&data).map_err(|e| sqlx::Error::Decode(Box::new(e)))?,
            created_at_ms: r.try_get("created_at")?,
        }))
    }
}

pub(crate) async fn insert_event(
    tx: &mut Transaction<'_, Any>,
    e: &Event,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO events (id, org_id, type, data, created_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(e.id.as_str())
    .bind(e.org_id.as_str())
    .bind(e.kind.as_str())
    .bind(e.data.to_string())
    .bind(e.created_at_ms)
    .execute(&mut **tx)
    .await?;
    crate::webhooks::fan_out(tx, e).await?;
    Ok(())
}

#[async_trait::async_trait]
pub trait EventStore {
    /// Records an event on its own (and queues its webhook deliveries with it), for
    /// events that are not part of another change.
    async fn record_event(&self, event: &Event) -> Result<(), StoreError>;
    /// The organisation's events, newest first, optionally of one type.
    async fn list_events(
        &self,
        org: &OrgId,
        kind: Option<EventType>,
        limit: i64,
        offset: i64,
    ) -> Result<Page<EventRow>, StoreError>;
}

#[async_trait::async_trait]
impl EventStore for SqlStore {
    async fn record_event(&self, event: &Event) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        insert_event(&mut tx, event).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn list_events(
        &self,
        org: &OrgId,
        kind: Option<EventType>,
        limit: i64,
        offset: i64,
    ) -> Result<Page<EventRow>, StoreError> {
        // An empty `$2` means every type.
        let kind = kind.map(EventType::as_str).unwrap_or("");
        let (total,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM events WHERE org_id = $1 AND ($2 = '' OR type = $2)",
        )
        .bind(org.as_str())
        .bind(kind)
        .fetch_one(&self.pool)
        .await?;
        let rows: Vec<Stored> = sqlx::query_as(
            "SELECT id, org_id, type, data, created_at FROM events \
             WHERE org_id = $1 AND ($2 = '' OR type = $2) \
             ORDER BY created_at DESC, id DESC LIMIT $3 OFFSET $4",
        )
        .bind(org.as_str())
        .bind(kind)
        .bind(limit)
        .bind(offset)
        .fetch_all(&self.pool)
        .await?;
        Ok(Page {
            total,
            items: rows.into_iter().map(|s| s.0).collect(),
        })
    }
}
