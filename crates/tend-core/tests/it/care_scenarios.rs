//! Care scenarios run by the step runner: timing, windows, catch-up, pause, exit on reply, triggers, edits, the plan, clock jumps.

use tend_core::base::ids::CustomerId;
use tend_core::care::model::{
    CatchUp, EnrollTarget, EnrollmentStatus, ScenarioInput, StepInput, StepOutcome, Trigger,
};
use tend_core::care::timing::{DelayFrom, SendWindow};
use tend_core::crm::customers::{CustomerInput, SaveOutcome};
use tend_core::crm::interactions::{Direction, InteractionInput, InteractionKind};
use tend_core::messaging::outbox::{OutboxQuery, OutboxStatus};
use tend_core::Store;

use crate::support::care::*;

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
            complete_task_id: None,
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
    // The builder sends saved steps back with their ids; "Hai" is replaced by a new step.
    let saved = s.get_scenario(&sc).unwrap();
    let new_steps = vec![
        StepInput {
            id: Some(saved.steps[0].id.clone()),
            ..task("Một", 0, 0, 0, DelayFrom::Start)
        },
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

#[test]
fn out_of_range_scenario_numbers_are_field_errors_not_overflows() {
    let mut s = store();
    let huge_hours = task("Gọi", 0, 3_000_000_000_000, 0, DelayFrom::Start);
    let ten_years_in_minutes = task("Gọi", 0, 0, 3651 * 24 * 60, DelayFrom::Start);
    let far_offset = StepInput {
        due_offset_minutes: Some(i64::MAX),
        ..task("Gọi", 1, 0, 0, DelayFrom::Start)
    };
    for (step, key) in [
        (huge_hours, "step.delay_too_long"),
        (ten_years_in_minutes, "step.delay_too_long"),
        (far_offset, "step.due_offset_out_of_range"),
    ] {
        let input = ScenarioInput {
            name: "Quá dài".into(),
            steps: vec![step],
            ..Default::default()
        };
        let e = s
            .create_scenario(&input, at(2026, 11, 1, 9, 0))
            .unwrap_err();
        assert_eq!(e.key(), key, "{e}");
        assert_eq!(e.field_name(), Some("steps"));
        assert_eq!(e.param("step").as_deref(), Some("1"));
    }
    let late = ScenarioInput {
        name: "Bỏ qua khi trễ".into(),
        steps: vec![task("Gọi", 1, 0, 0, DelayFrom::Start)],
        catch_up: CatchUp::SkipLate,
        catch_up_max_hours: Some(i64::MAX),
        ..Default::default()
    };
    let e = s.create_scenario(&late, at(2026, 11, 1, 9, 0)).unwrap_err();
    assert_eq!(e.key(), "scenario.catch_up_hours_out_of_range");
    assert_eq!(e.field_name(), Some("catch_up_max_hours"));
    assert!(s.list_scenarios().unwrap().is_empty(), "nothing was saved");
}

#[test]
fn one_poisoned_enrolment_never_stops_the_others() {
    let mut s = store();
    // The body renders empty for a customer without a company: Handlebars' strict mode does not
    // flag a helper's argument, so this is only found when the step runs.
    let t = tg_template(
        &mut s,
        "{{#if customer.company}}Chào {{customer.company}}{{/if}}",
    );
    let sc = scenario(&mut s, vec![message(&t, 0, 0, 0, DelayFrom::Start)], |_| {});
    let start = at(2026, 11, 23, 9, 0);
    // The poisoned enrolment is the earliest due, so it is the first of the first batch.
    let poisoned = customer(&mut s, "Không Công Ty");
    enroll(&mut s, &sc, &poisoned, start - 60_000);
    let mut others = Vec::new();
    for i in 0..1000 {
        let c = customer_with(&mut s, &format!("Khách {i}"), start, |c| {
            c.telegram_id = Some(format!("{}", 10_000 + i));
            c.company_name = Some(format!("Cửa hàng {i}"));
        });
        enroll(&mut s, &sc, &c, start);
        others.push(c);
    }
    let report = s.run_due_steps(start + 60_000, None).unwrap();
    assert_eq!(report.failed, 1, "the poisoned step is a recorded failure");
    assert_eq!(
        report.messages, 1000,
        "the 1,000 others all ran in the same pass"
    );
    for c in [&others[0], &others[999]] {
        let e = &s.customer_enrollments(c).unwrap()[0];
        assert_eq!(e.status, EnrollmentStatus::Completed);
    }
    let e = &s.customer_enrollments(&poisoned).unwrap()[0];
    assert_eq!(e.log.len(), 1);
    assert_eq!(e.log[0].outcome, StepOutcome::Failed);
    assert!(
        e.log[0].detail.as_deref().unwrap_or("").contains("empty"),
        "the reason is clear: {:?}",
        e.log[0].detail
    );
    let today = s.scenario_today(start + DAY, 50).unwrap();
    assert_eq!(today.attention.len(), 1, "it needs the salesperson");
}

#[test]
fn a_step_that_errors_is_recorded_as_failed_and_the_batch_goes_on() {
    let mut s = store();
    let sc = scenario(
        &mut s,
        vec![
            task("Gọi hỏi thăm", 0, 0, 0, DelayFrom::Start),
            task("Gọi lại", 1, 0, 0, DelayFrom::Previous),
        ],
        |_| {},
    );
    let start = at(2026, 11, 23, 9, 0);
    let refused = customer(&mut s, "Bị Từ Chối");
    let fine = customer(&mut s, "Bình Thường");
    enroll(&mut s, &sc, &refused, start - 60_000);
    enroll(&mut s, &sc, &fine, start);
    // The database refuses this one customer's task, as a full disk or a corrupt row would.
    s.connection()
        .execute_batch(&format!(
            "CREATE TRIGGER refuse BEFORE INSERT ON tasks WHEN NEW.customer_id = '{}'
             BEGIN SELECT RAISE(ABORT, 'refused'); END;",
            refused.0
        ))
        .unwrap();
    let report = s.run_due_steps(start + 60_000, None).unwrap();
    assert_eq!(report.done, 1, "the other enrolment ran");
    assert_eq!(report.failed, 1);
    let e = &s.customer_enrollments(&refused).unwrap()[0];
    assert_eq!(e.log[0].outcome, StepOutcome::Failed);
    assert!(
        e.log[0].detail.as_deref().unwrap().contains("refused"),
        "{:?}",
        e.log[0]
    );
    assert_eq!(
        e.status,
        EnrollmentStatus::Active,
        "it moves on to its next step"
    );
    assert_eq!(e.next_position, 1);
    assert!(
        s.customer_tasks(&refused, false).unwrap().is_empty(),
        "nothing half-written"
    );
    assert_eq!(s.customer_tasks(&fine, false).unwrap().len(), 1);
    // The next pass does not trip over it again.
    let again = s.run_due_steps(start + 2 * 60_000, None).unwrap();
    assert_eq!(again.failed, 0);
}

/// The statuses of a customer's outbox rows, oldest first.
fn outbox_statuses(s: &Store, c: &CustomerId) -> Vec<OutboxStatus> {
    let mut rows = s
        .list_outbox(&OutboxQuery {
            status: None,
            customer_id: Some(c.clone()),
            offset: 0,
            limit: 100,
        })
        .unwrap()
        .items;
    rows.sort_by_key(|m| m.created_at);
    rows.into_iter().map(|m| m.status).collect()
}

/// A customer enrolled in "message now, message in two days", with the first message queued
/// (waiting for the network, say) and not sent yet.
fn enrolled_with_a_queued_message(s: &mut Store, exit_on_reply: bool) -> (CustomerId, i64) {
    let t = tg_template(s, "Chào {{customer.given_name}}");
    let sc = scenario(
        s,
        vec![
            message(&t, 0, 0, 0, DelayFrom::Start),
            message(&t, 2, 0, 0, DelayFrom::Start),
        ],
        |i| i.exit_on_reply = exit_on_reply,
    );
    let c = customer(s, "Vũ Khánh");
    let now = at(2026, 11, 23, 9, 0);
    enroll(s, &sc, &c, now);
    s.run_due_steps(now, None).unwrap();
    assert_eq!(outbox_statuses(s, &c), [OutboxStatus::Queued]);
    (c, now)
}

#[test]
fn cancel_pause_and_a_reply_cancel_the_enrolments_queued_messages() {
    use tend_core::messaging::outbox::OutboxStatus::Cancelled;
    for how in ["cancel", "pause", "reply"] {
        let mut s = store();
        let (c, now) = enrolled_with_a_queued_message(&mut s, how == "reply");
        let e = s.customer_enrollments(&c).unwrap()[0].id.clone();
        match how {
            "cancel" => {
                s.cancel_enrollment(&e, now + MIN).unwrap();
            }
            "pause" => {
                s.pause_enrollment(&e, now + MIN).unwrap();
            }
            _ => {
                s.log_interaction(
                    &InteractionInput {
                        customer_id: c.clone(),
                        kind: InteractionKind::Telegram,
                        direction: Direction::Inbound,
                        subject: None,
                        content: Some("Dạ em nhận được rồi".into()),
                        outcome: None,
                        duration_minutes: None,
                        occurred_at: None,
                        next_action: None,
                        next_action_date: None,
                        complete_task_id: None,
                    },
                    now + MIN,
                )
                .unwrap();
            }
        }
        assert_eq!(outbox_statuses(&s, &c), [Cancelled], "{how}");
        if how == "pause" {
            // Resuming re-queues nothing already cancelled.
            s.resume_enrollment(&e, now + 2 * MIN).unwrap();
            s.run_due_steps(now + 2 * MIN, None).unwrap();
            assert_eq!(outbox_statuses(&s, &c), [Cancelled], "resume");
        }
    }
}

#[test]
fn deleting_a_customer_ends_their_scenarios_and_cancels_what_waits_to_be_sent() {
    use tend_core::messaging::outbox::OutboxStatus::Cancelled;
    let mut s = store();
    let (c, now) = enrolled_with_a_queued_message(&mut s, false);
    s.delete_customer(&c, now + MIN).unwrap();
    assert_eq!(outbox_statuses(&s, &c), [Cancelled]);
    let e = &s.customer_enrollments(&c).unwrap()[0];
    assert_eq!(e.status, EnrollmentStatus::Cancelled);
    // Two days later nothing runs for them, and restoring them does not resume anything.
    s.restore_customer(&c, now + 2 * MIN).unwrap();
    let report = s.run_due_steps(now + 3 * DAY, None).unwrap();
    assert_eq!(report.messages, 0);
    assert_eq!(outbox_statuses(&s, &c), [Cancelled]);
    assert_eq!(
        s.customer_enrollments(&c).unwrap()[0].status,
        EnrollmentStatus::Cancelled
    );
}
