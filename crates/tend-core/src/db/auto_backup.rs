//! Automatic daily backups: where they go, whether they are on, how many are kept, and the
//! decision a background thread asks for every so often: take today's backup if there is none
//! yet, then remove the dated backups the kept count no longer covers.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::base::error::{Error, Result};
use crate::base::time::UtcMillis;
use crate::db::backup::{backup_file_name, backup_time, backups_to_remove};
use crate::db::store::Store;

const AUTO: &str = "backup.auto";
const FOLDER: &str = "backup.folder";
const KEEP_DAILY: &str = "backup.keep_daily";
const KEEP_WEEKLY: &str = "backup.keep_weekly";

/// How backups are taken and kept.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BackupSettings {
    /// A backup every day, taken by Tend while it runs.
    pub auto: bool,
    /// Where backups go (a USB stick, a synced folder); the data folder's `backups` when unset.
    pub folder: Option<String>,
    /// The newest backup of each of this many last days is kept.
    pub keep_daily: u32,
    /// And the newest of each of this many last weeks.
    pub keep_weekly: u32,
}

impl Default for BackupSettings {
    fn default() -> Self {
        BackupSettings {
            auto: true,
            folder: None,
            keep_daily: 7,
            keep_weekly: 4,
        }
    }
}

/// The newest dated backup in a folder: its local time and file name.
pub fn newest_backup(folder: &Path) -> Option<(chrono::NaiveDateTime, String)> {
    std::fs::read_dir(folder)
        .ok()?
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            backup_time(&name).map(|t| (t, name))
        })
        .max()
}

impl Store {
    /// The backup settings (defaults: on, in the data folder, 7 daily and 4 weekly kept).
    pub fn backup_settings(&self) -> Result<BackupSettings> {
        let d = BackupSettings::default();
        let number =
            |v: Option<String>, default: u32| v.and_then(|v| v.parse().ok()).unwrap_or(default);
        Ok(BackupSettings {
            auto: self.setting(AUTO)?.map(|v| v != "off").unwrap_or(d.auto),
            folder: self.setting(FOLDER)?,
            keep_daily: number(self.setting(KEEP_DAILY)?, d.keep_daily),
            keep_weekly: number(self.setting(KEEP_WEEKLY)?, d.keep_weekly),
        })
    }

    /// Saves the backup settings; a folder that cannot be written to is refused.
    pub fn save_backup_settings(&mut self, s: &BackupSettings) -> Result<BackupSettings> {
        let folder = crate::base::fold::clean(s.folder.as_deref());
        if let Some(f) = &folder {
            check_folder(Path::new(f))?;
        }
        if s.keep_daily == 0 && s.keep_weekly == 0 {
            return Err(Error::field(
                "keep_daily",
                "backup.keep_none",
                "keep at least one daily or weekly backup",
            ));
        }
        self.set_setting(AUTO, Some(if s.auto { "on" } else { "off" }))?;
        self.set_setting(FOLDER, folder.as_deref())?;
        self.set_setting(KEEP_DAILY, Some(&s.keep_daily.min(365).to_string()))?;
        self.set_setting(KEEP_WEEKLY, Some(&s.keep_weekly.min(520).to_string()))?;
        self.backup_settings()
    }

    /// The folder backups go to: the chosen one, or `default` (the data folder's `backups`).
    pub fn backup_folder(&self, default: &Path) -> Result<PathBuf> {
        Ok(self
            .backup_settings()?
            .folder
            .map(PathBuf::from)
            .unwrap_or_else(|| default.to_path_buf()))
    }

    /// Takes today's backup if automatic backups are on and the folder has none from today,
    /// then removes the dated backups beyond the kept count. Returns the file taken, if any.
    pub fn automatic_backup(
        &self,
        default_folder: &Path,
        work_dir: &Path,
        now: UtcMillis,
    ) -> Result<Option<PathBuf>> {
        let settings = self.backup_settings()?;
        if !settings.auto {
            return Ok(None);
        }
        let folder = self.backup_folder(default_folder)?;
        std::fs::create_dir_all(&folder).map_err(|e| folder_error(&folder, e))?;
        let local = self.zone().to_local(now);
        let taken = match newest_backup(&folder) {
            Some((t, _)) if t.date() == local.date() => None,
            _ => {
                let out = folder.join(backup_file_name(local));
                self.backup_to(&out, work_dir, now)?;
                Some(out)
            }
        };
        let names: Vec<String> = std::fs::read_dir(&folder)
            .map_err(|e| folder_error(&folder, e))?
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        for name in backups_to_remove(
            &names,
            settings.keep_daily as usize,
            settings.keep_weekly as usize,
        ) {
            let _ = std::fs::remove_file(folder.join(name));
        }
        Ok(taken)
    }
}

fn folder_error(folder: &Path, e: impl std::fmt::Display) -> Error {
    Error::field(
        "folder",
        "backup.folder_unusable",
        format!("backups cannot be written to {}: {e}", folder.display()),
    )
    .with("path", folder.display())
}

/// A folder is usable when it exists (or can be made) and a file can be written in it.
fn check_folder(folder: &Path) -> Result<()> {
    std::fs::create_dir_all(folder).map_err(|e| folder_error(folder, e))?;
    let probe = folder.join(".tend-write-test");
    std::fs::write(&probe, b"").map_err(|e| folder_error(folder, e))?;
    let _ = std::fs::remove_file(probe);
    Ok(())
}
