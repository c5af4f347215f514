//! Backups of the whole database, and restoring one.
//!
//! A backup is a zip file holding `tend.db`, a consistent copy taken while Tend runs
//! (`VACUUM INTO`, which reads inside one transaction and also compacts the copy), and
//! `backup.json`, what the copy holds. The copy is checked with `PRAGMA integrity_check` before
//! it is packed, and the file appears under its final name only once it is complete and synced
//! (written as `<name>.partial`, then renamed), so a full disk or a crash never leaves something
//! that looks like a backup and is not.
//!
//! Restoring checks the backup first (it unpacks, passes the integrity check, and is not from a
//! newer Tend), brings it to this version's schema, keeps the current database as a backup, and
//! only then copies it over the live database with SQLite's online backup API, in one step that
//! other connections of a running Tend see as one change.
//!
//! Unpacked copies are personal data: they are made inside the data folder (private to the
//! user), never in the system's shared temporary folder, and removed when done.
//!
//! Secrets (bot tokens, passwords) are not in the database, so they are not in backups.

use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::base::error::{Error, Result};
use crate::base::time::UtcMillis;
use crate::db::store::{Store, DB_FILE, SCHEMA_VERSION};

/// The name of the database inside a backup.
const DB_ENTRY: &str = "tend.db";
/// The name of the description inside a backup.
const MANIFEST_ENTRY: &str = "backup.json";
/// The version of the backup file's layout.
const FORMAT: i64 = 1;

/// What a backup holds, as its `backup.json` says and its check confirmed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BackupInfo {
    /// The layout of the backup file (1).
    #[ts(type = "number")]
    pub format: i64,
    /// The version of Tend that made it.
    pub app_version: String,
    /// The schema version of the database inside.
    #[ts(type = "number")]
    pub schema_version: i64,
    #[ts(type = "number")]
    pub created_at: UtcMillis,
    #[ts(type = "number")]
    pub customers: i64,
    #[ts(type = "number")]
    pub interactions: i64,
    /// The size of the backup file, in bytes (0 inside the file itself).
    #[ts(type = "number")]
    pub bytes: u64,
}

/// A file or folder removed when dropped: unpacked copies never outlive their use.
struct Scratch(PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
        let _ = std::fs::remove_file(&self.0);
    }
}

/// A fresh scratch folder inside `work_dir`.
fn scratch_dir(work_dir: &Path, what: &str) -> Result<Scratch> {
    let dir = work_dir.join(format!(
        ".{what}-{}-{}",
        std::process::id(),
        uuid::Uuid::new_v4().simple()
    ));
    std::fs::create_dir_all(&dir).map_err(|e| io_error(&dir, e))?;
    Ok(Scratch(dir))
}

fn io_error(path: &Path, e: std::io::Error) -> Error {
    // A full disk is the usual cause, and one the user can act on.
    if e.kind() == std::io::ErrorKind::StorageFull {
        return Error::failed(
            "backup.disk_full",
            format!("{}: the disk is full", path.display()),
        )
        .with("path", path.display());
    }
    Error::failed("backup.io", format!("{}: {e}", path.display()))
        .with("path", path.display())
        .with("reason", e)
}

fn not_a_backup(file: &Path, why: impl std::fmt::Display) -> Error {
    Error::failed(
        "backup.not_a_backup",
        format!("{} is not a Tend backup: {why}", file.display()),
    )
    .with("path", file.display())
}

/// `tend-backup-2026-11-21-1730.zip`: sorts by date, says what it is.
pub fn backup_file_name(local: chrono::NaiveDateTime) -> String {
    format!("tend-backup-{}.zip", local.format("%Y-%m-%d-%H%M%S"))
}

impl Store {
    /// Writes a checked, compressed backup of the whole database to `out`. `work_dir` (the data
    /// folder) holds the uncompressed copy while it is made.
    pub fn backup_to(&self, out: &Path, work_dir: &Path, now: UtcMillis) -> Result<BackupInfo> {
        let scratch = scratch_dir(work_dir, "backup")?;
        let copy = scratch.0.join(DB_FILE);
        let copy_text = copy
            .to_str()
            .ok_or_else(|| Error::Internal(format!("{} is not UTF-8", copy.display())))?;
        self.conn
            .execute("VACUUM INTO ?1", [copy_text])
            .map_err(|e| match e.sqlite_error_code() {
                Some(rusqlite::ErrorCode::DiskFull) => {
                    io_error(&copy, std::io::Error::from(std::io::ErrorKind::StorageFull))
                }
                _ => Error::from(e),
            })?;
        let mut info = describe_database(&copy, out)?;
        info.created_at = now;
        // The integrity check and the compression both read the whole copy: on two threads
        // they take the time of the longer one. Nothing gets the backup's name unless both pass.
        std::thread::scope(|threads| {
            let check = threads.spawn(|| check_integrity(&copy, out));
            write_zip(&copy, &info, out, || {
                check
                    .join()
                    .map_err(|_| Error::Internal("the integrity check panicked".into()))?
            })
        })?;
        info.bytes = std::fs::metadata(out).map_err(|e| io_error(out, e))?.len();
        Ok(info)
    }

    /// Replaces the whole database with the backup in `file`, after checking it. The database as
    /// it was is first saved as a backup at `keep_current_as`. `work_dir` (the data folder) holds
    /// the unpacked copy meanwhile.
    pub fn restore_from(
        &mut self,
        file: &Path,
        keep_current_as: &Path,
        work_dir: &Path,
        now: UtcMillis,
    ) -> Result<BackupInfo> {
        let scratch = scratch_dir(work_dir, "restore")?;
        let (info, copy) = unpack_checked(file, &scratch.0)?;
        // Opening it as a store brings an older backup to this version's schema (and refuses
        // one from a newer Tend, which `unpack_checked` already did).
        drop(Store::open(&copy)?);
        self.backup_to(keep_current_as, work_dir, now)?;
        // One step for all pages: the destination is locked for writing from the first step to
        // the last, so other connections wait (their busy timeout) and then see the whole
        // restored database, never half of it.
        let source = Connection::open_with_flags(&copy, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
        let step = {
            let backup = rusqlite::backup::Backup::new(&source, &mut self.conn)?;
            backup.step(-1)?
        };
        if step != rusqlite::backup::StepResult::Done {
            return Err(Error::failed(
                "backup.busy",
                "the database stayed busy; close other programs using it and try again",
            ));
        }
        Ok(info)
    }
}

/// Checks a backup file without changing anything: it unpacks, its database passes the
/// integrity check, and it is not from a newer Tend.
pub fn verify_backup(file: &Path, work_dir: &Path) -> Result<BackupInfo> {
    let scratch = scratch_dir(work_dir, "verify")?;
    let (info, _) = unpack_checked(file, &scratch.0)?;
    Ok(info)
}

/// Unpacks `file` into `dir` and checks the database inside; its path and what it holds.
fn unpack_checked(file: &Path, dir: &Path) -> Result<(BackupInfo, PathBuf)> {
    let reader = File::open(file).map_err(|e| io_error(file, e))?;
    let bytes = reader.metadata().map_err(|e| io_error(file, e))?.len();
    let mut zip =
        zip::ZipArchive::new(BufReader::new(reader)).map_err(|e| not_a_backup(file, e))?;
    let manifest: BackupInfo = {
        let mut entry = zip
            .by_name(MANIFEST_ENTRY)
            .map_err(|_| not_a_backup(file, "it has no backup.json"))?;
        let mut text = String::new();
        entry
            .read_to_string(&mut text)
            .map_err(|e| not_a_backup(file, e))?;
        serde_json::from_str(&text).map_err(|e| not_a_backup(file, e))?
    };
    if manifest.format > FORMAT {
        return Err(Error::NewerDatabase {
            found: manifest.schema_version,
            known: SCHEMA_VERSION,
        });
    }
    let copy = dir.join(DB_FILE);
    {
        let mut entry = zip
            .by_name(DB_ENTRY)
            .map_err(|_| not_a_backup(file, "it has no tend.db"))?;
        let mut out = File::create(&copy).map_err(|e| io_error(&copy, e))?;
        // Reading to the end also checks the entry's CRC: a damaged file fails here.
        std::io::copy(&mut entry, &mut out).map_err(|e| match e.kind() {
            std::io::ErrorKind::StorageFull => io_error(&copy, e),
            _ => not_a_backup(file, e),
        })?;
        out.sync_all().map_err(|e| io_error(&copy, e))?;
    }
    check_integrity(&copy, file)?;
    let checked = describe_database(&copy, file)?;
    Ok((
        BackupInfo {
            created_at: manifest.created_at,
            app_version: manifest.app_version,
            bytes,
            ..checked
        },
        copy,
    ))
}

/// Runs `PRAGMA integrity_check` on a database copy. `shown` is the file the user knows it as.
fn check_integrity(copy: &Path, shown: &Path) -> Result<()> {
    let conn = Connection::open_with_flags(copy, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|e| not_a_backup(shown, e))?;
    // The check compares every index with its table: with room for them in memory it reads each
    // page once instead of again and again (a third faster on 100k customers).
    conn.execute_batch("PRAGMA cache_size = -262144; PRAGMA mmap_size = 1073741824;")?;
    let verdict: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .map_err(|e| not_a_backup(shown, e))?;
    if verdict != "ok" {
        return Err(Error::failed(
            "backup.damaged",
            format!("{} is damaged: {verdict}", shown.display()),
        )
        .with("path", shown.display()));
    }
    Ok(())
}

/// Opens a database copy read-only and says what it holds: a Tend database, not from a newer
/// Tend, with its counts. `shown` is the file the user knows it as.
fn describe_database(copy: &Path, shown: &Path) -> Result<BackupInfo> {
    let conn = Connection::open_with_flags(copy, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|e| not_a_backup(shown, e))?;
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if version > SCHEMA_VERSION {
        return Err(Error::NewerDatabase {
            found: version,
            known: SCHEMA_VERSION,
        });
    }
    let count = |table: &str| -> Result<i64> {
        conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
            .map_err(|_| not_a_backup(shown, "it is not a Tend database"))
    };
    Ok(BackupInfo {
        format: FORMAT,
        app_version: env!("CARGO_PKG_VERSION").to_string(),
        schema_version: version,
        created_at: 0,
        customers: count("customers")?,
        interactions: count("customer_interactions")?,
        bytes: 0,
    })
}

/// Packs the copy and its description into `out`, through `<out>.partial`. `checked` is asked,
/// once the copy is packed, whether it may be named: its error stops the backup.
fn write_zip(
    copy: &Path,
    info: &BackupInfo,
    out: &Path,
    checked: impl FnOnce() -> Result<()>,
) -> Result<()> {
    let partial = PathBuf::from(format!("{}.partial", out.display()));
    let guard = Scratch(partial.clone());
    let file = File::create(&partial).map_err(|e| io_error(&partial, e))?;
    let mut zip = zip::ZipWriter::new(BufWriter::new(file));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        // Level 1: most of the size gain of deflate at a fraction of its time.
        .compression_level(Some(1))
        .large_file(true);
    let packed = (|| -> std::io::Result<()> {
        zip.start_file(DB_ENTRY, options)?;
        let mut db = File::open(copy)?;
        std::io::copy(&mut db, &mut zip)?;
        Ok(())
    })();
    let verdict = checked();
    packed.map_err(|e| io_error(&partial, e))?;
    verdict?;
    // The description last: it carries the counts of a copy now known to be sound.
    let finished = (|| -> std::io::Result<()> {
        zip.start_file(MANIFEST_ENTRY, options)?;
        zip.write_all(&serde_json::to_vec_pretty(info)?)?;
        let file = zip.finish()?.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()
    })();
    finished.map_err(|e| io_error(&partial, e))?;
    std::fs::rename(&partial, out).map_err(|e| io_error(out, e))?;
    // Nothing is left under the partial name now: the guard has nothing to remove.
    drop(guard);
    Ok(())
}

/// When a file name is one of Tend's dated backups (`tend-backup-2026-11-21-173000.zip`), the
/// local time it was taken.
pub fn backup_time(name: &str) -> Option<chrono::NaiveDateTime> {
    let stamp = name.strip_prefix("tend-backup-")?.strip_suffix(".zip")?;
    chrono::NaiveDateTime::parse_from_str(stamp, "%Y-%m-%d-%H%M%S").ok()
}

/// Which of the dated backups in a folder to keep: the newest of each of the last `daily` days
/// that have one, and the newest of each of the last `weekly` weeks (Monday to Sunday). Files
/// whose names are not dated backups (a restore's safety copy, anything the user put there)
/// are not counted and never chosen for removal.
pub fn backups_to_remove(names: &[String], daily: usize, weekly: usize) -> Vec<String> {
    use chrono::Datelike;
    let mut dated: Vec<(chrono::NaiveDateTime, &String)> = names
        .iter()
        .filter_map(|n| backup_time(n).map(|t| (t, n)))
        .collect();
    // Newest first, so the first seen of a day or week is the one kept.
    dated.sort_by(|a, b| b.cmp(a));
    let mut keep = std::collections::HashSet::new();
    let mut days = Vec::new();
    let mut weeks = Vec::new();
    for (t, name) in &dated {
        let day = t.date();
        if !days.contains(&day) && days.len() < daily {
            days.push(day);
            keep.insert(*name);
        }
        let week = day.iso_week();
        if !weeks.contains(&week) && weeks.len() < weekly {
            weeks.push(week);
            keep.insert(*name);
        }
    }
    dated
        .into_iter()
        .filter(|(_, n)| !keep.contains(n))
        .map(|(_, n)| n.clone())
        .collect()
}

/// Puts a backup in place of a database that cannot be opened (damaged): the backup is checked
/// first; the damaged files are moved, not deleted, into `damaged-<time>/` in the data folder;
/// then the backup's database becomes `tend.db` and is opened (and brought to this schema).
/// Returns what the backup holds and where the damaged files went.
pub fn replace_damaged_database(
    data_dir: &Path,
    file: &Path,
    local_now: chrono::NaiveDateTime,
) -> Result<(BackupInfo, PathBuf)> {
    let scratch = scratch_dir(data_dir, "recover")?;
    let (info, copy) = unpack_checked(file, &scratch.0)?;
    let kept = data_dir.join(format!("damaged-{}", local_now.format("%Y-%m-%d-%H%M%S")));
    std::fs::create_dir_all(&kept).map_err(|e| io_error(&kept, e))?;
    for suffix in ["", "-wal", "-shm"] {
        let name = format!("{DB_FILE}{suffix}");
        let from = data_dir.join(&name);
        if from.exists() {
            std::fs::rename(&from, kept.join(&name)).map_err(|e| io_error(&from, e))?;
        }
    }
    let db = data_dir.join(DB_FILE);
    std::fs::rename(&copy, &db).map_err(|e| io_error(&db, e))?;
    drop(Store::open_dir(data_dir)?);
    Ok((info, kept))
}

impl Store {
    /// `PRAGMA quick_check`: `None` when the database is sound, else SQLite's first finding.
    /// Seconds on a large book: the app runs it on a thread of its own after start.
    pub fn quick_check(&self) -> Result<Option<String>> {
        let verdict: String = self
            .conn
            .query_row("PRAGMA quick_check(1)", [], |r| r.get(0))?;
        Ok((verdict != "ok").then_some(verdict))
    }
}
