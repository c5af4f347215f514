//! The app's state: the store connection the commands share, the secret store, the channel
//! endpoints, and the handle of the background sender.

use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use tend_core::channels::{Channels, Endpoints};
use tend_core::scheduler::SchedulerHandle;
use tend_core::secrets::SecretStore;
use tend_core::sender::SenderHandle;
use tend_core::{Error, ErrorPayload, Store};

/// The store behind a mutex, or the reason it could not be opened (a database from a newer Tend,
/// an unwritable folder): then every command answers with that error and the UI shows it.
pub struct AppState {
    store: Mutex<Result<Store, ErrorPayload>>,
    pub data_dir: PathBuf,
    pub secrets: Arc<dyn SecretStore>,
    pub endpoints: Endpoints,
    pub sender: Mutex<Option<SenderHandle>>,
    pub scheduler: Mutex<Option<SchedulerHandle>>,
}

/// Channel endpoints from `TEND_TELEGRAM_API_BASE`, `TEND_ZALO_API_BASE`,
/// `TEND_ZALO_OAUTH_BASE` and `TEND_REQUEST_TIMEOUT_SECS`, defaulting to the real services.
pub fn endpoints_from_env() -> Endpoints {
    let mut e = Endpoints::default();
    let var = |k: &str| std::env::var(k).ok().filter(|v| !v.trim().is_empty());
    if let Some(v) = var("TEND_TELEGRAM_API_BASE") {
        e.telegram_api = v;
    }
    if let Some(v) = var("TEND_ZALO_API_BASE") {
        e.zalo_api = v;
    }
    if let Some(v) = var("TEND_ZALO_OAUTH_BASE") {
        e.zalo_oauth = v;
    }
    if let Some(secs) = var("TEND_REQUEST_TIMEOUT_SECS").and_then(|v| v.parse().ok()) {
        e.timeout = Duration::from_secs(secs);
    }
    e
}

impl AppState {
    /// Opens the store in `data_dir`, with the OS secret store (or its file fallback) and the
    /// endpoints from the environment.
    pub fn open(data_dir: PathBuf) -> Self {
        let secrets = crate::os_secrets::choose(&data_dir);
        Self::open_with(data_dir, secrets, endpoints_from_env())
    }

    /// Opens the store with the given secret store and endpoints (tests pass their own).
    pub fn open_with(
        data_dir: PathBuf,
        secrets: Arc<dyn SecretStore>,
        endpoints: Endpoints,
    ) -> Self {
        let store = Store::open_dir(&data_dir).map_err(|e| ErrorPayload::from(&e));
        AppState {
            store: Mutex::new(store),
            data_dir,
            secrets,
            endpoints,
            sender: Mutex::new(None),
            scheduler: Mutex::new(None),
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

    /// The channels as the current settings and secrets make them.
    pub fn channels(&self) -> Result<Channels, ErrorPayload> {
        let settings = self.with(|s| s.channel_settings())?;
        Ok(Channels::new(
            self.endpoints.clone(),
            settings,
            self.secrets.clone(),
        ))
    }

    /// Tells the background sender to look at the outbox now.
    pub fn wake_sender(&self) {
        if let Some(h) = &*self.sender.lock().unwrap_or_else(|p| p.into_inner()) {
            h.wake();
        }
    }

    /// Tells the scenario scheduler to look now (an enrolment, pause, resume or edit).
    pub fn wake_scheduler(&self) {
        if let Some(h) = &*self.scheduler.lock().unwrap_or_else(|p| p.into_inner()) {
            h.wake();
        }
    }

    /// Gives the background sender channels built from the current settings.
    pub fn reload_sender(&self) {
        if let Ok(channels) = self.channels() {
            if let Some(h) = &*self.sender.lock().unwrap_or_else(|p| p.into_inner()) {
                h.reload(Arc::new(channels));
            }
        }
    }
}
