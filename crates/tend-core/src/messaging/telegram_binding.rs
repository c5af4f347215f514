//! Reading the bot's updates. Binding a customer to their Telegram: Tend shows a
//! `t.me/<bot>?start=<token>` link for the customer; when they press Start, the updates carry
//! `/start <token>` and the chat id, which becomes the customer's `telegram_id`. Replies: any
//! other message from a customer's chat is logged on their timeline as an inbound Telegram
//! interaction, which ends the scenarios that exit on reply.

use rusqlite::{params, OptionalExtension};

use crate::channels::telegram::TelegramBot;
use crate::error::{Error, Result};
use crate::ids::CustomerId;
use crate::interactions::{Direction, InteractionInput, InteractionKind};
use crate::store::Store;
use crate::time::UtcMillis;

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
        crate::customers::get_customer(&self.conn, customer)?;
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
        let tx = self.conn.transaction()?;
        let customer: Option<CustomerId> = tx
            .query_row(
                "SELECT customer_id FROM telegram_bindings WHERE token = ?1 AND bound_at IS NULL AND created_at > ?2",
                params![token, now - BINDING_TTL_MS],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(c) = &customer {
            tx.execute(
                "UPDATE telegram_bindings SET bound_at = ?2, chat_id = ?3 WHERE token = ?1",
                params![token, now, chat_id.to_string()],
            )?;
            tx.execute(
                "UPDATE customers SET telegram_id = ?2, updated_at = ?3 WHERE id = ?1",
                params![c, chat_id.to_string(), now],
            )?;
        }
        tx.commit()?;
        Ok(customer)
    }

    /// Reads the bot's new updates: binds the customers whose links were opened and logs
    /// replies from known customers.
    pub fn poll_telegram_updates(
        &mut self,
        bot: &TelegramBot,
        now: UtcMillis,
    ) -> Result<UpdatesReport> {
        let offset: i64 = self
            .setting("telegram_update_offset")?
            .and_then(|o| o.parse().ok())
            .unwrap_or(0);
        let updates = bot.incoming(offset).map_err(Error::Internal)?;
        let mut report = UpdatesReport::default();
        let mut next = offset;
        for u in updates {
            next = next.max(u.update_id + 1);
            if u.chat_id == 0 {
                continue;
            }
            if let Some(token) = &u.start_payload {
                if let Some(c) = self.apply_telegram_start(token, u.chat_id, now)? {
                    report.bound.push(c);
                }
                continue;
            }
            if u.text.trim().is_empty() || u.text.starts_with('/') {
                continue;
            }
            let customer: Option<CustomerId> = self
                .conn
                .query_row(
                    "SELECT id FROM customers WHERE telegram_id = ?1 AND deleted_at IS NULL LIMIT 1",
                    [u.chat_id.to_string()],
                    |r| r.get(0),
                )
                .optional()?;
            if let Some(customer_id) = customer {
                self.log_interaction(
                    &InteractionInput {
                        customer_id,
                        kind: InteractionKind::Telegram,
                        direction: Direction::Inbound,
                        subject: None,
                        content: Some(u.text.clone()),
                        outcome: None,
                        duration_minutes: None,
                        occurred_at: Some(now),
                        next_action: None,
                        next_action_date: None,
                    },
                    now,
                )?;
                report.replies += 1;
            }
        }
        if next != offset {
            self.set_setting("telegram_update_offset", Some(&next.to_string()))?;
        }
        Ok(report)
    }
}

/// What reading the bot's updates did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct UpdatesReport {
    /// Customers whose Telegram was bound.
    pub bound: Vec<CustomerId>,
    /// Replies logged on customers' timelines.
    pub replies: usize,
}
