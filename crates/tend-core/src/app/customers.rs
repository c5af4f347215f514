//! Saving a customer, and the care triggers it fires.

use crate::base::error::Result;
use crate::base::ids::CustomerId;
use crate::base::time::UtcMillis;
use crate::care::enrollments::wake_waiting;
use crate::care::triggers;
use crate::crm::customers::{self, get_customer, CustomerInput, CustomerWrite, SaveOutcome};
use crate::db::effects::Effects;
use crate::db::store::Store;
use crate::messaging::consent::{self, ConsentChannel};
use crate::messaging::outbox;

impl Store {
    /// Creates a customer and enrols them in the scenarios their creation or tags trigger. Unless
    /// `allow_duplicates`, a customer whose normalised phone or email is already used by a live
    /// customer is not saved and the matches are returned instead.
    pub fn create_customer(
        &mut self,
        input: &CustomerInput,
        allow_duplicates: bool,
        now: UtcMillis,
    ) -> Result<SaveOutcome> {
        self.save_customer(None, input, None, allow_duplicates, now)
    }

    /// Replaces a customer's editable fields; tags new to them fire their triggers.
    pub fn update_customer(
        &mut self,
        id: &CustomerId,
        input: &CustomerInput,
        allow_duplicates: bool,
        now: UtcMillis,
    ) -> Result<SaveOutcome> {
        self.save_customer(Some(id), input, None, allow_duplicates, now)
    }

    /// Saves the customer form that was opened on `base`: only the fields the salesperson
    /// changed are written, so a change Tend made meanwhile (the bot binding their Telegram
    /// while the form was open) is kept rather than undone by the form's stale copy. Where both
    /// changed the same field, the salesperson's value wins: it is what they just typed.
    pub fn update_customer_from(
        &mut self,
        id: &CustomerId,
        base: &CustomerInput,
        input: &CustomerInput,
        allow_duplicates: bool,
        now: UtcMillis,
    ) -> Result<SaveOutcome> {
        self.save_customer(Some(id), input, Some(base), allow_duplicates, now)
    }

    /// Moves a customer to the bin. In the same transaction their live scenarios end and their
    /// queued messages are cancelled, so nothing reaches someone who was deleted; restoring them
    /// brings back the record and its history, not the scenarios.
    pub fn delete_customer(&mut self, id: &CustomerId, now: UtcMillis) -> Result<()> {
        let tx = self.write_tx()?;
        customers::delete_in(&tx, id, now)?;
        triggers::end_for_deleted_customer(&tx, id, now)?;
        outbox::cancel_queued_for_customer(&tx, id, now)?;
        tx.commit()?;
        self.record(Effects::DATA_CHANGED);
        Ok(())
    }

    fn save_customer(
        &mut self,
        existing: Option<&CustomerId>,
        input: &CustomerInput,
        base: Option<&CustomerInput>,
        allow_duplicates: bool,
        now: UtcMillis,
    ) -> Result<SaveOutcome> {
        let zone = self.zone.clone();
        let tx = self.write_tx()?;
        let write = match (existing, base) {
            (None, _) => customers::create_in(&tx, input, allow_duplicates, now)?,
            (Some(id), None) => customers::update_in(&tx, id, input, allow_duplicates, now)?,
            (Some(id), Some(base)) => {
                // Read inside the write transaction, so nothing can change between the read
                // and the write.
                let current = CustomerInput::from_customer(&get_customer(&tx, id)?);
                let merged = input.changes_over(base, &current);
                customers::update_in(&tx, id, &merged, allow_duplicates, now)?
            }
        };
        let (id, added_tags) = match write {
            CustomerWrite::Duplicates { matches } => {
                return Ok(SaveOutcome::Duplicates { matches })
            }
            CustomerWrite::Saved { id, added_tags } => (id, added_tags),
        };
        let enrolled = triggers::on_customer_saved(
            &tx,
            &id,
            existing.is_none(),
            &added_tags,
            zone.as_ref(),
            now,
        )?;
        let customer = get_customer(&tx, &id)?;
        if customer.do_not_contact {
            consent::cancel_automated(&tx, &id, ConsentChannel::All, now)?;
            wake_waiting(&tx, &id, now)?;
        }
        tx.commit()?;
        if enrolled > 0 || customer.do_not_contact {
            self.record(Effects {
                wake_care: true,
                ..Effects::NONE
            });
        }
        Ok(SaveOutcome::Saved {
            customer: Box::new(customer),
        })
    }
}
