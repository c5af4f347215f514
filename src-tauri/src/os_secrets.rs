//! Secrets in the OS credential store (Keychain, Windows Credential Manager, Secret Service),
//! with the file fallback where none answers.

use std::path::Path;
use std::sync::Arc;

use tend_core::messaging::secrets::{FileSecrets, SecretLocation, SecretStore, SECRETS_FILE};
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

/// The OS store when it answers here (reading an entry gives a value or "no such entry"; a
/// machine without a credential service gives an error instead), otherwise a file in the data
/// directory readable only by this user. The probe only reads, so starting Tend never writes to
/// the credential store or prompts for it.
pub fn choose(data_dir: &Path) -> Arc<dyn SecretStore> {
    let works = KeyringSecrets::entry(tend_core::messaging::channels::secret::TELEGRAM_TOKEN)
        .map(|e| matches!(e.get_password(), Ok(_) | Err(keyring::Error::NoEntry)))
        .unwrap_or(false);
    if works {
        Arc::new(KeyringSecrets)
    } else {
        Arc::new(FileSecrets::new(data_dir.join(SECRETS_FILE)))
    }
}
