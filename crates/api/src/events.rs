//! The organisation's event log: every event talentd records (and webhooks deliver).

use crate::AppState;
use crate::auth::Principal;
use crate::envelope::ListOut;
use crate::error::ApiError;
use crate::extract::Query;
use crate::pagination::paging;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use talentd_core::event::EventType;
use talentd_core::timefmt::format_millis;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_events))
}

/// An event, in the shape webhooks deliver it.
#[derive(Serialize, Deserialize, utoipa::ToSchema)]
#[schema(example = json!({
    "id": "evt_3JkQx0c9sWm2PqLz",
    "type": "project.created",
    "created_at": "2026-06-13T09:24:00Z",
    "data": {"id": "prj_8d24f0aB9cD1eF2g", "project_name": "Senior Frontend Developer", "status": "active"}
}))]
pub struct EventOut {
    /// `evt_...`
    pub id: String,
    /// e.g. `project.created`, `interview.completed`.
    #[serde(rename = "type")]
    pub kind: EventType,
    pub created_at: String,
    /// The object the event is about.
    #[schema(value_type = Object)]
    pub data: serde_json::Value,
}

/// Query of the event list.
#[derive(Deserialize, utoipa::IntoParams)]
pub struct EventListQuery {
    pub limit: Option<String>,
    pub offset: Option<String>,
    /// Only events of this type, e.g. `project.created`.
    #[serde(rename = "type")]
    pub kind: Option<String>,
}

/// List the organisation's events, newest first.
#[utoipa::path(get, path = "/v1/events", tag = "events", params(EventListQuery),
    responses(
        (status = 200, body = ListOut<EventOut>),
        (status = 400, description = "Invalid paging or type", body = crate::error::ErrorBody),
    ))]
pub async fn list_events(
    State(state): State<AppState>,
    who: Principal,
    Query(q): Query<EventListQuery>,
) -> Result<axum::Json<ListOut<EventOut>>, ApiError> {
    let paging = paging(q.limit.as_deref(), q.offset.as_deref())?;
    let kind = q
        .kind
        .as_deref()
        .map(|k| EventType::parse(k).ok_or_else(|| ApiError::invalid("type", "unknown event type")))
        .transpose()?;
    let page = state
        .store
        .list_events(&who.org_id, kind, paging.limit, paging.offset)
        .await?;
    let items = page
        .items
        .into_iter()
        .map(|e| EventOut {
            id: e.id.to_string(),
            kind: e.kind,
            created_at: format_millis(e.created_at_ms),
            data: e.data,
        })
        .collect();
    Ok(axum::Json(ListOut::new(page.total, items, paging)))
}
