//! The Zalo users the OA has heard from (`zalo_contacts`): who wrote last and when, which opens
//! Zalo's windows for that user, and the "unknown Zalo contacts" (users no customer has).
//!
//! Zalo's rules, as its OA documentation gives them: a consultation message may be sent to a
//! user within 7 days of their last message to the OA; within 48 hours of it, up to 8 replies
//! that quote that message are free.

use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::base::error::{Error, Result};
use crate::base::time::UtcMillis;
use crate::db::store::Store;

/// How long after a user's message the OA may send them consultation messages.
pub const CONSULTATION_WINDOW_MS: i64 = 7 * 24 * 3_600_000;
/// How long after a user's message quoting replies are free.
pub const FREE_REPLY_WINDOW_MS: i64 = 48 * 3_600_000;
/// How many free replies Zalo allows in that time.
pub const FREE_REPLIES: i64 = 8;

/// A Zalo user who wrote to the OA and whom no customer has yet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ZaloContact {
    pub user_id: String,
    pub display_name: Option<String>,
    #[ts(type = "number | null")]
    pub last_inbound_at: Option<UtcMillis>,
    pub last_inbound_text: Option<String>,
}

impl ZaloContact {
    const COLUMNS: &str = "user_id, display_name, last_inbound_at, last_inbound_text";

    fn from_row(r: &Row<'_>) -> rusqlite::Result<ZaloContact> {
        Ok(ZaloContact {
            user_id: r.get("user_id")?,
            display_name: r.get("display_name")?,
            last_inbound_at: r.get("last_inbound_at")?,
            last_inbound_text: r.get("last_inbound_text")?,
        })
    }
}

/// Where a user stands with Zalo's windows: their last message and the free replies used since.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ZaloWindow {
    pub last_inbound_at: Option<UtcMillis>,
    pub last_inbound_message_id: Option<String>,
    pub free_replies_used: i64,
}

impl ZaloWindow {
    /// Whether a consultation message may go at `now`.
    pub fn consultation_open(&self, now: UtcMillis) -> bool {
        self.last_inbound_at
            .is_some_and(|t| now < t + CONSULTATION_WINDOW_MS)
    }

    /// Whether a quoting reply is still free at `now`.
    pub fn free_reply_open(&self, now: UtcMillis) -> bool {
        self.last_inbound_message_id.is_some()
            && self.free_replies_used < FREE_REPLIES
            && self
                .last_inbound_at
                .is_some_and(|t| now < t + FREE_REPLY_WINDOW_MS)
    }
}

/// A message the user wrote, as the reply reader takes it in.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Inbound<'a> {
    pub user_id: &'a str,
    pub display_name: Option<&'a str>,
    pub message_id: &'a str,
    pub text: &'a str,
    pub time: UtcMillis,
}

/// Records a user's message: marks it seen and moves the user's window forward. False when the
/// message was seen before (nothing changes).
pub(crate) fn take_in(conn: &Connection, m: &Inbound<'_>, now: UtcMillis) -> Result<bool> {
    let fresh = conn
        .prepare_cached(
            "INSERT INTO zalo_seen_messages (message_id, user_id, seen_at) VALUES (?1, ?2, ?3)
             ON CONFLICT (message_id) DO NOTHING",
        )?
        .execute(params![m.message_id, m.user_id, now])?
        == 1;
    if !fresh {
        return Ok(false);
    }
    ensure_contact(conn, m.user_id, m.display_name, now)?;
    // Only a newer message moves the window (messages of one read come oldest first, but a
    // later read may bring an older one that was missed).
    conn.prepare_cached(
        "UPDATE zalo_contacts SET last_inbound_at = ?2, last_inbound_message_id = ?3,
             last_inbound_text = ?4, free_replies_used = 0, updated_at = ?5
         WHERE user_id = ?1 AND (last_inbound_at IS NULL OR last_inbound_at <= ?2)",
    )?
    .execute(params![m.user_id, m.time, m.message_id, m.text, now])?;
    Ok(true)
}

/// Makes sure the user has a row, with their latest display name.
pub(crate) fn ensure_contact(
    conn: &Connection,
    user_id: &str,
    display_name: Option<&str>,
    now: UtcMillis,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO zalo_contacts (user_id, display_name, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?3)
         ON CONFLICT (user_id) DO UPDATE SET
             display_name = coalesce(excluded.display_name, display_name)",
    )?
    .execute(params![user_id, display_name, now])?;
    Ok(())
}

/// The newest message time read from the user's conversation (0 when never read).
pub(crate) fn read_up_to(conn: &Connection, user_id: &str) -> Result<UtcMillis> {
    Ok(conn
        .prepare_cached("SELECT read_up_to FROM zalo_contacts WHERE user_id = ?1")?
        .query_row([user_id], |r| r.get(0))
        .optional()?
        .unwrap_or(0))
}

/// Remembers that the user's conversation was read up to `time`.
pub(crate) fn set_read_up_to(
    conn: &Connection,
    user_id: &str,
    time: UtcMillis,
    now: UtcMillis,
) -> Result<()> {
    ensure_contact(conn, user_id, None, now)?;
    conn.prepare_cached(
        "UPDATE zalo_contacts SET read_up_to = max(read_up_to, ?2) WHERE user_id = ?1",
    )?
    .execute(params![user_id, time])?;
    Ok(())
}

/// The user's windows.
pub(crate) fn window(conn: &Connection, user_id: &str) -> Result<ZaloWindow> {
    Ok(conn
        .prepare_cached(
            "SELECT last_inbound_at, last_inbound_message_id, free_replies_used
             FROM zalo_contacts WHERE user_id = ?1",
        )?
        .query_row([user_id], |r| {
            Ok(ZaloWindow {
                last_inbound_at: r.get("last_inbound_at")?,
                last_inbound_message_id: r.get("last_inbound_message_id")?,
                free_replies_used: r.get("free_replies_used")?,
            })
        })
        .optional()?
        .unwrap_or_default())
}

/// Counts a free reply sent to the user.
pub(crate) fn count_free_reply(conn: &Connection, user_id: &str, now: UtcMillis) -> Result<()> {
    conn.prepare_cached(
        "UPDATE zalo_contacts SET free_replies_used = free_replies_used + 1, updated_at = ?2
         WHERE user_id = ?1",
    )?
    .execute(params![user_id, now])?;
    Ok(())
}

/// The contact's row, for linking.
pub(crate) fn get(conn: &Connection, user_id: &str) -> Result<ZaloContact> {
    conn.prepare_cached(&format!(
        "SELECT {} FROM zalo_contacts WHERE user_id = ?1",
        ZaloContact::COLUMNS
    ))?
    .query_row([user_id], ZaloContact::from_row)
    .optional()?
    .ok_or_else(|| Error::NotFound("zalo_contact"))
}

impl Store {
    /// Zalo users who wrote to the OA and whom no customer has, newest first (the dismissed
    /// ones left out).
    pub fn unknown_zalo_contacts(&self) -> Result<Vec<ZaloContact>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {} FROM zalo_contacts z
             WHERE z.last_inbound_at IS NOT NULL AND z.dismissed_at IS NULL
               AND NOT EXISTS (SELECT 1 FROM customers c
                               WHERE c.zalo_id = z.user_id AND c.deleted_at IS NULL)
             ORDER BY z.last_inbound_at DESC, z.user_id LIMIT 500",
            ZaloContact::COLUMNS
        ))?;
        let rows = stmt
            .query_map([], ZaloContact::from_row)?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// Where a Zalo user stands with Zalo's windows.
    pub fn zalo_window(&self, user_id: &str) -> Result<ZaloWindow> {
        window(&self.conn, user_id)
    }

    /// Hides a contact from the unknown contacts (until they write again is not tracked: a
    /// dismissed contact stays hidden; linking a customer still works).
    pub fn dismiss_zalo_contact(&mut self, user_id: &str, now: UtcMillis) -> Result<()> {
        let n = self.conn.execute(
            "UPDATE zalo_contacts SET dismissed_at = ?2, updated_at = ?2 WHERE user_id = ?1",
            params![user_id, now],
        )?;
        if n == 0 {
            return Err(Error::NotFound("zalo_contact"));
        }
        self.record(crate::db::effects::Effects::DATA_CHANGED);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const H: i64 = 3_600_000;

    #[test]
    fn windows_open_and_close_on_zalos_clock() {
        let w = ZaloWindow {
            last_inbound_at: Some(1_000 * H),
            last_inbound_message_id: Some("m1".into()),
            free_replies_used: 0,
        };
        assert!(w.free_reply_open(1_000 * H + 47 * H));
        assert!(!w.free_reply_open(1_000 * H + 48 * H));
        assert!(w.consultation_open(1_000 * H + 7 * 24 * H - 1));
        assert!(!w.consultation_open(1_000 * H + 7 * 24 * H));
        let used_up = ZaloWindow {
            free_replies_used: 8,
            ..w.clone()
        };
        assert!(!used_up.free_reply_open(1_000 * H + H));
        assert!(used_up.consultation_open(1_000 * H + H));
        let never = ZaloWindow::default();
        assert!(!never.free_reply_open(0) && !never.consultation_open(0));
    }
}
