//! Notes kept on their own records; pinned ones show at the top of the customer.

use rusqlite::{params, OptionalExtension};

use crate::base::error::{Error, Result};
use crate::base::fold;
use crate::base::ids::{CustomerId, NoteId};
use crate::base::time::UtcMillis;
use crate::crm::customers::model::get_customer;
use crate::crm::customers::model::Note;
use crate::crm::search_index;
use crate::db::store::Store;

impl Store {
    /// Adds a note to a customer; pinned notes show at the top of the customer.
    pub fn add_note(
        &mut self,
        customer_id: &CustomerId,
        body: &str,
        pinned: bool,
        now: UtcMillis,
    ) -> Result<Note> {
        let body = fold::clean(Some(body))
            .ok_or_else(|| Error::field("body", "note.empty", "the note is empty"))?;
        if body.chars().count() > crate::crm::customers::MAX_TEXT_CHARS {
            return Err(Error::field(
                "body",
                "note.too_long",
                format!(
                    "the note is too long: at most {} characters",
                    crate::crm::customers::MAX_TEXT_CHARS
                ),
            )
            .with("max", crate::crm::customers::MAX_TEXT_CHARS));
        }
        let tx = self.write_tx()?;
        get_customer(&tx, customer_id)?;
        let id = NoteId::new();
        tx.execute(
            "INSERT INTO customer_notes (id, customer_id, body, pinned, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
            params![id, customer_id, body, pinned, now],
        )?;
        search_index::reindex(&tx, customer_id)?;
        tx.commit()?;
        Ok(Note {
            id,
            body,
            pinned,
            created_at: now,
        })
    }

    /// Deletes a note.
    pub fn delete_note(&mut self, id: &NoteId) -> Result<()> {
        let tx = self.write_tx()?;
        let customer: CustomerId = tx
            .query_row(
                "SELECT customer_id FROM customer_notes WHERE id = ?1",
                [id],
                |r| r.get(0),
            )
            .optional()?
            .ok_or(Error::NotFound("note"))?;
        tx.execute("DELETE FROM customer_notes WHERE id = ?1", [id])?;
        search_index::reindex(&tx, &customer)?;
        tx.commit()?;
        Ok(())
    }
}
