//! Duplicates and merge: the scan runs on a thread of its own (100,000 customers), merges and
//! their undo are ordinary commands through the shared store.

use tauri::State;

use tend_core::base::error::Error;
use tend_core::base::ids::MergeId;
use tend_core::base::time::system_now;
use tend_core::merge::combine::{MergeRequest, MergeSummary};
use tend_core::merge::scan::DuplicateScan;
use tend_core::{ErrorPayload, Store};

use crate::state::AppState;

type Reply<T> = Result<T, ErrorPayload>;

/// How many pairs the duplicates screen lists.
const LISTED_PAIRS: usize = 500;

/// Likely duplicates across the book, most certain first.
#[tauri::command]
pub async fn duplicates_scan(state: State<'_, AppState>) -> Reply<DuplicateScan> {
    let data = state.data_dir.clone();
    tauri::async_runtime::spawn_blocking(move || {
        Store::open_dir(&data)?.scan_duplicates(LISTED_PAIRS)
    })
    .await
    .map_err(|e| ErrorPayload::from(&Error::Internal(e.to_string())))?
    .map_err(|e| ErrorPayload::from(&e))
}

/// Merges customers into one.
#[tauri::command]
pub fn merge_customers(request: MergeRequest, state: State<'_, AppState>) -> Reply<MergeSummary> {
    state.with(|s| s.merge_customers(&request, system_now()))
}

/// Puts the customers of a merge back as they were.
#[tauri::command]
pub fn merge_undo(id: MergeId, state: State<'_, AppState>) -> Reply<MergeSummary> {
    state.with(|s| s.undo_merge(&id, system_now()))
}

/// The latest merges.
#[tauri::command]
pub fn merges_list(state: State<'_, AppState>) -> Reply<Vec<MergeSummary>> {
    state.with(|s| s.list_merges())
}
