//! Segments: every criterion against a small fixture book, all/any, one level of grouping,
//! deleted customers left out, paging, and acting on a segment.

use std::collections::BTreeSet;

use tend_core::base::ids::{CustomerId, ScenarioId, TagId};
use tend_core::care::model::EnrollTarget;
use tend_core::crm::customers::{CustomerSort, LifecycleStage, Temperature};
use tend_core::crm::tasks::TaskInput;
use tend_core::messaging::consent::{ConsentChannel, ConsentInput, ConsentMethod, ConsentState};
use tend_core::segments::{
    CriteriaGroup, Criterion, CriterionOp, MatchMode, SegmentDefinition, SegmentField,
    SegmentInput, SegmentListQuery,
};
use tend_core::Store;

use crate::support::care::{message, scenario, tg_template};
use crate::support::crm::call;
use crate::support::*;

/// Monday 23 November 2026, 10:00 in Vietnam.
fn now() -> i64 {
    vn_time(2026, 11, 23, 10, 0)
}

struct Book {
    s: Store,
    names: std::collections::HashMap<CustomerId, String>,
    vip: TagId,
    si: TagId,
    scenario: ScenarioId,
}

fn book() -> Book {
    let mut s = store_in_vietnam();
    let an = customer_with(
        &mut s,
        "Nguyễn Văn An",
        vn_time(2026, 10, 1, 9, 0),
        |c| {
            c.tags = vec!["VIP".into()];
            c.lifecycle_stage = Some(LifecycleStage::Active);
            c.temperature = Some(Temperature::Warm);
            c.source = Some("Facebook".into());
            c.address = Some("12 Nguyễn Văn Linh, Quận 7, TP.HCM".into());
            c.company_name = Some("Công ty ABC".into());
            c.telegram_id = Some("7001".into());
            c.birthday = Some("1990-11-25".into());
        },
    );
    let binh = customer_with(
        &mut s,
        "Trần Thị Bình",
        vn_time(2026, 11, 20, 9, 0),
        |c| {
            c.tags = vec!["VIP".into(), "Sỉ".into()];
            c.lifecycle_stage = Some(LifecycleStage::New);
            c.temperature = Some(Temperature::Hot);
            c.source = Some("Zalo".into());
            c.address = Some("45 Lê Lợi, Quận 1, Sài Gòn".into());
            c.zalo_id = Some("z-binh".into());
            c.email = Some("binh@example.vn".into());
            c.birthday = Some("1985-12-31".into());
        },
    );
    let cuong = customer_with(
        &mut s,
        "Lê Văn Cường",
        vn_time(2026, 1, 5, 9, 0),
        |c| {
            c.tags = vec!["Sỉ".into()];
            c.lifecycle_stage = Some(LifecycleStage::AtRisk);
            c.temperature = Some(Temperature::Cold);
            c.address = Some("Hà Nội".into());
            c.company_name = Some("ABC Group".into());
            c.email = Some("cuong@example.vn".into());
            c.do_not_contact = true;
        },
    );
    let dung = customer_with(
        &mut s,
        "Phạm Thị Dung",
        vn_time(2026, 2, 1, 9, 0),
        |c| {
            *c = customer_input("Phạm Thị Dung", "0912 345 678");
            c.lifecycle_stage = Some(LifecycleStage::Prospect);
            c.address = Some("Đường Nguyễn Huệ, Quận 1, TP. Hồ Chí Minh".into());
        },
    );
    let em = customer_with(&mut s, "Hoàng Văn Em", vn_time(2026, 3, 1, 9, 0), |c| {
        c.tags = vec!["VIP".into()];
        c.telegram_id = Some("7005".into());
    });
    s.log_interaction(&call(&an, vn_time(2026, 10, 10, 9, 0)), now())
        .unwrap();
    s.log_interaction(&call(&cuong, vn_time(2026, 11, 20, 9, 0)), now())
        .unwrap();
    s.create_task(
        &TaskInput {
            customer_id: Some(cuong.clone()),
            title: "Gọi lại".into(),
            notes: None,
            due_at: vn_time(2026, 11, 23, 15, 0),
            priority: Default::default(),
        },
        now(),
    )
    .unwrap();
    s.record_consent(
        &ConsentInput {
            customer_id: dung.clone(),
            channel: ConsentChannel::Telegram,
            state: ConsentState::Given,
            method: ConsentMethod::InPerson,
            note: None,
        },
        now(),
    )
    .unwrap();
    s.record_consent(
        &ConsentInput {
            customer_id: binh.clone(),
            channel: ConsentChannel::Zalo,
            state: ConsentState::Withdrawn,
            method: ConsentMethod::Message,
            note: None,
        },
        now(),
    )
    .unwrap();
    let t = tg_template(&mut s, "Chào {{customer.given_name}}");
    let sc = scenario(
        &mut s,
        vec![message(&t, 3, 0, 0, Default::default())],
        |_| {},
    );
    s.enroll(
        &sc,
        &EnrollTarget::Customers {
            ids: vec![dung.clone()],
        },
        now(),
    )
    .unwrap();
    s.delete_customer(&em, now()).unwrap();
    let tags = s.list_tags().unwrap();
    let tag = |n: &str| tags.iter().find(|t| t.name == n).unwrap().id.clone();
    let names = [
        (an, "An"),
        (binh, "Bình"),
        (cuong, "Cường"),
        (dung, "Dung"),
        (em, "Em"),
    ]
    .into_iter()
    .map(|(id, n)| (id, n.to_string()))
    .collect();
    Book {
        vip: tag("VIP"),
        si: tag("Sỉ"),
        s,
        names,
        scenario: sc,
    }
}

fn crit(field: SegmentField, op: CriterionOp, value: &str) -> Criterion {
    Criterion {
        field,
        op,
        value: (!value.is_empty()).then(|| value.to_string()),
        ..Default::default()
    }
}

fn all(criteria: Vec<Criterion>) -> SegmentDefinition {
    SegmentDefinition {
        match_: MatchMode::All,
        criteria,
        groups: vec![],
    }
}

impl Book {
    fn who(&self, def: &SegmentDefinition) -> BTreeSet<String> {
        let page = self
            .s
            .segment_customers(
                &SegmentListQuery {
                    definition: Some(def.clone()),
                    limit: 100,
                    ..Default::default()
                },
                now(),
            )
            .unwrap();
        assert_eq!(
            page.total,
            self.s.count_segment(def, now()).unwrap(),
            "the count and the list agree"
        );
        page.items
            .iter()
            .map(|c| self.names[&c.id].clone())
            .collect()
    }
}

fn set(names: &[&str]) -> BTreeSet<String> {
    names.iter().map(|n| n.to_string()).collect()
}

#[test]
fn every_criterion_finds_the_right_customers() {
    use CriterionOp::*;
    use SegmentField::*;
    let b = book();
    let vip = b.vip.to_string();
    let si = b.si.to_string();
    let sc = b.scenario.to_string();
    let tags = |op, ids: &[&str]| Criterion {
        field: Tag,
        op,
        values: ids.iter().map(|s| s.to_string()).collect(),
        ..Default::default()
    };
    let cases: Vec<(&str, Criterion, &[&str])> = vec![
        ("tag any", tags(Has, &[&vip]), &["An", "Bình"]),
        (
            "tag any of two",
            tags(Has, &[&vip, &si]),
            &["An", "Bình", "Cường"],
        ),
        ("tag all", tags(HasAll, &[&vip, &si]), &["Bình"]),
        ("tag none", tags(HasNot, &[&vip]), &["Cường", "Dung"]),
        ("tag by value", crit(Tag, Has, &si), &["Bình", "Cường"]),
        ("lifecycle", crit(Lifecycle, Is, "active"), &["An"]),
        (
            "lifecycle not",
            crit(Lifecycle, IsNot, "active"),
            &["Bình", "Cường", "Dung"],
        ),
        ("temperature", crit(Temperature, Is, "hot"), &["Bình"]),
        (
            "temperature not (unset too)",
            crit(Temperature, IsNot, "hot"),
            &["An", "Cường", "Dung"],
        ),
        ("source, any case", crit(Source, Is, "facebook"), &["An"]),
        (
            "company contains",
            crit(Company, Contains, "abc"),
            &["An", "Cường"],
        ),
        ("company is", crit(Company, Is, "abc group"), &["Cường"]),
        (
            "province by alias",
            crit(Province, Has, "Hồ Chí Minh"),
            &["An", "Bình", "Dung"],
        ),
        (
            "province Sài Gòn is HCM",
            crit(Province, Has, "sai gon"),
            &["An", "Bình", "Dung"],
        ),
        (
            "province Hà Nội",
            crit(Province, Has, "Thành phố Hà Nội"),
            &["Cường"],
        ),
        (
            "province Huế is not Nguyễn Huệ",
            crit(Province, Has, "Huế"),
            &[],
        ),
        ("province not", crit(Province, HasNot, "HCM"), &["Cường"]),
        (
            "address words",
            crit(Address, Has, "quận 1"),
            &["Bình", "Dung"],
        ),
        (
            "address words, not a prefix",
            crit(Address, Has, "quan 7"),
            &["An"],
        ),
        (
            "created before",
            crit(Created, Before, "2026-02-01"),
            &["Cường"],
        ),
        (
            "created after",
            crit(Created, After, "2026-10-01"),
            &["Bình"],
        ),
        (
            "created between (whole days)",
            Criterion {
                to: Some("2026-10-01".into()),
                ..crit(Created, Between, "2026-02-01")
            },
            &["An", "Dung"],
        ),
        (
            "last contact before, never contacted included",
            crit(LastContact, Before, "2026-11-01"),
            &["An", "Bình", "Dung"],
        ),
        (
            "last contact after",
            crit(LastContact, After, "2026-11-01"),
            &["Cường"],
        ),
        (
            "no contact in 30 days, never contacted included",
            crit(NoContactDays, Within, "30"),
            &["An", "Bình", "Dung"],
        ),
        (
            "follow-up due today",
            crit(FollowUpDue, Within, "0"),
            &["Cường"],
        ),
        (
            "birthday within 7 days",
            crit(BirthdayWithinDays, Within, "7"),
            &["An"],
        ),
        (
            "birthday within 40 days wraps the year",
            crit(BirthdayWithinDays, Within, "40"),
            &["An", "Bình"],
        ),
        ("has Telegram", crit(HasChannel, Has, "telegram"), &["An"]),
        ("has Zalo id", crit(HasChannel, Has, "zalo_id"), &["Bình"]),
        (
            "has a phone Zalo can reach",
            crit(HasChannel, Has, "zalo_phone"),
            &["Dung"],
        ),
        (
            "has email",
            crit(HasChannel, Has, "email"),
            &["Bình", "Cường"],
        ),
        (
            "has no email",
            crit(HasChannel, HasNot, "email"),
            &["An", "Dung"],
        ),
        ("enrolled", crit(Scenario, Has, &sc), &["Dung"]),
        (
            "not enrolled",
            crit(Scenario, HasNot, &sc),
            &["An", "Bình", "Cường"],
        ),
        ("consent given", crit(Consent, Given, "telegram"), &["Dung"]),
        (
            "consent withdrawn",
            crit(Consent, Withdrawn, "zalo"),
            &["Bình"],
        ),
        (
            "consent not recorded",
            crit(Consent, NotRecorded, "zalo"),
            &["An", "Cường", "Dung"],
        ),
        ("do not contact", crit(DoNotContact, Has, ""), &["Cường"]),
        (
            "may be contacted",
            crit(DoNotContact, HasNot, ""),
            &["An", "Bình", "Dung"],
        ),
    ];
    for (what, c, expected) in cases {
        assert_eq!(b.who(&all(vec![c])), set(expected), "{what}");
    }
    // No criteria: the whole live book (the deleted customer left out).
    assert_eq!(
        b.who(&SegmentDefinition::default()),
        set(&["An", "Bình", "Cường", "Dung"])
    );
}

#[test]
fn criteria_combine_with_all_any_and_one_level_of_groups() {
    use CriterionOp::*;
    use SegmentField::*;
    let b = book();
    let vip = crit(Tag, Has, &b.vip.to_string());
    let no_contact = crit(NoContactDays, Within, "30");
    assert_eq!(
        b.who(&all(vec![vip.clone(), no_contact.clone()])),
        set(&["An", "Bình"])
    );
    let any = SegmentDefinition {
        match_: MatchMode::Any,
        criteria: vec![vip.clone(), no_contact.clone()],
        groups: vec![],
    };
    assert_eq!(b.who(&any), set(&["An", "Bình", "Dung"]));
    // (email) AND (hot OR at risk)
    let grouped = SegmentDefinition {
        match_: MatchMode::All,
        criteria: vec![crit(HasChannel, Has, "email")],
        groups: vec![CriteriaGroup {
            match_: MatchMode::Any,
            criteria: vec![crit(Temperature, Is, "hot"), crit(Lifecycle, Is, "at_risk")],
        }],
    };
    assert_eq!(b.who(&grouped), set(&["Bình", "Cường"]));
    // (VIP) OR (Sỉ AND do not contact)
    let or_of_group = SegmentDefinition {
        match_: MatchMode::Any,
        criteria: vec![vip],
        groups: vec![CriteriaGroup {
            match_: MatchMode::All,
            criteria: vec![
                crit(Tag, Has, &b.si.to_string()),
                crit(DoNotContact, Has, ""),
            ],
        }],
    };
    assert_eq!(b.who(&or_of_group), set(&["An", "Bình", "Cường"]));
}

#[test]
fn a_criterion_that_cannot_run_is_refused_naming_it() {
    use CriterionOp::*;
    use SegmentField::*;
    let mut b = book();
    for (c, key) in [
        (crit(NoContactDays, Within, "abc"), "segment.days_invalid"),
        (crit(Created, Before, "23/11/2026"), "segment.date_invalid"),
        (crit(Lifecycle, Is, "vip"), "segment.value_invalid"),
        (crit(Tag, Has, ""), "segment.value_missing"),
        (crit(Created, Contains, "2026-01-01"), "segment.op_invalid"),
    ] {
        let def = all(vec![crit(Temperature, Is, "hot"), c]);
        let e =
            b.s.save_segment(
                None,
                &SegmentInput {
                    name: "Thử".into(),
                    definition: def,
                },
                now(),
            )
            .unwrap_err();
        assert_eq!(e.key(), key);
        assert_eq!(e.param("criterion").as_deref(), Some("2"), "{key}");
    }
    let e =
        b.s.save_segment(None, &SegmentInput::default(), now())
            .unwrap_err();
    assert_eq!(e.key(), "segment.name_missing");
}

#[test]
fn a_saved_segment_is_live_pages_and_is_acted_on() {
    use CriterionOp::*;
    use SegmentField::*;
    let mut b = book();
    let seg =
        b.s.save_segment(
            None,
            &SegmentInput {
                name: "VIP lâu chưa gọi".into(),
                definition: all(vec![
                    crit(NoContactDays, Within, "30"),
                    crit(HasChannel, HasNot, "email"),
                ]),
            },
            now(),
        )
        .unwrap();
    let list = b.s.list_segments(now()).unwrap();
    assert_eq!(list[0].count, 2);
    // Live: a call to An takes them out.
    let an = b.names.iter().find(|(_, n)| *n == "An").unwrap().0.clone();
    b.s.log_interaction(&call(&an, now()), now()).unwrap();
    assert_eq!(b.s.list_segments(now()).unwrap()[0].count, 1);
    // Pages like the customer list.
    let first =
        b.s.segment_customers(
            &SegmentListQuery {
                segment_id: Some(seg.id.clone()),
                sort: CustomerSort::Name,
                limit: 1,
                ..Default::default()
            },
            now(),
        )
        .unwrap();
    assert_eq!((first.items.len(), first.total), (1, 1));
    // Tag everyone in it, then take the tag off again.
    assert_eq!(b.s.tag_segment(&seg.id, "Gọi lại", true, now()).unwrap(), 1);
    assert_eq!(b.s.tag_segment(&seg.id, "Gọi lại", true, now()).unwrap(), 0);
    let dung = &first.items[0];
    assert_eq!(b.names[&dung.id], "Dung");
    assert!(b
        .s
        .get_customer(&dung.id)
        .unwrap()
        .tags
        .iter()
        .any(|t| t.name == "Gọi lại"));
    assert_eq!(
        b.s.tag_segment(&seg.id, "gọi lại", false, now()).unwrap(),
        1
    );
    assert!(b.s.get_customer(&dung.id).unwrap().tags.is_empty());
    // Export it: only who is in it.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("nhom.csv");
    let summary =
        b.s.export_book(
            &tend_core::export::model::ExportRequest {
                format: tend_core::export::model::ExportFormat::Csv,
                segment_id: Some(seg.id.clone()),
                ..Default::default()
            },
            &out,
            now(),
        )
        .unwrap();
    assert_eq!(summary.count, 1);
    assert!(std::fs::read_to_string(&out)
        .unwrap()
        .contains("Phạm Thị Dung"));
    // Enrol it: Dung is already in the scenario.
    let r = b.s.enroll_segment(&b.scenario, &seg.id, now()).unwrap();
    assert_eq!((r.enrolled, r.already), (0, 1));
}
