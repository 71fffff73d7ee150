//! Success bodies: `{"success": true, ...fields}` for one object,
//! `{"success": true, "total", "items", "limit", "offset"}` for a list.

use crate::pagination::Paging;
use serde::{Deserialize, Serialize};

/// One object, flattened beside `"success": true`.
#[derive(Serialize, Deserialize, utoipa::ToSchema)]
pub struct Success<T> {
    /// Always `true`.
    pub success: bool,
    #[serde(flatten)]
    pub data: T,
}

impl<T> Success<T> {
    pub fn new(data: T) -> Self {
        Self {
            success: true,
            data,
        }
    }
}

/// A page of a list: `{"success": true, "total": N, "items": [...], "limit", "offset"}`.
#[derive(Serialize, Deserialize, utoipa::ToSchema)]
pub struct ListOut<T> {
    pub success: bool,
    /// How many items match in all.
    pub total: i64,
    pub items: Vec<T>,
    pub limit: i64,
    pub offset: i64,
}

impl<T> ListOut<T> {
    pub fn new(total: i64, items: Vec<T>, paging: Paging) -> Self {
        Self {
            success: true,
            total,
            items,
            limit: paging.limit,
            offset: paging.offset,
        }
    }
}
