//! The customers an export covers, read in a few whole-table queries (not one query per
//! customer: 100,000 customers must export in seconds).

use std::collections::{HashMap, HashSet};

use rusqlite::{Connection, OptionalExtension};

use crate::base::error::{Error, Result};
use crate::base::ids::{CustomerId, TagId};
use crate::base::time::UtcMillis;
use crate::db::store::Store;
use crate::export::model::ExportRequest;

/// A customer as the export files need them.
pub(crate) struct BookRow {
    pub(crate) id: CustomerId,
    pub(crate) full_name: String,
    /// E.164, primary first.
    pub(crate) phones: Vec<String>,
    pub(crate) email: Option<String>,
    pub(crate) company_name: Option<String>,
    pub(crate) address: Option<String>,
    pub(crate) birthday: Option<String>,
    pub(crate) zalo_phone: Option<String>,
    pub(crate) tags: Vec<String>,
    pub(crate) notes: Option<String>,
    pub(crate) source: Option<String>,
    pub(crate) stage: String,
    pub(crate) temperature: Option<String>,
    pub(crate) last_contact: Option<UtcMillis>,
    pub(crate) created_at: UtcMillis,
}

/// The tag a request filters by, by id or by name.
fn tag_filter(conn: &Connection, req: &ExportRequest) -> Result<Option<TagId>> {
    if let Some(id) = &req.tag_id {
        return Ok(Some(id.clone()));
    }
    let Some(name) = crate::base::fold::clean(req.tag_name.as_deref()) else {
        return Ok(None);
    };
    conn.query_row(
        "SELECT id FROM tags WHERE name = ?1 COLLATE NOCASE",
        [&name],
        |r| r.get(0),
    )
    .optional()?
    .map(Some)
    .ok_or_else(|| {
        Error::failed("export.unknown_tag", format!("there is no tag “{name}”")).with("tag", name)
    })
}

impl Store {
    /// The ids of the customers a search finds, all pages of it.
    fn search_ids(&self, query: &str) -> Result<HashSet<CustomerId>> {
        let mut ids = HashSet::new();
        let mut offset = 0;
        loop {
            let page = self.search_customers_page(query, offset, 200)?;
            let n = page.items.len();
            ids.extend(page.items.into_iter().map(|c| c.id));
            if n < 200 {
                return Ok(ids);
            }
            offset += n;
        }
    }

    /// The live customers a request covers, by given name.
    pub(crate) fn export_rows(&self, req: &ExportRequest) -> Result<Vec<BookRow>> {
        let conn = &self.conn;
        let tag = tag_filter(conn, req)?;
        if req.segment_id.is_some() && req.only.is_none() {
            return Err(Error::Internal(
                "a segment export goes through Store::export_book".into(),
            ));
        }
        let searched = match crate::base::fold::clean(req.search.as_deref()) {
            Some(q) => Some(self.search_ids(&q)?),
            None => None,
        };
        let mut phones: HashMap<String, Vec<String>> = HashMap::new();
        let mut stmt = conn.prepare(
            "SELECT customer_id, number FROM customer_phones ORDER BY customer_id, position",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            phones
                .entry(r.get("customer_id")?)
                .or_default()
                .push(r.get("number")?);
        }
        let mut tags: HashMap<String, Vec<String>> = HashMap::new();
        let mut stmt = conn.prepare(
            "SELECT ct.customer_id, t.name FROM customer_tags ct JOIN tags t ON t.id = ct.tag_id
             ORDER BY ct.customer_id, t.name COLLATE NOCASE",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            tags.entry(r.get("customer_id")?)
                .or_default()
                .push(r.get("name")?);
        }
        let mut stmt = conn.prepare(
            "SELECT id, full_name, email, company_name, address, birthday, zalo_phone, notes,
                    source, lifecycle_stage, temperature, last_contact_date, created_at
             FROM customers
             WHERE deleted_at IS NULL
               AND (?1 IS NULL OR id IN (SELECT customer_id FROM customer_tags WHERE tag_id = ?1))
             ORDER BY sort_name, id",
        )?;
        let mut rows = stmt.query([&tag])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            let id: String = r.get("id")?;
            let outside = |set: &Option<HashSet<CustomerId>>| {
                set.as_ref()
                    .is_some_and(|s| !s.contains(&CustomerId(id.clone())))
            };
            if outside(&searched) || outside(&req.only) {
                continue;
            }
            out.push(BookRow {
                phones: phones.remove(&id).unwrap_or_default(),
                tags: tags.remove(&id).unwrap_or_default(),
                id: CustomerId(id),
                full_name: r.get("full_name")?,
                email: r.get("email")?,
                company_name: r.get("company_name")?,
                address: r.get("address")?,
                birthday: r.get("birthday")?,
                zalo_phone: r.get("zalo_phone")?,
                notes: r.get("notes")?,
                source: r.get("source")?,
                stage: r.get("lifecycle_stage")?,
                temperature: r.get("temperature")?,
                last_contact: r.get("last_contact_date")?,
                created_at: r.get("created_at")?,
            });
        }
        Ok(out)
    }
}
