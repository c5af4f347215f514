//! The care worker: runs the scenarios' due steps, exactly once, when they come due.

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

    fn pass(&mut self, now: UtcMillis) -> Result<StepReport> {
        self.store.run_due_steps(now, None)
    }

    fn take_effects(&mut self) -> Effects {
        self.store.take_effects()
    }

    fn next_due(&self, report: &StepReport) -> Option<UtcMillis> {
        report.next_due
    }
}
