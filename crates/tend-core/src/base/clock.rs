//! The clock, injected: the wall clock in the app, a clock tests move by hand.

use std::sync::Mutex;
use std::time::Duration;

use crate::base::time::UtcMillis;

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
        crate::base::time::system_now()
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
