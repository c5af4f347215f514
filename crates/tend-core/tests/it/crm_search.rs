//! Search as you type: folding, phone digits, ranking, and query syntax as text.

use tend_core::Store;

use crate::support::crm::*;

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

#[test]
fn many_nguyen_are_paged_with_a_total_and_the_most_recent_first() {
    let mut s = store();
    let given = [
        "An", "Bình", "Cường", "Dũng", "Giang", "Hà", "Khoa", "Long", "Minh", "Nam",
    ];
    for i in 0..60 {
        create(&mut s, &format!("Nguyễn Văn {} {i}", given[i % 10]), "");
    }
    let newest = create(&mut s, "Nguyễn Văn Hùng", "");
    let first = s.search_customers_page("nguyen", 0, 50).unwrap();
    assert_eq!(first.total, 61);
    assert!(!first.more_than_total);
    assert_eq!(first.items.len(), 50);
    assert_eq!(
        first.items[0].id, newest,
        "the one added a minute ago is on top"
    );
    let second = s.search_customers_page("nguyen", 50, 50).unwrap();
    assert_eq!(second.items.len(), 11);
    let mut all: Vec<_> = first
        .items
        .iter()
        .chain(&second.items)
        .map(|c| c.id.clone())
        .collect();
    all.sort();
    all.dedup();
    assert_eq!(all.len(), 61, "every match reachable, none twice");
    assert!(all.contains(&newest));
    assert!(s
        .search_customers_page("nguyen", 61, 50)
        .unwrap()
        .items
        .is_empty());
}

#[test]
fn recently_contacted_come_first_among_equal_matches_and_a_note_is_not_contact() {
    let mut s = store();
    let oldest = customer_with(&mut s, "Nguyễn Văn Cũ", NOW - 30 * DAY, |_| {});
    let noted = customer_with(&mut s, "Nguyễn Thị Ghi", NOW - 20 * DAY, |_| {});
    for i in 0..60 {
        customer_with(
            &mut s,
            &format!("Nguyễn Văn Khách {i}"),
            NOW - 10 * DAY,
            |_| {},
        );
    }
    let newest = customer_with(&mut s, "Nguyễn Văn Mới", NOW - HOUR, |_| {});
    let ids = |s: &Store, q: &str| -> Vec<_> {
        s.search_customers_page(q, 0, 50)
            .unwrap()
            .items
            .into_iter()
            .map(|c| c.id)
            .collect()
    };
    assert_eq!(ids(&s, "nguyen")[0], newest);
    assert!(
        !ids(&s, "nguyen").contains(&oldest),
        "the oldest is past the first page"
    );

    // A call a minute ago puts the oldest customer on top of the first page.
    s.log_interaction(&call(&oldest, NOW - MIN), NOW).unwrap();
    let mut note = call(&noted, NOW - MIN);
    note.kind = tend_core::crm::interactions::InteractionKind::Note;
    s.log_interaction(&note, NOW).unwrap();
    let first = ids(&s, "nguyen");
    assert_eq!(first[..2], [oldest.clone(), newest.clone()]);
    assert!(!first.contains(&noted), "a note is history, not contact");
    // In every tier: the folded name, and any field.
    assert_eq!(ids(&s, "nguyen van")[0], oldest);
    assert_eq!(ids(&s, "cu")[0], oldest);
    // A contact older than a customer's arrival places it after that customer.
    let later = customer_with(&mut s, "Nguyễn Văn Sau", NOW, |_| {});
    assert_eq!(
        ids(&s, "nguyen")[..3],
        [later.clone(), oldest.clone(), newest]
    );
    // Paging still reaches everyone once.
    let second = s.search_customers_page("nguyen", 50, 50).unwrap();
    assert_eq!(second.items.len(), 64 - 50);
    let mut all = ids(&s, "nguyen");
    all.extend(second.items.into_iter().map(|c| c.id));
    all.sort();
    all.dedup();
    assert_eq!(all.len(), 64);
    // Exact diacritics still rank above a folded match, however recent.
    customer_with(&mut s, "Đường Văn Hải", NOW - 40 * DAY, |_| {});
    let duong = customer_with(&mut s, "Dương Văn Hải", NOW - 40 * DAY, |_| {});
    let other = customer_with(&mut s, "Đường Thị Lan", NOW - 41 * DAY, |_| {});
    s.log_interaction(&call(&other, NOW), NOW).unwrap();
    assert_eq!(ids(&s, "Dương")[0], duong);
}

#[test]
fn among_hundreds_of_matches_the_recently_contacted_still_come_first() {
    let mut s = store();
    let oldest = customer_with(&mut s, "Nguyễn Văn Cũ", NOW - 30 * DAY, |_| {});
    for i in 0..250 {
        customer_with(
            &mut s,
            &format!("Nguyễn Văn Khách {i}"),
            NOW - 10 * DAY,
            |_| {},
        );
    }
    let newest = customer_with(&mut s, "Nguyễn Văn Mới", NOW - HOUR, |_| {});
    s.log_interaction(&call(&oldest, NOW - MIN), NOW).unwrap();
    let later = customer_with(&mut s, "Nguyễn Văn Sau", NOW, |_| {});
    for q in ["nguyen", "Nguyễn", "van"] {
        let page = s.search_customers_page(q, 0, 50).unwrap();
        assert_eq!(page.total, 253, "{q}");
        let ids: Vec<_> = page.items.into_iter().map(|c| c.id).collect();
        assert_eq!(
            ids[..3],
            [later.clone(), oldest.clone(), newest.clone()],
            "{q}"
        );
    }
    let mut seen = Vec::new();
    for offset in (0..253).step_by(50) {
        let page = s.search_customers_page("nguyen", offset, 50).unwrap();
        seen.extend(page.items.into_iter().map(|c| c.id));
    }
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), 253, "every match reachable once, page by page");
}
