//! Personal messages waiting for the salesperson: a scenario step on personal Zalo or Telegram
//! prepares the text in a `queued` outbox row that the sender never claims (only the bot, OA and
//! email are automatic); Today lists them with the chat to open, and the salesperson says whether
//! they sent it.

use rusqlite::params;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::base::error::Result;
use crate::base::ids::{CustomerId, OutboxId};
use crate::base::time::UtcMillis;
use crate::db::store::Store;
use crate::messaging::outbox::{assisted_url, SendChannel};

/// A personal message waiting to be sent by hand.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AssistedItem {
    pub outbox_id: OutboxId,
    pub customer_id: Option<CustomerId>,
    pub customer_name: Option<String>,
    pub channel: SendChannel,
    /// The phone (Zalo) or username (Telegram) to find the chat by.
    pub recipient: String,
    pub text: String,
    /// The chat to open (`https://zalo.me/<phone>`, `https://t.me/<user>?text=…`).
    pub url: Option<String>,
    #[ts(type = "number")]
    pub since: UtcMillis,
}

impl Store {
    /// The personal messages waiting for the salesperson, oldest first.
    pub fn assisted_queue(&self, limit: i64) -> Result<Vec<AssistedItem>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT o.id, o.customer_id, c.full_name, o.channel, o.recipient, o.body_text,
                    o.created_at
             FROM outbox o LEFT JOIN customers c ON c.id = o.customer_id
             WHERE o.status = 'queued' AND o.channel IN ('zalo_personal', 'telegram_personal')
               AND (c.id IS NULL OR c.deleted_at IS NULL)
             ORDER BY o.created_at, o.id LIMIT ?1",
        )?;
        let items = stmt
            .query_map(params![limit.clamp(1, 500)], |r| {
                let channel: SendChannel = r.get(3)?;
                let recipient: String = r.get(4)?;
                let text: String = r.get(5)?;
                Ok(AssistedItem {
                    outbox_id: r.get(0)?,
                    customer_id: r.get(1)?,
                    customer_name: r.get(2)?,
                    url: assisted_url(channel, &recipient, &text),
                    channel,
                    recipient,
                    text,
                    since: r.get(6)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(items)
    }

    /// How many personal messages wait for the salesperson.
    pub fn assisted_waiting(&self) -> Result<i64> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT count(*) FROM outbox o LEFT JOIN customers c ON c.id = o.customer_id
             WHERE o.status = 'queued' AND o.channel IN ('zalo_personal', 'telegram_personal')
               AND (c.id IS NULL OR c.deleted_at IS NULL)",
            )?
            .query_row([], |r| r.get(0))?)
    }
}
