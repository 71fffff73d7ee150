//! The end of a live session, and the sweeper that closes sessions their candidates
//! left. A session ends analysed when its interview finished or when it holds enough
//! evidence; otherwise it is closed `abandoned` with an `interview.completed` event.

use crate::JobError;
use serde_json::json;
use std::sync::Arc;
use std::time::Duration;
use talentd_core::Clock;
use talentd_core::event::{Event, EventType};
use talentd_core::interview::{InterviewStatus, Stage};
use talentd_core::timefmt::to_millis;
use talentd_interviewer::LiveState;
use talentd_store::{InterviewRow, SessionEnd, SessionRow, Store};

/// A session idle this long is closed.
pub const ABANDON_AFTER: Duration = Duration::from_secs(24 * 3600);
/// How often the sweeper looks.
const SWEEP_EVERY: Duration = Duration::from_secs(10 * 60);
/// Sessions closed per sweep query.
const SWEEP_BATCH: i64 = 100;

/// How a session ends given its state.
pub fn end_of(row: &SessionRow, live: &LiveState, now: i64) -> SessionEnd {
    if live.dialogue.is_done() || live.enough_evidence() {
        let mut interview = row.interview.clone();
        interview.status = InterviewStatus::Processing;
        interview.stage = Some(Stage::Queued);
        SessionEnd::Analyse {
            transcript: live.transcript(),
            job: crate::analyze_job(&interview, now),
        }
    } else {
        SessionEnd::Abandon {
            events: vec![abandoned_event(&row.interview, now)],
        }
    }
}

/// `interview.completed` for a session closed without analysis.
pub fn abandoned_event(i: &InterviewRow, now: i64) -> Event {
    Event::new(
        i.org_id.clone(),
        EventType::InterviewCompleted,
        json!({
            "id": i.id,
            "session_id": i.id.session_id(),
            "project_id": i.project_id,
            "candidate_id": i.candidate_id,
            "vacancy_id": i.vacancy_id,
            "status": "abandoned",
        }),
        now,
    )
}

/// What one sweep did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Swept {
    /// Sessions handed to the analysis.
    pub analysed: usize,
    /// Sessions closed `abandoned`.
    pub abandoned: usize,
}

/// Closes sessions idle for [`ABANDON_AFTER`].
#[derive(Clone)]
pub struct Sweeper {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    idle: Duration,
}

impl Sweeper {
    pub fn new(store: Arc<dyn Store>, clock: Arc<dyn Clock>) -> Self {
        Self {
            store,
            clock,
            idle: ABANDON_AFTER,
        }
    }

    /// Closes every session idle for long enough. A session saved meanwhile (its
    /// candidate came back) is left alone.
    pub async fn run_once(&self) -> Result<Swept, JobError> {
        let mut out = Swept::default();
        let now = to_millis(self.clock.now());
        let before = now - self.idle.as_millis() as i64;
        loop {
            let stale = self.store.stale_sessions(before, SWEEP_BATCH).await?;
            let n = stale.len();
            let mut closed = 0;
            for row in stale {
                let live: LiveState = match serde_json::from_value(row.state.clone()) {
                    Ok(l) => l,
                    Err(e) => {
                        tracing::error!(session = %row.interview.id, error = %e, "unreadable session state");
                        continue;
                    }
                };
                let end = end_of(&row, &live, now);
                let state = serde_json::to_value(&live)
                    .map_err(|e| JobError::transient(format!("session state: {e}")))?;
                if self
                    .store
                    .finish_session(&row.interview.id, &state, row.version, &end, now)
                    .await?
                {
                    closed += 1;
                    match end {
                        SessionEnd::Analyse { .. } => out.analysed += 1,
                        SessionEnd::Abandon { .. } => out.abandoned += 1,
                    }
                }
            }
            // A full batch that closed nothing (unreadable or busy rows) would repeat.
            if (n as i64) < SWEEP_BATCH || closed == 0 {
                break;
            }
        }
        Ok(out)
    }

    /// Sweeps every ten minutes until `stop`; wakes the workers and the deliverer when
    /// it closed something.
    pub async fn run(
        self,
        mut stop: tokio::sync::watch::Receiver<bool>,
        wake_workers: Option<Arc<tokio::sync::Notify>>,
        wake_deliveries: Option<Arc<tokio::sync::Notify>>,
    ) {
        loop {
            match self.run_once().await {
                Ok(s) if s != Swept::default() => {
                    tracing::info!(
                        analysed = s.analysed,
                        abandoned = s.abandoned,
                        "closed idle sessions"
                    );
                    for w in [&wake_workers, &wake_deliveries].into_iter().flatten() {
                        w.notify_one();
                    }
                }
                Ok(_) => {}
                Err(e) => tracing::error!(error = %e, "session sweep failed"),
            }
            tokio::select! {
                _ = tokio::time::sleep(SWEEP_EVERY) => {}
                _ = stop.wait_for(|s| *s) => break,
            }
        }
    }
}
