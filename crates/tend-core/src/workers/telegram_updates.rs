//! The Telegram worker: reads the bot's updates, every 4 s while a binding link waits for its
//! customer and every 15 s otherwise. `/start <token>` binds a customer's chat; any other message
//! from a customer's chat is their reply, logged through the application layer so that it ends
//! the scenarios that exit on reply. Only while a bot token is set.

use std::sync::Arc;

use crate::app::telegram::UpdatesReport;
use crate::base::error::Result;
use crate::base::time::UtcMillis;
use crate::db::effects::Effects;
use crate::db::store::Store;
use crate::messaging::channels::{Channels, Endpoints};
use crate::messaging::secrets::SecretStore;
use crate::workers::worker::Job;

/// How often the worker looks while a binding link waits.
pub const PENDING_POLL_MS: i64 = 4_000;
/// How often it reads replies otherwise.
pub const IDLE_POLL_MS: i64 = 15_000;

/// The updates reader over its own store connection.
pub struct TelegramUpdates {
    pub store: Store,
    pub endpoints: Endpoints,
    pub secrets: Arc<dyn SecretStore>,
    last_poll: UtcMillis,
    last_pass: UtcMillis,
}

impl TelegramUpdates {
    /// A reader that polls at its first pass.
    pub fn new(store: Store, endpoints: Endpoints, secrets: Arc<dyn SecretStore>) -> Self {
        TelegramUpdates {
            store,
            endpoints,
            secrets,
            last_poll: 0,
            last_pass: 0,
        }
    }
}

impl Job for TelegramUpdates {
    type Report = UpdatesReport;
    type Command = ();

    fn pass(&mut self, now: UtcMillis) -> Result<UpdatesReport> {
        self.last_pass = now;
        let pending = self.store.has_pending_bindings(now)?;
        if !pending && now - self.last_poll < IDLE_POLL_MS {
            return Ok(UpdatesReport::default());
        }
        let settings = self.store.channel_settings()?;
        let channels = Channels::new(self.endpoints.clone(), settings, self.secrets.clone());
        // No bot token: nothing to read, and nothing wrong.
        let Ok(bot) = channels.telegram() else {
            return Ok(UpdatesReport::default());
        };
        let report = self.store.poll_telegram_updates(&bot, now)?;
        // Only a poll that worked counts: after a failure the next pass asks again.
        self.last_poll = now;
        Ok(report)
    }

    fn take_effects(&mut self) -> Effects {
        self.store.take_effects()
    }

    /// Any command means "read now" (the settings changed, for instance).
    fn command(&mut self, _command: ()) {
        self.last_poll = 0;
    }

    fn next_due(&self, _report: &UpdatesReport) -> Option<UtcMillis> {
        Some(self.last_pass + PENDING_POLL_MS)
    }
}
