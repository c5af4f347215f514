//! The local calendar: the laptop's time zone (injected), and the local day as a user reads it.

use chrono::{Days, Duration as ChronoDuration, NaiveDateTime, NaiveTime, TimeZone};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::base::time::UtcMillis;

/// A time zone: the laptop's (`LocalZone`) or a fixed offset in tests.
pub trait Zone: Send + Sync {
    /// The local wall-clock time of an instant.
    fn to_local(&self, t: UtcMillis) -> NaiveDateTime;
    /// The instant of a local wall-clock time (the earlier one when a DST change repeats it, the
    /// first valid one after a DST gap).
    fn to_utc(&self, local: NaiveDateTime) -> UtcMillis;
}

/// The laptop's time zone.
pub struct LocalZone;

impl Zone for LocalZone {
    fn to_local(&self, t: UtcMillis) -> NaiveDateTime {
        chrono::DateTime::from_timestamp_millis(t)
            .map(|d| d.with_timezone(&chrono::Local).naive_local())
            .unwrap_or_default()
    }

    fn to_utc(&self, local: NaiveDateTime) -> UtcMillis {
        let mut probe = local;
        // A local time inside a DST gap does not exist: move forward until one does.
        for _ in 0..24 * 4 {
            if let Some(t) = chrono::Local.from_local_datetime(&probe).earliest() {
                return t.timestamp_millis();
            }
            probe += ChronoDuration::minutes(15);
        }
        local.and_utc().timestamp_millis()
    }
}

/// A fixed offset from UTC, in seconds (Vietnam is +7 h all year).
pub struct FixedZone(pub i32);

impl Zone for FixedZone {
    fn to_local(&self, t: UtcMillis) -> NaiveDateTime {
        chrono::DateTime::from_timestamp_millis(t + self.0 as i64 * 1000)
            .map(|d| d.naive_utc())
            .unwrap_or_default()
    }

    fn to_utc(&self, local: NaiveDateTime) -> UtcMillis {
        local.and_utc().timestamp_millis() - self.0 as i64 * 1000
    }
}

/// The bounds of the Today view, in UTC, from the local calendar.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TodayBounds {
    /// Start of the local today.
    #[ts(type = "number")]
    pub today_start: UtcMillis,
    /// Start of the local tomorrow.
    #[ts(type = "number")]
    pub tomorrow_start: UtcMillis,
    /// End of the look-ahead (start of the local day 8 days from today).
    #[ts(type = "number")]
    pub horizon_end: UtcMillis,
}

/// Today, tomorrow and the end of the 7-day look-ahead as local midnights, in UTC. Days are
/// counted on the local calendar, so a day with a DST change is still one day.
pub fn today_bounds(zone: &dyn Zone, now: UtcMillis) -> TodayBounds {
    let today = zone.to_local(now).date();
    let midnight = |days: u64| -> UtcMillis {
        let date = today.checked_add_days(Days::new(days)).unwrap_or(today);
        zone.to_utc(date.and_time(NaiveTime::MIN))
    };
    TodayBounds {
        today_start: midnight(0),
        tomorrow_start: midnight(1),
        horizon_end: midnight(8),
    }
}

/// The local date of an instant as a Vietnamese user reads it (dd/MM/yyyy): what templates
/// show for `{{today}}`.
pub fn local_date_text(zone: &dyn Zone, t: UtcMillis) -> String {
    zone.to_local(t).format("%d/%m/%Y").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOUR: i64 = 3_600_000;

    #[test]
    fn today_is_the_local_day_of_the_zone() {
        // 2026-11-21 18:30 UTC is already 22 November in Vietnam (UTC+7), still 21st in UTC.
        let now = chrono::NaiveDate::from_ymd_opt(2026, 11, 21)
            .unwrap()
            .and_hms_opt(18, 30, 0)
            .unwrap()
            .and_utc()
            .timestamp_millis();
        let vn = FixedZone(7 * 3600);
        assert_eq!(local_date_text(&vn, now), "22/11/2026");
        assert_eq!(local_date_text(&FixedZone(0), now), "21/11/2026");
        let b = today_bounds(&vn, now);
        // Local midnight of the 22nd in Vietnam is 17:00 UTC on the 21st.
        assert_eq!(b.today_start, now - 90 * 60_000);
        assert_eq!(b.tomorrow_start - b.today_start, 24 * HOUR);
        assert_eq!(b.horizon_end - b.today_start, 8 * 24 * HOUR);
        assert!(b.today_start <= now && now < b.tomorrow_start);
    }
}
