//! Logging an interaction, and the end of the scenarios that stop when the customer replies.

use rusqlite::Connection;

use crate::base::error::{Error, Result};
use crate::base::time::UtcMillis;
use crate::care::triggers;
use crate::crm::interactions::{self, Direction, Interaction, InteractionInput};
use crate::crm::tasks::{self, TaskStatus};
use crate::db::store::Store;

impl Store {
    /// Logs an interaction. In one transaction: the interaction, the follow-up task when a next
    /// action is given, the customer's roll-ups, and, when the customer is the one talking, the
    /// end of the scenarios that exit on reply.
    pub fn log_interaction(
        &mut self,
        input: &InteractionInput,
        now: UtcMillis,
    ) -> Result<Interaction> {
        let tx = self.write_tx()?;
        let logged = log_with_reactions(&tx, input, now)?;
        tx.commit()?;
        Ok(logged)
    }
}

/// Logs an interaction inside the caller's transaction, with its cross-domain reaction.
pub(crate) fn log_with_reactions(
    tx: &Connection,
    input: &InteractionInput,
    now: UtcMillis,
) -> Result<Interaction> {
    let logged = interactions::log_in(tx, input, now)?;
    if let Some(task) = &input.complete_task_id {
        // Only this customer's open task: a stale form must not close someone else's.
        let t = tasks::get(tx, task)?;
        if t.customer_id.as_ref() != Some(&input.customer_id) {
            return Err(Error::field(
                "complete_task_id",
                "interaction.task_of_another_customer",
                "this task belongs to another customer",
            ));
        }
        if t.status == TaskStatus::Open {
            tasks::set_status_in(tx, task, TaskStatus::Done, now)?;
        }
    }
    if logged.direction == Direction::Inbound {
        // The customer answered: scenarios that exit on reply stop here.
        triggers::exit_on_reply(tx, &input.customer_id, logged.occurred_at, now)?;
    }
    Ok(logged)
}
