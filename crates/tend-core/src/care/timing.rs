//! Time arithmetic for care scenarios: the laptop's time zone (injected), send windows, and when a
//! step falls due. Pure functions: no clock, no database.

use chrono::{Datelike, Duration as ChronoDuration, NaiveDate, NaiveTime};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::base::calendar::Zone;
use crate::base::time::UtcMillis;

/// Hours of the day and days of the week when steps may run, in the laptop's time zone.
/// `end_min <= start_min` means the window runs past midnight (e.g. 20:00-08:00).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SendWindow {
    /// Minutes after midnight the window opens (0-1439).
    pub start_min: u16,
    /// Minutes after midnight it closes (1-1440).
    pub end_min: u16,
    /// One bit per weekday the window opens on: Monday = 1, Tuesday = 2, … Sunday = 64.
    pub days: u8,
}

/// Monday to Saturday.
pub const MON_TO_SAT: u8 = 0b0011_1111;

impl SendWindow {
    /// The one-click default the builder offers: 08:00-20:00, Monday to Saturday.
    pub const OFFICE: SendWindow = SendWindow {
        start_min: 8 * 60,
        end_min: 20 * 60,
        days: MON_TO_SAT,
    };

    /// Whether the window is well formed.
    pub fn is_valid(&self) -> bool {
        self.start_min < 1440 && self.end_min <= 1440 && self.end_min > 0 && self.days & 0x7f != 0
    }

    fn opens_on(&self, day: NaiveDate) -> bool {
        self.days & (1 << day.weekday().num_days_from_monday()) != 0
    }

    /// The earliest instant at or after `t` inside the window.
    pub fn next_open(&self, t: UtcMillis, zone: &dyn Zone) -> UtcMillis {
        if !self.is_valid() {
            return t;
        }
        let today = zone.to_local(t).date();
        // From yesterday (a window past midnight may still be open) to a week and a day ahead.
        for offset in -1..=8 {
            let day = today + ChronoDuration::days(offset);
            if !self.opens_on(day) {
                continue;
            }
            let open = day.and_time(minutes(self.start_min));
            let close = if self.end_min > self.start_min {
                day.and_time(NaiveTime::MIN) + ChronoDuration::minutes(self.end_min as i64)
            } else {
                (day + ChronoDuration::days(1)).and_time(NaiveTime::MIN)
                    + ChronoDuration::minutes(self.end_min as i64)
            };
            let (open, close) = (zone.to_utc(open), zone.to_utc(close));
            if t < close {
                return t.max(open);
            }
        }
        t
    }
}

fn minutes(m: u16) -> NaiveTime {
    NaiveTime::from_num_seconds_from_midnight_opt(m as u32 * 60, 0).unwrap_or(NaiveTime::MIN)
}

/// What a step's delay counts from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum DelayFrom {
    /// The enrolment's start (moved by any paused time).
    Start,
    /// The moment the previous step was done (the start, for the first step).
    #[default]
    Previous,
}

/// A step's delay.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Delay {
    pub days: i64,
    pub hours: i64,
    pub minutes: i64,
    pub from: DelayFrom,
}

impl Delay {
    /// The delay in milliseconds.
    pub fn ms(&self) -> i64 {
        ((self.days * 24 + self.hours) * 60 + self.minutes) * 60_000
    }
}

/// When a step falls due, before the send window: its delay after the start or after the
/// previous step.
pub fn raw_due(delay: &Delay, started_at: UtcMillis, last_step_at: Option<UtcMillis>) -> UtcMillis {
    let base = match delay.from {
        DelayFrom::Start => started_at,
        DelayFrom::Previous => last_step_at.unwrap_or(started_at),
    };
    base + delay.ms()
}

/// When a step may run: its raw due time, moved to the window's next opening when there is one.
pub fn due(
    delay: &Delay,
    started_at: UtcMillis,
    last_step_at: Option<UtcMillis>,
    window: Option<&SendWindow>,
    zone: &dyn Zone,
) -> UtcMillis {
    let raw = raw_due(delay, started_at, last_step_at);
    match window {
        Some(w) => w.next_open(raw, zone),
        None => raw,
    }
}
