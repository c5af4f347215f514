//! Scenario steps on the salesperson's own Zalo or Telegram: the message waits in Today, and
//! the step is done only when the salesperson says they sent it (or skipped it).

use tend_core::care::model::{StepInput, StepOutcome};
use tend_core::care::timing::DelayFrom;
use tend_core::messaging::outbox::{OutboxStatus, SendChannel};
use tend_core::messaging::templates::{TemplateCategory, TemplateChannel, TemplateInput};

use crate::support::care::*;

const DAY: i64 = 86_400_000;

fn personal_scenario(s: &mut tend_core::Store) -> tend_core::base::ids::ScenarioId {
    let t = s
        .create_template(
            &TemplateInput {
                name: "Cảm ơn".into(),
                channel: TemplateChannel::Zalo,
                category: TemplateCategory::ThankYou,
                body: "Dạ cảm ơn anh {{customer.given_name}} ạ".into(),
                ..Default::default()
            },
            at(2026, 11, 1, 9, 0),
        )
        .unwrap()
        .id;
    scenario(
        s,
        vec![
            StepInput {
                channel: Some(SendChannel::ZaloPersonal),
                ..message(&t, 0, 0, 0, DelayFrom::Start)
            },
            task("Gọi hỏi thăm", 1, 0, 0, DelayFrom::Previous),
        ],
        |_| {},
    )
}

fn zalo_customer(s: &mut tend_core::Store, name: &str) -> tend_core::base::ids::CustomerId {
    customer_with(s, name, at(2026, 11, 1, 9, 0), |c| {
        c.zalo_phone = Some("0912 345 678".into())
    })
}

#[test]
fn a_personal_zalo_step_waits_in_today_and_is_done_when_confirmed() {
    let mut s = store();
    let c = zalo_customer(&mut s, "Lê Văn Hải");
    let sc = personal_scenario(&mut s);
    let start = at(2026, 11, 23, 9, 0);
    enroll(&mut s, &sc, &c, start);

    let r = s.run_due_steps(start, None).unwrap();
    assert_eq!((r.done, r.waiting), (0, 1));
    let queue = s.assisted_queue(10).unwrap();
    assert_eq!(queue.len(), 1);
    let item = &queue[0];
    assert_eq!(item.text, "Dạ cảm ơn anh Hải ạ");
    assert_eq!(item.url.as_deref(), Some("https://zalo.me/0912345678"));
    assert_eq!(s.assisted_waiting().unwrap(), 1);
    // Nothing is logged and nothing else runs while it waits, however long.
    assert!(s.customer_enrollments(&c).unwrap()[0].log.is_empty());
    s.run_due_steps(start + 3 * DAY, None).unwrap();
    assert_eq!(
        s.assisted_queue(10).unwrap().len(),
        1,
        "never prepared twice"
    );
    assert!(s.customer_tasks(&c, false).unwrap().is_empty());
    // The sender never takes it: it is the salesperson's to send.
    assert_eq!(
        s.get_outbox(&item.outbox_id).unwrap().status,
        OutboxStatus::Queued
    );

    let confirmed = start + 3 * DAY + 60_000;
    let m = s.finish_assisted(&item.outbox_id, true, confirmed).unwrap();
    assert_eq!(m.status, OutboxStatus::Sent);
    assert_eq!(s.timeline(&c, 0, 5).unwrap().total, 1, "on the timeline");
    let e = &s.customer_enrollments(&c).unwrap()[0];
    assert_eq!(e.log.len(), 1);
    assert_eq!(e.log[0].outcome, StepOutcome::Done);
    // The next step counts from the confirmation.
    assert_eq!(e.next_due_at, Some(confirmed + DAY));
    assert!(s.assisted_queue(10).unwrap().is_empty());
    assert_eq!(
        s.finish_assisted(&item.outbox_id, true, confirmed)
            .unwrap_err()
            .key(),
        "send.not_waiting"
    );
    s.run_due_steps(confirmed + DAY, None).unwrap();
    assert_eq!(s.customer_tasks(&c, false).unwrap().len(), 1);
}

#[test]
fn skipping_a_personal_step_moves_on_and_sends_nothing() {
    let mut s = store();
    let c = zalo_customer(&mut s, "Phan Thị Yến");
    let sc = personal_scenario(&mut s);
    let start = at(2026, 11, 23, 9, 0);
    enroll(&mut s, &sc, &c, start);
    s.run_due_steps(start, None).unwrap();
    let item = s.assisted_queue(10).unwrap().remove(0);
    let m = s
        .finish_assisted(&item.outbox_id, false, start + 60_000)
        .unwrap();
    assert_eq!(m.status, OutboxStatus::Cancelled);
    let e = &s.customer_enrollments(&c).unwrap()[0];
    assert_eq!(e.log[0].outcome, StepOutcome::Skipped);
    assert_eq!(s.timeline(&c, 0, 5).unwrap().total, 0);
    assert_eq!(e.next_due_at, Some(start + 60_000 + DAY));
}

#[test]
fn a_personal_step_for_a_customer_without_zalo_fails_visibly() {
    let mut s = store();
    let c = customer(&mut s, "Đinh Công Tráng");
    let sc = personal_scenario(&mut s);
    let start = at(2026, 11, 23, 9, 0);
    enroll(&mut s, &sc, &c, start);
    let r = s.run_due_steps(start, None).unwrap();
    assert_eq!(r.failed, 1);
    let e = &s.customer_enrollments(&c).unwrap()[0];
    assert_eq!(e.log[0].outcome, StepOutcome::Failed);
    assert!(s.assisted_queue(10).unwrap().is_empty());
}
