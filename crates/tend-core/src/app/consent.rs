//! Recording consent and "do not contact", with what follows from a "no": the automated
//! messages still queued on that channel are withdrawn, and a scenario step waiting on a
//! personal message to them runs again, to be skipped with the reason.

use crate::base::error::{Error, Result};
use crate::base::ids::{CustomerId, InteractionId};
use crate::base::time::UtcMillis;
use crate::care::enrollments::wake_waiting;
use crate::crm::customers::set_do_not_contact;
use crate::crm::interactions::{Direction, InteractionKind};
use crate::db::effects::Effects;
use crate::db::store::Store;
use crate::messaging::consent::{
    cancel_automated, insert, ConsentChannel, ConsentInput, ConsentMethod, ConsentState,
    CustomerConsent,
};
use rusqlite::OptionalExtension;

impl Store {
    /// Records consent given or withdrawn. On `all`, it sets or clears "do not contact".
    pub fn record_consent(
        &mut self,
        input: &ConsentInput,
        now: UtcMillis,
    ) -> Result<CustomerConsent> {
        let tx = self.write_tx()?;
        crate::crm::customers::get_customer(&tx, &input.customer_id)?;
        if input.channel == ConsentChannel::All {
            // The customer row and its history line are written together there.
            set_do_not_contact(
                &tx,
                &input.customer_id,
                input.state == ConsentState::Withdrawn,
                Some((input.method.as_str(), input.note.as_deref())),
                now,
            )?;
        } else {
            insert(&tx, input, None, now)?;
        }
        if input.state == ConsentState::Withdrawn {
            cancel_automated(&tx, &input.customer_id, input.channel, now)?;
            wake_waiting(&tx, &input.customer_id, now)?;
        }
        tx.commit()?;
        self.record(Effects::DATA_CHANGED.merge(Effects::WAKE_CARE));
        self.customer_consent(&input.customer_id)
    }

    /// Records a customer's message ("STOP", "hủy") as the withdrawal of their consent on the
    /// channel it came by.
    pub fn withdraw_consent_from_message(
        &mut self,
        interaction: &InteractionId,
        now: UtcMillis,
    ) -> Result<CustomerConsent> {
        let tx = self.write_tx()?;
        let (customer, kind, direction): (CustomerId, InteractionKind, Direction) = tx
            .query_row(
                "SELECT customer_id, kind, direction FROM customer_interactions WHERE id = ?1",
                [interaction],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?
            .ok_or(Error::NotFound("interaction"))?;
        let channel = match (kind, direction) {
            (InteractionKind::Telegram, Direction::Inbound) => ConsentChannel::Telegram,
            (InteractionKind::Zalo, Direction::Inbound) => ConsentChannel::Zalo,
            _ => {
                return Err(Error::conflict(
                    "consent.not_a_customer_message",
                    "only a customer's own Telegram or Zalo message can withdraw consent",
                ))
            }
        };
        insert(
            &tx,
            &ConsentInput {
                customer_id: customer.clone(),
                channel,
                state: ConsentState::Withdrawn,
                method: ConsentMethod::Message,
                note: None,
            },
            Some(interaction),
            now,
        )?;
        cancel_automated(&tx, &customer, channel, now)?;
        wake_waiting(&tx, &customer, now)?;
        tx.commit()?;
        self.record(Effects::DATA_CHANGED.merge(Effects::WAKE_CARE));
        self.customer_consent(&customer)
    }
}
