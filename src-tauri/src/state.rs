//! The app's state: the one store connection the commands share.

use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard};

use tend_core::{Error, ErrorPayload, Store};

/// The store behind a mutex, or the reason it could not be opened (a database from a newer Tend,
/// an unwritable folder): then every command answers with that error and the UI shows it.
pub struct AppState {
    store: Mutex<Result<Store, ErrorPayload>>,
    pub data_dir: PathBuf,
}

impl AppState {
    /// Opens the store in `data_dir`.
    pub fn open(data_dir: PathBuf) -> Self {
        let store = Store::open_dir(&data_dir).map_err(|e| ErrorPayload::from(&e));
        AppState {
            store: Mutex::new(store),
            data_dir,
        }
    }

    /// The error that kept the store from opening, if any.
    pub fn open_error(&self) -> Option<ErrorPayload> {
        match &*self.lock() {
            Ok(_) => None,
            Err(e) => Some(e.clone()),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Result<Store, ErrorPayload>> {
        // A panic inside a command must not brick every later command: the store itself is
        // consistent (each change is one transaction), so a poisoned lock is safe to reuse.
        self.store.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Runs `f` with the store.
    pub fn with<T>(
        &self,
        f: impl FnOnce(&mut Store) -> Result<T, Error>,
    ) -> Result<T, ErrorPayload> {
        let mut guard = self.lock();
        let store = guard.as_mut().map_err(|e| e.clone())?;
        f(store).map_err(|e| ErrorPayload::from(&e))
    }
}
