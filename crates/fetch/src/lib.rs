//! Outgoing HTTP for talentd: an address guard against server-side request forgery,
//! and media downloads streamed to disk with limits.
//!
//! [`Fetcher::fetch_to`] downloads an interview recording from a client's
//! `media_url`; [`guard`] is shared with anything else that calls out (webhook
//! delivery), so every outgoing request applies the same address policy.

pub mod download;
pub mod error;
pub mod guard;
pub mod sniff;

pub use download::{FetchPolicy, Fetched, Fetcher, check_url, next_hop, sniff_file};
pub use error::{FetchError, redact};
pub use guard::{Guard, GuardedResolver, client, client_builder, is_forbidden};
pub use sniff::{MediaKind, SNIFF_LEN, sniff};
