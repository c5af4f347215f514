//! Finishing a personal message the salesperson was asked to send by hand: the outbox row, the
//! timeline, and the scenario step that prepared it, in one transaction.

use rusqlite::Connection;

use crate::base::calendar::Zone;
use crate::base::error::{Error, Result};
use crate::base::ids::OutboxId;
use crate::base::time::UtcMillis;
use crate::care::enrollments::finish_waiting_step;
use crate::care::model::{parse_step_message_key, StepOutcome};
use crate::db::effects::Effects;
use crate::db::store::Store;
use crate::messaging::outbox::{self, OutboxMessage, OutboxStatus};

impl Store {
    /// The salesperson sent a waiting personal message (`sent`), or chose not to. Sent, it goes
    /// on the timeline; either way the scenario step that prepared it is done (or skipped) and
    /// the enrolment moves on.
    pub fn finish_assisted(
        &mut self,
        id: &OutboxId,
        sent: bool,
        now: UtcMillis,
    ) -> Result<OutboxMessage> {
        let zone = self.zone.clone();
        let tx = self.write_tx()?;
        finish_in(&tx, id, sent, zone.as_ref(), now)?;
        tx.commit()?;
        self.record(Effects::WAKE_CARE.merge(Effects::DATA_CHANGED));
        self.get_outbox(id)
    }
}

impl Store {
    /// Cancels a message from the outbox screen. A personal message a scenario is waiting on is
    /// skipped instead, so its enrolment moves on rather than waiting for ever.
    pub fn cancel_or_skip_message(
        &mut self,
        id: &OutboxId,
        now: UtcMillis,
    ) -> Result<OutboxMessage> {
        let m = self.get_outbox(id)?;
        if !m.channel.is_automatic() && m.status == OutboxStatus::Queued {
            return self.finish_assisted(id, false, now);
        }
        self.cancel_message(id, now)
    }
}

fn finish_in(
    conn: &Connection,
    id: &OutboxId,
    sent: bool,
    zone: &dyn Zone,
    now: UtcMillis,
) -> Result<()> {
    let m = outbox::get_in(conn, id)?;
    if m.channel.is_automatic() || m.status != OutboxStatus::Queued {
        return Err(Error::conflict(
            "send.not_waiting",
            "this message is not waiting to be sent by hand",
        ));
    }
    if sent {
        outbox::mark_sent_in(conn, id, Some("sent by hand"), now)?;
    } else {
        conn.execute(
            "UPDATE outbox SET status = 'cancelled', next_attempt_at = NULL, updated_at = ?2
             WHERE id = ?1",
            rusqlite::params![id, now],
        )?;
    }
    if let Some((enrollment, step)) = parse_step_message_key(&m.idempotency_key) {
        let outcome = if sent {
            StepOutcome::Done
        } else {
            StepOutcome::Skipped
        };
        finish_waiting_step(conn, &enrollment, &step, outcome, id, zone, now)?;
    }
    Ok(())
}
