//! The app's state: the store connection the commands share, the secret store, the channel
//! endpoints, the background workers, and the one place where the effects of a command are
//! acted on.

use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};
use std::time::Duration;

use tend_core::db::effects::Effects;
use tend_core::messaging::channels::{Channels, Endpoints};
use tend_core::messaging::secrets::SecretStore;
use tend_core::{Error, ErrorPayload, Store};

use crate::worker_set::Workers;

/// What the shell tells the window, through whatever emits events (the real app or the IPC
/// tests' mock app).
pub type EventSink = Arc<dyn Fn(&str, serde_json::Value) + Send + Sync>;

/// The event the UI listens to: something changed in the background; refresh what is shown.
pub const DATA_CHANGED: &str = "data-changed";

/// The store behind a mutex, or the reason it could not be opened (a database from a newer Tend,
/// an unwritable folder): then every command answers with that error and the UI shows it.
pub struct AppState {
    store: Mutex<Result<Store, ErrorPayload>>,
    pub data_dir: PathBuf,
    pub secrets: Arc<dyn SecretStore>,
    pub endpoints: Endpoints,
    pub workers: Workers,
    events: OnceLock<EventSink>,
}

/// Channel endpoints from `TEND_TELEGRAM_API_BASE`, `TEND_ZALO_API_BASE`,
/// `TEND_ZALO_OAUTH_BASE`, `TEND_ZALO_BUSINESS_API_BASE` and `TEND_REQUEST_TIMEOUT_SECS`, defaulting to the real services.
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
    if let Some(v) = var("TEND_ZALO_BUSINESS_API_BASE") {
        e.zalo_business = v;
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
        let state = Self::open_with(data_dir, secrets, endpoints_from_env());
        // A new data folder starts with the starter templates and care scenario. Failing to add
        // them costs nothing but the convenience: the app opens all the same.
        let _ = state.with(|s| s.add_starter_content(tend_core::base::time::system_now()));
        state
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
            workers: Workers::default(),
            events: OnceLock::new(),
        }
    }

    /// Sets what emits events to the window (once, when the app is set up).
    pub fn set_event_sink(&self, sink: EventSink) {
        let _ = self.events.set(sink);
    }

    /// Emits an event without a payload to the window, if one is listening.
    pub fn emit(&self, event: &str) {
        if let Some(sink) = self.events.get() {
            sink(event, serde_json::Value::Null);
        }
    }

    /// Something that emits events with a payload from another thread (a running import's
    /// progress); it does nothing until the window is set up.
    pub fn event_sender(&self) -> EventSink {
        match self.events.get() {
            Some(sink) => sink.clone(),
            None => Arc::new(|_, _| {}),
        }
    }

    /// Tells the window that data changed behind its back.
    pub fn data_changed(&self) {
        self.emit(DATA_CHANGED);
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

    /// Runs `f` with the store, then acts on the effects it recorded (wakes workers, reloads
    /// channels, tells the UI). Every command goes through here, so no command decides by hand
    /// which worker to wake.
    pub fn with<T>(
        &self,
        f: impl FnOnce(&mut Store) -> Result<T, Error>,
    ) -> Result<T, ErrorPayload> {
        let (result, effects) = {
            let mut guard = self.lock();
            let store = guard.as_mut().map_err(|e| e.clone())?;
            let result = f(store);
            (result, store.take_effects())
        };
        self.apply(effects);
        result.map_err(|e| ErrorPayload::from(&e))
    }

    /// Acts on effects: the one place that wakes workers and tells the UI.
    pub fn apply(&self, effects: Effects) {
        if effects.reload_channels {
            if let Ok(channels) = self.channels() {
                self.workers.reload_channels(Arc::new(channels));
            }
            self.workers.poll_telegram_now();
            self.workers.poll_zalo_now();
        }
        if effects.wake_outbox {
            self.workers.wake_outbox();
            self.workers.poll_zalo_soon();
        }
        if effects.wake_care {
            self.workers.wake_care();
        }
        if effects.data_changed {
            self.emit(DATA_CHANGED);
        }
    }

    /// The channels as the current settings and secrets make them.
    pub fn channels(&self) -> Result<Channels, ErrorPayload> {
        let settings = {
            let guard = self.lock();
            let store = guard.as_ref().map_err(|e| e.clone())?;
            store
                .channel_settings()
                .map_err(|e| ErrorPayload::from(&e))?
        };
        Ok(Channels::new(
            self.endpoints.clone(),
            settings,
            self.secrets.clone(),
        ))
    }
}
