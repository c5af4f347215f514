//! The database: migrations, pragmas, the newer-version guard, reopening, and unwritable folders.

use tend_core::base::ids::CustomerId;
use tend_core::{ErrorCode, Store};

use crate::support::crm::*;

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
        tend_core::db::store::SCHEMA_VERSION
    );
    assert_eq!(
        migrated.schema_version().unwrap(),
        tend_core::db::store::SCHEMA_VERSION
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

#[cfg(unix)]
#[test]
fn the_data_folder_and_database_are_private_to_their_owner() {
    use std::os::unix::fs::PermissionsExt;
    let parent = tempfile::tempdir().unwrap();
    let dir = parent.path().join("Tend");
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    {
        let mut s = Store::open_dir(&dir).unwrap();
        create(&mut s, "Trần Thị Lan", "0987654321");
        assert_eq!(mode(&dir), 0o700, "the data folder");
        for file in ["tend.db", "tend.db-wal", "tend.db-shm"] {
            assert_eq!(mode(&dir.join(file)), 0o600, "{file}");
        }
    }
    // A folder and database made readable by an older version are made private again.
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::set_permissions(dir.join("tend.db"), std::fs::Permissions::from_mode(0o644)).unwrap();
    Store::open_dir(&dir).unwrap();
    assert_eq!(mode(&dir), 0o700);
    assert_eq!(mode(&dir.join("tend.db")), 0o600);
}

#[test]
fn a_refused_newer_database_is_left_byte_for_byte_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tend.db");
    {
        // A database from a newer Tend that happens to use a rollback journal.
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(
            "PRAGMA journal_mode = DELETE; CREATE TABLE future (x); PRAGMA user_version = 99;",
        )
        .unwrap();
    }
    let before = std::fs::read(&path).unwrap();
    let err = Store::open_dir(dir.path()).err().expect("refused");
    assert_eq!(err.code(), ErrorCode::NewerDatabase);
    let after = std::fs::read(&path).unwrap();
    assert!(
        after == before,
        "no journal-mode switch or anything else wrote to the refused file"
    );
    assert!(!dir.path().join("tend.db-wal").exists());
}

#[test]
fn migration_4_names_each_logged_step_by_its_id() {
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("v3.db");
    Store::create_at_version_for_test(&old, 3).unwrap();
    {
        let conn = rusqlite::Connection::open(&old).unwrap();
        conn.execute_batch(
            "INSERT INTO customers (id, full_name, sort_name, created_at, updated_at)
                 VALUES ('c1', 'Lê Văn Tám', 'tam', 1, 1);
             INSERT INTO scenarios (id, name, created_at, updated_at) VALUES ('s1', 'Chăm sóc', 1, 1);
             INSERT INTO scenario_steps (id, scenario_id, position, kind, title)
                 VALUES ('step-a', 's1', 0, 'task', 'Gọi'), ('step-b', 's1', 1, 'task', 'Hỏi');
             INSERT INTO enrollments (id, scenario_id, customer_id, started_at, next_position,
                 created_at, updated_at) VALUES ('e1', 's1', 'c1', 1, 1, 1, 1);
             INSERT INTO enrollment_steps (id, enrollment_id, position, kind, due_at, done_at, outcome)
                 VALUES ('l1', 'e1', 0, 'task', 1, 2, 'done'), ('l2', 'e1', 7, 'task', 1, 2, 'skipped');",
        )
        .unwrap();
    }
    let migrated = Store::open(&old).unwrap();
    let e = migrated
        .get_enrollment(&tend_core::base::ids::EnrollmentId("e1".to_string()))
        .unwrap();
    let ids: Vec<&str> = e.log.iter().map(|l| l.step_id.as_str()).collect();
    assert_eq!(ids, ["step-a", "removed:7"]);
}

#[test]
fn migration_6_keeps_every_customer_findable() {
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("v5.db");
    Store::create_at_version_for_test(&old, 5).unwrap();
    {
        let conn = rusqlite::Connection::open(&old).unwrap();
        conn.execute_batch(
            "INSERT INTO customers (rowid, id, full_name, sort_name, created_at, updated_at)
                 VALUES (1, 'c1', 'Lê Văn Tám', 'tam', 1, 1), (2, 'c2', 'Lê Thị Hoa', 'hoa', 2, 2);
             INSERT INTO customer_search (rowid, name_exact, name_folded, other_folded, phones)
                 VALUES (1, 'lê văn tám', 'le van tam', '', ''), (2, 'lê thị hoa', 'le thi hoa', '', '');",
        )
        .unwrap();
    }
    let mut s = Store::open(&old).unwrap();
    let found: Vec<String> = s
        .search_customers("le", 10)
        .unwrap()
        .into_iter()
        .map(|c| c.full_name)
        .collect();
    assert_eq!(found, ["Lê Thị Hoa", "Lê Văn Tám"], "the newer first");
    // And an edit rewrites the search row in place, not beside the old one.
    let id = tend_core::base::ids::CustomerId("c1".into());
    let mut input =
        tend_core::crm::customers::CustomerInput::from_customer(&s.get_customer(&id).unwrap());
    input.full_name = "Lê Văn Tâm".into();
    s.update_customer(&id, &input, true, 3).unwrap();
    assert_eq!(s.search_customers("le", 10).unwrap().len(), 2);
}

/// In a child process (see below): opens the folder in `TEND_TEST_CHILD_DIR` and prints how many
/// customers it holds. Without the variable it does nothing.
#[test]
fn child_process_counts_customers() {
    let Ok(dir) = std::env::var("TEND_TEST_CHILD_DIR") else {
        return;
    };
    let s = tend_core::Store::open_dir(std::path::Path::new(&dir)).unwrap();
    let n = s
        .list_customers(&tend_core::crm::customers::CustomerListQuery {
            limit: 100,
            ..Default::default()
        })
        .unwrap()
        .items
        .len();
    println!("CHILD-COUNT {n}");
}

/// Another process (the command line beside the open app) sees every commit of the app, however
/// many stores the app has opened on the folder. Opening a store must not drop the POSIX locks the
/// process's earlier connections hold: without them the other process thinks itself alone,
/// checkpoints on close and deletes the write-ahead log the app goes on writing to.
#[test]
fn another_process_sees_every_commit_while_the_app_has_several_stores_open() {
    let dir = tempfile::tempdir().unwrap();
    let count_in_child = || -> usize {
        let out = std::process::Command::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                "db_store::child_process_counts_customers",
                "--nocapture",
            ])
            .env("TEND_TEST_CHILD_DIR", dir.path())
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        let line = text
            .lines()
            .find_map(|l| l.strip_prefix("CHILD-COUNT "))
            .unwrap_or_else(|| panic!("the child answered: {text}"));
        line.trim().parse().unwrap()
    };
    let mut ui = Store::open_dir(dir.path()).unwrap();
    // The app's workers open their own stores after the first.
    let _worker = Store::open_dir(dir.path()).unwrap();
    create(&mut ui, "Đinh Thị Thu", "0912 000 111");
    assert_eq!(count_in_child(), 1);
    create(&mut ui, "Mai Văn Tới", "0912 000 222");
    assert_eq!(
        count_in_child(),
        2,
        "the second commit is not lost to a deleted log"
    );
}

#[test]
fn migration_10_rebuilds_templates_outbox_and_steps_keeping_every_reference() {
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("v9.db");
    Store::create_at_version_for_test(&old, 9).unwrap();
    {
        let conn = rusqlite::Connection::open(&old).unwrap();
        conn.execute_batch(
            "INSERT INTO customers (id, full_name, sort_name, created_at, updated_at)
                 VALUES ('c1', 'Lê Văn Tám', 'tam', 1, 1);
             INSERT INTO message_templates (id, name, channel, body, created_at, updated_at)
                 VALUES ('t1', 'Chào', 'zalo', 'Chào {{customer.name}}', 1, 1);
             INSERT INTO outbox (id, channel, recipient, body_text, customer_id, template_id,
                     idempotency_key, created_at, updated_at)
                 VALUES ('o1', 'zalo_oa', 'u1', 'Chào Tám', 'c1', 't1', 'k1', 1, 1);
             INSERT INTO scenarios (id, name, created_at, updated_at) VALUES ('s1', 'Chăm sóc', 1, 1);
             INSERT INTO scenario_steps (id, scenario_id, position, kind, template_id, channel)
                 VALUES ('step-a', 's1', 0, 'message', 't1', 'zalo_oa');
             INSERT INTO enrollments (id, scenario_id, customer_id, started_at, next_position,
                 created_at, updated_at) VALUES ('e1', 's1', 'c1', 1, 1, 1, 1);
             INSERT INTO enrollment_steps (id, enrollment_id, step_id, position, kind, due_at,
                     done_at, outcome, outbox_id)
                 VALUES ('l1', 'e1', 'step-a', 0, 'message', 1, 2, 'done', 'o1');",
        )
        .unwrap();
    }
    let s = Store::open(&old).unwrap();
    drop(s);
    let conn = rusqlite::Connection::open(&old).unwrap();
    let row: (String, String, String, String) = conn
        .query_row(
            "SELECT l.outbox_id, o.template_id, st.template_id, t.channel
             FROM enrollment_steps l JOIN outbox o ON o.id = l.outbox_id
             JOIN scenario_steps st ON st.id = l.step_id JOIN message_templates t ON t.id = o.template_id",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .unwrap();
    assert_eq!(row, ("o1".into(), "t1".into(), "t1".into(), "zalo".into()));
    let dangling: i64 = conn
        .query_row(
            "SELECT count(*) FROM sqlite_schema WHERE sql LIKE '%before_zalo%'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(
        dangling, 0,
        "no reference points at a table that was dropped"
    );
}
