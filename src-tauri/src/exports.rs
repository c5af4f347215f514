//! Export from the customer list: the file is written on a thread of its own (100,000 customers
//! take seconds) into the user's Downloads folder, named with the date.

use std::path::PathBuf;

use tauri::State;

use tend_core::base::error::Error;
use tend_core::base::time::system_now;
use tend_core::export::model::{ExportRequest, ExportSummary, ExportWhat};
use tend_core::{ErrorPayload, Store};

use crate::state::AppState;

/// The user's Downloads folder, or the data folder when there is none.
pub fn downloads(state: &AppState) -> PathBuf {
    directories::UserDirs::new()
        .and_then(|d| d.download_dir().map(|p| p.to_path_buf()))
        .filter(|p| p.is_dir())
        .unwrap_or_else(|| state.data_dir.clone())
}

/// Writes the export into Downloads and says where.
#[tauri::command]
pub async fn export_file(
    request: ExportRequest,
    state: State<'_, AppState>,
) -> Result<ExportSummary, ErrorPayload> {
    let data = state.data_dir.clone();
    let folder = downloads(&state);
    tauri::async_runtime::spawn_blocking(move || {
        let store = Store::open_dir(&data)?;
        let now = system_now();
        let what = match request.what {
            ExportWhat::Customers => "khach-hang",
            ExportWhat::Interactions => "tuong-tac",
        };
        let stamp = store.zone().to_local(now).format("%Y-%m-%d-%H%M%S");
        let out = folder.join(format!(
            "tend-{what}-{stamp}.{}",
            request.format.extension()
        ));
        store.export_book(&request, &out, now)
    })
    .await
    .map_err(|e| ErrorPayload::from(&Error::Internal(e.to_string())))?
    .map_err(|e| ErrorPayload::from(&e))
}
