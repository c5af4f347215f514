//! The search index: one FTS5 row per live customer, rewritten inside every change that affects
//! it, so the index never disagrees with the data.
//!
//! Rows are read by name: `Indexed::COLUMNS` is the select list and `Indexed::from_row` reads
//! exactly those names.

use rusqlite::{params, Connection, OptionalExtension, Row};

use crate::base::error::Result;
use crate::base::fold;
use crate::base::ids::CustomerId;
use crate::base::phone;

/// The columns of a customer that feed its search row.
struct Indexed {
    seq: Option<i64>,
    name: String,
    company: Option<String>,
    email: Option<String>,
    notes: Option<String>,
    zalo_phone: Option<String>,
    deleted: bool,
}

impl Indexed {
    /// The select list of `customers` that `from_row` reads.
    const COLUMNS: &str =
        "search_seq AS seq, full_name AS name, company_name AS company, email, notes, \
        zalo_phone, deleted_at IS NOT NULL AS deleted";

    fn from_row(r: &Row<'_>) -> rusqlite::Result<Indexed> {
        Ok(Indexed {
            seq: r.get("seq")?,
            name: r.get("name")?,
            company: r.get("company")?,
            email: r.get("email")?,
            notes: r.get("notes")?,
            zalo_phone: r.get("zalo_phone")?,
            deleted: r.get("deleted")?,
        })
    }
}

/// Rewrites the search row of one customer from the tables, or removes it when the customer is
/// deleted or gone. Runs inside the caller's transaction, so the index never disagrees with
/// the data.
pub(crate) fn reindex(conn: &Connection, id: &CustomerId) -> Result<()> {
    let row = conn
        .prepare_cached(&format!(
            "SELECT {} FROM customers WHERE id = ?1",
            Indexed::COLUMNS
        ))?
        .query_row([id], Indexed::from_row)
        .optional()?;
    let Some(Indexed {
        seq,
        name,
        company,
        email,
        notes,
        zalo_phone,
        deleted,
    }) = row
    else {
        return Ok(());
    };
    if let Some(seq) = seq {
        conn.prepare_cached("DELETE FROM customer_search WHERE rowid = ?1")?
            .execute([-seq])?;
    }
    if deleted {
        return Ok(());
    }
    let seq = match seq {
        Some(seq) => seq,
        None => {
            let next = next_seq(conn)?;
            conn.prepare_cached("UPDATE customers SET search_seq = ?2 WHERE id = ?1")?
                .execute(params![id, next])?;
            next
        }
    };
    let mut other = String::new();
    for part in [company.as_deref(), email.as_deref(), notes.as_deref()]
        .into_iter()
        .flatten()
    {
        other.push_str(&fold::fold(part));
        other.push(' ');
    }
    let mut stmt = conn.prepare_cached(
        "SELECT t.name FROM customer_tags ct JOIN tags t ON t.id = ct.tag_id WHERE ct.customer_id = ?1
         UNION ALL SELECT body FROM customer_notes WHERE customer_id = ?1",
    )?;
    for text in stmt.query_map([id], |r| r.get::<_, String>(0))? {
        other.push_str(&fold::fold(&text?));
        other.push(' ');
    }
    let mut phones = String::new();
    let mut stmt =
        conn.prepare_cached("SELECT number FROM customer_phones WHERE customer_id = ?1")?;
    let numbers = stmt
        .query_map([id], |r| r.get::<_, String>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    for n in numbers
        .iter()
        .map(String::as_str)
        .chain(zalo_phone.as_deref())
    {
        for t in phone::search_tokens(n) {
            phones.push_str(&t);
            phones.push(' ');
        }
    }
    conn.prepare_cached(
        "INSERT INTO customer_search (rowid, name_exact, name_folded, other_folded, phones)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![
        -seq,
        fold::exact(&name),
        fold::fold(&name),
        other,
        phones
    ])?;
    Ok(())
}

/// The search sequence number the next new customer gets.
pub(crate) fn next_seq(conn: &Connection) -> Result<i64> {
    // A bare max() over the indexed column is one index lookup; wrapped in coalesce() SQLite no
    // longer sees it as one and scans the table (an import of 100,000 customers spent most of
    // its time here).
    let last: Option<i64> = conn
        .prepare_cached("SELECT max(search_seq) FROM customers")?
        .query_row([], |r| r.get(0))?;
    Ok(last.unwrap_or(0) + 1)
}

/// Indexes customers inserted without their search row, in one go: `ids` in the order they were
/// inserted, each with a sequence number above the one before (`next_seq` and up), so the search
/// rows go in in ascending rowid order, newest first. FTS5 flushes its pending index whenever a
/// rowid arrives below the previous one; rows added one by one (each newest, so each lowest)
/// flush every time, and 100,000 of them spend most of an import merging tiny segments.
/// `before(k)` is called before the k-th row; its error stops the indexing.
pub(crate) fn index_new(
    conn: &Connection,
    ids: &[CustomerId],
    before: &mut dyn FnMut(usize) -> Result<()>,
) -> Result<()> {
    for (k, id) in ids.iter().rev().enumerate() {
        before(k)?;
        reindex(conn, id)?;
    }
    Ok(())
}
