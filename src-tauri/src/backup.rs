//! Settings → Backup: a backup now, taken on a thread of its own with its own connection (a
//! copy of 100k customers takes seconds, and the window must not wait), the last good one, the
//! folder and the automatic daily backups, which a thread of their own takes while Tend runs.
//! The backups folder is the truth: a dated file appears there only once it is complete and
//! checked, so the newest one is the last good backup.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use serde::Serialize;
use tauri::{AppHandle, Runtime, State};
use ts_rs::TS;

use tend_core::base::error::Error;
use tend_core::base::time::system_now;
use tend_core::db::auto_backup::{newest_backup, BackupSettings};
use tend_core::db::backup::backup_file_name;
use tend_core::messaging::channels::secrets_to_set_again;
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
    /// What the check after start found wrong with the database, if anything.
    damage: Mutex<Option<String>>,
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

/// A backup file in the backups folder.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct BackupFile {
    pub name: String,
    /// Its full path.
    pub path: String,
    /// When it was taken (local time as written in its name, `YYYY-MM-DDTHH:MM:SS`).
    pub local: String,
    #[ts(type = "number")]
    pub bytes: u64,
}

/// What a restore did.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct RestoreReport {
    pub info: tend_core::db::backup::BackupInfo,
    /// Where the database as it was before is kept (a backup, or the damaged files' folder).
    pub kept_as: String,
    /// Secrets the configured channels need that this computer does not have (names such as
    /// `telegram_bot_token`): backups never hold secrets.
    pub secrets_to_set: Vec<String>,
}

/// The dated backups in a folder, newest first.
fn list_backups(folder: &Path) -> Vec<BackupFile> {
    let mut files: Vec<BackupFile> = std::fs::read_dir(folder)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let local = tend_core::db::backup::backup_time(&name)?;
            Some(BackupFile {
                path: e.path().display().to_string(),
                local: local.format("%Y-%m-%dT%H:%M:%S").to_string(),
                bytes: e.metadata().map(|m| m.len()).unwrap_or(0),
                name,
            })
        })
        .collect();
    files.sort_by(|a, b| b.local.cmp(&a.local));
    files
}

/// The backups Settings can restore from (the chosen folder, or the data folder's).
#[tauri::command]
pub fn backup_list(state: State<'_, AppState>) -> Reply<Vec<BackupFile>> {
    let folder = Store::open_dir(&state.data_dir)
        .and_then(|s| s.backup_folder(&backups_dir(&state.data_dir)))
        .unwrap_or_else(|_| backups_dir(&state.data_dir));
    Ok(list_backups(&folder))
}

/// Restores a backup while Tend runs: checked first, the current database kept as a backup.
#[tauri::command]
pub async fn backup_restore(path: String, state: State<'_, AppState>) -> Reply<RestoreReport> {
    let data = state.data_dir.clone();
    let secrets = state.secrets.clone();
    let report = tauri::async_runtime::spawn_blocking(move || -> Result<RestoreReport, Error> {
        let mut store = Store::open_dir(&data)?;
        let folder = backups_dir(&data);
        std::fs::create_dir_all(&folder)
            .map_err(|e| Error::Storage(format!("{}: {e}", folder.display())))?;
        let now = system_now();
        let keep = folder.join(format!(
            "before-restore-{}",
            backup_file_name(store.zone().to_local(now))
        ));
        let info = store.restore_from(Path::new(&path), &keep, &data, now)?;
        let settings = store.channel_settings()?;
        Ok(RestoreReport {
            info,
            kept_as: keep.display().to_string(),
            secrets_to_set: secrets_to_set_again(&settings, secrets.as_ref())?,
        })
    })
    .await
    .map_err(|e| ErrorPayload::from(&Error::Internal(e.to_string())))?
    .map_err(|e| ErrorPayload::from(&e))?;
    // Everything on screen is from the other database now.
    state.data_changed();
    Ok(report)
}

/// Whether the database is damaged (it could not be opened, or the check after start found a
/// problem), with the backups that can take its place.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct Recovery {
    pub damaged: bool,
    /// SQLite's words about the damage.
    pub detail: Option<String>,
    pub backups: Vec<BackupFile>,
}

/// What the recovery screen shows.
#[tauri::command]
pub fn recovery_state(
    state: State<'_, AppState>,
    auto: State<'_, Arc<AutoBackup>>,
) -> Reply<Recovery> {
    let open_error = state.open_error().filter(|e| e.key == "db.damaged");
    let found = auto
        .damage
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .clone();
    let detail = open_error.map(|e| e.message).or(found);
    Ok(Recovery {
        damaged: detail.is_some(),
        detail,
        backups: list_backups(&backups_dir(&state.data_dir)),
    })
}

/// Puts a backup in place of the damaged database, keeps the damaged files aside, and starts
/// Tend again on the restored one (every connection of this run points at the damaged file).
#[tauri::command]
pub async fn recover_from_backup<R: Runtime>(
    path: String,
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> Reply<RestoreReport> {
    let data = state.data_dir.clone();
    let secrets = state.secrets.clone();
    let report = tauri::async_runtime::spawn_blocking(move || -> Result<RestoreReport, Error> {
        let local = chrono::Local::now().naive_local();
        let (info, kept) =
            tend_core::db::backup::replace_damaged_database(&data, Path::new(&path), local)?;
        let store = Store::open_dir(&data)?;
        Ok(RestoreReport {
            info,
            kept_as: kept.display().to_string(),
            secrets_to_set: secrets_to_set_again(&store.channel_settings()?, secrets.as_ref())?,
        })
    })
    .await
    .map_err(|e| ErrorPayload::from(&Error::Internal(e.to_string())))?
    .map_err(|e| ErrorPayload::from(&e))?;
    let restart = app.clone();
    // Let the answer reach the window before the process starts again.
    std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_millis(1500));
        restart.restart();
    });
    Ok(report)
}

/// Runs `PRAGMA quick_check` once, a little after start, on a thread of its own; damage it
/// finds is reported through `recovery_state` and the `database-damaged` event.
pub fn check_after_start(data: PathBuf, auto: Arc<AutoBackup>, tell: crate::state::EventSink) {
    let _ = std::thread::Builder::new()
        .name("tend-db-check".into())
        .spawn(move || {
            std::thread::sleep(Duration::from_secs(20));
            let found = match Store::open_dir(&data).and_then(|s| s.quick_check()) {
                Ok(found) => found,
                Err(e) if e.key() == "db.damaged" => Some(e.to_string()),
                Err(_) => None,
            };
            if let Some(found) = found {
                *auto.damage.lock().unwrap_or_else(|p| p.into_inner()) = Some(found);
                tell(DATABASE_DAMAGED, serde_json::Value::Null);
            }
        });
}

/// The event the window shows the recovery screen on.
pub const DATABASE_DAMAGED: &str = "database-damaged";
