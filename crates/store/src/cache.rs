//! A read-through cache for the two reads every API request makes: the API key behind
//! the bearer token and the project a request names. Writes through this store
//! invalidate their entries at once; the short time-to-live bounds how long another
//! replica's write can go unseen.

use crate::{KeyAuth, ProjectRow};
use moka::sync::Cache;
use std::time::Duration;

/// How long an entry lives.
pub const TTL: Duration = Duration::from_secs(1);

#[derive(Clone, Debug)]
pub(crate) struct Caches {
    /// By key hash.
    pub keys: Cache<String, KeyAuth>,
    /// By (organisation, project id).
    pub projects: Cache<(String, String), ProjectRow>,
}

impl Caches {
    pub fn new() -> Self {
        Self {
            keys: Cache::builder()
                .max_capacity(100_000)
                .time_to_live(TTL)
                .build(),
            projects: Cache::builder()
                .max_capacity(100_000)
                .time_to_live(TTL)
                .build(),
        }
    }
}
