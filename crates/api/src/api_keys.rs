//! The organisation's API keys: create (the secret is shown once), list, revoke, rotate.

use crate::AppState;
use crate::auth::Principal;
use crate::envelope::{ListOut, Success};
use crate::error::ApiError;
use crate::extract::{Json, PathId, Query};
use crate::pagination::paging;
use crate::provision::new_key;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use talentd_core::ApiKeyId;
use talentd_core::timefmt::{format_millis, to_millis};
use talentd_store::{ApiKeyRow, StoreError};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_api_key, list_api_keys))
        .routes(routes!(revoke_api_key))
        .routes(routes!(rotate_api_key))
}

/// A new key; the body may be empty.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApiKeyIn {
    /// A label, e.g. the integration using the key.
    pub name: Option<String>,
}

/// An API key as listed (never the secret).
#[derive(Serialize, Deserialize, utoipa::ToSchema)]
pub struct ApiKeyOut {
    /// `key_...`
    pub id: String,
    pub name: String,
    /// The first characters of the key, to recognise it.
    pub prefix: String,
    /// `active` or `revoked`.
    pub status: String,
    pub created_at: String,
    pub last_used_at: Option<String>,
    pub revoked_at: Option<String>,
    /// The key that replaced this one by rotation.
    pub replaced_by: Option<String>,
}

impl From<ApiKeyRow> for ApiKeyOut {
    fn from(k: ApiKeyRow) -> Self {
        Self {
            id: k.id.to_string(),
            name: k.name,
            prefix: k.prefix,
            status: if k.revoked_at.is_some() {
                "revoked"
            } else {
                "active"
            }
            .to_owned(),
            created_at: format_millis(k.created_at),
            last_used_at: k.last_used_at.map(format_millis),
            revoked_at: k.revoked_at.map(format_millis),
            replaced_by: k.replaced_by.map(|r| r.to_string()),
        }
    }
}

/// A key just created: the only response that carries the secret.
#[derive(Serialize, Deserialize, utoipa::ToSchema)]
pub struct ApiKeyCreatedOut {
    #[serde(flatten)]
    pub key: ApiKeyOut,
    /// The secret key. Store it now: it is not shown again.
    pub api_key: String,
}

/// Paging of the key list.
#[derive(Deserialize, utoipa::IntoParams)]
pub struct ApiKeyListQuery {
    pub limit: Option<String>,
    pub offset: Option<String>,
}

fn parse_id(id: &str) -> Result<ApiKeyId, ApiError> {
    ApiKeyId::parse(id).ok_or_else(|| ApiError::not_found("API key"))
}

/// Create an API key. The secret is in this response only.
#[utoipa::path(post, path = "/v1/api-keys", tag = "api-keys", request_body = ApiKeyIn,
    responses(
        (status = 201, body = Success<ApiKeyCreatedOut>),
        (status = 400, description = "Invalid request", body = crate::error::ErrorBody),
    ))]
pub async fn create_api_key(
    State(state): State<AppState>,
    who: Principal,
    Json(input): Json<ApiKeyIn>,
) -> Result<(StatusCode, axum::Json<Success<ApiKeyCreatedOut>>), ApiError> {
    let name = input
        .name
        .as_deref()
        .map(str::trim)
        .unwrap_or("")
        .to_owned();
    if name.chars().count() > 100 {
        return Err(ApiError::invalid(
            "name",
            "name must be at most 100 characters",
        ));
    }
    let name = if name.is_empty() {
        "unnamed".to_owned()
    } else {
        name
    };
    let now = to_millis(state.clock.now());
    let (key, secret) = new_key(&who.org_id, &name, now);
    state.store.insert_api_key(&key).await?;
    let row = state
        .store
        .get_api_key(&who.org_id, &key.id)
        .await?
        .ok_or_else(ApiError::internal_opaque)?;
    Ok((
        StatusCode::CREATED,
        axum::Json(Success::new(ApiKeyCreatedOut {
            key: row.into(),
            api_key: secret,
        })),
    ))
}

/// List the organisation's API keys, newest first, revoked ones included.
#[utoipa::path(get, path = "/v1/api-keys", tag = "api-keys", params(ApiKeyListQuery),
    responses((status = 200, body = ListOut<ApiKeyOut>)))]
pub async fn list_api_keys(
    State(state): State<AppState>,
    who: Principal,
    Query(q): Query<ApiKeyListQuery>,
) -> Result<axum::Json<ListOut<ApiKeyOut>>, ApiError> {
    let paging = paging(q.limit.as_deref(), q.offset.as_deref())?;
    let page = state
        .store
        .list_api_keys(&who.org_id, paging.limit, paging.offset)
        .await?;
    let items = page.items.into_iter().map(ApiKeyOut::from).collect();
    Ok(axum::Json(ListOut::new(page.total, items, paging)))
}

/// Revoke an API key: it stops working at once. Revoking a revoked key changes nothing.
#[utoipa::path(delete, path = "/v1/api-keys/{id}", tag = "api-keys",
    params(("id" = String, Path, description = "Key id (`key_...`)")),
    responses(
        (status = 200, body = Success<ApiKeyOut>),
        (status = 404, description = "No such key", body = crate::error::ErrorBody),
    ))]
pub async fn revoke_api_key(
    State(state): State<AppState>,
    who: Principal,
    PathId(id): PathId,
) -> Result<axum::Json<Success<ApiKeyOut>>, ApiError> {
    let id = parse_id(&id)?;
    let now = to_millis(state.clock.now());
    let row = state
        .store
        .revoke_api_key(&who.org_id, &id, now)
        .await?
        .ok_or_else(|| ApiError::not_found("API key"))?;
    Ok(axum::Json(Success::new(row.into())))
}

/// Rotate an API key: a new key is created with the same name and the old one is
/// revoked at once.
#[utoipa::path(post, path = "/v1/api-keys/{id}/rotate", tag = "api-keys",
    params(("id" = String, Path, description = "Key id (`key_...`)")),
    responses(
        (status = 201, body = Success<ApiKeyCreatedOut>),
        (status = 404, description = "No such key", body = crate::error::ErrorBody),
        (status = 409, description = "The key is already revoked", body = crate::error::ErrorBody),
    ))]
pub async fn rotate_api_key(
    State(state): State<AppState>,
    who: Principal,
    PathId(id): PathId,
) -> Result<(StatusCode, axum::Json<Success<ApiKeyCreatedOut>>), ApiError> {
    let old_id = parse_id(&id)?;
    let old = state
        .store
        .get_api_key(&who.org_id, &old_id)
        .await?
        .ok_or_else(|| ApiError::not_found("API key"))?;
    let now = to_millis(state.clock.now());
    let (key, secret) = new_key(&who.org_id, &old.name, now);
    let row = match state.store.rotate_api_key(&old_id, &key).await {
        Ok(Some(row)) => row,
        Ok(None) => return Err(ApiError::not_found("API key")),
        Err(StoreError::Conflict(_)) => {
            return Err(ApiError::new(
                StatusCode::CONFLICT,
                "key_revoked",
                "this API key is already revoked",
            ));
        }
        Err(e) => return Err(e.into()),
    };
    Ok((
        StatusCode::CREATED,
        axum::Json(Success::new(ApiKeyCreatedOut {
            key: row.into(),
            api_key: secret,
        })),
    ))
}
