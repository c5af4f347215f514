//! Delivery: one pass over the outbox sends the due messages, honours rate limits, and retries
//! transient failures with capped exponential backoff and jitter. The loop that runs passes
//! (sleeping until the next message is due or it is woken) is `workers::outbox`.
//!
//! It owns its own `Store` connection and a `Deliver` (the real channels, or a test double), and
//! reads time from a `Clock`, so tests run hours of retries in milliseconds.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use crate::base::clock::Clock;
use crate::base::error::Result;
use crate::base::ids::OutboxId;
use crate::base::rng::Rng;
use crate::base::time::UtcMillis;
use crate::db::effects::Effects;
use crate::db::store::Store;
use crate::messaging::channels::{Deliver, Delivery};
use crate::messaging::outbox::{ErrorHint, OutboxMessage, SendChannel};
use crate::messaging::zalo_routing::falls_through;

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
        // The clock may be set back (a corrected system time): no wait is ever longer than the
        // window it comes from, and sends that now look "in the future" no longer count in
        // the overall window, so a correction cannot hold chats for as long as it moved the time.
        let mut wait = 0;
        if let Some(last) = self.last_to.get(&(channel, recipient.to_string())) {
            wait = wait.max((last + limit.per_chat_ms - now).min(limit.per_chat_ms));
        }
        let window = self.recent.entry(channel).or_default();
        window.retain(|t| *t > now - 1000 && *t <= now);
        if window.len() >= limit.global_per_s as usize {
            if let Some(oldest) = window.iter().min() {
                wait = wait.max((oldest + 1000 - now).min(1000));
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
    /// Sends whose outcome is unknown, left for the salesperson.
    pub unknown: usize,
    pub deferred: usize,
    /// When the next queued message is due, if any.
    pub next_due: Option<UtcMillis>,
}

impl PassReport {
    /// Whether anything the UI shows changed.
    pub fn changed(&self) -> bool {
        self.sent + self.retried + self.failed + self.unknown > 0
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
    /// Set when the app quits: the pass finishes the send in flight and releases the rest of
    /// what it claimed, so nothing is left `sending`.
    pub stop_requested: Arc<AtomicBool>,
    /// Messages claimed by the current pass and not yet handed to a channel: if the pass fails
    /// or panics, these are given back (nothing was sent), while the one in flight is left to
    /// crash recovery (its outcome is unknown).
    unsent: Vec<OutboxId>,
}

impl OutboxSender {
    /// A sender over `store`; recovers messages a crash left `sending`.
    pub fn new(mut store: Store, deliver: Arc<dyn Deliver>, clock: Arc<dyn Clock>) -> Result<Self> {
        // Claims and sent/failed marks must survive a power cut, or a message goes out twice.
        store.make_commits_durable()?;
        store.recover_interrupted_sends(clock.now())?;
        Ok(OutboxSender {
            store,
            deliver,
            clock,
            limiter: RateLimiter::standard(),
            backoff: Backoff::default(),
            rng: Rng::new(0x7e4d),
            batch: 50,
            stop_requested: Arc::new(AtomicBool::new(false)),
            unsent: Vec::new(),
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
            self.unsent = batch.iter().map(|m| m.id.clone()).collect();
            for m in batch {
                self.unsent.retain(|id| *id != m.id);
                if self.stop_requested.load(Ordering::SeqCst) {
                    // Quitting: give the message back, due as it was, untouched.
                    let now = self.clock.now();
                    self.store.release(&m.id, now, now)?;
                    continue;
                }
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
            if !progressed || self.stop_requested.load(Ordering::SeqCst) {
                break;
            }
        }
        report.next_due = self.store.next_due_at()?;
        if report.changed() {
            self.store.record(Effects::DATA_CHANGED);
        }
        Ok(report)
    }

    /// After a pass that failed or panicked: gives back what it claimed and never handed to a
    /// channel, and marks a message caught mid-send as needing the salesperson (it may have
    /// gone out), exactly as after a crash.
    pub fn recover_after_failure(&mut self) -> Result<()> {
        let now = self.clock.now();
        for id in std::mem::take(&mut self.unsent) {
            self.store.release(&id, now, now)?;
        }
        self.store.recover_interrupted_sends(now)?;
        Ok(())
    }

    fn send_one(&mut self, m: &OutboxMessage, report: &mut PassReport) -> Result<()> {
        // A Zalo (automatic) message takes the cheapest route open at this moment.
        let routed;
        let m = if m.channel == SendChannel::ZaloAuto {
            routed = self.store.take_zalo_route(m, self.clock.now())?;
            &routed
        } else {
            m
        };
        let outcome = self.deliver.deliver(m);
        let now = self.clock.now();
        self.limiter.record(m.channel, &m.recipient, now);
        match outcome {
            Delivery::Sent { provider_id } => {
                if m.channel == SendChannel::ZaloAuto {
                    self.store.mark_zalo_sent(m, provider_id.as_deref(), now)?;
                } else {
                    self.store.mark_sent(&m.id, provider_id.as_deref(), now)?;
                }
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
            Delivery::Failed { reason, hint } => match m.route {
                Some(route) if m.channel == SendChannel::ZaloAuto && falls_through(route, hint) => {
                    // Never this route again for this message: the next one, at once.
                    self.store.fall_to_next_route(&m.id, route, &reason, now)?;
                    report.retried += 1;
                }
                _ => {
                    self.store.mark_failed(&m.id, &reason, hint, now)?;
                    report.failed += 1;
                }
            },
            Delivery::Unknown { reason } => {
                self.store.mark_unknown(&m.id, &reason, now)?;
                report.unknown += 1;
            }
        }
        Ok(())
    }
}
