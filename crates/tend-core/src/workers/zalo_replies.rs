//! The Zalo worker: reads customers' Zalo replies (see `app::zalo`) while Tend is open and a
//! Zalo OA is set up. It reads every 20 s after something came in, and waits twice as long after
//! each quiet read, up to 5 minutes; Zalo's rate limit (-32) sends it straight to the longest
//! wait. `ReadNow` (the settings saved, "check now") reads at the next pass; `ReadSoon` (a
//! message was queued: a reply may follow) brings the wait back to 20 s.

use std::sync::Arc;

use crate::app::zalo::ZaloPollReport;
use crate::base::error::Result;
use crate::base::time::UtcMillis;
use crate::db::effects::Effects;
use crate::db::store::Store;
use crate::messaging::channels::{secret, Channels, Endpoints};
use crate::messaging::secrets::SecretStore;
use crate::workers::worker::Job;

/// The wait after a read that found something.
pub const FAST_POLL_MS: i64 = 20_000;
/// The longest wait between reads.
pub const SLOW_POLL_MS: i64 = 300_000;

/// What the app asks of the reader.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ZaloCommand {
    /// Read at the next pass.
    ReadNow,
    /// Read within the short wait, and often for a while.
    ReadSoon,
}

/// The reply reader over its own store connection.
pub struct ZaloReplies {
    pub store: Store,
    pub endpoints: Endpoints,
    pub secrets: Arc<dyn SecretStore>,
    /// The wait before the next read.
    wait_ms: i64,
    next_poll: UtcMillis,
    last_pass: UtcMillis,
    /// The last read was refused for Zalo's rate limit.
    rate_limited: bool,
}

impl ZaloReplies {
    /// A reader that reads at its first pass.
    pub fn new(store: Store, endpoints: Endpoints, secrets: Arc<dyn SecretStore>) -> Self {
        ZaloReplies {
            store,
            endpoints,
            secrets,
            wait_ms: FAST_POLL_MS,
            next_poll: 0,
            last_pass: 0,
            rate_limited: false,
        }
    }

    /// The wait before the next read, after a read that came to `report`.
    fn wait_after(&self, report: &ZaloPollReport) -> i64 {
        if report.rate_limited {
            SLOW_POLL_MS
        } else if report.found_news() {
            FAST_POLL_MS
        } else {
            (self.wait_ms * 2).min(SLOW_POLL_MS)
        }
    }
}

impl Job for ZaloReplies {
    type Report = ZaloPollReport;
    type Command = ZaloCommand;

    fn pass(&mut self, now: UtcMillis) -> Result<ZaloPollReport> {
        self.last_pass = now;
        if now < self.next_poll {
            return Ok(ZaloPollReport::default());
        }
        let settings = self.store.channel_settings()?;
        let channels = Channels::new(self.endpoints.clone(), settings, self.secrets.clone());
        // No OA set up: nothing to read, and nothing wrong. Looked at again at the slow pace
        // (or at once after a command).
        let has_token = matches!(self.secrets.get(secret::ZALO_ACCESS_TOKEN), Ok(Some(_)));
        let oa = match channels.zalo() {
            Ok(oa) if has_token => oa,
            _ => {
                self.wait_ms = SLOW_POLL_MS;
                self.next_poll = now + SLOW_POLL_MS;
                return Ok(ZaloPollReport::default());
            }
        };
        // A failed read is tried again at the slow pace; the error shows in the worker's health.
        self.next_poll = now + SLOW_POLL_MS;
        let report = self.store.poll_zalo_replies(&oa, now)?;
        self.rate_limited = report.rate_limited;
        self.wait_ms = self.wait_after(&report);
        self.next_poll = now + self.wait_ms;
        Ok(report)
    }

    fn take_effects(&mut self) -> Effects {
        self.store.take_effects()
    }

    fn command(&mut self, command: ZaloCommand) {
        match command {
            ZaloCommand::ReadNow => {
                self.wait_ms = FAST_POLL_MS;
                self.next_poll = 0;
            }
            // Never sooner than Zalo's rate limit asked.
            ZaloCommand::ReadSoon if self.rate_limited => {}
            ZaloCommand::ReadSoon => {
                self.wait_ms = FAST_POLL_MS;
                self.next_poll = self.next_poll.min(self.last_pass + FAST_POLL_MS);
            }
        }
    }

    fn next_due(&self, _report: &ZaloPollReport) -> Option<UtcMillis> {
        Some(self.next_poll)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::messaging::secrets::MemorySecrets;

    #[test]
    fn quiet_reads_wait_longer_news_and_commands_bring_it_back() {
        let store = Store::open_in_memory().unwrap();
        let mut job = ZaloReplies::new(
            store,
            Endpoints::default(),
            Arc::new(MemorySecrets::default()),
        );
        let quiet = ZaloPollReport::default();
        let mut waits = Vec::new();
        for _ in 0..6 {
            job.wait_ms = job.wait_after(&quiet);
            waits.push(job.wait_ms);
        }
        assert_eq!(waits, [40_000, 80_000, 160_000, 300_000, 300_000, 300_000]);
        let news = ZaloPollReport {
            replies: 1,
            ..Default::default()
        };
        assert_eq!(job.wait_after(&news), FAST_POLL_MS);
        let limited = ZaloPollReport {
            rate_limited: true,
            replies: 1,
            ..Default::default()
        };
        assert_eq!(job.wait_after(&limited), SLOW_POLL_MS);
        job.last_pass = 1_000_000;
        job.next_poll = 1_000_000 + SLOW_POLL_MS;
        job.command(ZaloCommand::ReadSoon);
        assert_eq!(
            job.next_poll,
            1_000_000 + FAST_POLL_MS,
            "within the short wait"
        );
        job.command(ZaloCommand::ReadSoon);
        assert_eq!(
            job.next_poll,
            1_000_000 + FAST_POLL_MS,
            "never later for asking twice"
        );
        job.command(ZaloCommand::ReadNow);
        assert_eq!((job.wait_ms, job.next_poll), (FAST_POLL_MS, 0));
        // After Zalo's rate limit, a queued message does not bring the read forward.
        job.rate_limited = true;
        job.next_poll = 1_000_000 + SLOW_POLL_MS;
        job.command(ZaloCommand::ReadSoon);
        assert_eq!(job.next_poll, 1_000_000 + SLOW_POLL_MS);
    }

    #[test]
    fn without_an_oa_it_reads_nothing_and_fails_nothing() {
        let store = Store::open_in_memory().unwrap();
        let mut job = ZaloReplies::new(
            store,
            Endpoints::default(),
            Arc::new(MemorySecrets::default()),
        );
        assert_eq!(job.pass(1_000).unwrap(), ZaloPollReport::default());
        assert_eq!(
            job.next_due(&ZaloPollReport::default()),
            Some(1_000 + SLOW_POLL_MS)
        );
    }
}
