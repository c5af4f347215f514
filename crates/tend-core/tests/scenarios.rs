//! Care scenarios with an injected clock and a fixed time zone (Vietnam, UTC+7): schedules,
//! windows, catch-up, pause/resume, triggers, exactly-once, and a real crash.

use std::sync::Arc;

use chrono::{NaiveDate, NaiveDateTime};
use proptest::prelude::*;

use tend_core::customers::{CustomerInput, SaveOutcome};
use tend_core::ids::{CustomerId, ScenarioId, TemplateId};
use tend_core::interactions::{Direction, InteractionInput, InteractionKind};
use tend_core::outbox::{OutboxQuery, SendChannel};
use tend_core::scenarios::{
    CatchUp, EnrollTarget, EnrollmentStatus, ScenarioInput, StepInput, StepKind, StepOutcome,
    Trigger,
};
use tend_core::schedule::{self, Delay, DelayFrom, FixedZone, SendWindow, Zone, MON_TO_SAT};
use tend_core::templates::{TemplateCategory, TemplateChannel, TemplateInput};
use tend_core::Store;

const VN: FixedZone = FixedZone(7 * 3600);
const MIN: i64 = 60_000;
const HOUR: i64 = 60 * MIN;
const DAY: i64 = 24 * HOUR;

/// A local (Vietnam) wall-clock time as UTC milliseconds. 2026-11-23 is a Monday.
fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> i64 {
    let local: NaiveDateTime = NaiveDate::from_ymd_opt(y, mo, d)
        .unwrap()
        .and_hms_opt(h, mi, 0)
        .unwrap();
    VN.to_utc(local)
}

fn store() -> Store {
    let mut s = Store::open_in_memory().unwrap();
    s.set_zone(Arc::new(FixedZone(7 * 3600)));
    s
}

fn customer(s: &mut Store, name: &str) -> CustomerId {
    let input = CustomerInput {
        full_name: name.into(),
        telegram_id: Some("777".into()),
        ..Default::default()
    };
    match s
        .create_customer(&input, true, at(2026, 11, 1, 9, 0))
        .unwrap()
    {
        SaveOutcome::Saved { customer } => customer.id,
        SaveOutcome::Duplicates { .. } => unreachable!(),
    }
}

fn tg_template(s: &mut Store, body: &str) -> TemplateId {
    s.create_template(
        &TemplateInput {
            name: "Chăm sóc".into(),
            channel: TemplateChannel::Telegram,
            category: TemplateCategory::FollowUp,
            body: body.into(),
            ..Default::default()
        },
        at(2026, 11, 1, 9, 0),
    )
    .unwrap()
    .id
}

fn task(title: &str, d: i64, h: i64, m: i64, from: DelayFrom) -> StepInput {
    StepInput {
        kind: StepKind::Task,
        delay_days: d,
        delay_hours: h,
        delay_minutes: m,
        delay_from: from,
        title: Some(title.into()),
        priority: None,
        due_offset_minutes: None,
        template_id: None,
        channel: None,
    }
}

fn message(t: &TemplateId, d: i64, h: i64, m: i64, from: DelayFrom) -> StepInput {
    StepInput {
        kind: StepKind::Message,
        template_id: Some(t.clone()),
        channel: Some(SendChannel::Telegram),
        title: None,
        ..task("", d, h, m, from)
    }
}

fn scenario(
    s: &mut Store,
    steps: Vec<StepInput>,
    f: impl FnOnce(&mut ScenarioInput),
) -> ScenarioId {
    let mut input = ScenarioInput {
        name: "Chăm sóc khách mới".into(),
        steps,
        ..Default::default()
    };
    f(&mut input);
    s.create_scenario(&input, at(2026, 11, 1, 9, 0)).unwrap().id
}

fn enroll(s: &mut Store, sc: &ScenarioId, c: &CustomerId, now: i64) {
    let r = s
        .enroll(
            sc,
            &EnrollTarget::Customers {
                ids: vec![c.clone()],
            },
            now,
        )
        .unwrap();
    assert_eq!(r.enrolled, 1);
}

fn log_of(s: &Store, c: &CustomerId) -> Vec<(i64, StepOutcome, i64, i64)> {
    let e = &s.customer_enrollments(c).unwrap()[0];
    e.log
        .iter()
        .map(|l| (l.position, l.outcome, l.due_at, l.done_at))
        .collect()
}

// ---------------------------------------------------------------- pure schedule

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
            schedule::raw_due(&delay, start, last),
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

// ---------------------------------------------------------------- scheduler

#[test]
fn steps_run_on_time_and_zero_delay_chains_run_together() {
    let mut s = store();
    let c = customer(&mut s, "Nguyễn Văn Đức");
    let t = tg_template(&mut s, "Chào anh {{customer.given_name}}");
    let sc = scenario(
        &mut s,
        vec![
            message(&t, 0, 0, 0, DelayFrom::Start),
            task("Gọi điện hỏi thăm", 0, 0, 0, DelayFrom::Previous),
            task("Gửi báo giá", 2, 0, 0, DelayFrom::Start),
            message(&t, 0, 1, 0, DelayFrom::Previous),
        ],
        |_| {},
    );
    let start = at(2026, 11, 23, 9, 0);
    enroll(&mut s, &sc, &c, start);
    let r = s.run_due_steps(start, None).unwrap();
    assert_eq!(
        (r.done, r.messages),
        (2, 1),
        "the message and the chained task run at once"
    );
    assert_eq!(r.next_due, Some(start + 2 * DAY));
    assert_eq!(
        s.run_due_steps(start + 2 * DAY - 1, None).unwrap().done,
        0,
        "never before due"
    );
    assert_eq!(s.run_due_steps(start + 2 * DAY, None).unwrap().done, 1);
    let r = s.run_due_steps(start + 2 * DAY + HOUR, None).unwrap();
    assert_eq!((r.done, r.completed), (1, 1));
    let e = &s.customer_enrollments(&c).unwrap()[0];
    assert_eq!(e.status, EnrollmentStatus::Completed);
    assert_eq!(e.log.len(), 4);
    assert!(e.log[0].outbox_id.is_some() && e.log[1].task_id.is_some());
    assert_eq!(s.list_outbox(&OutboxQuery::default()).unwrap().total, 2);
    assert_eq!(s.customer_tasks(&c, false).unwrap().len(), 2);
}

#[test]
fn a_window_holds_steps_until_it_opens() {
    let mut s = store();
    let c = customer(&mut s, "Trần Thị Lan");
    let sc = scenario(
        &mut s,
        vec![task("Gọi lại", 0, 2, 0, DelayFrom::Start)],
        |i| i.window = Some(SendWindow::OFFICE),
    );
    // Enrolled Saturday 19:00: two hours later is 21:00, closed; Sunday closed; Monday 08:00.
    enroll(&mut s, &sc, &c, at(2026, 11, 28, 19, 0));
    let e = &s.customer_enrollments(&c).unwrap()[0];
    assert_eq!(e.next_due_at, Some(at(2026, 11, 30, 8, 0)));
    assert_eq!(
        s.run_due_steps(at(2026, 11, 29, 12, 0), None).unwrap().done,
        0
    );
    assert_eq!(
        s.run_due_steps(at(2026, 11, 30, 8, 0), None).unwrap().done,
        1
    );
}

#[test]
fn catch_up_send_late_or_skip_and_say_so() {
    for (policy, max, want) in [
        (CatchUp::SendLate, None, StepOutcome::Done),
        (CatchUp::SkipLate, Some(6), StepOutcome::Skipped),
        (CatchUp::SkipLate, Some(72), StepOutcome::Done),
    ] {
        let mut s = store();
        let c = customer(&mut s, "Lê Hoa");
        let sc = scenario(
            &mut s,
            vec![task("Hỏi thăm", 1, 0, 0, DelayFrom::Start)],
            |i| {
                i.catch_up = policy;
                i.catch_up_max_hours = max;
            },
        );
        let start = at(2026, 11, 23, 9, 0);
        enroll(&mut s, &sc, &c, start);
        // The laptop was closed for two days past the due time.
        let woke = start + 3 * DAY;
        s.run_due_steps(woke, None).unwrap();
        let log = &s.customer_enrollments(&c).unwrap()[0].log;
        assert_eq!(log[0].outcome, want, "{policy:?} {max:?}");
        assert_eq!(log[0].done_at, woke);
        if want == StepOutcome::Skipped {
            assert!(log[0].detail.as_deref().unwrap().contains("48 hours late"));
            let today = s.scenario_today(woke + DAY, 50).unwrap();
            assert_eq!(
                today.attention.len(),
                1,
                "a skipped step needs the salesperson"
            );
            assert!(s.customer_tasks(&c, false).unwrap().is_empty());
        }
    }
}

#[test]
fn pause_shifts_the_remaining_steps_instead_of_a_burst() {
    let mut s = store();
    let c = customer(&mut s, "Phạm Tuấn");
    let sc = scenario(
        &mut s,
        vec![
            task("Bước 1", 0, 0, 0, DelayFrom::Start),
            task("Bước 2", 1, 0, 0, DelayFrom::Start),
            task("Bước 3", 2, 0, 0, DelayFrom::Start),
        ],
        |_| {},
    );
    let start = at(2026, 11, 23, 9, 0);
    enroll(&mut s, &sc, &c, start);
    s.run_due_steps(start, None).unwrap();
    let e = s.customer_enrollments(&c).unwrap()[0].id.clone();
    s.pause_enrollment(&e, start + HOUR).unwrap();
    // Paused for five days: nothing runs.
    assert_eq!(s.run_due_steps(start + 5 * DAY, None).unwrap().done, 0);
    let resumed = s.resume_enrollment(&e, start + 5 * DAY + HOUR).unwrap();
    // Step 2 was a day after start; the start moved by the five paused days.
    assert_eq!(resumed.next_due_at, Some(start + 6 * DAY));
    assert_eq!(
        s.run_due_steps(start + 5 * DAY + 2 * HOUR, None)
            .unwrap()
            .done,
        0,
        "no burst on resume"
    );
    assert_eq!(s.run_due_steps(start + 6 * DAY, None).unwrap().done, 1);
    assert_eq!(s.run_due_steps(start + 7 * DAY, None).unwrap().done, 1);
}

#[test]
fn an_inbound_interaction_exits_scenarios_that_exit_on_reply() {
    let mut s = store();
    let c = customer(&mut s, "Vũ Khánh");
    let exits = scenario(
        &mut s,
        vec![task("Nhắc", 3, 0, 0, DelayFrom::Start)],
        |i| i.exit_on_reply = true,
    );
    let stays = scenario(
        &mut s,
        vec![task("Nhắc", 3, 0, 0, DelayFrom::Start)],
        |i| i.name = "Giữ".into(),
    );
    let now = at(2026, 11, 23, 9, 0);
    enroll(&mut s, &exits, &c, now);
    enroll(&mut s, &stays, &c, now);
    s.log_interaction(
        &InteractionInput {
            customer_id: c.clone(),
            kind: InteractionKind::Zalo,
            direction: Direction::Inbound,
            subject: None,
            content: Some("Em cảm ơn, để em xem".into()),
            outcome: None,
            duration_minutes: None,
            occurred_at: None,
            next_action: None,
            next_action_date: None,
        },
        now + HOUR,
    )
    .unwrap();
    let mut statuses: Vec<_> = s
        .customer_enrollments(&c)
        .unwrap()
        .into_iter()
        .map(|e| (e.scenario_name, e.status))
        .collect();
    statuses.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(
        statuses,
        [
            ("Chăm sóc khách mới".into(), EnrollmentStatus::Exited),
            ("Giữ".into(), EnrollmentStatus::Active)
        ]
    );
    assert_eq!(
        s.run_due_steps(now + 4 * DAY, None).unwrap().done,
        1,
        "only the scenario that stays runs"
    );
}

#[test]
fn triggers_enrol_new_customers_and_tagged_ones() {
    let mut s = store();
    let welcome = scenario(
        &mut s,
        vec![task("Chào mừng", 0, 0, 0, DelayFrom::Start)],
        |i| i.trigger = Trigger::CustomerCreated,
    );
    let vip = scenario(
        &mut s,
        vec![task("Quà VIP", 0, 0, 0, DelayFrom::Start)],
        |i| {
            i.name = "VIP".into();
            i.trigger = Trigger::TagAdded;
            i.trigger_tag = Some("VIP".into());
        },
    );
    let c = customer(&mut s, "Đỗ Khoa");
    assert_eq!(s.get_scenario(&welcome).unwrap().enrolled_live, 1);
    assert_eq!(s.get_scenario(&vip).unwrap().enrolled_live, 0);
    let mut input = CustomerInput {
        full_name: "Đỗ Khoa".into(),
        telegram_id: Some("777".into()),
        ..Default::default()
    };
    input.tags = vec!["vip".into()];
    s.update_customer(&c, &input, true, at(2026, 11, 2, 9, 0))
        .unwrap();
    assert_eq!(s.get_scenario(&vip).unwrap().enrolled_live, 1);
    // Saving again with the same tag does not enrol twice.
    s.update_customer(&c, &input, true, at(2026, 11, 2, 10, 0))
        .unwrap();
    assert_eq!(s.get_scenario(&vip).unwrap().enrolled_total, 1);
}

#[test]
fn one_live_enrolment_per_customer_and_scenario_and_bulk_by_tag() {
    let mut s = store();
    let sc = scenario(&mut s, vec![task("Gọi", 1, 0, 0, DelayFrom::Start)], |_| {});
    let mut ids = Vec::new();
    for i in 0..5 {
        let input = CustomerInput {
            full_name: format!("Khách {i}"),
            tags: vec!["Hội chợ".into()],
            ..Default::default()
        };
        if let SaveOutcome::Saved { customer } = s.create_customer(&input, true, 0).unwrap() {
            ids.push(customer.id);
        }
    }
    let tag = s.list_tags().unwrap()[0].id.clone();
    let now = at(2026, 11, 23, 9, 0);
    let r = s
        .enroll(
            &sc,
            &EnrollTarget::Customers {
                ids: ids[..2].to_vec(),
            },
            now,
        )
        .unwrap();
    assert_eq!((r.enrolled, r.already), (2, 0));
    let r = s
        .enroll(&sc, &EnrollTarget::Tag { tag_id: tag }, now)
        .unwrap();
    assert_eq!((r.enrolled, r.already), (3, 2));
    // Deleting a scenario with live enrolments is refused until they are cancelled.
    assert_eq!(
        s.delete_scenario(&sc).unwrap_err().code(),
        tend_core::ErrorCode::Conflict
    );
    assert_eq!(s.cancel_scenario_enrollments(&sc, now).unwrap(), 5);
    s.delete_scenario(&sc).unwrap();
}

#[test]
fn editing_keeps_done_steps_and_future_steps_follow_the_new_definition() {
    let mut s = store();
    let c = customer(&mut s, "Hồ Tâm");
    let steps = vec![
        task("Một", 0, 0, 0, DelayFrom::Start),
        task("Hai", 1, 0, 0, DelayFrom::Start),
    ];
    let sc = scenario(&mut s, steps, |_| {});
    let start = at(2026, 11, 23, 9, 0);
    enroll(&mut s, &sc, &c, start);
    s.run_due_steps(start, None).unwrap();
    let new_steps = vec![
        task("Một", 0, 0, 0, DelayFrom::Start),
        task("Hai (mới)", 0, 3, 0, DelayFrom::Start),
        task("Ba", 1, 0, 0, DelayFrom::Start),
    ];
    s.update_scenario(
        &sc,
        &ScenarioInput {
            name: "Sửa".into(),
            steps: new_steps,
            ..Default::default()
        },
        start + HOUR,
    )
    .unwrap();
    let e = &s.customer_enrollments(&c).unwrap()[0];
    assert_eq!(e.log.len(), 1, "the done step stays done");
    assert_eq!(
        e.next_due_at,
        Some(start + 3 * HOUR),
        "the next step follows the new delay"
    );
    s.run_due_steps(start + DAY, None).unwrap();
    let titles: Vec<_> = s
        .customer_tasks(&c, true)
        .unwrap()
        .into_iter()
        .map(|t| t.title)
        .collect();
    assert_eq!(titles.len(), 3);
    assert!(titles.contains(&"Hai (mới)".to_string()) && titles.contains(&"Ba".to_string()));
}

#[test]
fn the_plan_shows_times_and_flags_missing_variables_before_enrolling() {
    let mut s = store();
    let c = customer(&mut s, "Bùi Yến");
    let t = tg_template(
        &mut s,
        "Chị {{customer.given_name}} ơi, email {{customer.email}}",
    );
    let sc = scenario(
        &mut s,
        vec![
            message(&t, 0, 0, 0, DelayFrom::Start),
            task("Gọi", 0, 2, 0, DelayFrom::Previous),
        ],
        |i| i.window = Some(SendWindow::OFFICE),
    );
    let now = at(2026, 11, 23, 19, 0);
    let plan = s.plan(&sc, &c, now).unwrap();
    assert_eq!(plan[0].due_at, now);
    assert_eq!(
        plan[1].due_at,
        at(2026, 11, 24, 8, 0),
        "21:00 is outside the window"
    );
    assert!(plan[0]
        .problem
        .as_deref()
        .unwrap()
        .contains("{{customer.email}}"));
    assert!(plan[0]
        .rendered
        .as_ref()
        .unwrap()
        .text
        .starts_with("Chị Yến ơi"));
    // Enrolled anyway, the step fails visibly instead of sending a hole.
    enroll(&mut s, &sc, &c, now);
    let r = s.run_due_steps(now, None).unwrap();
    assert_eq!(r.failed, 1);
    assert_eq!(s.list_outbox(&OutboxQuery::default()).unwrap().total, 0);
    assert_eq!(s.scenario_today(now + DAY, 50).unwrap().attention.len(), 1);
}

#[test]
fn a_clock_jumping_backwards_runs_nothing_twice() {
    let mut s = store();
    let c = customer(&mut s, "Ngô Châu");
    let sc = scenario(
        &mut s,
        vec![
            task("A", 0, 0, 0, DelayFrom::Start),
            task("B", 0, 1, 0, DelayFrom::Previous),
        ],
        |_| {},
    );
    let start = at(2026, 11, 23, 9, 0);
    enroll(&mut s, &sc, &c, start);
    s.run_due_steps(start + 5 * MIN, None).unwrap();
    // The clock is corrected two hours back: A is not redone, B is not early.
    assert_eq!(s.run_due_steps(start - 2 * HOUR, None).unwrap().done, 0);
    assert_eq!(
        s.run_due_steps(start + HOUR, None).unwrap().done,
        0,
        "B is an hour after A was done"
    );
    assert_eq!(
        s.run_due_steps(start + HOUR + 5 * MIN, None).unwrap().done,
        1
    );
    assert_eq!(log_of(&s, &c).len(), 2);
}

// ---------------------------------------------------------------- property

fn arb_step() -> impl Strategy<Value = (u8, i64, i64, i64, bool)> {
    (0u8..2, 0i64..3, 0i64..30, 0i64..120, any::<bool>())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, .. ProptestConfig::default() })]

    /// For random scenarios and random wake-up times (including backwards jumps), every step runs
    /// exactly once, in order, never before it is due.
    #[test]
    fn every_step_once_in_order_never_early(
        steps in prop::collection::vec(arb_step(), 1..6),
        wakes in prop::collection::vec(-3 * HOUR..2 * DAY, 1..40),
        window in any::<bool>(),
    ) {
        let mut s = store();
        let c = customer(&mut s, "Khách Thử");
        let inputs: Vec<StepInput> = steps
            .iter()
            .enumerate()
            .map(|(i, (kind, d, h, m, from_start))| {
                let from = if *from_start { DelayFrom::Start } else { DelayFrom::Previous };
                let mut st = task(&format!("Bước {i}"), *d, *h, *m, from);
                if *kind == 1 {
                    st.kind = StepKind::Notification;
                }
                st
            })
            .collect();
        let sc = scenario(&mut s, inputs, |i| {
            if window {
                i.window = Some(SendWindow::OFFICE);
            }
        });
        let start = at(2026, 11, 23, 9, 0);
        enroll(&mut s, &sc, &c, start);
        let mut now = start;
        for step in &wakes {
            now += step;
            s.run_due_steps(now, None).unwrap();
        }
        // Then run to the end.
        for _ in 0..40 {
            match s.next_step_due_at().unwrap() {
                Some(due) => { now = now.max(due); s.run_due_steps(now, None).unwrap(); }
                None => break,
            }
        }
        let log = log_of(&s, &c);
        prop_assert_eq!(log.len(), steps.len(), "every step ran once");
        for (i, (pos, outcome, due, done)) in log.iter().enumerate() {
            prop_assert_eq!(*pos, i as i64, "in order");
            prop_assert_eq!(*outcome, StepOutcome::Done);
            prop_assert!(done >= due, "step {} ran at {} before it was due at {}", i, done, due);
            if window {
                prop_assert_eq!(SendWindow::OFFICE.next_open(*done, &VN), *done, "inside the window");
            }
        }
        for w in log.windows(2) {
            prop_assert!(w[1].3 >= w[0].3, "done in order");
        }
    }
}

// ---------------------------------------------------------------- crash

/// The child half of `a_crash_before_commit_does_every_step_exactly_once`.
#[test]
fn child_scheduler_that_dies_before_commit() {
    let Ok(dir) = std::env::var("TEND_CHILD_SCHEDULER_DIR") else {
        return;
    };
    let now: i64 = std::env::var("TEND_CHILD_NOW").unwrap().parse().unwrap();
    let mut s = Store::open_dir(std::path::Path::new(&dir)).unwrap();
    s.set_zone(Arc::new(FixedZone(7 * 3600)));
    // The effects of the due steps are written; the process dies before they commit.
    let die = |_: &tend_core::ids::EnrollmentId| std::process::abort();
    s.run_due_steps(now, Some(&die)).unwrap();
}

#[test]
fn a_crash_before_commit_does_every_step_exactly_once() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open_dir(dir.path()).unwrap();
    s.set_zone(Arc::new(FixedZone(7 * 3600)));
    let c = customer(&mut s, "Lý Mỹ");
    let t = tg_template(&mut s, "Chào {{customer.given_name}}");
    let sc = scenario(
        &mut s,
        vec![
            message(&t, 0, 0, 0, DelayFrom::Start),
            task("Gọi lại", 0, 0, 0, DelayFrom::Previous),
        ],
        |_| {},
    );
    let now = at(2026, 11, 23, 9, 0);
    enroll(&mut s, &sc, &c, now);
    let status = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "child_scheduler_that_dies_before_commit",
            "--nocapture",
        ])
        .env("TEND_CHILD_SCHEDULER_DIR", dir.path())
        .env("TEND_CHILD_NOW", now.to_string())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .unwrap();
    assert!(!status.success(), "the child died mid-pass");
    // Nothing of the half-done pass is visible.
    assert_eq!(s.list_outbox(&OutboxQuery::default()).unwrap().total, 0);
    assert!(s.customer_tasks(&c, true).unwrap().is_empty());
    // Restarted, the scheduler does both steps, once.
    let r = s.run_due_steps(now + MIN, None).unwrap();
    assert_eq!(r.done, 2);
    assert_eq!(s.run_due_steps(now + DAY, None).unwrap().done, 0);
    assert_eq!(s.list_outbox(&OutboxQuery::default()).unwrap().total, 1);
    assert_eq!(s.customer_tasks(&c, true).unwrap().len(), 1);
    assert_eq!(log_of(&s, &c).len(), 2);
}
