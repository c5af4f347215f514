//! The sample data set, and what a malformed one does.

use tend_core::crm::customers::CustomerListQuery;
use tend_core::{ErrorCode, Store};

use crate::support::crm::*;

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
    let mut set = tend_core::crm::sample::generate(7, 3, 2);
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

#[test]
fn a_new_folder_starts_with_templates_and_a_care_scenario_once() {
    let mut s = tend_core::Store::open_in_memory().unwrap();
    assert!(s.add_starter_content(1_000).unwrap());
    let templates = s.list_templates(&Default::default()).unwrap();
    assert_eq!(templates.len(), 4);
    let scenarios = s.list_scenarios().unwrap();
    assert_eq!(scenarios.len(), 1);
    let sc = s.get_scenario(&scenarios[0].id).unwrap();
    assert_eq!(sc.steps.len(), 3);
    assert_eq!(
        sc.steps[0].channel,
        Some(tend_core::messaging::outbox::SendChannel::ZaloPersonal)
    );
    // Each template renders for a real customer once the salesperson's name is set.
    s.set_setting("my_name", Some("Lan")).unwrap();
    let c = match s
        .create_customer(
            &crate::support::customer_input("Phạm Văn Nam", "0912 345 678"),
            false,
            2_000,
        )
        .unwrap()
    {
        tend_core::crm::customers::SaveOutcome::Saved { customer } => customer.id,
        other => panic!("{other:?}"),
    };
    for t in &templates {
        let r = s.render_template(&t.id, &c, false, "21/11/2026").unwrap();
        assert!(r.missing.is_empty(), "{}: {:?}", t.name, r.missing);
        assert!(r.text.contains("Nam"), "{}", r.text);
    }
    // Once only, even after the salesperson deletes them all.
    for t in &templates {
        let _ = s.delete_template(&t.id);
    }
    assert!(!s.add_starter_content(3_000).unwrap());

    // A folder that already has its own templates gets nothing added.
    let mut own = tend_core::Store::open_in_memory().unwrap();
    own.create_template(
        &tend_core::messaging::templates::TemplateInput {
            name: "Của tôi".into(),
            body: "Chào".into(),
            ..Default::default()
        },
        1_000,
    )
    .unwrap();
    assert!(!own.add_starter_content(1_000).unwrap());
    assert_eq!(own.list_templates(&Default::default()).unwrap().len(), 1);
}
