//! Settings → Backup: a backup now, taken on a thread of its own with its own connection (a
//! copy of 100k customers takes seconds, and the window must not wait), the last good one, the
//! folder and the automatic daily backups, which a thread of their own takes while Tend runs.
//! The backups folder is the truth: a dated file appears there only once it is complete and
//! checked, so the newest one is the last good backup.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use serde::Serialize;
use tauri::State;
use ts_rs::TS;

use tend_core::base::error::Error;
use tend_core::base::time::system_now;
use tend_core::db::auto_backup::{newest_backup, BackupSettings};
use tend_core::db::backup::backup_file_name;
use tend_core::{ErrorPayload, Store};

use crate::state::AppState;

type Reply<T> = Result<T, ErrorPayload>;

/// Where backups go and the last good one.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct BackupStatus {
    pub folder: String,
    pub settings: BackupSettings,
    /// Why the last automatic backup failed, until one succeeds.
    pub auto_error: Option<ErrorPayload>,
    /// The file name of the newest backup, if there is one.
    pub last_file: Option<String>,
    /// When it was taken (local time as written in its name, `YYYY-MM-DDTHH:MM:SS`).
    pub last_local: Option<String>,
}

/// The backups folder inside the data folder.
pub fn backups_dir(data: &Path) -> PathBuf {
    data.join("backups")
}

/// The automatic backups' thread: woken when the settings change, reporting its last failure.
#[derive(Default)]
pub struct AutoBackup {
    last_error: Mutex<Option<ErrorPayload>>,
    wake: (Mutex<bool>, Condvar),
}

/// How often the automatic backups' thread looks whether today's backup is taken.
const LOOK_EVERY: Duration = Duration::from_secs(15 * 60);

impl AutoBackup {
    fn wake(&self) {
        *self.wake.0.lock().unwrap_or_else(|p| p.into_inner()) = true;
        self.wake.1.notify_all();
    }

    fn sleep(&self) {
        let guard = self.wake.0.lock().unwrap_or_else(|p| p.into_inner());
        let (mut woken, _) = self
            .wake
            .1
            .wait_timeout_while(guard, LOOK_EVERY, |w| !*w)
            .unwrap_or_else(|p| p.into_inner());
        *woken = false;
    }

    fn error(&self) -> Option<ErrorPayload> {
        self.last_error
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }
}

/// Starts the thread that takes the day's backup (a minute after start, so opening the window
/// comes first, then every 15 minutes it looks again).
pub fn start_automatic(data: PathBuf, auto: Arc<AutoBackup>) {
    let _ = std::thread::Builder::new()
        .name("tend-backups".into())
        .spawn(move || {
            std::thread::sleep(Duration::from_secs(60));
            loop {
                let result = Store::open_dir(&data).and_then(|store| {
                    store.automatic_backup(&backups_dir(&data), &data, system_now())
                });
                *auto.last_error.lock().unwrap_or_else(|p| p.into_inner()) =
                    result.err().map(|e| ErrorPayload::from(&e));
                auto.sleep();
            }
        });
}

fn status(data: &Path, auto: &AutoBackup) -> Result<BackupStatus, Error> {
    let store = Store::open_dir(data)?;
    let folder = store.backup_folder(&backups_dir(data))?;
    let newest = newest_backup(&folder);
    Ok(BackupStatus {
        folder: folder.display().to_string(),
        settings: store.backup_settings()?,
        auto_error: auto.error(),
        last_local: newest
            .as_ref()
            .map(|(t, _)| t.format("%Y-%m-%dT%H:%M:%S").to_string()),
        last_file: newest.map(|(_, n)| n),
    })
}

#[tauri::command]
pub fn backup_status(
    state: State<'_, AppState>,
    auto: State<'_, Arc<AutoBackup>>,
) -> Reply<BackupStatus> {
    status(&state.data_dir, &auto).map_err(|e| ErrorPayload::from(&e))
}

/// Saves the folder and the automatic backups' settings, and lets the thread look at once.
#[tauri::command]
pub fn save_backup_settings(
    settings: BackupSettings,
    state: State<'_, AppState>,
    auto: State<'_, Arc<AutoBackup>>,
) -> Reply<BackupStatus> {
    state.with(|s| s.save_backup_settings(&settings))?;
    auto.wake();
    status(&state.data_dir, &auto).map_err(|e| ErrorPayload::from(&e))
}

/// Takes a checked backup into the backups folder now.
#[tauri::command]
pub async fn backup_now(
    state: State<'_, AppState>,
    auto: State<'_, Arc<AutoBackup>>,
) -> Reply<BackupStatus> {
    let data = state.data_dir.clone();
    let taken = tauri::async_runtime::spawn_blocking(move || -> Result<(), Error> {
        let store = Store::open_dir(&data)?;
        let folder = store.backup_folder(&backups_dir(&data))?;
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
    status(&state.data_dir, &auto).map_err(|e| ErrorPayload::from(&e))
}
