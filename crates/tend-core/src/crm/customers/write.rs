//! Writing customers: create and edit inside the caller's transaction (the `app` layer adds
//! the care triggers), duplicate checks, soft delete and restore.

use std::collections::HashMap;

use rusqlite::{params, Connection, OptionalExtension};

use crate::base::error::{Error, Result};
use crate::base::fold;
use crate::base::ids::{CustomerId, PhoneId, TagId};
use crate::base::time::UtcMillis;
use crate::crm::customers::model::get_customer;
use crate::crm::customers::model::with_tags;
use crate::crm::customers::model::Customer;
use crate::crm::customers::model::CustomerInput;
use crate::crm::customers::model::CustomerSummary;
use crate::crm::customers::validate::sort_name;
use crate::crm::customers::validate::validate;
use crate::crm::customers::validate::ValidCustomer;
use crate::crm::search_index;
use crate::db::store::Store;

pub(crate) const TAG_COLORS: [&str; 8] = [
    "#2563eb", "#16a34a", "#d97706", "#dc2626", "#7c3aed", "#0891b2", "#db2777", "#4b5563",
];

/// What writing a customer did, for the use case that owns the transaction.
pub enum CustomerWrite {
    /// Saved; `added_tags` are the tags the customer did not have before (all of them when new).
    Saved {
        id: CustomerId,
        added_tags: Vec<String>,
    },
    /// Not saved: live customers already use this phone or email.
    Duplicates { matches: Vec<CustomerSummary> },
}

/// Moves a customer to the bin inside the caller's transaction (the `app` layer ends their
/// scenarios and cancels their queued messages with it).
pub fn delete_in(tx: &Connection, id: &CustomerId, now: UtcMillis) -> Result<()> {
    let n = tx.execute(
        "UPDATE customers SET deleted_at = ?2, updated_at = ?2 WHERE id = ?1 AND deleted_at IS NULL",
        params![id, now],
    )?;
    if n == 0 {
        get_customer(tx, id)?;
    }
    search_index::reindex(tx, id)
}

/// Validates and inserts a customer inside the caller's transaction. Unless `allow_duplicates`,
/// a customer whose normalised phone or email is already a live customer's is not saved.
pub fn create_in(
    tx: &Connection,
    input: &CustomerInput,
    allow_duplicates: bool,
    now: UtcMillis,
) -> Result<CustomerWrite> {
    let valid = validate(input)?;
    if !allow_duplicates {
        let matches = duplicates(tx, &valid, None)?;
        if !matches.is_empty() {
            return Ok(CustomerWrite::Duplicates { matches });
        }
    }
    let id = CustomerId::new();
    insert_customer(tx, &id, &valid, now)?;
    set_do_not_contact(tx, &id, input.do_not_contact, None, now)?;
    Ok(CustomerWrite::Saved {
        id,
        added_tags: valid.tags,
    })
}

/// Validates and replaces a customer's editable fields inside the caller's transaction.
/// Duplicates are checked as on create, ignoring the customer itself.
pub fn update_in(
    tx: &Connection,
    id: &CustomerId,
    input: &CustomerInput,
    allow_duplicates: bool,
    now: UtcMillis,
) -> Result<CustomerWrite> {
    let valid = validate(input)?;
    {
        let old_tags: Vec<String> = get_customer(tx, id)?
            .tags
            .into_iter()
            .map(|t| t.name.to_lowercase())
            .collect();
        if !allow_duplicates {
            let matches = duplicates(tx, &valid, Some(id))?;
            if !matches.is_empty() {
                return Ok(CustomerWrite::Duplicates { matches });
            }
        }
        tx.execute(
            "UPDATE customers SET full_name = ?2, sort_name = ?3, phone_number = ?4, email = ?5,
                 company_name = ?6, address = ?7, birthday = ?8, zalo_id = ?9, zalo_phone = ?10,
                 telegram_id = ?11, telegram_username = ?12, source = ?13, lifecycle_stage = ?14,
                 temperature = ?15, notes = ?16, updated_at = ?17
             WHERE id = ?1",
            params![
                id,
                valid.full_name,
                sort_name(&valid.full_name),
                valid.phones.first().map(|p| &p.0),
                valid.email,
                valid.company_name,
                valid.address,
                valid.birthday,
                valid.zalo_id,
                valid.zalo_phone,
                valid.telegram_id,
                valid.telegram_username,
                valid.source,
                valid.lifecycle_stage,
                valid.temperature,
                valid.notes,
                now
            ],
        )?;
        write_phones(tx, id, &valid.phones)?;
        write_tags(tx, id, &valid.tags, now)?;
        set_do_not_contact(tx, id, input.do_not_contact, None, now)?;
        search_index::reindex(tx, id)?;
        let added_tags: Vec<String> = valid
            .tags
            .iter()
            .filter(|t| !old_tags.contains(&t.to_lowercase()))
            .cloned()
            .collect();
        Ok(CustomerWrite::Saved {
            id: id.clone(),
            added_tags,
        })
    }
}

/// Sets or clears "do not contact" when it changes, with a line in the consent history (channel
/// `all`), so when the customer asked, and when that ended, stays on record.
/// `how`: the method and note the salesperson recorded (the form records none: `other`).
pub(crate) fn set_do_not_contact(
    tx: &Connection,
    id: &CustomerId,
    on: bool,
    how: Option<(&str, Option<&str>)>,
    now: UtcMillis,
) -> Result<()> {
    let changed = tx.execute(
        "UPDATE customers SET do_not_contact = ?2, do_not_contact_at = CASE WHEN ?2 THEN ?3 END
         WHERE id = ?1 AND do_not_contact <> ?2",
        params![id, on, now],
    )?;
    if changed > 0 {
        tx.execute(
            "INSERT INTO customer_consents (id, customer_id, channel, state, method, note,
                 recorded_at)
             VALUES (?1, ?2, 'all', ?3, ?4, ?5, ?6)",
            params![
                crate::base::ids::ConsentId::new(),
                id,
                if on { "withdrawn" } else { "given" },
                how.map_or("other", |h| h.0),
                how.and_then(|h| crate::base::fold::clean(h.1)),
                now
            ],
        )?;
    }
    Ok(())
}

pub(crate) fn duplicates(
    conn: &Connection,
    valid: &ValidCustomer,
    except: Option<&CustomerId>,
) -> Result<Vec<CustomerSummary>> {
    let phones: Vec<&str> = valid.phones.iter().map(|p| p.0.as_str()).collect();
    let phones = serde_json::to_string(&phones).map_err(|e| Error::Internal(e.to_string()))?;
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {} FROM customers c
         WHERE c.deleted_at IS NULL AND c.id IS NOT ?3 AND (
             c.id IN (SELECT p.customer_id FROM customer_phones p
                      WHERE p.number IN (SELECT value FROM json_each(?1)))
             OR (?2 IS NOT NULL AND lower(c.email) = lower(?2)))
         ORDER BY c.sort_name LIMIT 10",
        CustomerSummary::COLUMNS
    ))?;
    let items = stmt
        .query_map(
            params![phones, valid.email, except],
            CustomerSummary::from_row,
        )?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    with_tags(conn, items)
}

pub(crate) fn insert_customer(
    conn: &Connection,
    id: &CustomerId,
    c: &ValidCustomer,
    now: UtcMillis,
) -> Result<()> {
    insert_customer_unindexed(conn, id, c, None, &mut TagIds::default(), now)?;
    search_index::reindex(conn, id)
}

/// Inserts a customer without their search row: a bulk insert gives each its search sequence
/// number (`seq`) here and indexes all of them at the end (`search_index::index_new`), which is
/// many times faster than one at a time. `tags` remembers tag ids across the calls of a bulk
/// insert.
pub(crate) fn insert_customer_unindexed(
    conn: &Connection,
    id: &CustomerId,
    c: &ValidCustomer,
    seq: Option<i64>,
    tags: &mut TagIds,
    now: UtcMillis,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO customers (id, full_name, sort_name, phone_number, email, company_name, address,
             birthday, zalo_id, zalo_phone, telegram_id, telegram_username, source, lifecycle_stage,
             temperature, notes, created_at, updated_at, search_seq)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?17,
             ?18)",
    )?
    .execute(params![
        id,
        c.full_name,
        sort_name(&c.full_name),
        c.phones.first().map(|p| &p.0),
        c.email,
        c.company_name,
        c.address,
        c.birthday,
        c.zalo_id,
        c.zalo_phone,
        c.telegram_id,
        c.telegram_username,
        c.source,
        c.lifecycle_stage,
        c.temperature,
        c.notes,
        now,
        seq
    ])?;
    insert_phones(conn, id, &c.phones)?;
    add_tags_with(conn, id, &c.tags, now, tags)?;
    Ok(())
}

/// Validates and inserts a customer inside the caller's transaction, skipping the duplicate check
/// (used by imports and sample data).
pub(crate) fn insert_input(
    conn: &Connection,
    input: &CustomerInput,
    now: UtcMillis,
) -> Result<CustomerId> {
    let valid = validate(input)?;
    let id = CustomerId::new();
    insert_customer(conn, &id, &valid, now)?;
    Ok(id)
}

pub(crate) fn write_phones(
    conn: &Connection,
    id: &CustomerId,
    phones: &[(String, Option<String>)],
) -> Result<()> {
    conn.prepare_cached("DELETE FROM customer_phones WHERE customer_id = ?1")?
        .execute([id])?;
    insert_phones(conn, id, phones)
}

/// Adds phones to a customer who has none, the first one primary.
fn insert_phones(
    conn: &Connection,
    id: &CustomerId,
    phones: &[(String, Option<String>)],
) -> Result<()> {
    let mut stmt = conn.prepare_cached(
        "INSERT INTO customer_phones (id, customer_id, number, label, is_primary, position)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    for (i, (number, label)) in phones.iter().enumerate() {
        stmt.execute(params![PhoneId::new(), id, number, label, i == 0, i as i64])?;
    }
    Ok(())
}

pub(crate) fn write_tags(
    conn: &Connection,
    id: &CustomerId,
    tags: &[String],
    now: UtcMillis,
) -> Result<()> {
    conn.prepare_cached("DELETE FROM customer_tags WHERE customer_id = ?1")?
        .execute([id])?;
    add_tags(conn, id, tags, now)
}

/// Gives a customer these tags besides the ones they have, creating unknown tags.
pub(crate) fn add_tags(
    conn: &Connection,
    id: &CustomerId,
    tags: &[String],
    now: UtcMillis,
) -> Result<()> {
    add_tags_with(conn, id, tags, now, &mut TagIds::default())
}

fn add_tags_with(
    conn: &Connection,
    id: &CustomerId,
    tags: &[String],
    now: UtcMillis,
    ids: &mut TagIds,
) -> Result<()> {
    for name in tags {
        let tag_id = ids.get_or_create(conn, name, now)?;
        conn.prepare_cached(
            "INSERT OR IGNORE INTO customer_tags (customer_id, tag_id) VALUES (?1, ?2)",
        )?
        .execute(params![id, tag_id])?;
    }
    Ok(())
}

/// Tag ids by name, as the database compares names (`COLLATE NOCASE`: ASCII letters without
/// case), so that a bulk insert looks each tag up once instead of once per customer.
#[derive(Default)]
pub(crate) struct TagIds(HashMap<String, TagId>);

impl TagIds {
    /// The id of the tag named `name`, created when there is none.
    fn get_or_create(&mut self, conn: &Connection, name: &str, now: UtcMillis) -> Result<TagId> {
        let key = name.to_ascii_lowercase();
        if let Some(id) = self.0.get(&key) {
            return Ok(id.clone());
        }
        let existing: Option<TagId> = conn
            .prepare_cached("SELECT id FROM tags WHERE name = ?1 COLLATE NOCASE")?
            .query_row([name], |r| r.get(0))
            .optional()?;
        let id = match existing {
            Some(t) => t,
            None => {
                let t = TagId::new();
                let color = TAG_COLORS
                    [fold::fold(name).bytes().map(usize::from).sum::<usize>() % TAG_COLORS.len()];
                conn.prepare_cached(
                    "INSERT INTO tags (id, name, color, created_at) VALUES (?1, ?2, ?3, ?4)",
                )?
                .execute(params![t, name, color, now])?;
                t
            }
        };
        self.0.insert(key, id.clone());
        Ok(id)
    }
}

impl Store {
    /// Live customers whose phone or email matches the input (normalised), for the form's warning.
    pub fn find_duplicates(
        &self,
        input: &CustomerInput,
        except: Option<&CustomerId>,
    ) -> Result<Vec<CustomerSummary>> {
        let valid = validate(input)?;
        duplicates(&self.conn, &valid, except)
    }

    /// Brings a customer back from the bin, with their history. Scenarios that ended when they
    /// were deleted stay ended: enrol them again to start over.
    pub fn restore_customer(&mut self, id: &CustomerId, now: UtcMillis) -> Result<Customer> {
        let tx = self.write_tx()?;
        tx.execute(
            "UPDATE customers SET deleted_at = NULL, updated_at = ?2 WHERE id = ?1 AND deleted_at IS NOT NULL",
            params![id, now],
        )?;
        search_index::reindex(&tx, id)?;
        let c = get_customer(&tx, id)?;
        tx.commit()?;
        Ok(c)
    }
}
