//! When a campaign runs: its days (once, daily, weekly on chosen days, monthly on a day), the
//! time of day, and the send window, on the laptop's calendar. Pure functions: no clock, no
//! database.

use chrono::{Datelike, Days, NaiveDate, NaiveTime};

use crate::base::calendar::Zone;
use crate::base::time::UtcMillis;
use crate::campaigns::model::{Campaign, Repeat};
use crate::care::timing::SendWindow;

/// What the schedule of a campaign is made of.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Schedule {
    pub(crate) repeat: Repeat,
    pub(crate) start_at: Option<UtcMillis>,
    pub(crate) time_min: i64,
    pub(crate) weekdays: i64,
    pub(crate) month_day: i64,
    pub(crate) window: Option<SendWindow>,
}

/// The time of day a recurring campaign runs when none is set: 9:00.
pub(crate) const DEFAULT_TIME_MIN: i64 = 9 * 60;

/// How far back and ahead occurrences are looked for.
const SEARCH_DAYS: u64 = 400;

impl Schedule {
    pub(crate) fn of(c: &Campaign) -> Schedule {
        Schedule {
            repeat: c.repeat,
            start_at: c.start_at,
            time_min: c.time_min.unwrap_or(DEFAULT_TIME_MIN).clamp(0, 1439),
            weekdays: c.weekdays.unwrap_or(0x7f),
            month_day: c.month_day.unwrap_or(1).clamp(1, 31),
            window: window(c.window_start_min, c.window_end_min),
        }
    }

    /// Whether a recurring campaign runs on a local day.
    fn runs_on(&self, day: NaiveDate, zone: &dyn Zone) -> bool {
        if let Some(start) = self.start_at {
            if day < zone.to_local(start).date() {
                return false;
            }
        }
        match self.repeat {
            Repeat::Once => false,
            Repeat::Daily => true,
            Repeat::Weekly => self.weekdays & (1 << day.weekday().num_days_from_monday()) != 0,
            Repeat::Monthly => {
                let last = last_day_of_month(day);
                day.day() as i64 == self.month_day.min(last as i64)
            }
        }
    }

    /// The instant of a recurring run on a local day.
    fn at(&self, day: NaiveDate, zone: &dyn Zone) -> UtcMillis {
        let t = NaiveTime::from_num_seconds_from_midnight_opt((self.time_min * 60) as u32, 0)
            .unwrap_or(NaiveTime::MIN);
        zone.to_utc(day.and_time(t))
    }

    /// The latest run day at or before `now` (its run time has come), if any.
    pub(crate) fn latest_due(&self, zone: &dyn Zone, now: UtcMillis) -> Option<NaiveDate> {
        let today = zone.to_local(now).date();
        (0..SEARCH_DAYS)
            .filter_map(|i| today.checked_sub_days(Days::new(i)))
            .find(|d| self.runs_on(*d, zone) && self.at(*d, zone) <= now)
    }

    /// The first run at or after `t`, on a day after `after` when given.
    pub(crate) fn next_run(
        &self,
        zone: &dyn Zone,
        t: UtcMillis,
        after: Option<NaiveDate>,
    ) -> Option<UtcMillis> {
        let from = zone.to_local(t).date();
        (0..SEARCH_DAYS)
            .filter_map(|i| from.checked_add_days(Days::new(i)))
            .filter(|d| after.is_none_or(|a| *d > a))
            .find(|d| self.runs_on(*d, zone) && self.at(*d, zone) >= t)
            .map(|d| self.at(d, zone))
    }
}

/// The send window of a campaign, every day of the week.
pub(crate) fn window(start: Option<i64>, end: Option<i64>) -> Option<SendWindow> {
    match (start, end) {
        (Some(s), Some(e)) => Some(SendWindow {
            start_min: s.clamp(0, 1439) as u16,
            end_min: e.clamp(1, 1440) as u16,
            days: 0x7f,
        }),
        _ => None,
    }
}

fn last_day_of_month(day: NaiveDate) -> u32 {
    let (y, m) = if day.month() == 12 {
        (day.year() + 1, 1)
    } else {
        (day.year(), day.month() + 1)
    };
    NaiveDate::from_ymd_opt(y, m, 1)
        .and_then(|d| d.pred_opt())
        .map(|d| d.day())
        .unwrap_or(28)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::calendar::FixedZone;

    const ICT: FixedZone = FixedZone(7 * 3600);

    fn local(y: i32, m: u32, d: u32, h: u32, min: u32) -> UtcMillis {
        ICT.to_utc(
            NaiveDate::from_ymd_opt(y, m, d)
                .unwrap()
                .and_hms_opt(h, min, 0)
                .unwrap(),
        )
    }

    fn schedule(repeat: Repeat) -> Schedule {
        Schedule {
            repeat,
            start_at: None,
            time_min: 9 * 60,
            weekdays: 0b001_0101, // Monday, Wednesday, Friday
            month_day: 31,
            window: None,
        }
    }

    #[test]
    fn weekly_runs_on_its_days_at_its_time() {
        let s = schedule(Repeat::Weekly);
        // Sunday 22 November 2026, 10:00: the next run is Monday 9:00.
        let now = local(2026, 11, 22, 10, 0);
        assert_eq!(s.next_run(&ICT, now, None), Some(local(2026, 11, 23, 9, 0)));
        // The latest due is Friday 20.
        assert_eq!(
            s.latest_due(&ICT, now),
            NaiveDate::from_ymd_opt(2026, 11, 20)
        );
    }

    #[test]
    fn monthly_on_the_31st_runs_on_the_last_day_of_shorter_months() {
        let s = schedule(Repeat::Monthly);
        let now = local(2026, 11, 22, 10, 0);
        assert_eq!(s.next_run(&ICT, now, None), Some(local(2026, 11, 30, 9, 0)));
        let feb = local(2027, 2, 1, 0, 0);
        assert_eq!(s.next_run(&ICT, feb, None), Some(local(2027, 2, 28, 9, 0)));
    }

    #[test]
    fn a_day_already_run_is_not_run_again() {
        let s = schedule(Repeat::Daily);
        let now = local(2026, 11, 22, 8, 0);
        let today = NaiveDate::from_ymd_opt(2026, 11, 22);
        assert_eq!(
            s.next_run(&ICT, now, today),
            Some(local(2026, 11, 23, 9, 0))
        );
        assert_eq!(s.next_run(&ICT, now, None), Some(local(2026, 11, 22, 9, 0)));
    }
}
