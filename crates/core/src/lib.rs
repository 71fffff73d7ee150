//! talentd's domain core: typed ids, plans and rate arithmetic, API-key material,
//! templates, projects and events. Pure code over plain data; no IO.

pub mod adverse_impact;
pub mod agreement;
pub mod apikey;
pub mod audit;
pub mod clock;
pub mod demographics;
pub mod erasure;
pub mod event;
pub mod id;
pub mod interview;
pub mod plan;
pub mod project;
pub mod ratelimit;
pub mod template;
pub mod timefmt;
pub mod transcript;
pub mod user;
pub mod webhook;

pub use clock::{Clock, ManualClock, SystemClock};
pub use id::*;
pub use plan::Plan;
