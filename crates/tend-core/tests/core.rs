//! Tests of the core at its boundary: the store, as the app uses it.

use tend_core::customers::{
    CustomerInput, CustomerListQuery, CustomerSort, PhoneInput, SaveOutcome,
};
use tend_core::ids::CustomerId;
use tend_core::interactions::{Direction, InteractionInput, InteractionKind};
use tend_core::tasks::{TaskStatus, TodayBounds};
use tend_core::{phone, ErrorCode, Store};

const NOW: i64 = 1_790_000_000_000; // 2026-09-21, a fixed "now": the core never reads the clock.
const HOUR: i64 = 3_600_000;
const DAY: i64 = 24 * HOUR;

fn store() -> Store {
    Store::open_in_memory().expect("an in-memory store opens")
}

fn input(name: &str, phone: &str) -> CustomerInput {
    CustomerInput {
        full_name: name.into(),
        phones: if phone.is_empty() {
            vec![]
        } else {
            vec![PhoneInput {
                number: phone.into(),
                label: None,
            }]
        },
        ..Default::default()
    }
}

fn create(s: &mut Store, name: &str, phone: &str) -> CustomerId {
    match s.create_customer(&input(name, phone), true, NOW).unwrap() {
        SaveOutcome::Saved { customer } => customer.id,
        SaveOutcome::Duplicates { .. } => unreachable!("duplicates are allowed here"),
    }
}

fn call(customer: &CustomerId, at: i64) -> InteractionInput {
    InteractionInput {
        customer_id: customer.clone(),
        kind: InteractionKind::Call,
        direction: Direction::Outbound,
        subject: None,
        content: Some("Gọi hỏi thăm".into()),
        outcome: Some("interested".into()),
        duration_minutes: Some(5),
        occurred_at: Some(at),
        next_action: None,
        next_action_date: None,
    }
}

// ---------------------------------------------------------------- phone numbers

#[test]
fn phone_forms_of_one_number_normalise_alike() {
    for raw in [
        "0912 345 678",
        "+84 912-345-678",
        "84912345678",
        "0912.345.678",
        "(+84) 912 345 678",
        "0084912345678",
        "912345678",
        "+84912345678",
    ] {
        assert_eq!(
            phone::normalize(raw).unwrap(),
            "+84912345678",
            "input {raw:?}"
        );
    }
}

#[test]
fn every_renumbered_prefix_maps_to_its_new_number() {
    let table = [
        ("0162", "032"),
        ("0163", "033"),
        ("0164", "034"),
        ("0165", "035"),
        ("0166", "036"),
        ("0167", "037"),
        ("0168", "038"),
        ("0169", "039"),
        ("0120", "070"),
        ("0121", "079"),
        ("0122", "077"),
        ("0126", "076"),
        ("0128", "078"),
        ("0123", "083"),
        ("0124", "084"),
        ("0125", "085"),
        ("0127", "081"),
        ("0129", "082"),
        ("0186", "056"),
        ("0188", "058"),
        ("0199", "059"),
    ];
    assert_eq!(table.len(), phone::RENUMBERED_PREFIXES.len());
    for (old, new) in table {
        let old_number = format!("{old}1234567");
        let expected = format!("+84{}1234567", &new[1..]);
        assert_eq!(
            phone::normalize(&old_number).unwrap(),
            expected,
            "{old_number}"
        );
        // The same old number written internationally maps too.
        let intl = format!("+84{}1234567", &old[1..]);
        assert_eq!(phone::normalize(&intl).unwrap(), expected, "{intl}");
    }
}

#[test]
fn foreign_and_landline_numbers() {
    assert_eq!(
        phone::normalize("+33 6 12 34 56 78").unwrap(),
        "+33612345678"
    );
    assert_eq!(
        phone::normalize("+1 (415) 555-2671").unwrap(),
        "+14155552671"
    );
    assert_eq!(phone::normalize("024 3826 4567").unwrap(), "+842438264567");
    assert_eq!(phone::normalize("1900 1234").unwrap(), "+8419001234");
}

#[test]
fn invalid_phones_are_field_errors() {
    for raw in [
        "",
        "12",
        "0912 345",
        "0912 345 6789 1",
        "abc",
        "091234567a",
        "0412345678",
        "+0912",
    ] {
        let e = phone::normalize(raw).unwrap_err();
        assert_eq!(e.code(), ErrorCode::InvalidInput, "{raw:?}");
        assert_eq!(e.field_name(), Some("phone"), "{raw:?}");
    }
}

// ---------------------------------------------------------------- store

#[test]
fn migrated_database_has_the_same_schema_as_a_fresh_one() {
    let dir = tempfile::tempdir().unwrap();
    let fresh = Store::open(&dir.path().join("fresh.db")).unwrap();
    // A database as the first version of Tend wrote it, with a customer in it.
    let old = dir.path().join("old.db");
    Store::create_at_version_for_test(&old, 1).unwrap();
    {
        let conn = rusqlite::Connection::open(&old).unwrap();
        conn.execute(
            "INSERT INTO customers (id, full_name, sort_name, created_at, updated_at)
             VALUES ('c1', 'Lê Văn Tám', 'tam le van tam', 1, 1)",
            [],
        )
        .unwrap();
    }
    let migrated = Store::open(&old).unwrap();
    assert_eq!(
        fresh.schema_version().unwrap(),
        tend_core::store::SCHEMA_VERSION
    );
    assert_eq!(
        migrated.schema_version().unwrap(),
        tend_core::store::SCHEMA_VERSION
    );
    let (a, b) = (
        fresh.schema_dump().unwrap(),
        migrated.schema_dump().unwrap(),
    );
    assert!(a.len() > 20, "the dump describes the schema: {a:?}");
    assert_eq!(
        a, b,
        "schema.sql and the migrations must describe the same schema"
    );
    let kept = migrated.get_customer(&CustomerId("c1".into())).unwrap();
    assert_eq!(kept.full_name, "Lê Văn Tám", "migrating keeps the data");
}

#[test]
fn pragmas_are_set_on_open() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open_dir(&dir.path().join("data")).unwrap();
    let c = s.connection();
    let mode: String = c
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    let fk: i64 = c
        .query_row("PRAGMA foreign_keys", [], |r| r.get(0))
        .unwrap();
    let sync: i64 = c.query_row("PRAGMA synchronous", [], |r| r.get(0)).unwrap();
    let busy: i64 = c
        .query_row("PRAGMA busy_timeout", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    assert_eq!(fk, 1);
    assert_eq!(sync, 1, "NORMAL");
    assert!(busy >= 1000);
    assert!(dir.path().join("data/tend.db").exists());
}

#[test]
fn a_newer_database_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tend.db");
    {
        let mut s = Store::open(&path).unwrap();
        s.connection()
            .pragma_update(None, "user_version", 99)
            .unwrap();
    }
    let err = Store::open(&path)
        .err()
        .expect("a newer database is refused");
    assert_eq!(err.code(), ErrorCode::NewerDatabase);
    assert!(err.to_string().contains("newer version of Tend"), "{err}");
    let conn = rusqlite::Connection::open(&path).unwrap();
    let v: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(v, 99, "the refused database keeps its version");
}

#[test]
fn reopening_keeps_data() {
    let dir = tempfile::tempdir().unwrap();
    let id = {
        let mut s = Store::open_dir(dir.path()).unwrap();
        create(&mut s, "Trần Thị Lan", "0987654321")
    };
    let s = Store::open_dir(dir.path()).unwrap();
    assert_eq!(s.get_customer(&id).unwrap().full_name, "Trần Thị Lan");
}

// ---------------------------------------------------------------- customers

#[test]
fn create_normalises_and_reads_back() {
    let mut s = store();
    let mut i = input("  Nguyễn   Văn Đức ", "0912 345 678");
    i.email = Some(" duc@example.vn ".into());
    i.tags = vec!["VIP".into(), "vip".into(), "Khách sỉ".into()];
    i.telegram_username = Some("@duc_nguyen".into());
    i.birthday = Some("1990-05-17".into());
    let SaveOutcome::Saved { customer } = s.create_customer(&i, false, NOW).unwrap() else {
        panic!("no duplicates in an empty store")
    };
    assert_eq!(customer.full_name, "Nguyễn Văn Đức");
    assert_eq!(customer.given_name, "Đức");
    assert_eq!(customer.phones[0].number, "+84912345678");
    assert_eq!(customer.phones[0].display, "0912 345 678");
    assert!(customer.phones[0].is_primary);
    assert_eq!(customer.email.as_deref(), Some("duc@example.vn"));
    assert_eq!(customer.telegram_username.as_deref(), Some("duc_nguyen"));
    let tags: Vec<_> = customer.tags.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(
        tags,
        ["Khách sỉ", "VIP"],
        "tags are deduplicated case-insensitively"
    );
    assert_eq!(customer.created_at, NOW);
}

#[test]
fn bad_input_is_a_field_error_and_saves_nothing() {
    let cases: Vec<(CustomerInput, &str)> = vec![
        (input("", "0912345678"), "full_name"),
        (input("Lan", "0912 345"), "phone"),
        (
            CustomerInput {
                email: Some("lan@".into()),
                ..input("Lan", "")
            },
            "email",
        ),
        (
            CustomerInput {
                birthday: Some("31/02/1990".into()),
                ..input("Lan", "")
            },
            "birthday",
        ),
        (
            CustomerInput {
                telegram_id: Some("abc".into()),
                ..input("Lan", "")
            },
            "telegram_id",
        ),
    ];
    let mut s = store();
    for (i, field) in cases {
        let e = s.create_customer(&i, true, NOW).unwrap_err();
        assert_eq!(e.code(), ErrorCode::InvalidInput);
        assert_eq!(e.field_name(), Some(field), "{e}");
    }
    let page = s
        .list_customers(&CustomerListQuery {
            limit: 10,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(page.total, 0, "nothing was saved");
}

#[test]
fn duplicates_by_phone_or_email_are_offered_not_saved() {
    let mut s = store();
    let mut first = input("Phạm Minh Tuấn", "0912 345 678");
    first.email = Some("tuan@example.vn".into());
    s.create_customer(&first, false, NOW).unwrap();

    // Same number typed the international way.
    match s
        .create_customer(&input("Tuấn (shop)", "+84 912-345-678"), false, NOW)
        .unwrap()
    {
        SaveOutcome::Duplicates { matches } => assert_eq!(matches[0].full_name, "Phạm Minh Tuấn"),
        SaveOutcome::Saved { .. } => panic!("a duplicate phone must be flagged"),
    }
    let mut by_email = input("Tuan", "");
    by_email.email = Some("TUAN@example.vn".into());
    assert!(matches!(
        s.create_customer(&by_email, false, NOW).unwrap(),
        SaveOutcome::Duplicates { .. }
    ));
    // Creating anyway stays possible.
    assert!(matches!(
        s.create_customer(&by_email, true, NOW).unwrap(),
        SaveOutcome::Saved { .. }
    ));
    // Editing a customer does not flag the customer itself.
    let id = create(&mut s, "Lê Hoa", "0987 111 222");
    assert!(matches!(
        s.update_customer(&id, &input("Lê Thị Hoa", "0987111222"), false, NOW)
            .unwrap(),
        SaveOutcome::Saved { .. }
    ));
}

#[test]
fn soft_delete_hides_from_lists_and_search_but_keeps_history() {
    let mut s = store();
    let id = create(&mut s, "Võ Thị Mai", "0903 123 456");
    s.log_interaction(&call(&id, NOW - HOUR), NOW).unwrap();
    s.delete_customer(&id, NOW).unwrap();
    let live = s
        .list_customers(&CustomerListQuery {
            limit: 10,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(live.total, 0);
    assert!(s.search_customers("mai", 10).unwrap().is_empty());
    let bin = s
        .list_customers(&CustomerListQuery {
            limit: 10,
            deleted: true,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(bin.items[0].id, id);
    assert_eq!(s.timeline(&id, 0, 10).unwrap().total, 1, "history is kept");
    let err = s.log_interaction(&call(&id, NOW), NOW).unwrap_err();
    assert_eq!(err.code(), ErrorCode::Conflict);

    s.restore_customer(&id, NOW).unwrap();
    assert_eq!(s.search_customers("mai", 10).unwrap().len(), 1);
    assert_eq!(s.get_customer(&id).unwrap().deleted_at, None);
}

#[test]
fn lists_sort_and_page() {
    let mut s = store();
    // Vietnamese lists are ordered by given name.
    let an = create(&mut s, "Trần Văn An", "");
    let binh = create(&mut s, "Nguyễn Thị Bình", "");
    let dung = create(&mut s, "Lê Dũng", "");
    let names = |s: &Store, sort| {
        s.list_customers(&CustomerListQuery {
            sort,
            limit: 10,
            ..Default::default()
        })
        .unwrap()
        .items
        .into_iter()
        .map(|c| c.id)
        .collect::<Vec<_>>()
    };
    assert_eq!(
        names(&s, CustomerSort::Name),
        [an.clone(), binh.clone(), dung.clone()]
    );
    s.log_interaction(&call(&binh, NOW - DAY), NOW).unwrap();
    s.log_interaction(&call(&dung, NOW - HOUR), NOW).unwrap();
    assert_eq!(
        names(&s, CustomerSort::LastContact),
        [dung.clone(), binh.clone(), an.clone()],
        "most recent first, never contacted last"
    );
    let mut with_next = call(&an, NOW);
    with_next.next_action = Some("Gửi báo giá".into());
    with_next.next_action_date = Some(NOW + 2 * DAY);
    s.log_interaction(&with_next, NOW).unwrap();
    assert_eq!(
        names(&s, CustomerSort::NextFollowUp)[0],
        an,
        "soonest follow-up first, none last"
    );

    let page = s
        .list_customers(&CustomerListQuery {
            offset: 1,
            limit: 1,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(page.total, 3);
    assert_eq!(page.items.len(), 1);
    assert_eq!(page.items[0].id, binh);
}

#[test]
fn tag_filter_lists_only_tagged() {
    let mut s = store();
    let mut vip = input("Hoàng Gia Huy", "");
    vip.tags = vec!["VIP".into()];
    s.create_customer(&vip, true, NOW).unwrap();
    create(&mut s, "Đỗ Khoa", "");
    let tag = s
        .list_tags()
        .unwrap()
        .into_iter()
        .find(|t| t.name == "VIP")
        .unwrap();
    let page = s
        .list_customers(&CustomerListQuery {
            tag_id: Some(tag.id),
            limit: 10,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(page.total, 1);
    assert_eq!(page.items[0].full_name, "Hoàng Gia Huy");
    assert_eq!(page.items[0].tags[0].name, "VIP");
}

// ---------------------------------------------------------------- interactions and roll-ups

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

// ---------------------------------------------------------------- search

fn search_names(s: &Store, q: &str) -> Vec<String> {
    s.search_customers(q, 50)
        .unwrap()
        .into_iter()
        .map(|c| c.full_name)
        .collect()
}

#[test]
fn search_folds_diacritics_and_matches_prefixes() {
    let mut s = store();
    create(&mut s, "Nguyễn Văn Đức", "0912 345 678");
    create(&mut s, "Trần Thị Hà", "0987 654 321");
    for q in [
        "nguyen van duc",
        "duc",
        "Đức",
        "ngu",
        "NGUYỄN",
        "van d",
        "đ",
    ] {
        assert_eq!(search_names(&s, q), ["Nguyễn Văn Đức"], "query {q:?}");
    }
    assert_eq!(search_names(&s, "ha"), ["Trần Thị Hà"]);
}

#[test]
fn search_by_phone_digits_with_or_without_prefix() {
    let mut s = store();
    create(&mut s, "Nguyễn Văn Đức", "0912 345 678");
    create(&mut s, "Trần Thị Hà", "0987 654 321");
    for q in [
        "345678",
        "0912",
        "912345",
        "0912 345 678",
        "+84912345678",
        "84912345",
        "5678",
    ] {
        assert_eq!(search_names(&s, q), ["Nguyễn Văn Đức"], "query {q:?}");
    }
    assert!(search_names(&s, "999999").is_empty());
}

#[test]
fn exact_diacritics_rank_above_folded_matches() {
    let mut s = store();
    // Inserted first so that insertion order alone would put it first.
    create(&mut s, "Đường Minh Khoa", "");
    create(&mut s, "Đường Thị Yến", "");
    create(&mut s, "Dương Văn Long", "");
    let r = search_names(&s, "Dương");
    assert_eq!(r[0], "Dương Văn Long", "{r:?}");
    assert_eq!(r.len(), 3, "folded matches still follow: {r:?}");
    let r = search_names(&s, "Đường");
    assert!(r[0].starts_with("Đường"), "{r:?}");
}

#[test]
fn search_covers_company_email_tags_and_notes() {
    let mut s = store();
    let mut i = input("Vũ Khánh", "");
    i.company_name = Some("Công ty TNHH Hưng Thịnh".into());
    i.email = Some("khanh.vu@example.vn".into());
    i.tags = vec!["Đại lý cấp 1".into()];
    i.notes = Some("Thích trà sen".into());
    s.create_customer(&i, true, NOW).unwrap();
    for q in ["hung thinh", "khanh.vu", "example", "dai ly", "tra sen"] {
        assert_eq!(search_names(&s, q), ["Vũ Khánh"], "query {q:?}");
    }
    let id = s.search_customers("khanh", 1).unwrap()[0].id.clone();
    s.add_note(&id, "Hẹn gặp ở Đà Lạt", true, NOW).unwrap();
    assert_eq!(
        search_names(&s, "da lat"),
        ["Vũ Khánh"],
        "pinned notes are searchable"
    );
}

#[test]
fn query_syntax_is_only_text() {
    let mut s = store();
    create(&mut s, "Nguyễn Văn Đức", "");
    for q in [
        "\"",
        "*",
        "NEAR",
        "-",
        "duc\"",
        "\"duc*",
        "duc -",
        "NEAR(duc)",
        "(",
        "a OR",
        "^",
        "{name_exact}:x",
        "",
    ] {
        s.search_customers(q, 10)
            .unwrap_or_else(|e| panic!("query {q:?} failed: {e}"));
    }
    assert_eq!(search_names(&s, "\"duc\""), ["Nguyễn Văn Đức"]);
}

#[test]
fn editing_a_customer_updates_the_search_index() {
    let mut s = store();
    let id = create(&mut s, "Lê Văn Sơn", "0901 000 111");
    s.update_customer(&id, &input("Lê Văn Sang", "0902 000 222"), true, NOW)
        .unwrap();
    assert!(search_names(&s, "son").is_empty());
    assert_eq!(search_names(&s, "sang"), ["Lê Văn Sang"]);
    assert!(search_names(&s, "0901000").is_empty());
    assert_eq!(search_names(&s, "0902000"), ["Lê Văn Sang"]);
}

// ---------------------------------------------------------------- sample data

#[test]
fn the_shipped_sample_set_loads() {
    let json = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../assets/sample-data.json"
    ))
    .expect("assets/sample-data.json exists");
    let mut s = store();
    let r = s.load_sample_json(&json, NOW).unwrap();
    assert!(
        r.customers >= 200,
        "a few hundred customers: {}",
        r.customers
    );
    assert!(r.interactions > r.customers);
    let page = s
        .list_customers(&CustomerListQuery {
            limit: 5,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(page.total, r.customers);
    assert!(!s.search_customers("nguyen", 10).unwrap().is_empty());
}

#[test]
fn a_malformed_sample_file_loads_nothing() {
    let mut s = store();
    let e = s
        .load_sample_json("{\"customers\": [{\"oops\": 1}]}", NOW)
        .unwrap_err();
    assert_eq!(e.code(), ErrorCode::InvalidInput);
    let mut set = tend_core::sample::generate(7, 3, 2);
    set.customers[2].customer.phones[0].number = "not a phone".into();
    assert!(s.load_sample(&set, NOW).is_err());
    let page = s
        .list_customers(&CustomerListQuery {
            limit: 5,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(page.total, 0, "all or nothing");
}

#[test]
fn an_unwritable_data_folder_is_a_storage_error() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("not-a-folder");
    std::fs::write(&file, b"x").unwrap();
    let err = Store::open_dir(&file.join("data"))
        .err()
        .expect("cannot create a folder inside a file");
    assert_eq!(err.code(), ErrorCode::Storage);
    assert!(err.to_string().contains("data folder"), "{err}");
}
