//! The one worker loop: run a pass, sleep until the next due time (at most a cap) or until woken,
//! and stop when asked. A pass that fails or panics is recorded in the worker's health and
//! retried after a short, growing pause; the worker itself never dies of it.

use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use crate::base::clock::Clock;
use crate::base::error::{ErrorPayload, Result};
use crate::base::time::UtcMillis;
use crate::db::effects::Effects;
use crate::workers::health::{WorkerHealth, WorkerName};

/// One kind of background work, run pass by pass by [`spawn`].
pub trait Job: Send + 'static {
    /// What a pass did, handed to the worker's observer.
    type Report;
    /// Commands besides wake and stop (new settings, for instance).
    type Command: Send + 'static;

    /// Does the work that is due now.
    fn pass(&mut self, now: UtcMillis) -> Result<Self::Report>;
    /// When the next pass is due, if the job knows (otherwise the worker's cap applies).
    fn next_due(&self, report: &Self::Report) -> Option<UtcMillis>;
    /// Handles a command of the job's own.
    fn command(&mut self, _command: Self::Command) {}
    /// What the last pass changed that others must act on (the store's recorded effects).
    fn take_effects(&mut self) -> Effects {
        Effects::NONE
    }
    /// Puts things right after a pass that failed or panicked (give back claimed work).
    fn recover(&mut self) -> Result<()> {
        Ok(())
    }
    /// The flag a long pass watches to return early when the app quits.
    fn stop_flag(&self) -> Option<Arc<AtomicBool>> {
        None
    }
}

enum Message<C> {
    Wake,
    Job(C),
    Stop,
}

/// How a worker sleeps and reports.
pub struct Options {
    /// The longest sleep without looking: a laptop that slept through a due time is caught
    /// within this long of waking, even if no timer fires.
    pub max_sleep_ms: i64,
    /// The pause after a failed pass; it doubles with each failure in a row, up to `max_sleep_ms`.
    pub retry_ms: i64,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            max_sleep_ms: 30_000,
            retry_ms: 5_000,
        }
    }
}

/// Who hears from a worker: the shell, which tells the UI and acts on effects.
pub struct Observer<R> {
    /// Called after every good pass with its report.
    pub report: Box<dyn Fn(&R) + Send>,
    /// Called with the effects of a pass, when there are any.
    pub effects: Box<dyn Fn(Effects) + Send>,
    /// Called whenever the worker's health changes state (a failure, a recovery, a stop).
    pub health: Box<dyn Fn(&WorkerHealth) + Send>,
}

impl<R> Observer<R> {
    /// An observer that ignores everything (tests, benches).
    pub fn silent() -> Self {
        Observer {
            report: Box::new(|_| {}),
            effects: Box::new(|_| {}),
            health: Box::new(|_| {}),
        }
    }
}

/// A running worker: wake it, send it a command, read its health, stop it.
pub struct Worker<C> {
    tx: Sender<Message<C>>,
    thread: Option<JoinHandle<()>>,
    health: Arc<Mutex<WorkerHealth>>,
    stop_flag: Option<Arc<AtomicBool>>,
}

impl<C: Send + 'static> Worker<C> {
    /// Asks the worker to look now.
    pub fn wake(&self) {
        let _ = self.tx.send(Message::Wake);
    }

    /// Sends the job one of its own commands; it is handled before the next pass.
    pub fn command(&self, command: C) {
        let _ = self.tx.send(Message::Job(command));
    }

    /// The worker's health now.
    pub fn health(&self) -> WorkerHealth {
        self.health
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Stops the worker and waits for it: a pass in progress finishes (a long one returns early
    /// when its job watches the stop flag).
    pub fn stop(mut self) {
        self.stop_now();
    }

    fn stop_now(&mut self) {
        if let Some(flag) = &self.stop_flag {
            flag.store(true, Ordering::SeqCst);
        }
        let _ = self.tx.send(Message::Stop);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Starts `job` on its own thread and runs its first pass at once.
pub fn spawn<J: Job>(
    name: WorkerName,
    mut job: J,
    clock: Arc<dyn Clock>,
    options: Options,
    observer: Observer<J::Report>,
) -> Worker<J::Command> {
    let (tx, rx) = mpsc::channel::<Message<J::Command>>();
    let health = Arc::new(Mutex::new(WorkerHealth::new(name)));
    let shared = health.clone();
    let stop_flag = job.stop_flag();
    let thread = std::thread::Builder::new()
        .name(name.thread_name().into())
        .spawn(move || {
            let update = |f: &dyn Fn(&mut WorkerHealth)| {
                let (changed, now) = {
                    let mut h = shared.lock().unwrap_or_else(|p| p.into_inner());
                    let was_failing = h.is_failing();
                    let errors_before = h.errors_in_row;
                    f(&mut h);
                    // Report state changes and every new failure, not every good pass.
                    let changed = h.is_failing() != was_failing || h.errors_in_row > errors_before;
                    (changed, h.clone())
                };
                // Called without the lock held: the observer may read every worker's health.
                if changed {
                    (observer.health)(&now);
                }
            };
            loop {
                let now = clock.now();
                let outcome = panic::catch_unwind(AssertUnwindSafe(|| job.pass(now)));
                let after = clock.now();
                let wait = match outcome {
                    Ok(Ok(report)) => {
                        update(&|h| h.record_ok(after));
                        (observer.report)(&report);
                        job.next_due(&report)
                            .map(|due| (due - after).clamp(0, options.max_sleep_ms))
                            .unwrap_or(options.max_sleep_ms)
                    }
                    Ok(Err(e)) => {
                        let payload = ErrorPayload::from(&e);
                        update(&|h| h.record_error(payload.clone(), after));
                        if let Some(e) = recover(&mut job) {
                            update(&|h| h.record_error(e.clone(), after));
                        }
                        retry_wait(&shared, &options)
                    }
                    Err(panic) => {
                        let what = panic_text(panic.as_ref());
                        update(&|h| h.record_panic(&what, after));
                        if let Some(e) = recover(&mut job) {
                            update(&|h| h.record_error(e.clone(), after));
                        }
                        retry_wait(&shared, &options)
                    }
                };
                // Effects are acted on even after a failed pass: what committed before the
                // failure still needs its wake-ups.
                let effects = job.take_effects();
                if !effects.is_empty() {
                    (observer.effects)(effects);
                }
                match rx.recv_timeout(Duration::from_millis(wait as u64)) {
                    Ok(Message::Wake) | Err(RecvTimeoutError::Timeout) => {}
                    Ok(Message::Job(c)) => job.command(c),
                    Ok(Message::Stop) | Err(RecvTimeoutError::Disconnected) => {
                        update(&|h| h.running = false);
                        return;
                    }
                }
            }
        })
        .expect("a worker thread starts");
    Worker {
        tx,
        thread: Some(thread),
        health,
        stop_flag,
    }
}

/// Runs the job's recovery. A recovery that fails is reported like a failed pass (and tried
/// again after the next failure).
fn recover<J: Job>(job: &mut J) -> Option<ErrorPayload> {
    match panic::catch_unwind(AssertUnwindSafe(|| job.recover())) {
        Ok(Ok(())) => None,
        Ok(Err(e)) => Some(ErrorPayload::from(&e)),
        Err(panic) => Some(ErrorPayload::from(&crate::base::error::Error::Internal(
            format!(
                "recovering after a failed pass crashed: {}",
                panic_text(panic.as_ref())
            ),
        ))),
    }
}

/// The pause after a failure: `retry_ms`, doubled for each further failure in a row.
fn retry_wait(health: &Mutex<WorkerHealth>, options: &Options) -> i64 {
    let n = health
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .errors_in_row
        .clamp(1, 8);
    (options.retry_ms << (n - 1)).min(options.max_sleep_ms)
}

fn panic_text(panic: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = panic.downcast_ref::<&str>() {
        s.to_string()
    } else if let Some(s) = panic.downcast_ref::<String>() {
        s.clone()
    } else {
        "unknown panic".into()
    }
}
