//! The HTTP API driven as integrators drive it: a real server on a loopback port, a
//! real database (SQLite by default; PostgreSQL when `TALENTD_TEST_DATABASE_URL` points
//! at a server), and an injected clock.

mod api_keys;
mod audit;
mod auth;
mod candidates;
mod culture;
mod dashboard;
mod erasure;
mod errors;
mod events;
mod explanation;
mod fixtures;
mod idempotency;
mod interviews;
mod live;
mod media;
mod metrics;
mod projects;
mod ratelimit;
mod receiver;
mod recordings;
mod support;
mod templates;
mod tenancy;
mod trust;
mod web;
mod webhooks;
