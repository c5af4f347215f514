//! The OA's Zalo templates as Tend last fetched them (`zalo_templates`): the approved ones can
//! be mapped and sent. A fetch (`zalo_fetch`) replaces the whole list in one transaction.

use rusqlite::{params, OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::base::error::{Error, Result};
use crate::base::time::UtcMillis;
use crate::db::effects::Effects;
use crate::db::store::Store;

/// Zalo's status of a template that may be sent.
pub const APPROVED: &str = "ENABLE";

/// A template parameter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ZaloParam {
    pub name: String,
    /// Zalo's type (`STRING`, `NUMBER`, `DATE`, …).
    pub kind: String,
    pub required: bool,
    #[ts(type = "number | null")]
    pub max_length: Option<i64>,
    #[ts(type = "number | null")]
    pub min_length: Option<i64>,
}

/// One of the OA's templates.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ZaloTemplate {
    pub template_id: String,
    pub name: String,
    /// `ENABLE` (approved), `PENDING_REVIEW`, `REJECT`, `DISABLE`, `DELETE`.
    pub status: String,
    pub quality: Option<String>,
    pub tag: Option<String>,
    /// Zalo's price of one message, VNĐ.
    #[ts(type = "number | null")]
    pub price_vnd: Option<i64>,
    pub params: Vec<ZaloParam>,
    pub preview_url: Option<String>,
    #[ts(type = "number")]
    pub fetched_at: UtcMillis,
}

impl ZaloTemplate {
    const COLUMNS: &str =
        "template_id, name, status, quality, tag, price_vnd, params, preview_url, fetched_at";

    fn from_row(r: &Row<'_>) -> rusqlite::Result<ZaloTemplate> {
        let params: String = r.get("params")?;
        Ok(ZaloTemplate {
            template_id: r.get("template_id")?,
            name: r.get("name")?,
            status: r.get("status")?,
            quality: r.get("quality")?,
            tag: r.get("tag")?,
            price_vnd: r.get("price_vnd")?,
            params: serde_json::from_str(&params).unwrap_or_default(),
            preview_url: r.get("preview_url")?,
            fetched_at: r.get("fetched_at")?,
        })
    }

    /// Whether Zalo will send it.
    pub fn is_approved(&self) -> bool {
        self.status == APPROVED
    }
}

/// The stored template `id`.
pub(crate) fn get(conn: &rusqlite::Connection, id: &str) -> Result<ZaloTemplate> {
    conn.prepare_cached(&format!(
        "SELECT {} FROM zalo_templates WHERE template_id = ?1",
        ZaloTemplate::COLUMNS
    ))?
    .query_row([id], ZaloTemplate::from_row)
    .optional()?
    .ok_or(Error::NotFound("zalo_template"))
}

impl Store {
    /// The OA's templates as last fetched, approved ones first, by name.
    pub fn zalo_templates(&self) -> Result<Vec<ZaloTemplate>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {} FROM zalo_templates
             ORDER BY status <> 'ENABLE', name COLLATE NOCASE, template_id",
            ZaloTemplate::COLUMNS
        ))?;
        let rows = stmt
            .query_map([], ZaloTemplate::from_row)?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// A stored template.
    pub fn get_zalo_template(&self, id: &str) -> Result<ZaloTemplate> {
        get(&self.conn, id)
    }

    /// Replaces the stored list with `fetched`, in one transaction.
    pub fn replace_zalo_templates(
        &mut self,
        fetched: &[ZaloTemplate],
        now: UtcMillis,
    ) -> Result<()> {
        let tx = self.write_tx()?;
        tx.execute("DELETE FROM zalo_templates", [])?;
        for t in fetched {
            tx.execute(
                "INSERT INTO zalo_templates (template_id, name, status, quality, tag, price_vnd,
                     params, preview_url, fetched_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                params![
                    t.template_id,
                    t.name,
                    t.status,
                    t.quality,
                    t.tag,
                    t.price_vnd,
                    serde_json::to_string(&t.params).map_err(|e| Error::Internal(e.to_string()))?,
                    t.preview_url,
                    now
                ],
            )?;
        }
        tx.commit()?;
        self.record(Effects::DATA_CHANGED);
        Ok(())
    }
}
