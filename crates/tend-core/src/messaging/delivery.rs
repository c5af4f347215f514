//! The background sender: delivers due outbox messages, honours rate limits, retries transient
//! failures with capped exponential backoff and jitter, and sleeps until the next message is due
//! or it is woken (a new message, a retry, the network back, settings changed).
//!
//! It owns its own `Store` connection and a `Deliver` (the real channels, or a test double), and
//! reads time from a `Clock`, so tests run hours of retries in milliseconds.

use std::collections::HashMap;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender as ChannelTx};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use crate::channels::{Deliver, Delivery};
use crate::error::Result;
use crate::outbox::{ErrorHint, OutboxMessage, SendChannel};
use crate::sample::Rng;
use crate::store::Store;
use crate::time::UtcMillis;

/// The time, injected.
pub trait Clock: Send + Sync {
    /// Now, in UTC milliseconds.
    fn now(&self) -> UtcMillis;
    /// Waits `ms` (a fake clock just moves on).
    fn sleep(&self, ms: i64);
}

/// The wall clock.
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> UtcMillis {
        crate::time::system_now()
    }
    fn sleep(&self, ms: i64) {
        if ms > 0 {
            std::thread::sleep(Duration::from_millis(ms as u64));
        }
    }
}

/// A clock tests move by hand; `sleep` advances it.
#[derive(Default)]
pub struct FakeClock(Mutex<UtcMillis>);

impl FakeClock {
    /// A clock reading `now`.
    pub fn at(now: UtcMillis) -> Self {
        FakeClock(Mutex::new(now))
    }
    /// Moves the clock by `ms` (negative to jump back, as a corrected system clock does).
    pub fn advance(&self, ms: i64) {
        *self.0.lock().unwrap_or_else(|p| p.into_inner()) += ms;
    }
}

impl Clock for FakeClock {
    fn now(&self) -> UtcMillis {
        *self.0.lock().unwrap_or_else(|p| p.into_inner())
    }
    fn sleep(&self, ms: i64) {
        self.advance(ms.max(0));
    }
}

/// Limits per channel: at most one message per `per_chat_ms` to the same recipient, and at most
/// `global_per_s` a second overall.
#[derive(Debug, Clone, Copy)]
pub struct Limit {
    pub per_chat_ms: i64,
    pub global_per_s: u32,
}

/// Telegram's documented limits: about one message a second to a chat, 30 a second overall.
pub const TELEGRAM_LIMIT: Limit = Limit {
    per_chat_ms: 1000,
    global_per_s: 30,
};

/// Per-recipient and global rate limits, on the injected clock.
#[derive(Default)]
pub struct RateLimiter {
    limits: HashMap<SendChannel, Limit>,
    last_to: HashMap<(SendChannel, String), UtcMillis>,
    recent: HashMap<SendChannel, std::collections::VecDeque<UtcMillis>>,
}

impl RateLimiter {
    /// Telegram's limits on, other channels unlimited.
    pub fn standard() -> Self {
        let mut r = RateLimiter::default();
        r.limits.insert(SendChannel::Telegram, TELEGRAM_LIMIT);
        r
    }

    /// No limits (benchmarks of raw throughput).
    pub fn off() -> Self {
        RateLimiter::default()
    }

    /// How long to wait before sending to `recipient` on `channel` (0: go now).
    pub fn wait(&mut self, channel: SendChannel, recipient: &str, now: UtcMillis) -> i64 {
        let Some(limit) = self.limits.get(&channel).copied() else {
            return 0;
        };
        let mut wait = 0;
        if let Some(last) = self.last_to.get(&(channel, recipient.to_string())) {
            wait = wait.max(last + limit.per_chat_ms - now);
        }
        let window = self.recent.entry(channel).or_default();
        while window.front().is_some_and(|t| *t <= now - 1000) {
            window.pop_front();
        }
        if window.len() >= limit.global_per_s as usize {
            if let Some(oldest) = window.front() {
                wait = wait.max(oldest + 1000 - now);
            }
        }
        wait.max(0)
    }

    /// Records a send made at `now`.
    pub fn record(&mut self, channel: SendChannel, recipient: &str, now: UtcMillis) {
        if self.limits.contains_key(&channel) {
            self.last_to.insert((channel, recipient.to_string()), now);
            self.recent.entry(channel).or_default().push_back(now);
        }
    }
}

/// Retry policy for transient failures.
#[derive(Debug, Clone, Copy)]
pub struct Backoff {
    /// The first retry's delay.
    pub base_ms: i64,
    /// No delay is longer than this.
    pub max_ms: i64,
    /// Give up after this many attempts (network outages do not count: see `offline_max_ms`).
    pub max_attempts: i64,
    /// While offline, retry at least this often, so messages leave soon after the network is back.
    pub offline_max_ms: i64,
}

impl Default for Backoff {
    fn default() -> Self {
        Backoff {
            base_ms: 15_000,
            max_ms: 3_600_000,
            max_attempts: 8,
            offline_max_ms: 60_000,
        }
    }
}

impl Backoff {
    /// The delay before attempt `attempts + 1`: base × 2^(attempts − 1), capped, with "equal
    /// jitter" (half fixed, half random) so many failed messages do not retry in lockstep.
    pub fn delay(&self, attempts: i64, offline: bool, rng: &mut Rng) -> i64 {
        let exp = (attempts - 1).clamp(0, 30) as u32;
        let cap = if offline {
            self.offline_max_ms
        } else {
            self.max_ms
        };
        let full = self.base_ms.saturating_mul(1i64 << exp).min(cap);
        let half = full / 2;
        half + rng.below(half.max(1) as u64 + 1) as i64
    }
}

/// What one pass did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PassReport {
    pub sent: usize,
    pub retried: usize,
    pub failed: usize,
    pub deferred: usize,
    /// When the next queued message is due, if any.
    pub next_due: Option<UtcMillis>,
}

impl PassReport {
    /// Whether anything the UI shows changed.
    pub fn changed(&self) -> bool {
        self.sent + self.retried + self.failed > 0
    }
}

/// The sender's state: a store connection, the channels, the clock and the limits.
pub struct OutboxSender {
    pub store: Store,
    pub deliver: Arc<dyn Deliver>,
    pub clock: Arc<dyn Clock>,
    pub limiter: RateLimiter,
    pub backoff: Backoff,
    rng: Rng,
    /// How many messages a pass claims at once.
    pub batch: usize,
}

impl OutboxSender {
    /// A sender over `store`; recovers messages a crash left `sending`.
    pub fn new(mut store: Store, deliver: Arc<dyn Deliver>, clock: Arc<dyn Clock>) -> Result<Self> {
        store.recover_interrupted_sends(clock.now())?;
        Ok(OutboxSender {
            store,
            deliver,
            clock,
            limiter: RateLimiter::standard(),
            backoff: Backoff::default(),
            rng: Rng::new(0x7e4d),
            batch: 50,
        })
    }

    /// Sends everything due now, batch by batch, and says when the next message is due.
    pub fn pass(&mut self) -> Result<PassReport> {
        let mut report = PassReport::default();
        loop {
            let now = self.clock.now();
            let batch = self.store.claim_due(now, self.batch)?;
            if batch.is_empty() {
                break;
            }
            let mut progressed = false;
            for m in batch {
                let wait = self.limiter.wait(m.channel, &m.recipient, self.clock.now());
                if wait > 1000 {
                    // This chat has to wait: let other chats go first.
                    let now = self.clock.now();
                    self.store.release(&m.id, now + wait, now)?;
                    report.deferred += 1;
                    continue;
                }
                if wait > 0 {
                    self.clock.sleep(wait);
                }
                self.send_one(&m, &mut report)?;
                progressed = true;
            }
            if !progressed {
                break;
            }
        }
        report.next_due = self.store.next_due_at()?;
        Ok(report)
    }

    fn send_one(&mut self, m: &OutboxMessage, report: &mut PassReport) -> Result<()> {
        let outcome = self.deliver.deliver(m);
        let now = self.clock.now();
        self.limiter.record(m.channel, &m.recipient, now);
        match outcome {
            Delivery::Sent { provider_id } => {
                self.store.mark_sent(&m.id, provider_id.as_deref(), now)?;
                // A send got through: anything waiting only for the network can go now.
                self.store.retry_offline_now(now)?;
                report.sent += 1;
            }
            Delivery::Retry {
                reason,
                after_ms,
                offline,
            } => {
                if !offline && m.attempts >= self.backoff.max_attempts {
                    self.store.mark_failed(
                        &m.id,
                        &format!("gave up after {} attempts: {reason}", m.attempts),
                        None,
                        now,
                    )?;
                    report.failed += 1;
                } else {
                    let delay = match after_ms {
                        Some(ms) => ms + self.rng.below(500) as i64,
                        None => self.backoff.delay(m.attempts, offline, &mut self.rng),
                    };
                    let hint = offline.then_some(ErrorHint::Offline);
                    self.store
                        .mark_retry(&m.id, &reason, hint, now + delay, now)?;
                    report.retried += 1;
                }
            }
            Delivery::Failed { reason, hint } => {
                self.store.mark_failed(&m.id, &reason, hint, now)?;
                report.failed += 1;
            }
        }
        Ok(())
    }
}

/// Messages to the sender thread.
pub enum Command {
    /// Something changed (a new message, a retry, the network is back): look now.
    Wake,
    /// Use these channels from now on (settings changed).
    Reload(Arc<dyn Deliver>),
    /// Finish and return.
    Stop,
}

/// A running sender thread.
pub struct SenderHandle {
    tx: ChannelTx<Command>,
    thread: Option<JoinHandle<()>>,
}

impl SenderHandle {
    /// Asks the thread to look at the outbox now.
    pub fn wake(&self) {
        let _ = self.tx.send(Command::Wake);
    }

    /// Gives the thread new channels.
    pub fn reload(&self, deliver: Arc<dyn Deliver>) {
        let _ = self.tx.send(Command::Reload(deliver));
    }

    /// Stops the thread and waits for it.
    pub fn stop(mut self) {
        let _ = self.tx.send(Command::Stop);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// The longest the thread sleeps without looking (a safety net for missed wake-ups and clock
/// jumps, e.g. after the laptop slept).
const MAX_SLEEP_MS: i64 = 30_000;

/// Starts the sender on its own thread. `on_change` is called after every pass that changed
/// something the UI shows; `on_error` receives errors the loop could not handle (they are also
/// retried on the next pass).
pub fn spawn(
    mut sender: OutboxSender,
    on_change: Box<dyn Fn(&PassReport) + Send>,
    on_error: Box<dyn Fn(&crate::Error) + Send>,
) -> SenderHandle {
    let (tx, rx): (ChannelTx<Command>, Receiver<Command>) = mpsc::channel();
    let thread = std::thread::Builder::new()
        .name("tend-outbox".into())
        .spawn(move || loop {
            let wait = match sender.pass() {
                Ok(report) => {
                    if report.changed() {
                        on_change(&report);
                    }
                    let now = sender.clock.now();
                    report
                        .next_due
                        .map(|due| (due - now).clamp(0, MAX_SLEEP_MS))
                        .unwrap_or(MAX_SLEEP_MS)
                }
                Err(e) => {
                    on_error(&e);
                    5_000
                }
            };
            match rx.recv_timeout(Duration::from_millis(wait as u64)) {
                Ok(Command::Wake) | Err(RecvTimeoutError::Timeout) => {}
                Ok(Command::Reload(d)) => sender.deliver = d,
                Ok(Command::Stop) | Err(RecvTimeoutError::Disconnected) => return,
            }
        })
        .expect("the outbox thread starts");
    SenderHandle {
        tx,
        thread: Some(thread),
    }
}
