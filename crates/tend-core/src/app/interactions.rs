//! Logging an interaction, and the end of the scenarios that stop when the customer replies.

use rusqlite::Connection;

use crate::base::error::Result;
use crate::base::time::UtcMillis;
use crate::care::triggers;
use crate::crm::interactions::{self, Direction, Interaction, InteractionInput};
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
    if logged.direction == Direction::Inbound {
        // The customer answered: scenarios that exit on reply stop here.
        triggers::exit_on_reply(tx, &input.customer_id, now)?;
    }
    Ok(logged)
}
