//! Customers: create, validate, duplicates, soft delete, lists, tags.

use tend_core::crm::customers::{CustomerInput, CustomerListQuery, CustomerSort, SaveOutcome};
use tend_core::{ErrorCode, Store};

use crate::support::crm::*;

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

#[test]
fn saving_a_form_opened_before_the_bot_bound_telegram_keeps_the_binding() {
    let mut s = Store::open_in_memory().unwrap();
    // What the form shows and sends, as the salesperson typed it.
    let typed = CustomerInput {
        full_name: "Đỗ Minh Khoa".into(),
        phones: vec![tend_core::crm::customers::PhoneInput {
            number: "0912 345 678".into(),
            label: None,
        }],
        company_name: Some("Hoa Sen".into()),
        ..Default::default()
    };
    let id = match s.create_customer(&typed, false, 1_000).unwrap() {
        SaveOutcome::Saved { customer } => customer.id,
        other => panic!("{other:?}"),
    };
    let link = s.telegram_binding_link(&id, "tend_bot", 2_000).unwrap();
    let token = link.split("start=").nth(1).unwrap();

    // The form is opened; meanwhile the customer presses Start and the bot binds their chat.
    let opened_on = typed.clone();
    s.apply_telegram_start(token, 8_001_234, 3_000).unwrap();

    // The salesperson changes the company and saves the form they opened before.
    let edited = CustomerInput {
        company_name: Some("Hoa Sen Group".into()),
        ..opened_on.clone()
    };
    s.update_customer_from(&id, &opened_on, &edited, false, 4_000)
        .unwrap();
    let c = s.get_customer(&id).unwrap();
    assert_eq!(c.company_name.as_deref(), Some("Hoa Sen Group"));
    assert_eq!(
        c.telegram_id.as_deref(),
        Some("8001234"),
        "the binding Tend made meanwhile is kept"
    );

    // Clearing a field on purpose still clears it.
    let base = CustomerInput {
        telegram_id: Some("8001234".into()),
        ..edited.clone()
    };
    let cleared = CustomerInput {
        telegram_id: None,
        ..base.clone()
    };
    s.update_customer_from(&id, &base, &cleared, false, 5_000)
        .unwrap();
    assert_eq!(s.get_customer(&id).unwrap().telegram_id, None);
}
