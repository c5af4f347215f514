//! Interactions, follow-up tasks, roll-ups and the Today view.

use tend_core::base::calendar::TodayBounds;
use tend_core::base::ids::CustomerId;
use tend_core::crm::interactions::InteractionKind;
use tend_core::crm::tasks::TaskStatus;
use tend_core::ErrorCode;

use crate::support::crm::*;

#[test]
fn logging_updates_rollups_and_creates_the_follow_up_task() {
    let mut s = store();
    let id = create(&mut s, "Bùi Thu Trang", "0934 567 890");
    let mut i = call(&id, NOW - 2 * HOUR);
    i.next_action = Some("Gửi báo giá".into());
    i.next_action_date = Some(NOW + DAY);
    let logged = s.log_interaction(&i, NOW).unwrap();
    let task_id = logged
        .task_id
        .clone()
        .expect("a next action creates a task");
    let c = s.get_customer(&id).unwrap();
    assert_eq!(c.total_interactions, 1);
    assert_eq!(c.last_contact_date, Some(NOW - 2 * HOUR));
    assert_eq!(c.next_follow_up_date, Some(NOW + DAY));
    let task = s.get_task(&task_id).unwrap();
    assert_eq!(task.title, "Gửi báo giá");
    assert_eq!(task.interaction_id, Some(logged.id.clone()));
    assert_eq!(task.customer_name.as_deref(), Some("Bùi Thu Trang"));

    // Completing the task clears the follow-up date.
    s.complete_task(&task_id, NOW).unwrap();
    assert_eq!(s.get_customer(&id).unwrap().next_follow_up_date, None);
}

#[test]
fn counters_stay_right_under_edit_and_delete() {
    let mut s = store();
    let id = create(&mut s, "Ngô Bảo Châu", "");
    let old = s.log_interaction(&call(&id, NOW - 3 * DAY), NOW).unwrap();
    let newer = s.log_interaction(&call(&id, NOW - DAY), NOW).unwrap();
    let mut note = call(&id, NOW);
    note.kind = InteractionKind::Note;
    s.log_interaction(&note, NOW).unwrap();
    let c = s.get_customer(&id).unwrap();
    assert_eq!(c.total_interactions, 3);
    assert_eq!(
        c.last_contact_date,
        Some(NOW - DAY),
        "a note is not contact"
    );

    // Moving the older call later makes it the last contact.
    let mut edit = call(&id, NOW - HOUR);
    edit.next_action = Some("Ghé thăm".into());
    edit.next_action_date = Some(NOW + 3 * DAY);
    let edited = s.update_interaction(&old.id, &edit, NOW).unwrap();
    let c = s.get_customer(&id).unwrap();
    assert_eq!(c.last_contact_date, Some(NOW - HOUR));
    assert_eq!(
        c.next_follow_up_date,
        Some(NOW + 3 * DAY),
        "editing in a next action adds a task"
    );
    assert!(edited.task_id.is_some());

    // Clearing the next action removes its open task.
    s.update_interaction(&old.id, &call(&id, NOW - HOUR), NOW)
        .unwrap();
    assert_eq!(s.get_customer(&id).unwrap().next_follow_up_date, None);

    s.delete_interaction(&old.id).unwrap();
    let c = s.get_customer(&id).unwrap();
    assert_eq!(c.total_interactions, 2);
    assert_eq!(c.last_contact_date, Some(NOW - DAY));
    s.delete_interaction(&newer.id).unwrap();
    let c = s.get_customer(&id).unwrap();
    assert_eq!(c.total_interactions, 1);
    assert_eq!(c.last_contact_date, None);
}

#[test]
fn deleting_an_interaction_keeps_its_done_task_as_history() {
    let mut s = store();
    let id = create(&mut s, "Hồ Ngọc Hà", "");
    let mut i = call(&id, NOW);
    i.next_action = Some("Gọi lại".into());
    let logged = s.log_interaction(&i, NOW).unwrap();
    let task = logged.task_id.unwrap();
    assert_eq!(
        s.get_task(&task).unwrap().due_at,
        NOW + DAY,
        "a day later by default"
    );
    s.complete_task(&task, NOW).unwrap();
    s.delete_interaction(&logged.id).unwrap();
    let kept = s.get_task(&task).unwrap();
    assert_eq!(kept.status, TaskStatus::Done);
    assert_eq!(kept.interaction_id, None);
}

#[test]
fn interaction_bad_input() {
    let mut s = store();
    let id = create(&mut s, "Lý Mỹ", "");
    let mut i = call(&id, NOW);
    i.next_action_date = Some(NOW + DAY);
    assert_eq!(
        s.log_interaction(&i, NOW).unwrap_err().field_name(),
        Some("next_action")
    );
    let mut i = call(&id, NOW);
    i.duration_minutes = Some(-3);
    assert_eq!(
        s.log_interaction(&i, NOW).unwrap_err().field_name(),
        Some("duration_minutes")
    );
    let ghost = call(&CustomerId::new(), NOW);
    assert_eq!(
        s.log_interaction(&ghost, NOW).unwrap_err().code(),
        ErrorCode::NotFound
    );
    assert_eq!(s.get_customer(&id).unwrap().total_interactions, 0);
}

#[test]
fn timeline_is_newest_first_and_paged() {
    let mut s = store();
    let id = create(&mut s, "Đặng Thành", "");
    for h in 1..=5 {
        s.log_interaction(&call(&id, NOW - h * HOUR), NOW).unwrap();
    }
    let first = s.timeline(&id, 0, 2).unwrap();
    assert_eq!(first.total, 5);
    assert_eq!(first.items[0].occurred_at, NOW - HOUR);
    assert_eq!(first.items[1].occurred_at, NOW - 2 * HOUR);
    let last = s.timeline(&id, 4, 2).unwrap();
    assert_eq!(last.items.len(), 1);
    assert_eq!(last.items[0].occurred_at, NOW - 5 * HOUR);
}

#[test]
fn today_view_splits_overdue_today_and_next_week() {
    let mut s = store();
    let id = create(&mut s, "Phan Hải", "");
    let today_start = NOW - 10 * HOUR;
    let bounds = TodayBounds {
        today_start,
        tomorrow_start: today_start + DAY,
        horizon_end: today_start + 8 * DAY,
    };
    for (title, due) in [
        ("quá hạn", today_start - HOUR),
        ("hôm nay", today_start + 15 * HOUR),
        ("tuần sau", today_start + 3 * DAY),
        ("xa", today_start + 30 * DAY),
    ] {
        let mut i = call(&id, NOW);
        i.next_action = Some(title.into());
        i.next_action_date = Some(due);
        s.log_interaction(&i, NOW).unwrap();
    }
    let v = s.today(&bounds, 50).unwrap();
    assert_eq!(
        v.overdue
            .iter()
            .map(|t| t.title.as_str())
            .collect::<Vec<_>>(),
        ["quá hạn"]
    );
    assert_eq!(v.today[0].title, "hôm nay");
    assert_eq!(v.upcoming[0].title, "tuần sau");
    assert_eq!(v.upcoming_total, 1, "30 days out is not in the next 7 days");
    s.complete_task(&v.today[0].id, NOW).unwrap();
    assert!(s.today(&bounds, 50).unwrap().today.is_empty());
    // Tasks of a deleted customer leave Today.
    s.delete_customer(&id, NOW).unwrap();
    assert_eq!(s.today(&bounds, 50).unwrap().overdue_total, 0);
}

#[test]
fn a_call_logged_from_its_task_completes_the_task_in_the_same_save() {
    let mut s = store();
    let id = create(&mut s, "Lâm Thị Mai", "0935 111 222");
    let task = s
        .create_task(
            &tend_core::crm::tasks::TaskInput {
                customer_id: Some(id.clone()),
                title: "Gọi lại".into(),
                notes: None,
                due_at: NOW - DAY,
                priority: Default::default(),
            },
            NOW - 2 * DAY,
        )
        .unwrap();
    let mut i = call(&id, NOW);
    i.complete_task_id = Some(task.id.clone());
    i.next_action = Some("Gọi lại".into());
    i.next_action_date = Some(NOW + DAY);
    s.log_interaction(&i, NOW).unwrap();
    assert_eq!(s.get_task(&task.id).unwrap().status, TaskStatus::Done);
    // The follow-up it suggested is the customer's one open task now.
    let open = s.customer_tasks(&id, false).unwrap();
    assert_eq!(open.len(), 1);
    assert_eq!(open[0].due_at, NOW + DAY);

    // Another customer's task is never closed by this customer's call.
    let other = create(&mut s, "Hà Văn Sơn", "");
    let theirs = s
        .create_task(
            &tend_core::crm::tasks::TaskInput {
                customer_id: Some(other.clone()),
                title: "Gọi".into(),
                notes: None,
                due_at: NOW,
                priority: Default::default(),
            },
            NOW,
        )
        .unwrap();
    let mut wrong = call(&id, NOW);
    wrong.complete_task_id = Some(theirs.id.clone());
    let err = s.log_interaction(&wrong, NOW).unwrap_err();
    assert_eq!(err.key(), "interaction.task_of_another_customer");
    assert_eq!(s.get_task(&theirs.id).unwrap().status, TaskStatus::Open);
    assert_eq!(
        s.timeline(&id, 0, 10).unwrap().total,
        1,
        "nothing of it was saved"
    );
}

#[test]
fn today_rows_carry_the_phone_temperature_and_latest_note() {
    let mut s = store();
    let mut input = input("Trịnh Văn Bình", "0912 345 678");
    input.temperature = Some(tend_core::crm::customers::Temperature::Hot);
    input.notes = Some("Khách cũ\nĐã mua 2 máy".into());
    let id = match s.create_customer(&input, false, NOW).unwrap() {
        tend_core::crm::customers::SaveOutcome::Saved { customer } => customer.id,
        other => panic!("{other:?}"),
    };
    let mut i = call(&id, NOW);
    i.next_action = Some("Gửi catalogue qua Zalo".into());
    i.next_action_date = Some(NOW + HOUR);
    s.log_interaction(&i, NOW).unwrap();
    let today = s.today(&s.today_bounds(NOW), 10).unwrap();
    let row = today.today.iter().chain(&today.upcoming).next().unwrap();
    assert_eq!(row.customer_phone.as_deref(), Some("0912 345 678"));
    assert_eq!(
        row.customer_temperature,
        Some(tend_core::crm::customers::Temperature::Hot)
    );
    assert_eq!(row.customer_note.as_deref(), Some("Khách cũ"));
    // A pinned note is newer than the profile's notes: it is the one shown.
    s.add_note(&id, "Hẹn tuần sau ghé cửa hàng", true, NOW + 1)
        .unwrap();
    let today = s.today(&s.today_bounds(NOW), 10).unwrap();
    let row = today.today.iter().chain(&today.upcoming).next().unwrap();
    assert_eq!(
        row.customer_note.as_deref(),
        Some("Hẹn tuần sau ghé cửa hàng")
    );
}

#[test]
fn very_long_notes_are_refused_with_the_limit() {
    let mut s = store();
    let id = create(&mut s, "Vương Thị Hoa", "");
    let mut i = call(&id, NOW);
    i.content = Some("x".repeat(20_001));
    let err = s.log_interaction(&i, NOW).unwrap_err();
    assert_eq!(err.key(), "interaction.content_too_long");
    assert_eq!(err.field_name(), Some("content"));
    i.content = Some("x".repeat(20_000));
    s.log_interaction(&i, NOW).unwrap();
    let err = s
        .add_note(&id, &"y".repeat(20_001), false, NOW)
        .unwrap_err();
    assert_eq!(err.key(), "note.too_long");
}
