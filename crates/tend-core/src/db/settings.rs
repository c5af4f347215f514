//! Plain settings kept in the database (never secrets: see `secrets`).

use rusqlite::{params, Connection, OptionalExtension};

use crate::base::error::Result;
use crate::db::store::Store;

impl Store {
    /// A setting's value, if set.
    pub fn setting(&self, key: &str) -> Result<Option<String>> {
        get_in(&self.conn, key)
    }

    /// Sets (or, with `None` or blank text, removes) a setting.
    pub fn set_setting(&mut self, key: &str, value: Option<&str>) -> Result<()> {
        set_in(&self.conn, key, value)
    }
}

/// Sets (or removes) a setting inside the caller's transaction.
pub(crate) fn set_in(conn: &Connection, key: &str, value: Option<&str>) -> Result<()> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        Some(v) => conn.execute(
            "INSERT INTO settings (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            params![key, v],
        )?,
        None => conn.execute("DELETE FROM settings WHERE key = ?1", [key])?,
    };
    Ok(())
}

/// A setting's value inside the caller's transaction.
pub(crate) fn get_in(conn: &Connection, key: &str) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached("SELECT value FROM settings WHERE key = ?1")?
        .query_row([key], |r| r.get(0))
        .optional()?)
}
