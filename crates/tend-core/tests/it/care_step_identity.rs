//! Editing a scenario never repeats a step an enrolment has done and never skips one it has
//! not: steps keep their identity (their id) when moved, and the log and the outbox are keyed by
//! it. A table of edits (reorder, insert, remove, change of kind) against enrolments that have
//! done 0, 1, 2 or all 3 steps.

use std::collections::HashMap;

use tend_core::care::model::{Scenario, StepInput, StepKind, StepOutcome};
use tend_core::care::timing::DelayFrom;
use tend_core::messaging::outbox::OutboxQuery;

use crate::support::care::*;

const DAY: i64 = 86_400_000;

fn input_of(sc: &Scenario) -> Vec<StepInput> {
    sc.steps
        .iter()
        .map(|st| StepInput {
            id: Some(st.id.clone()),
            kind: st.kind,
            delay_days: st.delay_days,
            delay_hours: st.delay_hours,
            delay_minutes: st.delay_minutes,
            delay_from: st.delay_from,
            title: st.title.clone(),
            priority: st.priority,
            due_offset_minutes: st.due_offset_minutes,
            template_id: st.template_id.clone(),
            channel: st.channel,
        })
        .collect()
}

type Edit = fn(&mut Vec<StepInput>, &StepInput, &StepInput);

/// Each edit gets the saved steps [A message, B task, C message] with their ids, and a new task
/// and a new message to insert or to change a step into.
fn edits() -> Vec<(&'static str, Edit)> {
    fn kind_to(steps: &mut [StepInput], i: usize, task: &StepInput, msg: &StepInput) {
        let target = if steps[i].kind == StepKind::Message {
            task
        } else {
            msg
        };
        steps[i] = StepInput {
            id: steps[i].id.clone(),
            ..target.clone()
        };
    }
    vec![
        ("reverse", |s, _, _| s.reverse()),
        ("first to last", |s, _, _| s.rotate_left(1)),
        ("last to first", |s, _, _| s.rotate_right(1)),
        ("insert first", |s, t, _| s.insert(0, t.clone())),
        ("insert middle", |s, _, m| s.insert(1, m.clone())),
        ("insert last", |s, t, _| s.push(t.clone())),
        ("remove first", |s, _, _| {
            s.remove(0);
        }),
        ("remove middle", |s, _, _| {
            s.remove(1);
        }),
        ("remove last", |s, _, _| {
            s.remove(2);
        }),
        ("first changes kind", |s, t, m| kind_to(s, 0, t, m)),
        ("middle changes kind", |s, t, m| kind_to(s, 1, t, m)),
        ("last changes kind", |s, t, m| kind_to(s, 2, t, m)),
    ]
}

#[test]
fn scenario_edits_never_repeat_a_done_step_nor_skip_a_pending_one() {
    let start = at(2026, 11, 23, 9, 0);
    for done_before in 0..=3usize {
        for (name, edit) in edits() {
            let case = format!("{name}, after {done_before} steps");
            let mut s = store();
            let c = customer(&mut s, "Lê Thị Hoa");
            let t = tg_template(&mut s, "Chào {{customer.given_name}}");
            let sc = scenario(
                &mut s,
                vec![
                    message(&t, 1, 0, 0, DelayFrom::Previous),
                    task("Gọi hỏi thăm", 1, 0, 0, DelayFrom::Previous),
                    message(&t, 1, 0, 0, DelayFrom::Previous),
                ],
                |_| {},
            );
            enroll(&mut s, &sc, &c, start);
            // Each step is a day after the one before: after k days and a bit, k are done.
            for k in 1..=done_before as i64 {
                s.run_due_steps(start + k * DAY + 60_000, None).unwrap();
            }
            let e = &s.customer_enrollments(&c).unwrap()[0];
            assert_eq!(e.log.len(), done_before, "{case}: setup");
            let before: HashMap<String, i64> = e
                .log
                .iter()
                .map(|l| (l.step_id.clone(), l.done_at))
                .collect();

            let saved = s.get_scenario(&sc).unwrap();
            let mut steps = input_of(&saved);
            edit(
                &mut steps,
                &task("Gửi quà", 0, 1, 0, DelayFrom::Previous),
                &message(&t, 0, 1, 0, DelayFrom::Previous),
            );
            let mut input = tend_core::care::model::ScenarioInput {
                name: saved.name.clone(),
                steps,
                ..Default::default()
            };
            input.exit_on_reply = saved.exit_on_reply;
            let edit_at = start + done_before as i64 * DAY + 120_000;
            let edited = s.update_scenario(&sc, &input, edit_at).unwrap();
            // The scheduler's passes over the next days, as the app would run them.
            for hour in 0..=6 * 24 {
                s.run_due_steps(edit_at + hour * 3_600_000, None).unwrap();
            }

            let e = &s.customer_enrollments(&c).unwrap()[0];
            let mut runs: HashMap<&str, usize> = HashMap::new();
            for l in &e.log {
                *runs.entry(l.step_id.as_str()).or_default() += 1;
                assert_eq!(l.outcome, StepOutcome::Done, "{case}: {l:?}");
            }
            for (id, done_at) in &before {
                assert_eq!(
                    runs.get(id.as_str()),
                    Some(&1),
                    "{case}: a done step ran again"
                );
                let l = e.log.iter().find(|l| &l.step_id == id).unwrap();
                assert_eq!(l.done_at, *done_at, "{case}: a done step's record changed");
            }
            // An enrolment that had finished stays finished: steps added later are not for it.
            let finished = done_before == 3;
            for st in edited.steps.iter().filter(|_| !finished) {
                assert_eq!(
                    runs.get(st.id.as_str()),
                    Some(&1),
                    "{case}: step {} ({:?}) did not run exactly once",
                    st.position,
                    st.kind
                );
            }
            let new_steps = edited
                .steps
                .iter()
                .filter(|st| !finished && !before.contains_key(st.id.as_str()))
                .count();
            assert_eq!(
                e.log.len(),
                before.len() + new_steps,
                "{case}: only the steps done before and the steps of the new definition ran"
            );
            // One message per message step that ran as a message, never a second one.
            let messages = e.log.iter().filter(|l| l.kind == StepKind::Message).count();
            let queued = s
                .list_outbox(&OutboxQuery {
                    customer_id: Some(c.clone()),
                    limit: 100,
                    ..Default::default()
                })
                .unwrap()
                .total;
            assert_eq!(queued as usize, messages, "{case}: messages queued");
            assert_eq!(
                e.status,
                tend_core::care::model::EnrollmentStatus::Completed,
                "{case}"
            );
        }
    }
}

#[test]
fn a_saved_step_keeps_its_id_when_moved_and_a_copy_gets_new_ones() {
    let mut s = store();
    let t = tg_template(&mut s, "Chào");
    let sc = scenario(
        &mut s,
        vec![
            task("Một", 1, 0, 0, DelayFrom::Previous),
            message(&t, 1, 0, 0, DelayFrom::Previous),
        ],
        |_| {},
    );
    let saved = s.get_scenario(&sc).unwrap();
    let ids: Vec<_> = saved.steps.iter().map(|st| st.id.clone()).collect();
    let mut steps = input_of(&saved);
    steps.reverse();
    let input = tend_core::care::model::ScenarioInput {
        name: saved.name.clone(),
        steps,
        ..Default::default()
    };
    let moved = s
        .update_scenario(&sc, &input, at(2026, 11, 2, 9, 0))
        .unwrap();
    assert_eq!(moved.steps[0].id, ids[1]);
    assert_eq!(moved.steps[1].id, ids[0]);
    assert_eq!(moved.steps[0].kind, StepKind::Message);

    let copy = s
        .duplicate_scenario(&sc, "(bản sao)", at(2026, 11, 2, 9, 0))
        .unwrap();
    assert!(copy.steps.iter().all(|st| !ids.contains(&st.id)));
}
