//! Settings → Backup: a backup now, taken on a thread of its own with its own connection (a
//! copy of 100k customers takes seconds, and the window must not wait), and the last good one.
//! The backups folder is the truth: a dated file appears there only once it is complete and
//! checked, so the newest one is the last good backup.

use std::path::{Path, PathBuf};

use serde::Serialize;
use tauri::State;
use ts_rs::TS;

use tend_core::base::error::Error;
use tend_core::base::time::system_now;
use tend_core::db::backup::{backup_file_name, backup_time};
use tend_core::{ErrorPayload, Store};

use crate::state::AppState;

type Reply<T> = Result<T, ErrorPayload>;

/// Where backups go and the last good one.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct BackupStatus {
    pub folder: String,
    /// The file name of the newest backup, if there is one.
    pub last_file: Option<String>,
    /// When it was taken (local time as written in its name, `YYYY-MM-DDTHH:MM:SS`).
    pub last_local: Option<String>,
}

/// The backups folder inside the data folder.
pub fn backups_dir(data: &Path) -> PathBuf {
    data.join("backups")
}

fn status(data: &Path) -> BackupStatus {
    let folder = backups_dir(data);
    let newest = std::fs::read_dir(&folder)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            backup_time(&name).map(|t| (t, name))
        })
        .max();
    BackupStatus {
        folder: folder.display().to_string(),
        last_local: newest
            .as_ref()
            .map(|(t, _)| t.format("%Y-%m-%dT%H:%M:%S").to_string()),
        last_file: newest.map(|(_, n)| n),
    }
}

#[tauri::command]
pub fn backup_status(state: State<'_, AppState>) -> Reply<BackupStatus> {
    Ok(status(&state.data_dir))
}

/// Takes a checked backup into the backups folder now.
#[tauri::command]
pub async fn backup_now(state: State<'_, AppState>) -> Reply<BackupStatus> {
    let data = state.data_dir.clone();
    let taken = tauri::async_runtime::spawn_blocking(move || -> Result<(), Error> {
        let store = Store::open_dir(&data)?;
        let folder = backups_dir(&data);
        std::fs::create_dir_all(&folder)
            .map_err(|e| Error::Storage(format!("{}: {e}", folder.display())))?;
        let now = system_now();
        let out = folder.join(backup_file_name(store.zone().to_local(now)));
        store.backup_to(&out, &data, now)?;
        Ok(())
    })
    .await
    .map_err(|e| ErrorPayload::from(&Error::Internal(e.to_string())))?;
    taken.map_err(|e| ErrorPayload::from(&e))?;
    Ok(status(&state.data_dir))
}
