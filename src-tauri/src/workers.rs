//! The app's background workers (outbox, care steps, Telegram updates), started with their own
//! store connections on tend-core's one worker loop. Their reports become window events, their
//! effects go through `AppState::apply`, and their health is shown by the UI.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tauri::{AppHandle, Emitter, Manager, Runtime, State};

use tend_core::base::clock::SystemClock;
use tend_core::base::time::system_now;
use tend_core::care::step_runner::StepReport;
use tend_core::messaging::channels::Deliver;
use tend_core::messaging::delivery::OutboxSender;
use tend_core::workers::care_steps::CareSteps;
use tend_core::workers::outbox::OutboxCommand;
use tend_core::workers::telegram_updates::TelegramUpdates;
use tend_core::workers::{self, Observer, Options, Worker, WorkerHealth, WorkerName};
use tend_core::Store;

use crate::state::AppState;

/// The event that carries every worker's health when one of them changes state.
pub const WORKER_HEALTH: &str = "worker-health";

/// How long quitting waits for the workers to finish what they hold.
const STOP_GRACE: Duration = Duration::from_secs(10);

/// The running workers, and the health of those that could not start.
#[derive(Default)]
pub struct Workers {
    outbox: Mutex<Option<Worker<OutboxCommand>>>,
    care: Mutex<Option<Worker<()>>>,
    telegram: Mutex<Option<Worker<()>>>,
    not_started: Mutex<Vec<WorkerHealth>>,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl Workers {
    /// Tells the outbox worker to look now.
    pub fn wake_outbox(&self) {
        if let Some(w) = &*lock(&self.outbox) {
            w.wake();
        }
    }

    /// Tells the care worker to look now.
    pub fn wake_care(&self) {
        if let Some(w) = &*lock(&self.care) {
            w.wake();
        }
    }

    /// Tells the Telegram worker to read the bot's updates now (the settings changed).
    pub fn poll_telegram_now(&self) {
        if let Some(w) = &*lock(&self.telegram) {
            w.command(());
        }
    }

    /// Gives the outbox worker channels built from new settings.
    pub fn reload_channels(&self, deliver: Arc<dyn Deliver>) {
        if let Some(w) = &*lock(&self.outbox) {
            w.command(OutboxCommand::Reload(deliver));
        }
    }

    /// Every worker's health, in a fixed order.
    pub fn health(&self) -> Vec<WorkerHealth> {
        let mut all: Vec<WorkerHealth> = Vec::new();
        if let Some(w) = &*lock(&self.outbox) {
            all.push(w.health());
        }
        if let Some(w) = &*lock(&self.care) {
            all.push(w.health());
        }
        if let Some(w) = &*lock(&self.telegram) {
            all.push(w.health());
        }
        all.extend(lock(&self.not_started).iter().cloned());
        all.sort_by_key(|h| h.name as u8);
        all
    }

    /// Stops every worker, each finishing (or releasing) what it holds, waiting at most
    /// `STOP_GRACE` in all: a send stuck on the network is recovered at the next start.
    pub fn stop_all(&self) {
        // Taken out first, so nothing that reads health waits on a lock held while joining.
        let outbox = lock(&self.outbox).take();
        let care = lock(&self.care).take();
        let telegram = lock(&self.telegram).take();
        let (done_tx, done_rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            if let Some(w) = outbox {
                w.stop();
            }
            if let Some(w) = care {
                w.stop();
            }
            if let Some(w) = telegram {
                w.stop();
            }
            let _ = done_tx.send(());
        });
        let _ = done_rx.recv_timeout(STOP_GRACE);
    }

    fn record_not_started(&self, name: WorkerName, error: &tend_core::Error) {
        eprintln!("tend: the {name:?} worker could not start: {error}");
        lock(&self.not_started).push(WorkerHealth::not_started(name, error, system_now()));
    }
}

/// The health of every worker, for the status line and Settings.
#[tauri::command]
pub fn worker_health(state: State<'_, AppState>) -> Vec<WorkerHealth> {
    state.workers.health()
}

/// An observer that hands effects to `AppState::apply`, tells the window about health changes,
/// and passes reports to `report`.
fn observer<R: Runtime, T: 'static>(
    app: &AppHandle<R>,
    report: impl Fn(&AppHandle<R>, &T) + Send + 'static,
) -> Observer<T> {
    let (a, b, c) = (app.clone(), app.clone(), app.clone());
    Observer {
        report: Box::new(move |r| report(&a, r)),
        effects: Box::new(move |effects| {
            if let Some(state) = b.try_state::<AppState>() {
                state.apply(effects);
            }
        }),
        health: Box::new(move |_| {
            if let Some(state) = c.try_state::<AppState>() {
                let _ = c.emit(WORKER_HEALTH, state.workers.health());
            }
        }),
    }
}

/// Starts the three workers, each with its own connection. If the store did not open, none
/// starts: the UI already shows why.
pub fn start<R: Runtime>(app: &AppHandle<R>) {
    let state = app.state::<AppState>();
    if state.open_error().is_some() {
        return;
    }
    let open = || Store::open_dir(&state.data_dir);
    let clock = Arc::new(SystemClock);

    let outbox = state
        .channels()
        .map_err(|e| tend_core::Error::Internal(e.message))
        .and_then(|channels| OutboxSender::new(open()?, Arc::new(channels), clock.clone()));
    match outbox {
        Ok(sender) => {
            let w = workers::spawn(
                WorkerName::Outbox,
                sender,
                clock.clone(),
                Options::default(),
                observer(app, |_, _| {}),
            );
            *lock(&state.workers.outbox) = Some(w);
        }
        Err(e) => state.workers.record_not_started(WorkerName::Outbox, &e),
    }

    match open() {
        Ok(store) => {
            let w = workers::spawn(
                WorkerName::Care,
                CareSteps { store },
                clock.clone(),
                Options::default(),
                observer(app, show_notifications),
            );
            *lock(&state.workers.care) = Some(w);
        }
        Err(e) => state.workers.record_not_started(WorkerName::Care, &e),
    }

    match open() {
        Ok(store) => {
            let job = TelegramUpdates::new(store, state.endpoints.clone(), state.secrets.clone());
            let w = workers::spawn(
                WorkerName::Telegram,
                job,
                clock,
                Options::default(),
                observer(app, |_, _| {}),
            );
            *lock(&state.workers.telegram) = Some(w);
        }
        Err(e) => state.workers.record_not_started(WorkerName::Telegram, &e),
    }
}

/// Shows the notification steps of a care pass as OS notifications, and in the window.
fn show_notifications<R: Runtime>(app: &AppHandle<R>, report: &StepReport) {
    for n in &report.notifications {
        // Also forwarded to the window, which shows it when the OS has no notification service.
        let _ = app.emit("step-notification", n);
        // The plugin is registered by the app, not by the IPC tests' mock app.
        if app
            .try_state::<tauri_plugin_notification::Notification<R>>()
            .is_some()
        {
            use tauri_plugin_notification::NotificationExt;
            let _ = app
                .notification()
                .builder()
                .title(format!("{} · {}", n.customer_name, n.scenario_name))
                .body(&n.text)
                .show();
        }
    }
}
