//! The command line of the same binary: `tend backup`, `tend restore` and `tend import` work on
//! the data folder without opening a window, also while the app is open (the database is in
//! write-ahead-log mode, and a restore replaces it in one step that other connections wait for).

mod export;
mod import;

use std::path::{Path, PathBuf};

use tend_core::base::time::system_now;
use tend_core::db::backup::{backup_file_name, verify_backup, BackupInfo};
use tend_core::Store;

use crate::backup::backups_dir;
use crate::data_dir;

/// Runs the command named by the arguments, if they name one, and returns its exit code;
/// `None` when the binary should start the app.
pub fn dispatch(args: &[String]) -> Option<i32> {
    let command = args.get(1)?;
    let rest = &args[2..];
    let result = match command.as_str() {
        "backup" => backup(rest).map(|()| 0),
        "restore" => restore(rest).map(|()| 0),
        "import" => import::run(rest),
        "export" => export::run(rest).map(|()| 0),
        "help" | "--help" | "-h" => {
            println!("{USAGE}");
            Ok(0)
        }
        _ => return None,
    };
    Some(match result {
        Ok(code) => code,
        Err(message) => {
            eprintln!("tend {command}: {message}");
            1
        }
    })
}

pub(crate) const USAGE: &str = "Usage:
  tend                      start the app
  tend backup [--out FILE]  write a checked backup of the whole database
                            (default: the backups folder inside the data folder)
  tend restore FILE         check a backup and replace the database with it; the database as it
                            was is first saved as a backup
  tend import FILE [--dry-run] [--map COLUMN=FIELD ...] [--on-duplicate skip|update|create]
              [--tag NAME | --no-tag] [--encoding utf-8|utf-16|windows-1258|windows-1252]
                            import customers from .xlsx, .xls, .ods, .csv, .tsv or .vcf; prints
                            what it found and did; exits with 2 when rows were invalid (the
                            valid ones are imported), 1 when the file cannot be imported.
                            COLUMN is a header, a column number or letter; FIELD is one of
                            full_name (or name), family_name, middle_name, given_name, phone,
                            email, company, address, birthday, notes, tags, zalo, source, skip.
                            Everyone created gets the tag “Nhập từ <file name>” unless --tag
                            or --no-tag says otherwise.
  tend export --format xlsx|csv|vcf|ics --out FILE [--tag NAME] [--interactions]
                            export the customers (or those with a tag) to a spreadsheet, CSV
                            (UTF-8 with BOM), vCard 3.0 for phones, or a calendar of open tasks
                            and birthdays; --interactions exports their interactions instead
                            (xlsx or csv)
The data folder is $TEND_DATA_DIR when set.";

pub(crate) fn open_store(data: &Path) -> Result<Store, String> {
    Store::open_dir(data).map_err(|e| e.to_string())
}

fn local_now(store: &Store) -> chrono::NaiveDateTime {
    store.zone().to_local(system_now())
}

fn backup(args: &[String]) -> Result<(), String> {
    let out = match args {
        [] => None,
        [flag, file] if flag == "--out" => Some(PathBuf::from(file)),
        _ => return Err(format!("unexpected arguments\n{USAGE}")),
    };
    let data = data_dir::resolve();
    let store = open_store(&data)?;
    let out = match out {
        Some(out) => out,
        None => {
            let dir = backups_dir(&data);
            std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
            dir.join(backup_file_name(local_now(&store)))
        }
    };
    let info = store
        .backup_to(&out, &data, system_now())
        .map_err(|e| e.to_string())?;
    println!("{}", describe("Backed up", &info, &out));
    Ok(())
}

fn restore(args: &[String]) -> Result<(), String> {
    let [file] = args else {
        return Err(format!("name the backup file to restore\n{USAGE}"));
    };
    let file = PathBuf::from(file);
    let data = data_dir::resolve();
    let mut store = open_store(&data)?;
    let dir = backups_dir(&data);
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let keep = dir.join(format!(
        "before-restore-{}",
        backup_file_name(local_now(&store))
    ));
    let info = store
        .restore_from(&file, &keep, &data, system_now())
        .map_err(|e| e.to_string())?;
    println!("{}", describe("Restored", &info, &file));
    let kept = verify_backup(&keep, &data).map_err(|e| e.to_string())?;
    println!(
        "The database as it was ({} customers) is saved in {}",
        kept.customers,
        keep.display()
    );
    println!(
        "Passwords and tokens are not in backups: on a new computer, enter them again in Settings."
    );
    Ok(())
}

fn describe(what: &str, info: &BackupInfo, file: &Path) -> String {
    format!(
        "{what} {} customers and {} interactions ({}, {:.1} MB, checked)",
        info.customers,
        info.interactions,
        file.display(),
        info.bytes as f64 / 1_048_576.0
    )
}
