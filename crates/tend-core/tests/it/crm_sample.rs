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
