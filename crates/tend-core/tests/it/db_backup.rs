//! Backups and restore on real files: a backup is a checked copy that restores exactly; a bad
//! file is refused before anything changes; an older backup is brought up to date; a running
//! Tend's other connections see the restored data.

use std::io::Write;
use std::path::Path;

use tend_core::crm::customers::CustomerListQuery;
use tend_core::db::backup::{verify_backup, BackupInfo};
use tend_core::db::store::SCHEMA_VERSION;
use tend_core::Store;

use crate::support::crm::*;

fn names(s: &Store) -> Vec<String> {
    let mut all: Vec<String> = s
        .list_customers(&CustomerListQuery {
            limit: 500,
            ..Default::default()
        })
        .unwrap()
        .items
        .into_iter()
        .map(|c| c.full_name)
        .collect();
    all.sort();
    all
}

fn book(dir: &Path) -> Store {
    let mut s = Store::open_dir(dir).unwrap();
    for (name, phone) in [
        ("Nguyễn Văn An", "0901 111 222"),
        ("Trần Thị Bé", "0902 333 444"),
        ("Lê Hoàng Nam", "0903 555 666"),
    ] {
        let id = create(&mut s, name, phone);
        s.log_interaction(&call(&id, NOW - HOUR), NOW).unwrap();
    }
    s
}

/// Packs `db` (a database file) as a backup the way Tend does, with `manifest` as its description.
fn pack(out: &Path, db: &Path, manifest: &str) {
    let mut zip = zip::ZipWriter::new(std::fs::File::create(out).unwrap());
    let options = zip::write::SimpleFileOptions::default();
    zip.start_file("backup.json", options).unwrap();
    zip.write_all(manifest.as_bytes()).unwrap();
    zip.start_file("tend.db", options).unwrap();
    zip.write_all(&std::fs::read(db).unwrap()).unwrap();
    zip.finish().unwrap();
}

const MANIFEST: &str = r#"{"format":1,"app_version":"0.1.0","schema_version":3,"created_at":0,
    "customers":0,"interactions":0,"bytes":0}"#;

#[test]
fn a_backup_restores_exactly_and_the_replaced_database_is_kept() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = book(dir.path());
    let before = names(&s);
    let file = dir.path().join("b.zip");
    let info = s.backup_to(&file, dir.path(), NOW).unwrap();
    assert_eq!((info.customers, info.interactions), (3, 3));
    assert_eq!(info.schema_version, SCHEMA_VERSION);
    assert!(info.bytes > 0 && info.bytes == std::fs::metadata(&file).unwrap().len());
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&file).unwrap()).unwrap();
    let db = zip.by_name("tend.db").unwrap();
    assert!(
        db.compressed_size() < db.size() / 3,
        "compressed: {} of {} bytes",
        db.compressed_size(),
        db.size()
    );
    drop(db);
    assert_eq!(
        verify_backup(&file, dir.path()).unwrap(),
        BackupInfo {
            created_at: NOW,
            ..info.clone()
        }
    );

    // Work goes on after the backup...
    create(&mut s, "Phạm Minh Em", "0904 777 888");
    assert_eq!(names(&s).len(), 4);
    // ...and the backup brings back the book as it was, keeping what it replaces.
    let keep = dir.path().join("before.zip");
    let restored = s
        .restore_from(&file, &keep, dir.path(), NOW + HOUR)
        .unwrap();
    assert_eq!(restored.customers, 3);
    assert_eq!(names(&s), before);
    assert_eq!(verify_backup(&keep, dir.path()).unwrap().customers, 4);
    // Nothing unpacked is left behind in the data folder.
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.') || n.ends_with(".partial"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn a_restore_reaches_the_other_connections_of_a_running_tend() {
    let dir = tempfile::tempdir().unwrap();
    let mut cli = book(dir.path());
    let file = dir.path().join("b.zip");
    cli.backup_to(&file, dir.path(), NOW).unwrap();
    // The app, open on the same folder, adds a customer; the command line restores.
    let mut app = Store::open_dir(dir.path()).unwrap();
    create(&mut app, "Phạm Minh Em", "0904 777 888");
    assert_eq!(names(&app).len(), 4);
    assert_eq!(app.search_customers_page("pham", 0, 50).unwrap().total, 1);
    cli.restore_from(&file, &dir.path().join("k.zip"), dir.path(), NOW)
        .unwrap();
    assert_eq!(app.search_customers_page("pham", 0, 50).unwrap().total, 0);
    assert_eq!(names(&app).len(), 3, "the app reads the restored book");
    create(&mut app, "Võ Thị Hoa", "0905 999 000");
    assert_eq!(names(&cli).len(), 4, "and goes on writing to it");
}

#[test]
fn bad_files_are_refused_and_the_database_is_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = book(dir.path());
    let before = names(&s);
    let good = dir.path().join("good.zip");
    s.backup_to(&good, dir.path(), NOW).unwrap();
    let bytes = std::fs::read(&good).unwrap();

    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("empty", Vec::new()),
        ("truncated", bytes[..bytes.len() / 2].to_vec()),
        (
            "binary",
            (0..1_000_000u32)
                .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
                .collect(),
        ),
        ("text", b"Ho ten,SDT\nAn,0901111222\n".to_vec()),
    ];
    for (what, content) in cases {
        let file = dir.path().join(format!("{what}.zip"));
        std::fs::write(&file, content).unwrap();
        let err = s
            .restore_from(&file, &dir.path().join("k.zip"), dir.path(), NOW)
            .unwrap_err();
        assert_eq!(err.key(), "backup.not_a_backup", "{what}: {err}");
        assert!(
            err.to_string().contains(&format!("{what}.zip")),
            "{what}: {err}"
        );
        assert_eq!(names(&s), before, "{what}");
        assert!(
            !dir.path().join("k.zip").exists(),
            "{what}: nothing replaced, nothing kept"
        );
    }

    // A zip that is not a backup, and a backup whose database is damaged.
    let other = dir.path().join("other.zip");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&other).unwrap());
    zip.start_file("photo.jpg", zip::write::SimpleFileOptions::default())
        .unwrap();
    zip.write_all(b"not a database").unwrap();
    zip.finish().unwrap();
    assert_eq!(
        verify_backup(&other, dir.path()).unwrap_err().key(),
        "backup.not_a_backup"
    );

    let garbage = dir.path().join("garbage.db");
    let mut db = std::fs::read(dir.path().join("tend.db")).unwrap();
    // Keep SQLite's header, overwrite the pages after the first.
    for b in db.iter_mut().skip(4096).step_by(7) {
        *b ^= 0x5a;
    }
    std::fs::write(&garbage, db).unwrap();
    let damaged = dir.path().join("damaged.zip");
    pack(&damaged, &garbage, MANIFEST);
    let err = verify_backup(&damaged, dir.path()).unwrap_err();
    assert!(
        ["backup.damaged", "backup.not_a_backup"].contains(&err.key().as_str()),
        "{err}"
    );
    assert_eq!(names(&s), before);
}

#[test]
fn a_backup_from_a_newer_tend_is_refused_and_an_older_one_is_brought_up_to_date() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = book(dir.path());
    let before = names(&s);

    let newer_db = dir.path().join("newer.db");
    {
        let conn = rusqlite::Connection::open(&newer_db).unwrap();
        conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
            .unwrap();
        conn.execute_batch(
            "CREATE TABLE customers (id TEXT); CREATE TABLE customer_interactions (id TEXT);",
        )
        .unwrap();
    }
    let newer = dir.path().join("newer.zip");
    pack(&newer, &newer_db, MANIFEST);
    let err = s
        .restore_from(&newer, &dir.path().join("k.zip"), dir.path(), NOW)
        .unwrap_err();
    assert_eq!(err.key(), "database.newer", "{err}");
    assert_eq!(names(&s), before);

    let old_db = dir.path().join("old.db");
    Store::create_at_version_for_test(&old_db, 3).unwrap();
    let old = dir.path().join("old.zip");
    pack(&old, &old_db, MANIFEST);
    s.restore_from(&old, &dir.path().join("k.zip"), dir.path(), NOW)
        .unwrap();
    assert_eq!(s.schema_version().unwrap(), SCHEMA_VERSION);
    assert!(names(&s).is_empty(), "the old backup's (empty) book");
    create(&mut s, "Phạm Minh Em", "0904 777 888");
    assert_eq!(names(&s), ["Phạm Minh Em"]);
}

#[test]
fn seven_daily_and_four_weekly_backups_are_kept_and_nothing_else_is_touched() {
    use tend_core::db::backup::{backup_file_name, backups_to_remove};
    let at = |d: u32, m: u32, h: u32| {
        chrono::NaiveDate::from_ymd_opt(2026, m, d)
            .unwrap()
            .and_hms_opt(h, 30, 0)
            .unwrap()
    };
    // Two a day from 1 October to 21 November 2026 (a Saturday), and two files of other kinds.
    let mut names = Vec::new();
    let mut day = at(1, 10, 9).date();
    while day <= at(21, 11, 9).date() {
        for h in [9, 17] {
            names.push(backup_file_name(day.and_hms_opt(h, 30, 0).unwrap()));
        }
        day = day.succ_opt().unwrap();
    }
    names.push("before-restore-tend-backup-2026-10-02-101500.zip".into());
    names.push("ghi chú.txt".into());
    let removed = backups_to_remove(&names, 7, 4);
    let kept: Vec<&String> = names.iter().filter(|n| !removed.contains(n)).collect();
    let expected: Vec<String> = [
        // The last seven days, each day's evening one (this week's newest among them).
        (15, 11),
        (16, 11),
        (17, 11),
        (18, 11),
        (19, 11),
        (20, 11),
        (21, 11),
        // The newest of the three weeks before: 9–15 November (the 15th, above), 2–8 November
        // and 26 October – 1 November, each ending on a Sunday.
        (1, 11),
        (8, 11),
    ]
    .iter()
    .map(|(d, m)| backup_file_name(at(*d, *m, 17)))
    .chain([
        "before-restore-tend-backup-2026-10-02-101500.zip".into(),
        "ghi chú.txt".into(),
    ])
    .collect();
    let mut kept: Vec<String> = kept.into_iter().cloned().collect();
    kept.sort();
    let mut expected = expected;
    expected.sort();
    expected.dedup();
    assert_eq!(kept, expected);
}

#[test]
fn automatic_backups_take_one_a_day_and_keep_the_kept_count() {
    use tend_core::db::auto_backup::BackupSettings;
    let dir = tempfile::tempdir().unwrap();
    let mut s = book(dir.path());
    let folder = dir.path().join("usb");
    let settings = s
        .save_backup_settings(&BackupSettings {
            folder: Some(folder.display().to_string()),
            keep_daily: 2,
            keep_weekly: 0,
            ..Default::default()
        })
        .unwrap();
    assert!(settings.auto, "on unless turned off");
    // Older dated backups (and a file of the user's) already in the folder.
    for name in [
        "tend-backup-2026-09-01-080000.zip",
        "tend-backup-2026-09-02-080000.zip",
        "tend-backup-2026-09-03-080000.zip",
        "my-notes.txt",
    ] {
        std::fs::write(folder.join(name), b"old").unwrap();
    }
    let unused = dir.path().join("unused");
    let taken = s
        .automatic_backup(&unused, dir.path(), NOW)
        .unwrap()
        .unwrap();
    assert!(taken.starts_with(&folder), "into the chosen folder");
    verify_backup(&taken, dir.path()).unwrap();
    assert_eq!(
        s.automatic_backup(&unused, dir.path(), NOW + HOUR).unwrap(),
        None,
        "one a day"
    );
    let mut left: Vec<String> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    assert_eq!(left.len(), 3, "{left:?}");
    assert_eq!(left[0], "my-notes.txt");
    assert_eq!(left[1], "tend-backup-2026-09-03-080000.zip");

    let off = BackupSettings {
        auto: false,
        ..settings.clone()
    };
    s.save_backup_settings(&off).unwrap();
    assert_eq!(
        s.automatic_backup(&unused, dir.path(), NOW + 30 * HOUR)
            .unwrap(),
        None
    );

    let file = dir.path().join("a-file");
    std::fs::write(&file, b"x").unwrap();
    let bad = BackupSettings {
        folder: Some(file.display().to_string()),
        ..settings
    };
    assert_eq!(
        s.save_backup_settings(&bad).unwrap_err().key(),
        "backup.folder_unusable"
    );
}

#[test]
fn a_damaged_database_is_named_as_such_and_a_backup_takes_its_place() {
    let dir = tempfile::tempdir().unwrap();
    let s = book(dir.path());
    let file = dir.path().join("good.zip");
    s.backup_to(&file, dir.path(), NOW).unwrap();
    assert_eq!(s.quick_check().unwrap(), None);
    drop(s);
    // The file overwritten in its middle, as a failing disk or a killed copy leaves it.
    let db = dir.path().join("tend.db");
    let mut bytes = std::fs::read(&db).unwrap();
    let len = bytes.len();
    for b in &mut bytes[..len.min(4096)] {
        *b = 0x5A;
    }
    std::fs::write(&db, &bytes).unwrap();
    let e = Store::open_dir(dir.path()).map(|_| ()).unwrap_err();
    assert_eq!(e.key(), "db.damaged", "{e}");

    let local = chrono::NaiveDate::from_ymd_opt(2026, 11, 21)
        .unwrap()
        .and_hms_opt(9, 0, 0)
        .unwrap();
    let (info, kept) =
        tend_core::db::backup::replace_damaged_database(dir.path(), &file, local).unwrap();
    assert_eq!(info.customers, 3);
    assert!(
        kept.join("tend.db").exists(),
        "the damaged file is kept aside, not deleted"
    );
    let s = Store::open_dir(dir.path()).unwrap();
    assert_eq!(names(&s).len(), 3);

    // A file that is not a backup changes nothing.
    drop(s);
    let bogus = dir.path().join("bogus.zip");
    std::fs::write(&bogus, b"PK nothing").unwrap();
    assert!(tend_core::db::backup::replace_damaged_database(dir.path(), &bogus, local).is_err());
    assert_eq!(names(&Store::open_dir(dir.path()).unwrap()).len(), 3);
}
