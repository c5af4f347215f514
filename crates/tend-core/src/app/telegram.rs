//! Reading the Telegram bot's updates: binding links that were opened, and customers' replies,
//! which are logged as inbound interactions and so end the scenarios that exit on reply.

use rusqlite::OptionalExtension;

use crate::app::interactions::log_with_reactions;
use crate::base::error::{Error, Result};
use crate::base::ids::CustomerId;
use crate::base::time::UtcMillis;
use crate::crm::interactions::{Direction, InteractionInput, InteractionKind};
use crate::db::effects::Effects;
use crate::db::settings;
use crate::db::store::Store;
use crate::messaging::channels::telegram::{TelegramBot, UpdatesError};
use crate::messaging::telegram_binding::apply_start_in;

/// The setting that remembers which of the bot's updates were already read.
const OFFSET_SETTING: &str = "telegram_update_offset";

impl Store {
    /// Reads the bot's new updates: binds the customers whose links were opened and logs
    /// replies from known customers.
    pub fn poll_telegram_updates(
        &mut self,
        bot: &TelegramBot,
        now: UtcMillis,
    ) -> Result<UpdatesReport> {
        let offset: i64 = self
            .setting(OFFSET_SETTING)?
            .and_then(|o| o.parse().ok())
            .unwrap_or(0);
        let updates = match bot.incoming(offset) {
            Ok(u) => u,
            // Offline is a normal state of a laptop, not a failure: the reader tries again later.
            Err(UpdatesError::NoAnswer(_)) => return Ok(UpdatesReport::default()),
            Err(UpdatesError::Refused(why)) => {
                return Err(Error::failed(
                    "telegram.updates_refused",
                    format!("Telegram refused to give the bot's updates: {why}"),
                )
                .with("detail", why))
            }
        };
        let mut report = UpdatesReport::default();
        let mut next = offset;
        for u in updates {
            next = next.max(u.update_id + 1);
            // Each update is handled and the offset moved past it in one transaction, so a
            // reader stopped half-way through a batch neither loses an update nor logs it twice.
            let tx = self.write_tx()?;
            if u.chat_id != 0 {
                if let Some(token) = &u.start_payload {
                    if let Some(c) = apply_start_in(&tx, token, u.chat_id, now)? {
                        report.bound.push(c);
                    }
                } else if !(u.text.trim().is_empty() || u.text.starts_with('/')) {
                    let customer: Option<CustomerId> = tx
                        .query_row(
                            "SELECT id FROM customers WHERE telegram_id = ?1 AND deleted_at IS NULL LIMIT 1",
                            [u.chat_id.to_string()],
                            |r| r.get(0),
                        )
                        .optional()?;
                    if let Some(customer_id) = customer {
                        log_with_reactions(
                            &tx,
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
                                complete_task_id: None,
                            },
                            now,
                        )?;
                        report.replies += 1;
                    }
                }
            }
            settings::set_in(&tx, OFFSET_SETTING, Some(&next.to_string()))?;
            tx.commit()?;
        }
        if !report.bound.is_empty() || report.replies > 0 {
            self.record(Effects {
                data_changed: true,
                ..Effects::NONE
            });
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
