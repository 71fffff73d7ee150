//! Tami's dialogue policy: what to ask, when to dig deeper, how to stay on course and
//! what to say. Pure functions over plain data; the caller stores the [`Interview`] as
//! JSON and supplies the clock.

pub mod defaults;
pub mod guard;
pub mod lang;
pub mod live;
pub mod plan;
pub mod probe;
pub mod session;
pub mod wording;
mod words;

pub use guard::{Intent, classify};
pub use lang::{Lang, detect};
pub use live::{Flag, LiveState, Signal, SignalKind};
pub use plan::{Plan, PlanInput, PlannedQuestion, Source};
pub use probe::{Assessment, ProbeDecision, ProbeKind, assess, decide};
pub use session::{Interview, Message, MessageKind, Progress, Reply, Role, SessionError, Turn};
