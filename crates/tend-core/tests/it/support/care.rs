//! Fixtures for care scenarios: Vietnam's calendar, a Telegram customer, steps and enrolments.

#![allow(dead_code)]

pub use super::*;

use tend_core::base::ids::{CustomerId, ScenarioId, TemplateId};
use tend_core::care::model::{EnrollTarget, ScenarioInput, StepInput, StepKind, StepOutcome};
use tend_core::care::timing::DelayFrom;
use tend_core::messaging::outbox::SendChannel;
use tend_core::messaging::templates::{TemplateCategory, TemplateChannel, TemplateInput};
use tend_core::Store;

/// A local (Vietnam) wall-clock time as UTC milliseconds. 2026-11-23 is a Monday.
pub fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> i64 {
    vn_time(y, mo, d, h, mi)
}

pub fn store() -> Store {
    store_in_vietnam()
}

pub fn customer(s: &mut Store, name: &str) -> CustomerId {
    customer_with(s, name, at(2026, 11, 1, 9, 0), |c| {
        c.telegram_id = Some("777".into())
    })
}

pub fn tg_template(s: &mut Store, body: &str) -> TemplateId {
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

pub fn task(title: &str, d: i64, h: i64, m: i64, from: DelayFrom) -> StepInput {
    StepInput {
        id: None,
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

pub fn message(t: &TemplateId, d: i64, h: i64, m: i64, from: DelayFrom) -> StepInput {
    StepInput {
        id: None,
        kind: StepKind::Message,
        template_id: Some(t.clone()),
        channel: Some(SendChannel::Telegram),
        title: None,
        ..task("", d, h, m, from)
    }
}

pub fn scenario(
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

pub fn enroll(s: &mut Store, sc: &ScenarioId, c: &CustomerId, now: i64) {
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

pub fn log_of(s: &Store, c: &CustomerId) -> Vec<(i64, StepOutcome, i64, i64)> {
    let e = &s.customer_enrollments(c).unwrap()[0];
    e.log
        .iter()
        .map(|l| (l.position, l.outcome, l.due_at, l.done_at))
        .collect()
}
