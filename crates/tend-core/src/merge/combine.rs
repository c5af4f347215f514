//! Merging customers into one: the salesperson picks, field by field, whose value to keep;
//! phones and tags are united; interactions, tasks, notes, enrolments, outbox history and
//! Telegram links move to the kept customer; the others go to the bin. One transaction, and
//! "undo merge" writes every row back as it was.

use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::base::error::{Error, Result};
use crate::base::ids::{CustomerId, MergeId};
use crate::base::time::UtcMillis;
use crate::care::enrollments::wake_waiting;
use crate::crm::customers::set_do_not_contact;
use crate::crm::customers::validate::sort_name;
use crate::crm::rollups::refresh_rollups;
use crate::crm::search_index;
use crate::db::effects::Effects;
use crate::db::store::Store;
use crate::merge::snapshot;
use crate::messaging::consent::{cancel_automated, ConsentChannel};

/// A field of the customer record whose value the merge keeps from one of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum MergeField {
    FullName,
    Email,
    CompanyName,
    Address,
    Birthday,
    ZaloId,
    ZaloPhone,
    TelegramId,
    TelegramUsername,
    Source,
    LifecycleStage,
    Temperature,
    Notes,
}

impl MergeField {
    const ALL: [MergeField; 13] = [
        MergeField::FullName,
        MergeField::Email,
        MergeField::CompanyName,
        MergeField::Address,
        MergeField::Birthday,
        MergeField::ZaloId,
        MergeField::ZaloPhone,
        MergeField::TelegramId,
        MergeField::TelegramUsername,
        MergeField::Source,
        MergeField::LifecycleStage,
        MergeField::Temperature,
        MergeField::Notes,
    ];

    /// The column of `customers`.
    fn column(self) -> &'static str {
        match self {
            MergeField::FullName => "full_name",
            MergeField::Email => "email",
            MergeField::CompanyName => "company_name",
            MergeField::Address => "address",
            MergeField::Birthday => "birthday",
            MergeField::ZaloId => "zalo_id",
            MergeField::ZaloPhone => "zalo_phone",
            MergeField::TelegramId => "telegram_id",
            MergeField::TelegramUsername => "telegram_username",
            MergeField::Source => "source",
            MergeField::LifecycleStage => "lifecycle_stage",
            MergeField::Temperature => "temperature",
            MergeField::Notes => "notes",
        }
    }
}

/// Whose value of a field the merged customer keeps.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct FieldChoice {
    pub field: MergeField,
    pub from: CustomerId,
}

/// Which customer stays, who is merged into them, and the fields taken from whom. A field not
/// chosen keeps the kept customer's value, or the first non-empty one of the others; notes not
/// chosen are joined.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MergeRequest {
    pub keep: CustomerId,
    pub others: Vec<CustomerId>,
    #[serde(default)]
    pub choices: Vec<FieldChoice>,
}

/// A merge as the history shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MergeSummary {
    pub id: MergeId,
    pub kept_id: CustomerId,
    /// The kept customer's name as it is now.
    pub kept_name: String,
    pub merged_ids: Vec<CustomerId>,
    #[ts(type = "number")]
    pub created_at: UtcMillis,
    #[ts(type = "number | null")]
    pub undone_at: Option<UtcMillis>,
}

fn value_of(
    tx: &rusqlite::Connection,
    id: &CustomerId,
    field: MergeField,
) -> Result<Option<String>> {
    Ok(tx.query_row(
        &format!(
            "SELECT {} AS v FROM customers WHERE id = ?1",
            field.column()
        ),
        [id],
        |r| r.get("v"),
    )?)
}

fn live(tx: &rusqlite::Connection, id: &CustomerId) -> Result<()> {
    let found: Option<bool> = tx
        .query_row(
            "SELECT deleted_at IS NULL AS live FROM customers WHERE id = ?1",
            [id],
            |r| r.get("live"),
        )
        .optional()?;
    match found {
        Some(true) => Ok(()),
        _ => Err(Error::NotFound("customer")),
    }
}

impl Store {
    /// Merges `others` into `keep`.
    pub fn merge_customers(&mut self, req: &MergeRequest, now: UtcMillis) -> Result<MergeSummary> {
        let mut others: Vec<CustomerId> = Vec::new();
        for o in &req.others {
            if *o != req.keep && !others.contains(o) {
                others.push(o.clone());
            }
        }
        if others.is_empty() {
            return Err(Error::field(
                "others",
                "merge.nothing_to_merge",
                "choose at least one other customer to merge",
            ));
        }
        let tx = self.write_tx()?;
        live(&tx, &req.keep)?;
        for o in &others {
            live(&tx, o)?;
        }
        let everyone: Vec<CustomerId> = std::iter::once(req.keep.clone())
            .chain(others.iter().cloned())
            .collect();
        let snap = snapshot::take(&tx, &everyone)?;

        // The fields.
        for field in MergeField::ALL {
            let chosen = req.choices.iter().find(|c| c.field == field);
            let value = match chosen {
                Some(c) if everyone.contains(&c.from) => value_of(&tx, &c.from, field)?,
                Some(_) => return Err(Error::NotFound("customer")),
                None if field == MergeField::Notes => {
                    let mut notes: Vec<String> = Vec::new();
                    for id in &everyone {
                        if let Some(n) = value_of(&tx, id, field)? {
                            if !notes.contains(&n) {
                                notes.push(n);
                            }
                        }
                    }
                    (!notes.is_empty()).then(|| notes.join("\n\n"))
                }
                None => {
                    let mut found = None;
                    for id in &everyone {
                        found = value_of(&tx, id, field)?;
                        if found.is_some() {
                            break;
                        }
                    }
                    found
                }
            };
            if field == MergeField::LifecycleStage && value.is_none() {
                continue;
            }
            tx.execute(
                &format!("UPDATE customers SET {} = ?2 WHERE id = ?1", field.column()),
                params![req.keep, value],
            )?;
        }
        // Emails the kept customer does not have are kept in the notes, not lost.
        let kept_email = value_of(&tx, &req.keep, MergeField::Email)?;
        for o in &others {
            if let Some(e) = value_of(&tx, o, MergeField::Email)? {
                if Some(e.to_lowercase()) != kept_email.as_ref().map(|k| k.to_lowercase()) {
                    let notes = value_of(&tx, &req.keep, MergeField::Notes)?;
                    let line = format!("Email khác: {e}");
                    let notes = match notes {
                        Some(n) => format!("{n}\n{line}"),
                        None => line,
                    };
                    tx.execute(
                        "UPDATE customers SET notes = ?2 WHERE id = ?1",
                        params![req.keep, notes],
                    )?;
                }
            }
        }
        let name: String = tx.query_row(
            "SELECT full_name FROM customers WHERE id = ?1",
            [&req.keep],
            |r| r.get(0),
        )?;
        tx.execute(
            "UPDATE customers SET sort_name = ?2, updated_at = ?3 WHERE id = ?1",
            params![req.keep, sort_name(&name), now],
        )?;

        for o in &others {
            // Phones: the kept customer's numbers stay; new ones are added after them.
            tx.execute(
                "DELETE FROM customer_phones WHERE customer_id = ?2
                     AND number IN (SELECT number FROM customer_phones WHERE customer_id = ?1)",
                params![req.keep, o],
            )?;
            let moving: Vec<String> = tx
                .prepare("SELECT id FROM customer_phones WHERE customer_id = ?1 ORDER BY position")?
                .query_map([o], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            for phone in moving {
                tx.execute(
                    "UPDATE customer_phones SET customer_id = ?1, is_primary = 0,
                         position = (SELECT ifnull(max(position), -1) + 1 FROM customer_phones
                                     WHERE customer_id = ?1)
                     WHERE id = ?2",
                    params![req.keep, phone],
                )?;
            }
            tx.execute(
                "INSERT OR IGNORE INTO customer_tags (customer_id, tag_id)
                 SELECT ?1, tag_id FROM customer_tags WHERE customer_id = ?2",
                params![req.keep, o],
            )?;
            tx.execute("DELETE FROM customer_tags WHERE customer_id = ?1", [o])?;
            // Enrolments in the same scenario on both sides: the one further along goes on.
            let clashes: Vec<(String, String, i64, i64)> = tx
                .prepare(
                    "SELECT k.id AS kept, m.id AS merged, k.next_position AS kept_at,
                            m.next_position AS merged_at
                     FROM enrollments k JOIN enrollments m ON m.scenario_id = k.scenario_id
                     WHERE k.customer_id = ?1 AND m.customer_id = ?2
                       AND k.status IN ('active', 'paused') AND m.status IN ('active', 'paused')",
                )?
                .query_map(params![req.keep, o], |r| {
                    Ok((
                        r.get("kept")?,
                        r.get("merged")?,
                        r.get("kept_at")?,
                        r.get("merged_at")?,
                    ))
                })?
                .collect::<rusqlite::Result<_>>()?;
            for (kept, merged, kept_at, merged_at) in clashes {
                let behind = if merged_at > kept_at { kept } else { merged };
                tx.execute(
                    "UPDATE enrollments SET status = 'cancelled', ended_at = ?2, next_due_at = NULL,
                         updated_at = ?2 WHERE id = ?1",
                    params![behind, now],
                )?;
            }
            for (table, _, column) in snapshot::TABLES {
                if matches!(table, "customer_phones" | "customer_tags") {
                    continue;
                }
                // OR IGNORE: when both were recipients of the same campaign run, the merged
                // one's row stays with them (their message went out under their name).
                tx.execute(
                    &format!("UPDATE OR IGNORE {table} SET {column} = ?1 WHERE {column} = ?2"),
                    params![req.keep, o],
                )?;
            }
            // Anyone who asked not to be contacted still has not, whichever record is kept.
            let other_said_no: bool = tx.query_row(
                "SELECT do_not_contact FROM customers WHERE id = ?1",
                [o],
                |r| r.get(0),
            )?;
            if other_said_no {
                set_do_not_contact(&tx, &req.keep, true, None, now)?;
            }
            tx.execute(
                "UPDATE customers SET deleted_at = ?2, updated_at = ?2 WHERE id = ?1",
                params![o, now],
            )?;
            search_index::reindex(&tx, o)?;
        }
        let primary: Option<String> = tx
            .query_row(
                "SELECT number FROM customer_phones WHERE customer_id = ?1
                 ORDER BY is_primary DESC, position LIMIT 1",
                [&req.keep],
                |r| r.get(0),
            )
            .optional()?;
        tx.execute(
            "UPDATE customer_phones SET is_primary = (number = ?2) WHERE customer_id = ?1",
            params![req.keep, primary],
        )?;
        tx.execute(
            "UPDATE customers SET phone_number = ?2 WHERE id = ?1",
            params![req.keep, primary],
        )?;
        refresh_rollups(&tx, &req.keep)?;
        search_index::reindex(&tx, &req.keep)?;
        // The kept customer may now be one who said no (theirs or a merged record's): what was
        // queued for them automatically is withdrawn (a "no" on one channel is applied by the
        // sender before its next pass).
        let said_no: bool = tx.query_row(
            "SELECT do_not_contact FROM customers WHERE id = ?1",
            [&req.keep],
            |r| r.get(0),
        )?;
        if said_no {
            cancel_automated(&tx, &req.keep, ConsentChannel::All, now)?;
            wake_waiting(&tx, &req.keep, now)?;
        }

        let id = MergeId::new();
        tx.execute(
            "INSERT INTO merges (id, kept_id, merged_ids, snapshot, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![id, req.keep, to_json(&others)?, to_json(&snap)?, now],
        )?;
        tx.commit()?;
        self.record(Effects::DATA_CHANGED.merge(Effects::WAKE_CARE));
        Ok(MergeSummary {
            id,
            kept_id: req.keep.clone(),
            kept_name: name_of(&self.conn, &req.keep)?,
            merged_ids: others,
            created_at: now,
            undone_at: None,
        })
    }

    /// Puts the customers of a merge back exactly as they were before it.
    pub fn undo_merge(&mut self, id: &MergeId, now: UtcMillis) -> Result<MergeSummary> {
        let tx = self.write_tx()?;
        let found: Option<(CustomerId, String, String, UtcMillis, Option<UtcMillis>)> = tx
            .query_row(
                "SELECT kept_id, merged_ids, snapshot, created_at, undone_at FROM merges WHERE id = ?1",
                [id],
                |r| {
                    Ok((
                        r.get("kept_id")?,
                        r.get("merged_ids")?,
                        r.get("snapshot")?,
                        r.get("created_at")?,
                        r.get("undone_at")?,
                    ))
                },
            )
            .optional()?;
        let (kept_id, merged, snap, created_at, undone_at) =
            found.ok_or(Error::NotFound("merge"))?;
        if undone_at.is_some() {
            return Err(Error::conflict(
                "merge.already_undone",
                "this merge was already undone",
            ));
        }
        let bad = |e: serde_json::Error| Error::Internal(e.to_string());
        let snap: snapshot::Snapshot = serde_json::from_str(&snap).map_err(bad)?;
        let merged_ids: Vec<CustomerId> = serde_json::from_str(&merged).map_err(bad)?;
        snapshot::restore(&tx, &snap)?;
        for c in &snap.customers {
            refresh_rollups(&tx, c)?;
            search_index::reindex(&tx, c)?;
            // "Do not contact" as the latest record says, not as the row was before the
            // merge: a "no" recorded since then stands.
            tx.execute(
                "UPDATE customers SET do_not_contact = 1,
                     do_not_contact_at = (SELECT max(recorded_at) FROM customer_consents
                                          WHERE customer_id = ?1 AND channel = 'all')
                 WHERE id = ?1 AND do_not_contact = 0
                   AND (SELECT state FROM customer_consents WHERE customer_id = ?1 AND channel = 'all'
                        ORDER BY recorded_at DESC, id DESC LIMIT 1) = 'withdrawn'",
                [c],
            )?;
        }
        tx.execute(
            "UPDATE merges SET undone_at = ?2 WHERE id = ?1",
            params![id, now],
        )?;
        tx.commit()?;
        self.record(Effects::DATA_CHANGED.merge(Effects::WAKE_CARE));
        Ok(MergeSummary {
            id: id.clone(),
            kept_name: name_of(&self.conn, &kept_id)?,
            kept_id,
            merged_ids,
            created_at,
            undone_at: Some(now),
        })
    }
}

fn name_of(conn: &rusqlite::Connection, id: &CustomerId) -> Result<String> {
    Ok(
        conn.query_row("SELECT full_name FROM customers WHERE id = ?1", [id], |r| {
            r.get(0)
        })?,
    )
}

impl Store {
    /// The latest merges, newest first.
    pub fn list_merges(&self) -> Result<Vec<MergeSummary>> {
        let mut stmt = self.conn.prepare(
            "SELECT m.id, m.kept_id, c.full_name AS kept_name, m.merged_ids, m.created_at,
                    m.undone_at
             FROM merges m JOIN customers c ON c.id = m.kept_id
             ORDER BY m.created_at DESC, m.id DESC LIMIT 20",
        )?;
        let rows = stmt
            .query_map([], |r| {
                let merged: String = r.get("merged_ids")?;
                Ok(MergeSummary {
                    id: r.get("id")?,
                    kept_id: r.get("kept_id")?,
                    kept_name: r.get("kept_name")?,
                    merged_ids: serde_json::from_str(&merged).unwrap_or_default(),
                    created_at: r.get("created_at")?,
                    undone_at: r.get("undone_at")?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }
}

fn to_json<T: Serialize>(v: &T) -> Result<String> {
    serde_json::to_string(v).map_err(|e| Error::Internal(e.to_string()))
}
