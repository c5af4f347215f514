//! Pure step timing: delays from the start or the previous step, send windows across midnight and weekends.

use tend_core::base::calendar::Zone;
use tend_core::care::timing::{self, Delay, DelayFrom, SendWindow, MON_TO_SAT};

use crate::support::care::*;

#[test]
fn delays_from_start_and_from_previous() {
    let start = at(2026, 11, 23, 10, 0);
    let cases = [
        (
            Delay {
                days: 0,
                hours: 0,
                minutes: 0,
                from: DelayFrom::Start,
            },
            None,
            start,
        ),
        (
            Delay {
                days: 2,
                hours: 0,
                minutes: 0,
                from: DelayFrom::Start,
            },
            Some(start + 5 * DAY),
            start + 2 * DAY,
        ),
        (
            Delay {
                days: 0,
                hours: 3,
                minutes: 30,
                from: DelayFrom::Previous,
            },
            Some(start + DAY),
            start + DAY + 3 * HOUR + 30 * MIN,
        ),
        (
            Delay {
                days: 1,
                hours: 0,
                minutes: 0,
                from: DelayFrom::Previous,
            },
            None,
            start + DAY,
        ),
    ];
    for (delay, last, want) in cases {
        assert_eq!(
            timing::raw_due(&delay, start, last),
            want,
            "{delay:?} after {last:?}"
        );
    }
}

#[test]
fn send_windows_across_midnight_and_weekends() {
    let office = SendWindow::OFFICE; // 08:00-20:00, Monday-Saturday
    let night = SendWindow {
        start_min: 22 * 60,
        end_min: 6 * 60,
        days: 0x7f,
    }; // 22:00-06:00 every day
    let cases = [
        // (window, asked, expected)
        (office, at(2026, 11, 23, 10, 0), at(2026, 11, 23, 10, 0)), // Monday 10:00: open
        (office, at(2026, 11, 23, 7, 59), at(2026, 11, 23, 8, 0)),  // before opening
        (office, at(2026, 11, 23, 20, 0), at(2026, 11, 24, 8, 0)),  // at closing: next morning
        (office, at(2026, 11, 28, 21, 0), at(2026, 11, 30, 8, 0)),  // Saturday night: Monday
        (office, at(2026, 11, 29, 12, 0), at(2026, 11, 30, 8, 0)),  // Sunday noon: Monday
        (night, at(2026, 11, 23, 23, 0), at(2026, 11, 23, 23, 0)),  // inside, before midnight
        (night, at(2026, 11, 24, 3, 0), at(2026, 11, 24, 3, 0)),    // inside, after midnight
        (night, at(2026, 11, 24, 6, 0), at(2026, 11, 24, 22, 0)),   // closed at 06:00
        (night, at(2026, 11, 24, 12, 0), at(2026, 11, 24, 22, 0)),
    ];
    for (w, asked, want) in cases {
        assert_eq!(
            w.next_open(asked, &VN),
            want,
            "{w:?} at {}",
            VN.to_local(asked)
        );
    }
    let weekdays_night = SendWindow {
        start_min: 22 * 60,
        end_min: 6 * 60,
        days: MON_TO_SAT,
    };
    // Saturday 23:00 is inside Saturday's window, which runs into Sunday morning.
    assert_eq!(
        weekdays_night.next_open(at(2026, 11, 29, 2, 0), &VN),
        at(2026, 11, 29, 2, 0)
    );
    // Sunday 23:00 is not: Sunday has no window; next is Monday 22:00.
    assert_eq!(
        weekdays_night.next_open(at(2026, 11, 29, 23, 0), &VN),
        at(2026, 11, 30, 22, 0)
    );
}
