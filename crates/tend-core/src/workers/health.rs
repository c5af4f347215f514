//! What a worker reports about itself, so a failing one is shown instead of failing in silence.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::base::error::{Error, ErrorPayload};
use crate::base::time::UtcMillis;

/// The background workers of the app.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum WorkerName {
    /// Delivers the outbox.
    Outbox,
    /// Runs the care scenarios' due steps.
    Care,
    /// Reads the Telegram bot's updates (binding links, customers' replies).
    Telegram,
    /// Reads customers' Zalo replies to the OA.
    Zalo,
}

impl WorkerName {
    /// The thread name, as seen in a debugger or `top -H`.
    pub fn thread_name(self) -> &'static str {
        match self {
            WorkerName::Outbox => "tend-outbox",
            WorkerName::Care => "tend-care",
            WorkerName::Telegram => "tend-telegram",
            WorkerName::Zalo => "tend-zalo",
        }
    }
}

/// A worker's health: when it last ran, whether that went well, and how many passes in a row
/// failed. Errors carry the same payload as a command's, so the UI words them the same way.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct WorkerHealth {
    pub name: WorkerName,
    /// False once the worker stopped (on quit, or if it could not start).
    pub running: bool,
    #[ts(type = "number | null")]
    pub last_run_at: Option<UtcMillis>,
    #[ts(type = "number | null")]
    pub last_ok_at: Option<UtcMillis>,
    pub last_error: Option<ErrorPayload>,
    #[ts(type = "number | null")]
    pub last_error_at: Option<UtcMillis>,
    /// Passes that failed (or panicked) since the last good one.
    #[ts(type = "number")]
    pub errors_in_row: u32,
    /// Passes that panicked since the worker started.
    #[ts(type = "number")]
    pub panics: u32,
}

impl WorkerHealth {
    /// A worker that has not run yet.
    pub fn new(name: WorkerName) -> Self {
        WorkerHealth {
            name,
            running: true,
            last_run_at: None,
            last_ok_at: None,
            last_error: None,
            last_error_at: None,
            errors_in_row: 0,
            panics: 0,
        }
    }

    /// A worker that could not start at all (its store did not open, for instance).
    pub fn not_started(name: WorkerName, error: &Error, now: UtcMillis) -> Self {
        let mut h = WorkerHealth::new(name);
        h.running = false;
        h.record_error(ErrorPayload::from(error), now);
        h
    }

    /// Whether the UI should point at this worker.
    pub fn is_failing(&self) -> bool {
        self.errors_in_row > 0 || !self.running
    }

    pub(crate) fn record_ok(&mut self, now: UtcMillis) {
        self.last_run_at = Some(now);
        self.last_ok_at = Some(now);
        self.errors_in_row = 0;
    }

    pub(crate) fn record_error(&mut self, error: ErrorPayload, now: UtcMillis) {
        self.last_run_at = Some(now);
        self.last_error = Some(error);
        self.last_error_at = Some(now);
        self.errors_in_row = self.errors_in_row.saturating_add(1);
    }

    pub(crate) fn record_panic(&mut self, what: &str, now: UtcMillis) {
        self.panics = self.panics.saturating_add(1);
        let error = Error::Internal(format!("a background pass crashed: {what}"));
        let mut payload = ErrorPayload::from(&error);
        payload.key = "worker.panicked".into();
        self.record_error(payload, now);
    }
}
