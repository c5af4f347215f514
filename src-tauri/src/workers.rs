//! Starting the app's background workers (outbox, care steps, Telegram updates), each with its
//! own store connection on tend-core's one worker loop. Their reports become window events, their
//! effects go through `AppState::apply`, and their health is shown by the UI.

use std::sync::Arc;

use tauri::{AppHandle, Emitter, Manager, Runtime, State};

use tend_core::base::clock::SystemClock;
use tend_core::care::step_runner::StepReport;
use tend_core::messaging::delivery::OutboxSender;
use tend_core::workers::care_steps::CareSteps;
use tend_core::workers::telegram_updates::TelegramUpdates;
use tend_core::workers::zalo_replies::ZaloReplies;
use tend_core::workers::{self, Observer, Options, WorkerHealth, WorkerName};
use tend_core::Store;

use crate::state::AppState;

/// The event that carries every worker's health when one of them changes state.
pub const WORKER_HEALTH: &str = "worker-health";

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
            state.workers.set_outbox(w);
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
            state.workers.set_care(w);
        }
        Err(e) => state.workers.record_not_started(WorkerName::Care, &e),
    }

    match open() {
        Ok(store) => {
            let job = ZaloReplies::new(store, state.endpoints.clone(), state.secrets.clone());
            let w = workers::spawn(
                WorkerName::Zalo,
                job,
                clock.clone(),
                Options::default(),
                observer(app, |_, _| {}),
            );
            state.workers.set_zalo(w);
        }
        Err(e) => state.workers.record_not_started(WorkerName::Zalo, &e),
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
            state.workers.set_telegram(w);
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
