//! Customer roll-ups: derived from the rows, recomputed inside every change that affects them.

use rusqlite::Connection;

use crate::base::error::Result;
use crate::base::ids::CustomerId;

/// Recomputes a customer's roll-ups from the interactions and open tasks. A note is history but
/// not contact, so it counts in `total_interactions` and not in `last_contact_date`.
pub(crate) fn refresh_rollups(conn: &Connection, customer: &CustomerId) -> Result<()> {
    conn.prepare_cached(
        "UPDATE customers SET
             total_interactions = (SELECT count(*) FROM customer_interactions WHERE customer_id = ?1),
             last_contact_date = (SELECT max(occurred_at) FROM customer_interactions
                                  WHERE customer_id = ?1 AND kind <> 'note'),
             next_follow_up_date = (SELECT min(due_at) FROM tasks WHERE customer_id = ?1 AND status = 'open')
         WHERE id = ?1",
    )?
    .execute([customer])?;
    Ok(())
}
