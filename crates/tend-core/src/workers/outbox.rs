//! The outbox worker: delivery passes, woken by new messages, retries and the network coming back.

use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use crate::base::error::Result;
use crate::base::time::UtcMillis;
use crate::db::effects::Effects;
use crate::messaging::channels::Deliver;
use crate::messaging::delivery::{OutboxSender, PassReport};
use crate::workers::worker::Job;

/// Commands of the outbox worker.
pub enum OutboxCommand {
    /// Use these channels from now on (settings changed).
    Reload(Arc<dyn Deliver>),
}

impl Job for OutboxSender {
    type Report = PassReport;
    type Command = OutboxCommand;

    fn pass(&mut self, now: UtcMillis) -> Result<PassReport> {
        // What was paused, cancelled or refused since a message was queued holds first.
        self.store.enforce_holds(now)?;
        // The sender reads its own clock between messages (rate limits sleep on it).
        OutboxSender::pass(self)
    }

    fn take_effects(&mut self) -> Effects {
        self.store.take_effects()
    }

    fn next_due(&self, report: &PassReport) -> Option<UtcMillis> {
        report.next_due
    }

    fn command(&mut self, command: OutboxCommand) {
        match command {
            OutboxCommand::Reload(deliver) => self.deliver = deliver,
        }
    }

    fn recover(&mut self) -> Result<()> {
        self.recover_after_failure()
    }

    fn stop_flag(&self) -> Option<Arc<AtomicBool>> {
        Some(self.stop_requested.clone())
    }
}
