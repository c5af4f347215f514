//! Saving the channel settings and secrets together, so the outbox worker is rebuilt once, with
//! both.

use crate::base::error::Result;
use crate::db::effects::Effects;
use crate::db::store::Store;
use crate::messaging::channels::{self, ChannelSettings, SecretsInput};
use crate::messaging::secrets::SecretStore;

impl Store {
    /// Saves the settings (checked first) and the secrets typed; blank secret fields keep the
    /// stored secret. The outbox's channels are rebuilt afterwards.
    pub fn save_settings(
        &mut self,
        settings: &ChannelSettings,
        secrets: &dyn SecretStore,
        typed: &SecretsInput,
    ) -> Result<()> {
        self.save_channel_settings(settings)?;
        channels::save_secrets(secrets, typed)?;
        self.record(Effects::RELOAD_CHANNELS);
        Ok(())
    }
}
