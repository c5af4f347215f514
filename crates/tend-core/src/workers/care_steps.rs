//! The care worker: runs the scenarios' due steps, exactly once, when they come due, and the
//! campaigns' runs.

use crate::base::error::Result;
use crate::base::time::UtcMillis;
use crate::care::step_runner::StepReport;
use crate::db::effects::Effects;
use crate::db::store::Store;
use crate::workers::worker::Job;

/// The care step runner over its own store connection.
pub struct CareSteps {
    pub store: Store,
}

impl Job for CareSteps {
    type Report = StepReport;
    type Command = ();

    /// The scenarios' due steps, then the campaigns' due runs (both automated sends on a
    /// schedule, so one worker wakes for whichever comes first).
    fn pass(&mut self, now: UtcMillis) -> Result<StepReport> {
        let mut report = self.store.run_due_steps(now, None)?;
        let campaigns = self.store.run_due_campaigns(now)?;
        report.messages += campaigns.queued;
        report.next_due = match (report.next_due, campaigns.next_due) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        Ok(report)
    }

    fn take_effects(&mut self) -> Effects {
        self.store.take_effects()
    }

    fn next_due(&self, report: &StepReport) -> Option<UtcMillis> {
        report.next_due
    }
}
