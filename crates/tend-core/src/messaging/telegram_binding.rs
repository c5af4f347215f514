//! Binding a customer to their Telegram: Tend shows a `t.me/<bot>?start=<token>` link for the
//! customer; when they press Start, the bot's updates carry `/start <token>` and the chat id,
//! which becomes the customer's `telegram_id`. Reading the updates (and logging replies) is the
//! use case `app::telegram`.

use rusqlite::{params, Connection, OptionalExtension};

use crate::base::error::{Error, Result};
use crate::base::ids::CustomerId;
use crate::base::time::UtcMillis;
use crate::db::store::Store;

/// Links older than this are no longer watched.
pub const BINDING_TTL_MS: i64 = 7 * 24 * 3_600_000;

impl Store {
    /// A new start link for a customer on the bot `bot_username`.
    pub fn telegram_binding_link(
        &mut self,
        customer: &CustomerId,
        bot_username: &str,
        now: UtcMillis,
    ) -> Result<String> {
        crate::crm::customers::get_customer(&self.conn, customer)?;
        let bot = bot_username.trim().trim_start_matches('@');
        if bot.is_empty() {
            return Err(Error::field(
                "telegram_bot_username",
                "telegram.bot_unknown",
                "test the Telegram connection in Settings first, so Tend knows the bot's name",
            ));
        }
        // 32 hex characters from a fresh UUID: within Telegram's 64 characters of A-Za-z0-9_-.
        let token = uuid::Uuid::new_v4().simple().to_string();
        self.conn.execute(
            "INSERT INTO telegram_bindings (token, customer_id, created_at) VALUES (?1, ?2, ?3)",
            params![token, customer, now],
        )?;
        Ok(format!("https://t.me/{bot}?start={token}"))
    }

    /// Whether any link still waits for its customer.
    pub fn has_pending_bindings(&self, now: UtcMillis) -> Result<bool> {
        Ok(self.conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM telegram_bindings WHERE bound_at IS NULL AND created_at > ?1)",
            [now - BINDING_TTL_MS],
            |r| r.get(0),
        )?)
    }

    /// Applies a `/start <token>` from `chat_id`: the customer of that link gets the chat id.
    pub fn apply_telegram_start(
        &mut self,
        token: &str,
        chat_id: i64,
        now: UtcMillis,
    ) -> Result<Option<CustomerId>> {
        let tx = self.write_tx()?;
        let customer = apply_start_in(&tx, token, chat_id, now)?;
        tx.commit()?;
        Ok(customer)
    }
}

/// Applies a `/start <token>` inside the caller's transaction.
pub(crate) fn apply_start_in(
    conn: &Connection,
    token: &str,
    chat_id: i64,
    now: UtcMillis,
) -> Result<Option<CustomerId>> {
    let customer: Option<CustomerId> = conn
        .query_row(
            "SELECT customer_id FROM telegram_bindings WHERE token = ?1 AND bound_at IS NULL AND created_at > ?2",
            params![token, now - BINDING_TTL_MS],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(c) = &customer {
        conn.execute(
            "UPDATE telegram_bindings SET bound_at = ?2, chat_id = ?3 WHERE token = ?1",
            params![token, now, chat_id.to_string()],
        )?;
        conn.execute(
            "UPDATE customers SET telegram_id = ?2, updated_at = ?3 WHERE id = ?1",
            params![c, chat_id.to_string(), now],
        )?;
    }
    Ok(customer)
}
