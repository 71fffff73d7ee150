//! talentd's storage: one [`Store`] trait object over SQLite (the embedded default) or
//! PostgreSQL. Every query is a runtime SQL string that runs unchanged on both (`$n`
//! placeholders, `ON CONFLICT`, `RETURNING`); migrations are embedded per backend.

mod api_keys;
mod audit;
mod cache;
mod candidates;
mod connect;
mod culture;
mod demographics;
mod erasure;
mod error;
mod events;
mod idempotency;
mod interviews;
mod jobs;
mod migrations;
mod orgs;
mod overrides;
mod projects;
mod rate_counters;
mod sessions;
mod templates;
pub mod testing;
mod users;
mod vacancies;
mod webhooks;

pub use api_keys::{ApiKeyRow, ApiKeyStore, KeyAuth, NewApiKey, TOUCH_INTERVAL_MS};
pub use audit::{AuditFilter, AuditRow, AuditStore, NewAuditEvent};
pub use cache::TTL as CACHE_TTL;
pub use candidates::{CandidateRow, CandidateStore};
pub use connect::{Backend, SqlStore, connect};
pub use culture::{CultureRow, CultureStore};
pub use demographics::{CandidateRequestRow, DemographicsRow, DemographicsStore, ReportRow};
pub use erasure::{
    CANDIDATE_BEING_ERASED, ErasedCounts, ErasureRow, ErasureStore, MENTIONS, Mention, NewErasure,
    Owned, PURGED, Tokens, empty_counts,
};
pub use error::StoreError;
pub use events::{EventRow, EventStore};
pub use idempotency::{IdempotencyBegin, IdempotencyStore};
pub use interviews::{InterviewResult, InterviewRow, InterviewStore, NewInterview};
pub use jobs::{JOB_NOT_HELD, JobRow, JobStore, NewJob, QueueDepth, QueueStat};
pub use orgs::{OrgRow, OrgStore};
pub use overrides::{OverrideRow, OverrideStore};
pub use projects::{ProjectFilter, ProjectRow, ProjectStore};
pub use rate_counters::RateCounterStore;
pub use sessions::{NewSession, SessionEnd, SessionRow, SessionStart, SessionStore};
pub use templates::{TemplateRow, TemplateStore};
pub use users::{UserRow, UserStore, WebSessionRow};
pub use vacancies::{VacancyRow, VacancyStore};
pub use webhooks::{
    AttemptRow, DeliveryRow, DeliveryUpdate, EndpointUpdate, NewDelivery, WebhookRow, WebhookStore,
    delivery_status, status as webhook_status,
};

/// Everything talentd persists. Handlers hold an `Arc<dyn Store>`.
#[async_trait::async_trait]
pub trait Store:
    OrgStore
    + ApiKeyStore
    + ProjectStore
    + TemplateStore
    + EventStore
    + IdempotencyStore
    + CandidateStore
    + VacancyStore
    + InterviewStore
    + JobStore
    + CultureStore
    + WebhookStore
    + SessionStore
    + UserStore
    + OverrideStore
    + RateCounterStore
    + AuditStore
    + DemographicsStore
    + ErasureStore
    + Send
    + Sync
{
    /// Which database this is.
    fn backend(&self) -> Backend;
    /// Checks that the database answers.
    async fn ping(&self) -> Result<(), StoreError>;
    /// Applies the embedded migrations that have not run yet.
    async fn migrate(&self) -> Result<(), StoreError>;
}

/// A page of rows and the total number matching.
#[derive(Debug, Clone)]
pub struct Page<T> {
    pub total: i64,
    pub items: Vec<T>,
}
