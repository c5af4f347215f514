//! Writing an import in one transaction (cancelling rolls all of it back), recording what it
//! created and filled in, and "undo this import", which takes exactly that back.

use std::collections::{HashMap, HashSet};

use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};

use crate::base::error::{Error, Result};
use crate::base::ids::{CustomerId, ImportId, PhoneId};
use crate::base::time::UtcMillis;
use crate::crm::customers::model::get_customer;
use crate::crm::customers::validate::ValidCustomer;
use crate::crm::customers::write::{add_tags, insert_customer_unindexed, TagIds};
use crate::crm::search_index;
use crate::db::effects::Effects;
use crate::db::store::Store;
use crate::import::model::{ImportOptions, ImportSummary, Table};
use crate::import::plan::{clean_tag, plan, Action};

/// How often (in rows) writing reports progress and checks for a cancel.
const PROGRESS_EVERY: usize = 500;

/// What an import filled in on a customer who was already in the book.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Filled {
    fields: Vec<String>,
    phones: Vec<String>,
    tags: Vec<String>,
}

impl Filled {
    fn is_empty(&self) -> bool {
        self.fields.is_empty() && self.phones.is_empty() && self.tags.is_empty()
    }
}

/// The customer columns an update may fill, by name: undo sets exactly these back to empty.
const FILLABLE: [&str; 7] = [
    "email",
    "company_name",
    "address",
    "birthday",
    "zalo_phone",
    "source",
    "notes",
];

impl ImportSummary {
    const COLUMNS: &str = "id, file_name, tag, created_count, updated_count, skipped_count, \
        invalid_count, created_at, undone_at";

    fn from_row(r: &Row<'_>) -> rusqlite::Result<ImportSummary> {
        Ok(ImportSummary {
            id: r.get("id")?,
            file_name: r.get("file_name")?,
            tag: r.get("tag")?,
            created: r.get("created_count")?,
            updated: r.get("updated_count")?,
            skipped: r.get("skipped_count")?,
            invalid: r.get("invalid_count")?,
            created_at: r.get("created_at")?,
            undone_at: r.get("undone_at")?,
        })
    }
}

fn get_import(conn: &Connection, id: &ImportId) -> Result<ImportSummary> {
    conn.query_row(
        &format!(
            "SELECT {} FROM imports WHERE id = ?1",
            ImportSummary::COLUMNS
        ),
        [id],
        ImportSummary::from_row,
    )
    .optional()?
    .ok_or(Error::NotFound("import"))
}

impl Store {
    /// Writes the table as the dry run planned it, in one transaction. `progress(done, total)`
    /// is called every few hundred rows; when it returns false the import stops and nothing is
    /// written. Care triggers do not fire for imported customers: a book of thousands arriving
    /// at once is enrolled on purpose, by its tag.
    pub fn run_import(
        &mut self,
        table: &Table,
        options: &ImportOptions,
        now: UtcMillis,
        progress: &mut dyn FnMut(u32, u32) -> bool,
    ) -> Result<ImportSummary> {
        let tag = clean_tag(options);
        // A large import touches many pages (the search index above all); with the usual 8 MB
        // of cache they would be written out and read back again and again.
        self.conn.execute_batch("PRAGMA cache_size = -262144")?;
        let result = self.write_import(table, options, tag, now, progress);
        self.conn.execute_batch("PRAGMA cache_size = -8192")?;
        result
    }

    fn write_import(
        &mut self,
        table: &Table,
        options: &ImportOptions,
        tag: Option<String>,
        now: UtcMillis,
        progress: &mut dyn FnMut(u32, u32) -> bool,
    ) -> Result<ImportSummary> {
        let tx = self.write_tx()?;
        let mut plan = plan(&tx, table, options)?;
        // Rows that duplicate an earlier row fill that row before anything is written.
        for i in 0..plan.rows.len() {
            if let Action::IntoRow(at) = plan.rows[i].action {
                let (head, tail) = plan.rows.split_at_mut(i);
                fill_row(&mut head[at].valid, &tail[0].valid);
            }
        }
        let tags_before = tag_names(&tx)?;
        let id = ImportId::new();
        tx.execute(
            "INSERT INTO imports (id, file_name, tag, created_count, updated_count, skipped_count,
                 invalid_count, created_at)
             VALUES (?1, ?2, ?3, 0, 0, 0, ?4, ?5)",
            params![id, table.file_name, tag, plan.invalid.len() as u32, now],
        )?;
        let total = plan.rows.len() as u32;
        // The rows are reported done in two steps of work: written, then (the new customers)
        // indexed for search, which takes as long again. `done` is scaled to rows.
        let to_index = plan
            .rows
            .iter()
            .filter(|r| matches!(r.action, Action::Create))
            .count();
        let work = (plan.rows.len() + to_index).max(1) as u64;
        let rows_done = |steps: usize| (steps as u64 * u64::from(total) / work) as u32;
        let (mut created, mut skipped) = (0u32, 0u32);
        let mut filled: HashMap<CustomerId, Filled> = HashMap::new();
        let mut created_ids: Vec<CustomerId> = Vec::new();
        let first_seq = search_index::next_seq(&tx)?;
        let mut tag_ids = TagIds::default();
        for (i, row) in plan.rows.iter_mut().enumerate() {
            if i % PROGRESS_EVERY == 0 && !progress(rows_done(i), total) {
                return Err(cancelled());
            }
            match &row.action {
                Action::Create => {
                    if let Some(t) = &tag {
                        if !row.valid.tags.iter().any(|x| x.eq_ignore_ascii_case(t)) {
                            row.valid.tags.push(t.clone());
                        }
                    }
                    let customer = CustomerId::new();
                    let seq = first_seq + created_ids.len() as i64;
                    insert_customer_unindexed(
                        &tx,
                        &customer,
                        &row.valid,
                        Some(seq),
                        &mut tag_ids,
                        now,
                    )?;
                    created_ids.push(customer.clone());
                    tx.prepare_cached(
                        "INSERT INTO import_changes (import_id, customer_id, action)
                         VALUES (?1, ?2, 'created')",
                    )?
                    .execute(params![id, customer])?;
                    created += 1;
                }
                Action::Update(customer) => {
                    let f = fill_customer(&tx, customer, &row.valid, now)?;
                    let entry = filled.entry(customer.clone()).or_default();
                    entry.fields.extend(f.fields);
                    entry.phones.extend(f.phones);
                    entry.tags.extend(f.tags);
                }
                Action::IntoRow(_) => {}
                Action::Skip => skipped += 1,
            }
        }
        let written = plan.rows.len();
        search_index::index_new(&tx, &created_ids, &mut |k| {
            if k % PROGRESS_EVERY == 0 && !progress(rows_done(written + k), total) {
                return Err(cancelled());
            }
            Ok(())
        })?;
        let updated = filled.values().filter(|f| !f.is_empty()).count() as u32;
        for (customer, f) in filled.iter().filter(|(_, f)| !f.is_empty()) {
            let json = serde_json::to_string(f).map_err(|e| Error::Internal(e.to_string()))?;
            tx.execute(
                "INSERT INTO import_changes (import_id, customer_id, action, filled)
                 VALUES (?1, ?2, 'updated', ?3)",
                params![id, customer, json],
            )?;
        }
        let tags_after = tag_names(&tx)?;
        let mut new_tags: Vec<&String> = tags_after.difference(&tags_before).collect();
        new_tags.sort();
        let new_tags =
            serde_json::to_string(&new_tags).map_err(|e| Error::Internal(e.to_string()))?;
        tx.execute(
            "UPDATE imports SET created_count = ?2, updated_count = ?3, skipped_count = ?4,
                 created_tags = ?5 WHERE id = ?1",
            params![id, created, updated, skipped, new_tags],
        )?;
        progress(total, total);
        let summary = get_import(&tx, &id)?;
        tx.commit()?;
        self.record(Effects::DATA_CHANGED);
        Ok(summary)
    }

    /// Takes an import back: the customers it created are removed with everything they have
    /// gained since, what it filled in on existing customers is emptied again, and the tags it
    /// created that nobody else has are deleted.
    pub fn undo_import(&mut self, id: &ImportId, now: UtcMillis) -> Result<ImportSummary> {
        let tx = self.write_tx()?;
        let summary = get_import(&tx, id)?;
        if summary.undone_at.is_some() {
            return Err(Error::conflict(
                "import.already_undone",
                "this import was already undone",
            ));
        }
        let changes: Vec<(CustomerId, String, Option<String>)> = tx
            .prepare("SELECT customer_id, action, filled FROM import_changes WHERE import_id = ?1")?
            .query_map([id], |r| {
                Ok((r.get("customer_id")?, r.get("action")?, r.get("filled")?))
            })?
            .collect::<rusqlite::Result<_>>()?;
        for (customer, action, filled) in changes {
            if action == "created" {
                tx.prepare_cached("DELETE FROM customers WHERE id = ?1")?
                    .execute([&customer])?;
            } else if let Some(json) = filled {
                let f: Filled =
                    serde_json::from_str(&json).map_err(|e| Error::Internal(e.to_string()))?;
                unfill_customer(&tx, &customer, &f, now)?;
            }
            search_index::reindex(&tx, &customer)?;
        }
        let created_tags: String = tx.query_row(
            "SELECT created_tags FROM imports WHERE id = ?1",
            [id],
            |r| r.get(0),
        )?;
        tx.execute(
            "DELETE FROM tags WHERE lower(name) IN (SELECT value FROM json_each(?1))
                 AND NOT EXISTS (SELECT 1 FROM customer_tags ct WHERE ct.tag_id = tags.id)",
            [created_tags],
        )?;
        tx.execute(
            "UPDATE imports SET undone_at = ?2 WHERE id = ?1",
            params![id, now],
        )?;
        let summary = get_import(&tx, id)?;
        tx.commit()?;
        self.record(Effects::DATA_CHANGED);
        Ok(summary)
    }

    /// The latest imports, newest first.
    pub fn list_imports(&self) -> Result<Vec<ImportSummary>> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {} FROM imports ORDER BY created_at DESC, id DESC LIMIT 20",
            ImportSummary::COLUMNS
        ))?;
        let items = stmt
            .query_map([], ImportSummary::from_row)?
            .collect::<rusqlite::Result<_>>()?;
        Ok(items)
    }
}

fn cancelled() -> Error {
    Error::failed(
        "import.cancelled",
        "the import was cancelled; nothing was written",
    )
}

fn tag_names(conn: &Connection) -> Result<HashSet<String>> {
    let names = conn
        .prepare("SELECT lower(name) FROM tags")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(names)
}

/// Fills an earlier row's empty fields from a later row of the same customer.
fn fill_row(into: &mut ValidCustomer, from: &ValidCustomer) {
    let fill = |a: &mut Option<String>, b: &Option<String>| {
        if a.is_none() {
            a.clone_from(b);
        }
    };
    fill(&mut into.email, &from.email);
    fill(&mut into.company_name, &from.company_name);
    fill(&mut into.address, &from.address);
    fill(&mut into.birthday, &from.birthday);
    fill(&mut into.zalo_phone, &from.zalo_phone);
    fill(&mut into.source, &from.source);
    fill(&mut into.notes, &from.notes);
    for p in &from.phones {
        if !into.phones.iter().any(|(n, _)| *n == p.0) {
            into.phones.push(p.clone());
        }
    }
    for t in &from.tags {
        if !into
            .tags
            .iter()
            .any(|x| x.to_lowercase() == t.to_lowercase())
        {
            into.tags.push(t.clone());
        }
    }
}

/// Fills a customer's empty fields and adds the row's new phones and tags.
fn fill_customer(
    tx: &Connection,
    id: &CustomerId,
    from: &ValidCustomer,
    now: UtcMillis,
) -> Result<Filled> {
    let c = get_customer(tx, id)?;
    let mut filled = Filled::default();
    let current = [
        &c.email,
        &c.company_name,
        &c.address,
        &c.birthday,
        &c.zalo_phone,
        &c.source,
        &c.notes,
    ];
    let incoming = [
        &from.email,
        &from.company_name,
        &from.address,
        &from.birthday,
        &from.zalo_phone,
        &from.source,
        &from.notes,
    ];
    for ((column, now_value), new_value) in FILLABLE.iter().zip(current).zip(incoming) {
        if now_value.is_none() && new_value.is_some() {
            tx.execute(
                &format!("UPDATE customers SET {column} = ?2 WHERE id = ?1"),
                params![id, new_value],
            )?;
            filled.fields.push(column.to_string());
        }
    }
    let mut position = c.phones.len() as i64;
    for (number, label) in &from.phones {
        if c.phones.iter().any(|p| p.number == *number) {
            continue;
        }
        let primary = position == 0;
        tx.prepare_cached(
            "INSERT INTO customer_phones (id, customer_id, number, label, is_primary, position)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?
        .execute(params![
            PhoneId::new(),
            id,
            number,
            label,
            primary,
            position
        ])?;
        if primary {
            tx.execute(
                "UPDATE customers SET phone_number = ?2 WHERE id = ?1",
                params![id, number],
            )?;
        }
        position += 1;
        filled.phones.push(number.clone());
    }
    let new_tags: Vec<String> = from
        .tags
        .iter()
        .filter(|t| {
            !c.tags
                .iter()
                .any(|x| x.name.to_lowercase() == t.to_lowercase())
        })
        .cloned()
        .collect();
    add_tags(tx, id, &new_tags, now)?;
    filled.tags = new_tags;
    if !filled.is_empty() {
        tx.execute(
            "UPDATE customers SET updated_at = ?2 WHERE id = ?1",
            params![id, now],
        )?;
        search_index::reindex(tx, id)?;
    }
    Ok(filled)
}

/// Empties what an import filled in on a customer.
fn unfill_customer(tx: &Connection, id: &CustomerId, f: &Filled, now: UtcMillis) -> Result<()> {
    for column in &f.fields {
        if let Some(column) = FILLABLE.iter().find(|c| **c == column.as_str()) {
            tx.execute(
                &format!("UPDATE customers SET {column} = NULL WHERE id = ?1"),
                [id],
            )?;
        }
    }
    for number in &f.phones {
        tx.execute(
            "DELETE FROM customer_phones WHERE customer_id = ?1 AND number = ?2",
            params![id, number],
        )?;
    }
    tx.execute(
        "UPDATE customers SET phone_number = (SELECT number FROM customer_phones
             WHERE customer_id = ?1 ORDER BY is_primary DESC, position LIMIT 1), updated_at = ?2
         WHERE id = ?1",
        params![id, now],
    )?;
    for tag in &f.tags {
        tx.execute(
            "DELETE FROM customer_tags WHERE customer_id = ?1
                 AND tag_id IN (SELECT id FROM tags WHERE name = ?2 COLLATE NOCASE)",
            params![id, tag],
        )?;
    }
    Ok(())
}
