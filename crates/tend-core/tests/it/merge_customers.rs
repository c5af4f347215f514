//! The duplicate scan and merging: pairs found with their reason, most certain first; a merge
//! unites phones and tags, moves the history and ends the enrolment that is behind; undo puts
//! every table back exactly as it was.

use rusqlite::types::Value;

use tend_core::base::ids::CustomerId;
use tend_core::crm::customers::{CustomerInput, PhoneInput};
use tend_core::merge::combine::{FieldChoice, MergeField, MergeRequest};
use tend_core::merge::scan::DuplicateReason;
use tend_core::Store;

use crate::support::care::{enroll, scenario, task};
use crate::support::crm::*;
use crate::support::{store, HOUR, NOW};

fn person(
    s: &mut Store,
    name: &str,
    phones: &[&str],
    email: Option<&str>,
    company: Option<&str>,
    tags: &[&str],
) -> CustomerId {
    let input = CustomerInput {
        full_name: name.into(),
        phones: phones
            .iter()
            .map(|p| PhoneInput {
                number: (*p).into(),
                label: None,
            })
            .collect(),
        email: email.map(Into::into),
        company_name: company.map(Into::into),
        tags: tags.iter().map(|t| (*t).into()).collect(),
        ..Default::default()
    };
    match s.create_customer(&input, true, NOW).unwrap() {
        tend_core::crm::customers::SaveOutcome::Saved { customer } => customer.id,
        other => panic!("{other:?}"),
    }
}

#[test]
fn the_scan_finds_pairs_by_phone_email_name_and_company_most_certain_first() {
    let mut s = store();
    let an = person(&mut s, "Nguyễn Văn An", &["0901 111 222"], None, None, &[]);
    let an2 = person(&mut s, "Anh An", &["+84 901 111 222"], None, None, &[]);
    let binh = person(&mut s, "Lê Bình", &[], Some("binh@example.vn"), None, &[]);
    let binh2 = person(&mut s, "Bình", &[], Some("BINH@example.vn"), None, &[]);
    let cuc = person(
        &mut s,
        "Trần Thị Cúc",
        &["0912 000 001"],
        None,
        Some("Hoa Sen"),
        &[],
    );
    let cuc2 = person(
        &mut s,
        "Tran Thi Cuc",
        &["0912 000 002"],
        None,
        Some("hoa sen"),
        &[],
    );
    let dung = person(&mut s, "Phạm Dũng", &["0283 822 1234"], None, None, &[]);
    let dung2 = person(&mut s, "Phạm Dũng", &["0243 822 1234"], None, None, &[]);
    person(&mut s, "Người khác", &["0999 999 999"], None, None, &[]);
    let scan = s.scan_duplicates(100).unwrap();
    let found: Vec<(DuplicateReason, Vec<CustomerId>)> = scan
        .pairs
        .iter()
        .map(|p| {
            let mut ids = vec![p.a.id.clone(), p.b.id.clone()];
            ids.sort();
            (p.reason, ids)
        })
        .collect();
    let pair = |a: &CustomerId, b: &CustomerId| {
        let mut ids = vec![a.clone(), b.clone()];
        ids.sort();
        ids
    };
    assert_eq!(
        found,
        [
            (DuplicateReason::SamePhone, pair(&an, &an2)),
            (DuplicateReason::SameEmail, pair(&binh, &binh2)),
            (DuplicateReason::SameNameAndCompany, pair(&cuc, &cuc2)),
            (DuplicateReason::SameNameAndPhoneEnding, pair(&dung, &dung2)),
        ]
    );
    assert_eq!(scan.total, 4);
}

/// Every table's rows, sorted, except the merges record itself.
fn dump(s: &mut Store) -> Vec<(String, Vec<String>)> {
    let conn = s.connection();
    let tables: Vec<String> = conn
        .prepare(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
             AND name NOT LIKE 'customer_search_%' AND name != 'merges' ORDER BY name",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    tables
        .into_iter()
        .map(|t| {
            let mut stmt = conn.prepare(&format!("SELECT * FROM {t}")).unwrap();
            let n = stmt.column_count();
            let mut rows: Vec<String> = stmt
                .query_map([], |r| {
                    Ok((0..n)
                        .map(|i| format!("{:?}", r.get::<_, Value>(i).unwrap()))
                        .collect::<Vec<_>>()
                        .join("|"))
                })
                .unwrap()
                .collect::<rusqlite::Result<_>>()
                .unwrap();
            rows.sort();
            (t, rows)
        })
        .collect()
}

#[test]
fn a_merge_moves_everything_and_undo_puts_every_table_back() {
    let mut s = store();
    let kept = person(
        &mut s,
        "Nguyễn Văn An",
        &["0901 111 222"],
        None,
        Some("Hoa Sen"),
        &["VIP"],
    );
    let other = person(
        &mut s,
        "An Nguyễn",
        &["0901 111 222", "0902 333 444"],
        Some("an@example.vn"),
        None,
        &["Hà Nội"],
    );
    let bystander = person(
        &mut s,
        "Người khác",
        &["0999 999 999"],
        None,
        None,
        &["VIP"],
    );
    s.log_interaction(&call(&kept, NOW - 3 * HOUR), NOW)
        .unwrap();
    let mut later = call(&other, NOW - HOUR);
    later.next_action = Some("Gửi báo giá".into());
    later.next_action_date = Some(NOW + 24 * HOUR);
    s.log_interaction(&later, NOW).unwrap();
    let sc = scenario(
        &mut s,
        vec![task(
            "Gọi lại",
            1,
            0,
            0,
            tend_core::care::timing::DelayFrom::Start,
        )],
        |_| {},
    );
    enroll(&mut s, &sc, &kept, NOW);
    enroll(&mut s, &sc, &other, NOW);
    let before = dump(&mut s);

    let merge = s
        .merge_customers(
            &MergeRequest {
                keep: kept.clone(),
                others: vec![other.clone()],
                choices: vec![FieldChoice {
                    field: MergeField::FullName,
                    from: other.clone(),
                }],
            },
            NOW + HOUR,
        )
        .unwrap();
    let c = s.get_customer(&kept).unwrap();
    assert_eq!(c.full_name, "An Nguyễn", "the chosen name");
    assert_eq!(
        c.company_name.as_deref(),
        Some("Hoa Sen"),
        "the kept customer's company"
    );
    assert_eq!(
        c.email.as_deref(),
        Some("an@example.vn"),
        "the only email, from the other"
    );
    let numbers: Vec<&str> = c.phones.iter().map(|p| p.number.as_str()).collect();
    assert_eq!(numbers, ["+84901111222", "+84902333444"], "phones united");
    let mut tags: Vec<&str> = c.tags.iter().map(|t| t.name.as_str()).collect();
    tags.sort();
    assert_eq!(tags, ["Hà Nội", "VIP"]);
    assert_eq!(
        c.total_interactions, 2,
        "the history moved and the roll-ups are recomputed"
    );
    assert_eq!(c.next_follow_up_date, Some(NOW + 24 * HOUR));
    assert!(s.get_customer(&other).unwrap().deleted_at.is_some());
    let live: i64 = s
        .connection()
        .query_row(
            "SELECT count(*) FROM enrollments WHERE customer_id = ?1 AND status = 'active'",
            [&kept],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(
        live, 1,
        "one enrolment in the scenario goes on, the other ended"
    );
    assert_eq!(s.search_customers("0902 333", 5).unwrap()[0].id, kept);
    let _ = bystander;

    s.undo_merge(&merge.id, NOW + 2 * HOUR).unwrap();
    assert_eq!(dump(&mut s), before, "every table as it was");
    assert_eq!(s.search_customers("0902 333", 5).unwrap()[0].id, other);
    assert_eq!(
        s.undo_merge(&merge.id, NOW).unwrap_err().key(),
        "merge.already_undone"
    );
}

#[test]
fn merging_nobody_or_a_deleted_customer_is_refused() {
    let mut s = store();
    let a = create(&mut s, "An", "0901 000 001");
    let e = s
        .merge_customers(
            &MergeRequest {
                keep: a.clone(),
                others: vec![a.clone()],
                choices: vec![],
            },
            NOW,
        )
        .unwrap_err();
    assert_eq!(e.key(), "merge.nothing_to_merge");
    let b = create(&mut s, "Bình", "0901 000 002");
    s.delete_customer(&b, NOW).unwrap();
    let e = s
        .merge_customers(
            &MergeRequest {
                keep: a,
                others: vec![b],
                choices: vec![],
            },
            NOW,
        )
        .unwrap_err();
    assert_eq!(e.key(), "not_found.customer");
}
