//! Where tokens and passwords live: never in the database, never in logs.
//!
//! The app prefers the OS credential store (it provides one through this trait); where there is
//! none (a headless Linux box), `FileSecrets` keeps them in a file inside the data directory
//! that only the user can read, and Settings says so.
//!
//! The choice is made once per data directory and recorded there (`choose_store`): a keyring
//! that is briefly locked at one start must not send Tend to the file (and back at the next),
//! which would strand a rotated Zalo refresh token in the store Tend is not reading. When the
//! recorded store does not answer, reads fail (sends wait and retry) and Settings says so.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::base::error::{Error, Result};

/// Where secrets are kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum SecretLocation {
    /// The OS credential store (Keychain, Credential Manager, Secret Service).
    #[default]
    Os,
    /// A file in the data directory readable only by this user.
    File,
    /// Memory only (tests).
    Memory,
}

/// A place to keep secrets.
pub trait SecretStore: Send + Sync {
    /// A secret's value.
    fn get(&self, key: &str) -> Result<Option<String>>;
    /// Sets a secret, or removes it with `None`.
    fn set(&self, key: &str, value: Option<&str>) -> Result<()>;
    /// Where secrets are kept.
    fn location(&self) -> SecretLocation;
}

/// Secrets in a JSON file with mode 0600, written atomically (temp file, then rename).
pub struct FileSecrets {
    path: PathBuf,
    lock: Mutex<()>,
}

/// The file name inside the data directory.
pub const SECRETS_FILE: &str = "secrets.json";

impl FileSecrets {
    /// Secrets in `path`.
    pub fn new(path: PathBuf) -> Self {
        FileSecrets {
            path,
            lock: Mutex::new(()),
        }
    }

    fn read(&self) -> Result<BTreeMap<String, String>> {
        match std::fs::read_to_string(&self.path) {
            Ok(text) => serde_json::from_str(&text).map_err(|e| {
                Error::Storage(format!(
                    "the secrets file {} is damaged: {e}",
                    self.path.display()
                ))
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(BTreeMap::new()),
            Err(e) => Err(Error::Storage(format!("cannot read the secrets file: {e}"))),
        }
    }

    fn write(&self, map: &BTreeMap<String, String>) -> Result<()> {
        let tmp = self.path.with_extension("json.tmp");
        let text = serde_json::to_string_pretty(map).map_err(|e| Error::Internal(e.to_string()))?;
        let io = |e: std::io::Error| Error::Storage(format!("cannot write the secrets file: {e}"));
        {
            use std::io::Write;
            let mut opts = std::fs::OpenOptions::new();
            opts.write(true).create(true).truncate(true);
            #[cfg(unix)]
            {
                use std::os::unix::fs::OpenOptionsExt;
                opts.mode(0o600);
            }
            let mut f = opts.open(&tmp).map_err(io)?;
            f.write_all(text.as_bytes()).map_err(io)?;
            f.sync_all().map_err(io)?;
        }
        std::fs::rename(&tmp, &self.path).map_err(io)?;
        Ok(())
    }
}

impl SecretStore for FileSecrets {
    fn get(&self, key: &str) -> Result<Option<String>> {
        let _g = self.lock.lock().unwrap_or_else(|p| p.into_inner());
        Ok(self.read()?.get(key).cloned())
    }

    fn set(&self, key: &str, value: Option<&str>) -> Result<()> {
        let _g = self.lock.lock().unwrap_or_else(|p| p.into_inner());
        let mut map = self.read()?;
        match value {
            Some(v) => map.insert(key.to_string(), v.to_string()),
            None => map.remove(key),
        };
        self.write(&map)
    }

    fn location(&self) -> SecretLocation {
        SecretLocation::File
    }
}

/// The file, in the data directory, that records which store holds this directory's secrets.
pub const STORE_CHOICE_FILE: &str = "secret-store";

/// The secret store for the data directory `dir`, chosen once and kept. With a choice recorded,
/// that store is used whether or not it answers now. Without one (a first start): the file if
/// `secrets.json` already holds secrets, otherwise the OS store if `os_answers` says it works
/// (asked up to three times, for a keyring that is still unlocking), otherwise the file; the
/// choice is then recorded.
pub fn choose_store(
    dir: &Path,
    os: Arc<dyn SecretStore>,
    os_answers: impl Fn() -> bool,
) -> Result<Arc<dyn SecretStore>> {
    let record = dir.join(STORE_CHOICE_FILE);
    let file = || -> Arc<dyn SecretStore> { Arc::new(FileSecrets::new(dir.join(SECRETS_FILE))) };
    let recorded = match std::fs::read_to_string(&record) {
        Ok(text) => Some(text.trim().to_string()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => {
            return Err(Error::Storage(format!(
                "cannot read which store keeps the secrets ({}): {e}",
                record.display()
            )))
        }
    };
    match recorded.as_deref() {
        Some("os") => return Ok(os),
        Some("file") => return Ok(file()),
        Some(other) => {
            return Err(Error::Storage(format!(
                "{} names an unknown secret store “{other}”: write os or file in it",
                record.display()
            )))
        }
        None => {}
    }
    let use_os = !dir.join(SECRETS_FILE).exists()
        && (0..3).any(|attempt| {
            if attempt > 0 {
                std::thread::sleep(std::time::Duration::from_millis(300));
            }
            os_answers()
        });
    let (store, name) = if use_os { (os, "os") } else { (file(), "file") };
    std::fs::write(&record, format!("{name}\n")).map_err(|e| {
        Error::Storage(format!(
            "cannot record which store keeps the secrets ({}): {e}",
            record.display()
        ))
    })?;
    Ok(store)
}

/// Secrets in memory, for tests and benchmarks.
#[derive(Default)]
pub struct MemorySecrets(Mutex<BTreeMap<String, String>>);

impl SecretStore for MemorySecrets {
    fn get(&self, key: &str) -> Result<Option<String>> {
        Ok(self
            .0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(key)
            .cloned())
    }

    fn set(&self, key: &str, value: Option<&str>) -> Result<()> {
        let mut m = self.0.lock().unwrap_or_else(|p| p.into_inner());
        match value {
            Some(v) => m.insert(key.to_string(), v.to_string()),
            None => m.remove(key),
        };
        Ok(())
    }

    fn location(&self) -> SecretLocation {
        SecretLocation::Memory
    }
}
