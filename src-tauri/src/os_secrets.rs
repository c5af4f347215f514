//! Secrets in the OS credential store (Keychain, Windows Credential Manager, Secret Service),
//! with the file fallback where none answers.

use std::path::Path;
use std::sync::Arc;

use tend_core::messaging::secrets::{choose_store, SecretLocation, SecretStore};
use tend_core::{Error, Result};

const SERVICE: &str = "vn.tend.desktop";

/// The OS credential store through the keyring crate.
pub struct KeyringSecrets;

impl KeyringSecrets {
    fn entry(key: &str) -> Result<keyring::Entry> {
        keyring::Entry::new(SERVICE, key)
            .map_err(|e| Error::Storage(format!("credential store: {e}")))
    }
}

impl SecretStore for KeyringSecrets {
    fn get(&self, key: &str) -> Result<Option<String>> {
        match Self::entry(key)?.get_password() {
            Ok(v) => Ok(Some(v)),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(Error::Storage(format!("credential store: {e}"))),
        }
    }

    fn set(&self, key: &str, value: Option<&str>) -> Result<()> {
        let entry = Self::entry(key)?;
        let result = match value {
            Some(v) => entry.set_password(v),
            None => match entry.delete_credential() {
                Err(keyring::Error::NoEntry) => Ok(()),
                other => other,
            },
        };
        result.map_err(|e| Error::Storage(format!("credential store: {e}")))
    }

    fn location(&self) -> SecretLocation {
        SecretLocation::Os
    }
}

/// The store recorded for this data directory, or at the first start the OS store when it
/// answers here (reading an entry gives a value or "no such entry"; a machine without a
/// credential service gives an error instead) and otherwise a file in the data directory
/// readable only by this user. The probe only reads, so starting Tend never writes to the
/// credential store or prompts for it. If even the record cannot be read, every secret read
/// fails with the reason (sends wait, Settings says why) rather than guessing another store.
pub fn choose(data_dir: &Path) -> Arc<dyn SecretStore> {
    let probe = || {
        KeyringSecrets::entry(tend_core::messaging::channels::secret::TELEGRAM_TOKEN)
            .map(|e| matches!(e.get_password(), Ok(_) | Err(keyring::Error::NoEntry)))
            .unwrap_or(false)
    };
    let chosen = std::fs::create_dir_all(data_dir)
        .map_err(|e| Error::Storage(format!("cannot create the data folder: {e}")))
        .and_then(|_| choose_store(data_dir, Arc::new(KeyringSecrets), probe));
    match chosen {
        Ok(store) => store,
        Err(e) => Arc::new(Unavailable(e.to_string())),
    }
}

/// A secret store that could not be opened: every call says why.
struct Unavailable(String);

impl SecretStore for Unavailable {
    fn get(&self, _key: &str) -> Result<Option<String>> {
        Err(Error::Storage(self.0.clone()))
    }

    fn set(&self, _key: &str, _value: Option<&str>) -> Result<()> {
        Err(Error::Storage(self.0.clone()))
    }

    fn location(&self) -> SecretLocation {
        SecretLocation::Os
    }
}
