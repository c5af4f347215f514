//! Import from a file: the window sends the file's bytes (an `<input type="file">` gives no
//! path), the shell keeps the table it read until the next file, and the dry run and the write
//! run on threads of their own with their own connection (100,000 rows take seconds; the
//! window must not wait), the write reporting progress as `import-progress` events and
//! stopping when cancelled.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use serde::Serialize;
use tauri::ipc::{InvokeBody, Request};
use tauri::State;
use ts_rs::TS;

use tend_core::base::error::Error;
use tend_core::base::ids::ImportId;
use tend_core::base::time::system_now;
use tend_core::import::mapping;
use tend_core::import::model::{
    ImportOpened, ImportOptions, ImportReport, ImportSummary, InvalidRow, Table,
};
use tend_core::import::plan::invalid_rows_csv;
use tend_core::import::source;
use tend_core::{ErrorPayload, Store};

use crate::state::AppState;

type Reply<T> = Result<T, ErrorPayload>;

/// The event the window follows a running import by.
pub const IMPORT_PROGRESS: &str = "import-progress";

/// How far a running import is.
#[derive(Debug, Clone, Copy, Serialize, TS)]
#[ts(export)]
pub struct ImportProgress {
    pub done: u32,
    pub total: u32,
}

/// The file being imported and the running import's cancel flag.
#[derive(Default)]
pub struct ImportSession {
    table: Mutex<Option<Arc<Table>>>,
    cancel: Arc<AtomicBool>,
}

impl ImportSession {
    fn table(&self) -> Reply<Arc<Table>> {
        self.table
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
            .ok_or_else(|| payload(Error::NotFound("import")))
    }
}

fn payload(e: Error) -> ErrorPayload {
    ErrorPayload::from(&e)
}

/// Runs `f` on a blocking thread with a store of its own.
pub(crate) async fn off_thread<T: Send + 'static>(
    state: &AppState,
    f: impl FnOnce(&mut Store) -> Result<T, Error> + Send + 'static,
) -> Reply<T> {
    let data = state.data_dir.clone();
    tauri::async_runtime::spawn_blocking(move || {
        let mut store = Store::open_dir(&data)?;
        f(&mut store)
    })
    .await
    .map_err(|e| payload(Error::Internal(e.to_string())))?
    .map_err(payload)
}

fn header(request: &Request<'_>, name: &str) -> Option<String> {
    let value = request.headers().get(name)?.to_str().ok()?;
    let decoded = percent_decode(value);
    (!decoded.trim().is_empty()).then_some(decoded)
}

/// Header values are ASCII: the window sends the file name percent-encoded.
fn percent_decode(value: &str) -> String {
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Reads a file sent as the request's raw body (`x-file-name`, optional `x-encoding`).
#[tauri::command]
pub async fn import_open(
    request: Request<'_>,
    session: State<'_, ImportSession>,
) -> Reply<ImportOpened> {
    let InvokeBody::Raw(bytes) = request.body() else {
        return Err(payload(Error::failed("import.empty", "no file was sent")));
    };
    let bytes = bytes.clone();
    let name = header(&request, "x-file-name").unwrap_or_else(|| "import.csv".to_string());
    let encoding = header(&request, "x-encoding");
    let table = tauri::async_runtime::spawn_blocking(move || {
        source::read_bytes(&name, &bytes, encoding.as_deref())
    })
    .await
    .map_err(|e| payload(Error::Internal(e.to_string())))?
    .map_err(payload)?;
    let opened = mapping::opened(&table);
    *session.table.lock().unwrap_or_else(|p| p.into_inner()) = Some(Arc::new(table));
    Ok(opened)
}

/// The dry run over the whole file.
#[tauri::command]
pub async fn import_dry_run(
    options: ImportOptions,
    state: State<'_, AppState>,
    session: State<'_, ImportSession>,
) -> Reply<ImportReport> {
    let table = session.table()?;
    off_thread(&state, move |store| store.import_dry_run(&table, &options)).await
}

/// Every invalid row, for the download.
#[tauri::command]
pub async fn import_invalid_rows(
    options: ImportOptions,
    state: State<'_, AppState>,
    session: State<'_, ImportSession>,
) -> Reply<Vec<InvalidRow>> {
    let table = session.table()?;
    off_thread(&state, move |store| {
        store.import_invalid_rows(&table, &options)
    })
    .await
}

/// Saves the invalid rows, with the reasons the window worded, as a CSV beside the user's
/// downloads; returns its path.
#[tauri::command]
pub async fn import_save_invalid(
    options: ImportOptions,
    reasons: Vec<String>,
    state: State<'_, AppState>,
    session: State<'_, ImportSession>,
) -> Reply<String> {
    let table = session.table()?;
    let folder = crate::exports::downloads(&state);
    off_thread(&state, move |store| {
        let invalid = store.import_invalid_rows(&table, &options)?;
        let csv = invalid_rows_csv(&table, &invalid, |i, row| {
            reasons
                .get(i)
                .cloned()
                .unwrap_or_else(|| row.error.message.clone())
        });
        let stem = std::path::Path::new(&table.file_name)
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "import".to_string());
        let out = folder.join(format!("{stem} - dòng lỗi.csv"));
        std::fs::write(&out, csv).map_err(|e| Error::Storage(format!("{}: {e}", out.display())))?;
        Ok(out.display().to_string())
    })
    .await
}

/// Writes the import, emitting `import-progress`; stops (writing nothing) on `import_cancel`.
#[tauri::command]
pub async fn import_run(
    options: ImportOptions,
    state: State<'_, AppState>,
    session: State<'_, ImportSession>,
) -> Reply<ImportSummary> {
    let table = session.table()?;
    let cancel = session.cancel.clone();
    cancel.store(false, Ordering::SeqCst);
    let progress_state = state.inner().event_sender();
    let summary = off_thread(&state, move |store| {
        let mut report = |done: u32, total: u32| {
            progress_state(
                IMPORT_PROGRESS,
                serde_json::json!(ImportProgress { done, total }),
            );
            !cancel.load(Ordering::SeqCst)
        };
        store.run_import(&table, &options, system_now(), &mut report)
    })
    .await?;
    state.data_changed();
    Ok(summary)
}

/// Stops the running import; it writes nothing.
#[tauri::command]
pub fn import_cancel(session: State<'_, ImportSession>) {
    session.cancel.store(true, Ordering::SeqCst);
}

/// The latest imports.
#[tauri::command]
pub fn imports_list(state: State<'_, AppState>) -> Reply<Vec<ImportSummary>> {
    state.with(|s| s.list_imports())
}

/// Takes an import back.
#[tauri::command]
pub fn import_undo(id: ImportId, state: State<'_, AppState>) -> Reply<ImportSummary> {
    state.with(|s| s.undo_import(&id, system_now()))
}
