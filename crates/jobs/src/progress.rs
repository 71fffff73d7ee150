//! Where a running interview job is: its stage and overall progress, set by the
//! (often blocking) stages and written to the database by a reporter task at most
//! once a second, so that clients polling the interview see it move.

use std::sync::{Arc, Mutex};
use std::time::Duration;
use talentd_core::InterviewId;
use talentd_core::interview::Stage;
use talentd_store::Store;

/// The share of the whole job each stage ends at: speech-to-text dominates a
/// recording's time, analysis a transcript's.
fn span(stage: Stage, has_media: bool) -> (f32, f32) {
    if !has_media {
        return (0.0, 1.0);
    }
    match stage {
        Stage::Queued => (0.0, 0.0),
        Stage::Fetching => (0.0, 0.10),
        Stage::Decoding => (0.10, 0.15),
        Stage::Transcribing => (0.15, 0.90),
        Stage::Analyzing => (0.90, 1.0),
    }
}

/// Overall progress in [0, 1] from a stage and the fraction of it done.
pub fn overall(stage: Stage, fraction: f32, has_media: bool) -> f32 {
    let (from, to) = span(stage, has_media);
    let f = if fraction.is_finite() {
        fraction.clamp(0.0, 1.0)
    } else {
        0.0
    };
    from + (to - from) * f
}

#[derive(Clone, Copy, Debug, PartialEq)]
struct State {
    stage: Stage,
    progress: f32,
}

/// Shared progress of one job.
#[derive(Clone)]
pub(crate) struct Progress {
    state: Arc<Mutex<State>>,
    has_media: bool,
}

impl Progress {
    pub fn new(has_media: bool) -> Self {
        Self {
            state: Arc::new(Mutex::new(State {
                stage: Stage::Queued,
                progress: 0.0,
            })),
            has_media,
        }
    }

    /// Sets the stage and the fraction of it done.
    pub fn set(&self, stage: Stage, fraction: f32) {
        let progress = overall(stage, fraction, self.has_media);
        if let Ok(mut s) = self.state.lock() {
            *s = State { stage, progress };
        }
    }

    fn get(&self) -> Option<State> {
        self.state.lock().ok().map(|s| *s)
    }

    /// Writes changes to the interview row every `every` until aborted.
    pub fn report(
        &self,
        store: Arc<dyn Store>,
        id: InterviewId,
        every: Duration,
    ) -> tokio::task::JoinHandle<()> {
        let this = self.clone();
        tokio::spawn(async move {
            let mut last: Option<State> = None;
            loop {
                tokio::time::sleep(every).await;
                let Some(now) = this.get() else { break };
                // A change of stage or a whole percent is worth a write.
                let changed = last.is_none_or(|l| {
                    l.stage != now.stage || (now.progress - l.progress).abs() >= 0.01
                });
                if changed {
                    if let Err(e) = store
                        .set_interview_progress(&id, now.stage, f64::from(now.progress))
                        .await
                    {
                        tracing::warn!(error = %e, interview = %id, "cannot record progress");
                    }
                    last = Some(now);
                }
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_grows_across_stages_and_stays_in_range() {
        let mut last = 0.0;
        for stage in [
            Stage::Fetching,
            Stage::Decoding,
            Stage::Transcribing,
            Stage::Analyzing,
        ] {
            for f in [0.0, 0.5, 1.0] {
                let p = overall(stage, f, true);
                assert!(p >= last && (0.0..=1.0).contains(&p), "{stage:?} {f} {p}");
                last = p;
            }
        }
        assert_eq!(overall(Stage::Analyzing, 1.0, true), 1.0);
        assert_eq!(overall(Stage::Analyzing, 0.5, false), 0.5);
        assert_eq!(overall(Stage::Transcribing, f32::NAN, true), 0.15);
        assert_eq!(overall(Stage::Transcribing, 7.0, true), 0.90);
    }
}
