//! The set of running workers the app state holds: wake them, send them commands, read their
//! health, stop them all on quit. Starting them is `workers.rs`.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tend_core::base::time::system_now;
use tend_core::messaging::channels::Deliver;
use tend_core::workers::outbox::OutboxCommand;
use tend_core::workers::zalo_replies::ZaloCommand;
use tend_core::workers::{Worker, WorkerHealth, WorkerName};

/// How long quitting waits for the workers to finish what they hold.
const STOP_GRACE: Duration = Duration::from_secs(10);

/// The running workers, and the health of those that could not start.
#[derive(Default)]
pub struct Workers {
    outbox: Mutex<Option<Worker<OutboxCommand>>>,
    care: Mutex<Option<Worker<()>>>,
    telegram: Mutex<Option<Worker<()>>>,
    zalo: Mutex<Option<Worker<ZaloCommand>>>,
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

    /// Tells the Zalo worker to read the OA's conversations now, and often for a while.
    pub fn poll_zalo_now(&self) {
        if let Some(w) = &*lock(&self.zalo) {
            w.command(ZaloCommand::ReadNow);
        }
    }

    /// Tells the Zalo worker a message was queued: a reply may follow, read within its short wait.
    pub fn poll_zalo_soon(&self) {
        if let Some(w) = &*lock(&self.zalo) {
            w.command(ZaloCommand::ReadSoon);
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
        if let Some(w) = &*lock(&self.zalo) {
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
        let zalo = lock(&self.zalo).take();
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
            if let Some(w) = zalo {
                w.stop();
            }
            let _ = done_tx.send(());
        });
        let _ = done_rx.recv_timeout(STOP_GRACE);
    }

    /// Keeps the running outbox worker.
    pub fn set_outbox(&self, worker: Worker<OutboxCommand>) {
        *lock(&self.outbox) = Some(worker);
    }

    /// Keeps the running care worker.
    pub fn set_care(&self, worker: Worker<()>) {
        *lock(&self.care) = Some(worker);
    }

    /// Keeps the running Telegram worker.
    pub fn set_telegram(&self, worker: Worker<()>) {
        *lock(&self.telegram) = Some(worker);
    }

    /// Keeps the running Zalo worker.
    pub fn set_zalo(&self, worker: Worker<ZaloCommand>) {
        *lock(&self.zalo) = Some(worker);
    }

    /// Remembers a worker that could not start, so its health says so.
    pub fn record_not_started(&self, name: WorkerName, error: &tend_core::Error) {
        eprintln!("tend: the {name:?} worker could not start: {error}");
        lock(&self.not_started).push(WorkerHealth::not_started(name, error, system_now()));
    }
}
